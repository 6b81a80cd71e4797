"""GraphQL types of talent and training: programmes, sessions, enrolments, certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.experts.models import ExpertProfile
from ecozone.graphql.common import Connection, connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.experts import Expert
from ecozone.graphql.results import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    read,
)
from ecozone.graphql.zones import Zone, load_zone
from ecozone.talent import service
from ecozone.talent.models import Certificate as CertificateModel
from ecozone.talent.models import Enrolment as EnrolmentModel
from ecozone.talent.models import SessionTeacher
from ecozone.talent.models import TrainingProgramme as ProgrammeModel
from ecozone.talent.models import TrainingSession as SessionModel

CompletionRule = strawberry.enum(Enum("CompletionRule", {"ALL": "all", "AT_LEAST": "at_least"}),
                                 description="ALL: every session attended; AT_LEAST: minSessions or more")
EnrolmentState = strawberry.enum(Enum("EnrolmentState", {s.upper(): s for s in ("enrolled", "waiting",
                                                                               "withdrawn")}))
NameDisplay = strawberry.enum(Enum("NameDisplay", {s.upper(): s for s in ("full", "masked", "hidden")}),
                              description="How a certificate check shows the holder: 张三明 / 张*明 / not at all")


@strawberry.type(description="A training programme (培训项目) hosted by one zone, open to all zones.")
class TrainingProgramme(relay.Node):
    id: relay.NodeID[int]
    title_zh: str
    title_en: str
    topic: str
    audience: str | None
    description: str | None
    completion_rule: CompletionRule
    min_sessions: int | None
    created_at: dt.datetime
    model: strawberry.Private[ProgrammeModel]

    @classmethod
    def from_model(cls, p: ProgrammeModel) -> TrainingProgramme:
        return cls(id=p.id, title_zh=p.title_zh, title_en=p.title_en, topic=p.topic, audience=p.audience,
                   description=p.description, completion_rule=CompletionRule(p.completion_rule),
                   min_sessions=p.min_sessions, created_at=p.created_at, model=p)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, ProgrammeModel, list(node_ids))]

    @strawberry.field
    async def host_zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.host_zone_id)

    @strawberry.field(description="Sessions in start order")
    async def sessions(self, info: Info, first: int = 20, after: str | None = None
                       ) -> Annotated[Connection[TrainingSession] | ValidationFailed | NotFound,
                                      strawberry.union("TrainingSessionConnectionResult")]:
        ctx = info.context
        return await read(info, lambda: service.list_sessions(
            ctx.session, programme_id=self.id, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, TrainingSession.from_model))


@strawberry.type(description="One session of a programme: when, where, how many seats, who teaches.")
class TrainingSession(relay.Node):
    id: relay.NodeID[int]
    title_zh: str
    title_en: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str | None
    online_link: str | None
    capacity: int
    enrolment_deadline: dt.datetime
    enrolled_count: int
    seats_left: int
    model: strawberry.Private[SessionModel]

    @classmethod
    def from_model(cls, s: SessionModel) -> TrainingSession:
        return cls(id=s.id, title_zh=s.title_zh, title_en=s.title_en, starts_at=s.starts_at,
                   ends_at=s.ends_at, venue=s.venue, online_link=s.online_link, capacity=s.capacity,
                   enrolment_deadline=s.enrolment_deadline, enrolled_count=s.enrolled_count,
                   seats_left=max(0, s.capacity - s.enrolled_count), model=s)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, SessionModel, list(node_ids))]

    @strawberry.field
    async def programme(self, info: Info) -> TrainingProgramme:
        return TrainingProgramme.from_model(
            await info.context.loaders.by_id(ProgrammeModel).load(self.model.programme_id))

    @strawberry.field(description="Teachers: verified experts of the registry")
    async def teachers(self, info: Info) -> list[Expert]:
        links = await info.context.loaders.grouped(SessionTeacher, "session_id").load(self.id)
        profiles = await info.context.loaders.by_id(ExpertProfile).load_many([t.expert_id for t in links])
        return [Expert.from_model(p, info) for p in profiles if p is not None]


@strawberry.type(description="A seat (or a place on the waiting list) in a session, seen by the person "
                           "and the host zone's staff.")
class Enrolment(relay.Node):
    id: relay.NodeID[int]
    state: EnrolmentState
    wait_position: int | None = strawberry.field(description="Place in the waiting list (FIFO)")
    attended: bool
    enrolled_at: dt.datetime
    model: strawberry.Private[EnrolmentModel]

    @classmethod
    def from_model(cls, e: EnrolmentModel) -> Enrolment:
        return cls(id=e.id, state=EnrolmentState(e.state), wait_position=e.wait_position,
                   attended=e.attended, enrolled_at=e.enrolled_at, model=e)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        """The enrolled person's and the host zone's staff's (Enrolment.visible_to)."""
        return [cls.from_model(r) if r else None for r in await load_nodes(info, EnrolmentModel, list(node_ids))]

    @strawberry.field
    async def session(self, info: Info) -> TrainingSession:
        return TrainingSession.from_model(await info.context.loaders.by_id(SessionModel).load(self.model.session_id))

    @strawberry.field(description="The zone the person enrolled from")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)

    @strawberry.field(description="The person's display name (null if their account is hidden)")
    async def person_name(self, info: Info) -> str | None:
        user = await info.context.loaders.user.load(self.model.user_id)
        return user.display_name if user else None


@strawberry.type(description="A completion certificate (结业证书), seen by its holder and the host zone's staff.")
class Certificate(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Public verification code, e.g. 7K3QD-M9XAF-02HRB-T")
    issued_at: dt.datetime
    name_display: NameDisplay
    sessions_attended: int
    model: strawberry.Private[CertificateModel]

    @classmethod
    def from_model(cls, c: CertificateModel) -> Certificate:
        return cls(id=c.id, code=c.code, issued_at=c.issued_at, name_display=NameDisplay(c.name_display),
                   sessions_attended=c.sessions_attended, model=c)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        """The holder's and the host zone's staff's (Certificate.visible_to)."""
        return [cls.from_model(r) if r else None
                for r in await load_nodes(info, CertificateModel, list(node_ids))]

    @strawberry.field
    async def programme(self, info: Info) -> TrainingProgramme:
        return TrainingProgramme.from_model(
            await info.context.loaders.by_id(ProgrammeModel).load(self.model.programme_id))


@strawberry.type(description="What anyone learns by checking a certificate code.")
class CertificateVerification:
    code: str
    valid: bool
    programme: TrainingProgramme
    issued_at: dt.datetime
    holder_name: str | None = strawberry.field(description="As far as the holder allows; null when hidden")
    sessions_attended: int
    holder_zone_id: strawberry.Private[int]

    @strawberry.field
    async def host_zone(self, info: Info) -> Zone:
        return await load_zone(info, self.programme.model.host_zone_id)

    @strawberry.field
    async def holder_zone(self, info: Info) -> Zone:
        return await load_zone(info, self.holder_zone_id)

    @classmethod
    def of(cls, v: service.Verification) -> CertificateVerification:
        return cls(code=v.code, valid=True, programme=TrainingProgramme.from_model(v.programme),
                   issued_at=v.issued_at, holder_name=v.holder_name, sessions_attended=v.sessions_attended,
                   holder_zone_id=v.holder_zone_id)


@strawberry.type(description="Attendance as recorded")
class AttendanceRecorded:
    enrolments: list[Enrolment]


@strawberry.type(description="The certificates issued now (people who already hold one are skipped)")
class CertificatesIssued:
    certificates: list[Certificate]


def _union(name: str, *types):
    return Annotated[types[0] | PermissionDenied | ValidationFailed | NotFound | Conflict, strawberry.union(name)]


TrainingProgrammeResult = _union("TrainingProgrammeResult", TrainingProgramme)
TrainingSessionResult = _union("TrainingSessionResult", TrainingSession)
EnrolmentResult = _union("EnrolmentResult", Enrolment)
AttendanceResult = _union("AttendanceResult", AttendanceRecorded)
CertificatesIssuedResult = _union("CertificatesIssuedResult", CertificatesIssued)
CertificateResult = _union("CertificateResult", Certificate)
CertificateVerificationResult = Annotated[CertificateVerification | NotFound,
                                          strawberry.union("CertificateVerificationResult")]
EnrolmentConnectionResult = Annotated[Connection[Enrolment] | PermissionDenied | ValidationFailed | NotFound,
                                      strawberry.union("EnrolmentConnectionResult")]
CertificateConnectionResult = Annotated[Connection[Certificate] | PermissionDenied | ValidationFailed,
                                        strawberry.union("CertificateConnectionResult")]
TrainingProgrammeConnectionResult = Annotated[Connection[TrainingProgramme] | ValidationFailed,
                                              strawberry.union("TrainingProgrammeConnectionResult")]
