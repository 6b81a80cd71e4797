"""GraphQL types of events, registrations, venues and bookings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum

import strawberry
from strawberry import relay

from ecozone.events import rules
from ecozone.events.models import Event as EventModel
from ecozone.events.models import EventRegistration as RegistrationModel
from ecozone.events.models import Venue as VenueModel
from ecozone.events.models import VenueBooking as BookingModel
from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.results import EVERY_FAILURE, NotFound, PermissionDenied, ValidationFailed, result_union
from ecozone.graphql.zones import Zone, load_zone

EventKind = strawberry.enum(Enum("EventKind", {k.upper(): k for k in rules.EVENT_KINDS}), description=(
    "EXHIBITION 展览展示 · LECTURE 科普讲座 · EXCHANGE 交流活动 · TRAINING_DAY 专业培训日. 活动类型（办法 第四条(六)，"
    "章程 第二十七至二十九条）。"))
EventAudience = strawberry.enum(Enum("EventAudience", {k.upper(): k for k in rules.AUDIENCES}), description=(
    "PUBLIC: anyone signed in registers; MEMBERS: people holding a role in the zone they act in. PUBLIC 面向社会"
    "公众（登录即可报名）；MEMBERS 仅面向成员（在所操作试验区担任角色者）。"))
RegistrationState = strawberry.enum(Enum("RegistrationState", {s.upper(): s for s in (
    "enrolled", "waiting", "cancelled")}), description="ENROLLED 已获名额 · WAITING 候补中 · CANCELLED 已取消. 报名状态。")
VenueKind = strawberry.enum(Enum("VenueKind", {k.upper(): k for k in rules.VENUE_KINDS}), description=(
    "ROOM: a room or hall; EQUIPMENT: a piece of equipment. ROOM 场地；EQUIPMENT 设施设备。"))


@strawberry.type(description=("A room, hall or piece of equipment of a zone's base, booked by the half hour "
                              "(public). 试验区基地的场地或设施设备，按半小时预订（公开）。"))
class Venue(relay.Node):
    id: relay.NodeID[int]
    kind: VenueKind = strawberry.field(description="Room or equipment. 场地或设备。")
    name_zh: str = strawberry.field(description="Name in Chinese. 中文名称。")
    name_en: str = strawberry.field(description="Name in English. 英文名称。")
    location: str | None = strawberry.field(description="Where it is; null if not given. 所在位置；未填写时为 null。")
    seats: int | None = strawberry.field(description="Seats of a room; null for equipment or if not given. 场地座位数；设备或未填写时为 null。")
    model: strawberry.Private[VenueModel]

    @classmethod
    def from_model(cls, v: VenueModel) -> Venue:
        return cls(id=v.id, kind=VenueKind(v.kind), name_zh=v.name_zh, name_en=v.name_en, location=v.location,
                   seats=v.seats, model=v)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, VenueModel, list(node_ids))]

    @strawberry.field(description="The zone whose base it belongs to. 所属试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)


@strawberry.type(description=("Half hours of a venue held for a purpose; seen by the people acting in the venue's "
                              "zone. 为某一用途占用的场地时段；仅场地所属试验区的人员（在该区操作时）可见。"))
class VenueBooking(relay.Node):
    id: relay.NodeID[int]
    purpose: str = strawberry.field(description="What it is booked for. 预订用途。")
    starts_at: dt.datetime = strawberry.field(description="Start, on the hour or half past (ISO 8601 with offset). 开始时间（整点或半点，ISO 8601，含时区偏移）。")
    ends_at: dt.datetime = strawberry.field(description="End, on the hour or half past. 结束时间（整点或半点）。")
    cancelled: bool = strawberry.field(description="True once cancelled (its half hours are free again). 已取消时为 true（相应时段重新可订）。")
    model: strawberry.Private[BookingModel]

    @classmethod
    def from_model(cls, b: BookingModel) -> VenueBooking:
        return cls(id=b.id, purpose=b.purpose, starts_at=b.starts_at, ends_at=b.ends_at,
                   cancelled=b.state == "cancelled", model=b)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, BookingModel, list(node_ids))]

    @strawberry.field(description="The venue booked. 所订场地或设备。")
    async def venue(self, info: Info) -> Venue:
        return Venue.from_model(await info.context.loaders.by_id(VenueModel).load(self.model.venue_id))


@strawberry.type(description=("An exhibition, lecture (科普讲座), exchange or training day hosted by one zone, "
                              "announced publicly. 由某一试验区主办并公开发布的展览、科普讲座、交流活动或专业培训日。"))
class Event(relay.Node):
    id: relay.NodeID[int]
    kind: EventKind = strawberry.field(description="What kind of event. 活动类型。")
    audience: EventAudience = strawberry.field(description="Who may register. 报名范围。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    description: str | None = strawberry.field(description="Longer description; null if not given. 详细说明；未填写时为 null。")
    starts_at: dt.datetime = strawberry.field(description="Start (ISO 8601 with offset). 开始时间（ISO 8601，含时区偏移）。")
    ends_at: dt.datetime = strawberry.field(description="End (ISO 8601 with offset). 结束时间（ISO 8601，含时区偏移）。")
    place: str | None = strawberry.field(description="Where, in words; null when a venue is given. 地点文字说明；选择场地时可为 null。")
    capacity: int = strawberry.field(description="Seats, 1–10000; later registrations wait. 名额，1–10000；超出者候补。")
    registration_deadline: dt.datetime = strawberry.field(description="Last moment to register. 报名截止时间。")
    enrolled_count: int = strawberry.field(description="Seats taken (the waiting list not included). 已占名额（不含候补）。")
    seats_left: int = strawberry.field(description="Seats still free; 0 when full (new registrations wait). 剩余名额；满员时为 0（新报名进入候补）。")
    model: strawberry.Private[EventModel]

    @classmethod
    def from_model(cls, e: EventModel) -> Event:
        return cls(id=e.id, kind=EventKind(e.kind), audience=EventAudience(e.audience), title_zh=e.title_zh,
                   title_en=e.title_en, description=e.description, starts_at=e.starts_at, ends_at=e.ends_at,
                   place=e.place, capacity=e.capacity, registration_deadline=e.registration_deadline,
                   enrolled_count=e.enrolled_count, seats_left=max(0, e.capacity - e.enrolled_count), model=e)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, EventModel, list(node_ids))]

    @strawberry.field(description="The zone hosting it. 主办试验区。")
    async def host_zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.host_zone_id)

    @strawberry.field(description="The base's venue it takes place in; null when only a place is given. 举办场地；仅填写地点时为 null。")
    async def venue(self, info: Info) -> Venue | None:
        if self.model.venue_id is None:
            return None
        return Venue.from_model(await info.context.loaders.by_id(VenueModel).load(self.model.venue_id))


@strawberry.type(description=("A seat or a place in the queue of an event; seen by its person and the host zone's "
                              "staff. 活动的名额或候补位置；仅报名本人和主办试验区工作人员可见。"))
class EventRegistration(relay.Node):
    id: relay.NodeID[int]
    state: RegistrationState = strawberry.field(description="Seated, waiting or cancelled. 已获名额、候补中或已取消。")
    wait_position: int | None = strawberry.field(description=(
        "Place in the queue (1, 2, …, first come first served) while waiting; null otherwise. 候补顺序号（先到先得），"
        "非候补时为 null。"))
    registered_at: dt.datetime = strawberry.field(description="When the person registered. 报名时间。")
    model: strawberry.Private[RegistrationModel]

    @classmethod
    def from_model(cls, r: RegistrationModel) -> EventRegistration:
        return cls(id=r.id, state=RegistrationState(r.state), wait_position=r.wait_position,
                   registered_at=r.registered_at, model=r)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, RegistrationModel, list(node_ids))]

    @strawberry.field(description="The event. 所报名的活动。")
    async def event(self, info: Info) -> Event:
        return Event.from_model(await info.context.loaders.by_id(EventModel).load(self.model.event_id))

    @strawberry.field(description="The zone the person registered from (for statistics). 报名人所在（操作）试验区（用于统计）。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)


VenueResult = result_union("VenueResult", Venue, *EVERY_FAILURE)
VenueBookingResult = result_union("VenueBookingResult", VenueBooking, *EVERY_FAILURE)
EventResult = result_union("EventResult", Event, *EVERY_FAILURE)
EventRegistrationResult = result_union("EventRegistrationResult", EventRegistration, *EVERY_FAILURE)
VenueConnectionResult = result_union("VenueConnectionResult", Connection[Venue], PermissionDenied, ValidationFailed,
                                     NotFound)
VenueBookingConnectionResult = result_union("VenueBookingConnectionResult", Connection[VenueBooking], PermissionDenied,
                                            ValidationFailed, NotFound)
EventConnectionResult = result_union("EventConnectionResult", Connection[Event], PermissionDenied, ValidationFailed,
                                     NotFound)
EventRegistrationConnectionResult = result_union("EventRegistrationConnectionResult", Connection[EventRegistration],
                                                 PermissionDenied, ValidationFailed, NotFound)
