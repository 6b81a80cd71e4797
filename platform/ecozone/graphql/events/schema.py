"""Events and venues: queries and mutations (thin: parse, call one service, map)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.events import service, venues
from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.events.args import After, First, Input, ZoneSlug, gid
from ecozone.graphql.events.types import (
    Event,
    EventAudience,
    EventConnectionResult,
    EventKind,
    EventRegistration,
    EventRegistrationConnectionResult,
    EventRegistrationResult,
    EventResult,
    Venue,
    VenueBooking,
    VenueBookingConnectionResult,
    VenueBookingResult,
    VenueConnectionResult,
    VenueKind,
    VenueResult,
)
from ecozone.graphql.results import read, run


@strawberry.input(description="A venue or piece of equipment of the acting zone's base. 所操作试验区基地的场地或设备。")
class CreateVenueInput:
    kind: VenueKind = strawberry.field(description="Room or equipment. 场地或设备。")
    name_zh: str = strawberry.field(description="Name in Chinese. 中文名称。")
    name_en: str = strawberry.field(description="Name in English. 英文名称。")
    location: str | None = strawberry.field(default=None, description="Where it is; optional. 所在位置；可选。")
    seats: int | None = strawberry.field(default=None, description="Seats of a room, 1–100000; optional. 座位数，1–100000；可选。")


@strawberry.input(description="Book whole half hours of a venue of the acting zone. 预订所操作试验区场地的若干整半小时。")
class BookVenueInput:
    venue_id: relay.GlobalID = strawberry.field(description=gid("Venue"))
    starts_at: dt.datetime = strawberry.field(description="Start, on the hour or half past. 开始时间，整点或半点。")
    ends_at: dt.datetime = strawberry.field(description="End, after the start, on the hour or half past; at most 14 days later. 结束时间，晚于开始时间，整点或半点；最长 14 天。")
    purpose: str = strawberry.field(description="What it is for, e.g. 科普讲座. 用途，如“科普讲座”。")
    event_id: relay.GlobalID | None = strawberry.field(default=None, description="The event it is for, hosted by the venue's zone; optional. 所服务的活动（须由场地所属试验区主办）；可选。")


@strawberry.input(description="Cancel a booking (the person who booked, or the zone's staff). 取消预订（预订人或本区工作人员）。")
class CancelVenueBookingInput:
    id: relay.GlobalID = strawberry.field(description=gid("VenueBooking"))


@strawberry.input(description="An event hosted by the acting zone (its staff). 由所操作试验区主办的活动（该区工作人员）。")
class CreateEventInput:
    kind: EventKind = strawberry.field(description="What kind of event. 活动类型。")
    audience: EventAudience = strawberry.field(description="Who may register. 报名范围。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    starts_at: dt.datetime = strawberry.field(description="Start. 开始时间。")
    ends_at: dt.datetime = strawberry.field(description="End, after the start. 结束时间，晚于开始时间。")
    capacity: int = strawberry.field(description="Seats, 1–10000; later registrations wait. 名额，1–10000；超出者候补。")
    registration_deadline: dt.datetime = strawberry.field(description="Last moment to register, not after the start. 报名截止时间，不晚于开始时间。")
    description: str | None = strawberry.field(default=None, description="Longer description; optional. 详细说明；可选。")
    venue_id: relay.GlobalID | None = strawberry.field(default=None, description="A venue of the host zone; give a venue or a place. 主办试验区的场地；场地与地点至少填写一项。")
    place: str | None = strawberry.field(default=None, description="Where, in words; give a venue or a place. 地点文字；场地与地点至少填写一项。")


@strawberry.input(description="Register for an event. 报名参加活动。")
class RegisterForEventInput:
    event_id: relay.GlobalID = strawberry.field(description=gid("Event"))


@strawberry.input(description="Cancel your registration. 取消本人报名。")
class CancelEventRegistrationInput:
    id: relay.GlobalID = strawberry.field(description=gid("EventRegistration"))


@strawberry.type
class EventsQuery:
    @strawberry.field(description=("Events of every zone in start order (public, 办法 第四条(六)), optionally of one zone "
                                   "or kind. 各试验区的活动，按开始时间排序（公开，办法 第四条(六)），可按试验区或类型筛选。"))
    async def events(self, info: Info, zone: ZoneSlug = None,
                     kind: Annotated[EventKind | None, strawberry.argument(description="Only this kind. 仅该类型。")] = None,
                     first: First = 20, after: After = None) -> EventConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.list_events(
            ctx.session, zone_slug=zone, kind=kind.value if kind else None, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size), lambda page: connection(page, Event.from_model))

    @strawberry.field(description="One event by ID (public); NotFound if none. 按 ID 获取活动（公开）；不存在时返回 NotFound。")
    async def event(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description=gid("Event"))]
                    ) -> EventResult:
        return await read(info, lambda: service.get_event(info.context.session, decode_id(id, "Event")),
                          Event.from_model)

    @strawberry.field(description=("Everyone registered or waiting for an event; the host zone's staff only. 活动的全部"
                                   "报名和候补；仅主办试验区工作人员可查看。"))
    async def event_registrations(self, info: Info, event_id: Annotated[relay.GlobalID, strawberry.argument(
            description=gid("Event"))], first: First = 50, after: After = None) -> EventRegistrationConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.event_registrations(
            ctx.session, ctx.actor, event_id=decode_id(event_id, "Event", "eventId"), first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size), lambda page: connection(page, EventRegistration.from_model))

    @strawberry.field(description="The signed-in user's event registrations. 登录用户本人的活动报名。")
    async def my_event_registrations(self, info: Info, first: First = 20, after: After = None
                                     ) -> EventRegistrationConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.my_registrations(
            ctx.session, ctx.actor, first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, EventRegistration.from_model))

    @strawberry.field(description="Venues and equipment of the bases (public), optionally of one zone. 各基地的场地和设备（公开），可按试验区筛选。")
    async def venues(self, info: Info, zone: ZoneSlug = None, first: First = 20, after: After = None
                     ) -> VenueConnectionResult:
        ctx = info.context
        return await read(info, lambda: venues.list_venues(
            ctx.session, zone_slug=zone, first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, Venue.from_model))

    @strawberry.field(description=("A venue's bookings in time order, for the people acting in its zone (others see an "
                                   "empty list). 场地的预订，按时间排序；仅场地所属试验区的人员可见（其他人得到空列表）。"))
    async def venue_bookings(self, info: Info, venue_id: Annotated[relay.GlobalID, strawberry.argument(
            description=gid("Venue"))], first: First = 50, after: After = None) -> VenueBookingConnectionResult:
        ctx = info.context
        return await read(info, lambda: venues.venue_bookings(
            ctx.session, ctx.actor, venue_id=decode_id(venue_id, "Venue", "venueId"), first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size), lambda page: connection(page, VenueBooking.from_model))


@strawberry.type
class EventsMutation:
    @strawberry.mutation(description="Staff of the acting zone: register a venue or equipment of its base. 所操作试验区工作人员：登记本区基地的场地或设备。")
    async def create_venue(self, info: Info, input: Annotated[CreateVenueInput, strawberry.argument(description=Input)]
                           ) -> VenueResult:
        ctx = info.context
        return await run(info, lambda: venues.create_venue(
            ctx.session, ctx.actor, kind=input.kind.value, name_zh=input.name_zh, name_en=input.name_en,
            location=input.location, seats=input.seats), Venue.from_model)

    @strawberry.mutation(description=("People of the venue's zone book half hours of it; a slot already held is a "
                                      "Conflict (one booking wins a race). 场地所属试验区人员按半小时预订；时段已被占用时返回 "
                                      "Conflict（并发时只有一个预订成功）。"))
    async def book_venue(self, info: Info, input: Annotated[BookVenueInput, strawberry.argument(description=Input)]
                         ) -> VenueBookingResult:
        ctx = info.context

        async def call():
            return await venues.book_venue(
                ctx.session, ctx.actor, venue_id=decode_id(input.venue_id, "Venue", "venueId"),
                starts_at=input.starts_at, ends_at=input.ends_at, purpose=input.purpose,
                event_id=decode_id(input.event_id, "Event", "eventId") if input.event_id else None)
        return await run(info, call, VenueBooking.from_model)

    @strawberry.mutation(description="Cancel a booking; its half hours are free again. 取消预订，相应时段重新可订。")
    async def cancel_venue_booking(self, info: Info, input: Annotated[CancelVenueBookingInput, strawberry.argument(
            description=Input)]) -> VenueBookingResult:
        ctx = info.context
        return await run(info, lambda: venues.cancel_booking(
            ctx.session, ctx.actor, booking_id=decode_id(input.id, "VenueBooking")), VenueBooking.from_model)

    @strawberry.mutation(description="Staff of the acting zone: announce an event it hosts. 所操作试验区工作人员：发布本区主办的活动。")
    async def create_event(self, info: Info, input: Annotated[CreateEventInput, strawberry.argument(description=Input)]
                           ) -> EventResult:
        ctx = info.context

        async def call():
            return await service.create_event(
                ctx.session, ctx.actor, kind=input.kind.value, audience=input.audience.value,
                title_zh=input.title_zh, title_en=input.title_en, starts_at=input.starts_at, ends_at=input.ends_at,
                capacity=input.capacity, registration_deadline=input.registration_deadline,
                description=input.description, place=input.place,
                venue_id=decode_id(input.venue_id, "Venue", "venueId") if input.venue_id else None)
        return await run(info, call, Event.from_model)

    @strawberry.mutation(description=("Register: a seat, or the next place in the queue when full. 报名：获得名额，满员时"
                                      "按先后进入候补。"))
    async def register_for_event(self, info: Info, input: Annotated[RegisterForEventInput, strawberry.argument(
            description=Input)]) -> EventRegistrationResult:
        ctx = info.context
        return await run(info, lambda: service.register(
            ctx.session, ctx.actor, event_id=decode_id(input.event_id, "Event", "eventId")),
            EventRegistration.from_model)

    @strawberry.mutation(description=("Cancel your registration; the first in the queue takes the seat and is told. "
                                      "取消本人报名；候补第一位递补并收到通知。"))
    async def cancel_event_registration(self, info: Info, input: Annotated[CancelEventRegistrationInput,
                                        strawberry.argument(description=Input)]) -> EventRegistrationResult:
        ctx = info.context
        return await run(info, lambda: service.cancel_registration(
            ctx.session, ctx.actor, registration_id=decode_id(input.id, "EventRegistration")),
            EventRegistration.from_model)
