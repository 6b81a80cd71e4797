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
from ecozone.graphql.experts.types import Expert
from ecozone.graphql.results import (
    EVERY_FAILURE,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    read,
    result_union,
)
from ecozone.graphql.zones import Zone, load_zone
from ecozone.talent import service
from ecozone.talent.models import Certificate as CertificateModel
from ecozone.talent.models import Enrolment as EnrolmentModel
from ecozone.talent.models import SessionTeacher
from ecozone.talent.models import TrainingProgramme as ProgrammeModel
from ecozone.talent.models import TrainingSession as SessionModel

CompletionRule = strawberry.enum(Enum("CompletionRule", {"ALL": "all", "AT_LEAST": "at_least"}),
                                 description=("ALL: every session attended; AT_LEAST: `minSessions` or more. ALL：全部场次出勤；AT_LEAST：至少"
         " `minSessions` 场。"))
EnrolmentState = strawberry.enum(Enum("EnrolmentState", {s.upper(): s for s in ("enrolled", "waiting",
                                                                               "withdrawn")}), description="ENROLLED 已获名额 · WAITING 候补中 · WITHDRAWN 已撤回. 报名状态。")
NameDisplay = strawberry.enum(Enum("NameDisplay", {s.upper(): s for s in ("full", "masked", "hidden")}),
                              description=("How a certificate check shows the holder: FULL 张三明 / MASKED 张*明 / HIDDEN not at "
         "all. 证书核验时持有人姓名的显示方式：全名 / 部分隐藏 / 不显示。"))


@strawberry.type(description=("A training programme hosted by one zone, open to all zones (public). 由某一试验区主办、面向所有试验"
         "区的培训项目（公开）。"))
class TrainingProgramme(relay.Node):
    id: relay.NodeID[int]
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    topic: str = strawberry.field(description="Subject taught. 培训主题。")
    audience: str | None = strawberry.field(description=("Who it is for; null if not given. 培训对象；未填写时为 null。"))
    description: str | None = strawberry.field(description="Longer description; null if not given. 详细说明；未填写时为 null。")
    completion_rule: CompletionRule = strawberry.field(description="What completing takes. 完成条件。")
    min_sessions: int | None = strawberry.field(description="Sessions to attend for AT_LEAST; null for ALL. AT_LEAST 时须出勤场次数；ALL 时为 null。")
    created_at: dt.datetime = strawberry.field(description="When it was created (ISO 8601 with offset). 创建时间（ISO 8601，含时区偏移）。")
    model: strawberry.Private[ProgrammeModel]

    @classmethod
    def from_model(cls, p: ProgrammeModel) -> TrainingProgramme:
        return cls(id=p.id, title_zh=p.title_zh, title_en=p.title_en, topic=p.topic, audience=p.audience,
                   description=p.description, completion_rule=CompletionRule(p.completion_rule),
                   min_sessions=p.min_sessions, created_at=p.created_at, model=p)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, ProgrammeModel, list(node_ids))]

    @strawberry.field(description="The zone hosting it. 主办试验区。")
    async def host_zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.host_zone_id)

    @strawberry.field(description="Sessions in start order. 培训场次，按开始时间排序。")
    async def sessions(self, info: Info, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None
                       ) -> TrainingSessionConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.list_sessions(
            ctx.session, programme_id=self.id, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, TrainingSession.from_model))


@strawberry.type(description=("One session of a programme: when, where, how many seats, who teaches (public). 培训项目的"
         "一个场次：时间、地点、名额、授课人（公开）。"))
class TrainingSession(relay.Node):
    id: relay.NodeID[int]
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    starts_at: dt.datetime = strawberry.field(description="Start (ISO 8601 with offset). 开始时间（ISO 8601，含时区偏移）。")
    ends_at: dt.datetime = strawberry.field(description=("End (ISO 8601 with offset). 结束时间（ISO 8601，含时区偏移）。"))
    venue: str | None = strawberry.field(description=("Where it takes place; null if not given. 地点；未填写时为 null。"))
    online_link: str | None = strawberry.field(description="Link to attend online; null if none. 线上参加链接；无则为 null。")
    capacity: int = strawberry.field(description="Seats. 名额。")
    enrolment_deadline: dt.datetime = strawberry.field(description="Last moment to enrol. 报名截止时间。")
    enrolled_count: int = strawberry.field(description=("Seats taken (waiting list not included). 已占名额（不含候补）。"))
    seats_left: int = strawberry.field(description=("Seats still free; 0 when full (new enrolments wait). 剩余名额；满员时为 0（新报名进入候补）。"))
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

    @strawberry.field(description="The programme. 所属培训项目。")
    async def programme(self, info: Info) -> TrainingProgramme:
        return TrainingProgramme.from_model(
            await info.context.loaders.by_id(ProgrammeModel).load(self.model.programme_id))

    @strawberry.field(description="Teachers: verified experts of the registry. 授课人：专家库中的已核验专家。")
    async def teachers(self, info: Info) -> list[Expert]:
        links = await info.context.loaders.grouped(SessionTeacher, "session_id").load(self.id)
        profiles = await info.context.loaders.by_id(ExpertProfile).load_many([t.expert_id for t in links])
        return [Expert.from_model(p, info) for p in profiles if p is not None]


@strawberry.type(description=("A seat (or a place on the waiting list) in a session, seen by the person and the "
         "host zone's staff. 某场次的名额（或候补位置），本人和主办试验区工作人员可见。"))
class Enrolment(relay.Node):
    id: relay.NodeID[int]
    state: EnrolmentState = strawberry.field(description="Enrolled, waiting or withdrawn. 已获名额、候补中或已撤回。")
    wait_position: int | None = strawberry.field(description=(
             "Place in the waiting list (first in, first served); null unless waiting. 候补顺序（先到先得）；非候补时为 null。"))
    attended: bool = strawberry.field(description="Whether attendance was recorded. 是否已登记出勤。")
    enrolled_at: dt.datetime = strawberry.field(description="When the person enrolled. 报名时间。")
    model: strawberry.Private[EnrolmentModel]

    @classmethod
    def from_model(cls, e: EnrolmentModel) -> Enrolment:
        return cls(id=e.id, state=EnrolmentState(e.state), wait_position=e.wait_position,
                   attended=e.attended, enrolled_at=e.enrolled_at, model=e)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        """The enrolled person's and the host zone's staff's (Enrolment.visible_to)."""
        return [cls.from_model(r) if r else None for r in await load_nodes(info, EnrolmentModel, list(node_ids))]

    @strawberry.field(description="The session. 培训场次。")
    async def session(self, info: Info) -> TrainingSession:
        return TrainingSession.from_model(await info.context.loaders.by_id(SessionModel).load(self.model.session_id))

    @strawberry.field(description="The zone the person enrolled from. 报名人所在试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)

    @strawberry.field(description=("The person's display name; null if their account is hidden from the viewer. 报名人姓"
             "名；其账户对查看者不可见时为 null。"))
    async def person_name(self, info: Info) -> str | None:
        user = await info.context.loaders.user.load(self.model.user_id)
        return user.display_name if user else None


@strawberry.type(description=("A training certificate, seen by its holder and the host zone's staff; anyone can "
         "check its code with `verifyCertificate`. 培训证书，持有人和主办试验区工作人员可见；任何人可用 "
         "`verifyCertificate` 核验编号。"))
class Certificate(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description=("Public verification code, e.g. 7K3QD-M9XAF-02HRB-T. 公开核验编号，如 "
             "7K3QD-M9XAF-02HRB-T。"))
    issued_at: dt.datetime = strawberry.field(description="When it was issued. 颁发时间。")
    name_display: NameDisplay = strawberry.field(description="How a public check shows the holder's name. 公开核验时持有人姓名的显示方式。")
    sessions_attended: int = strawberry.field(description="Sessions the holder attended. 持有人出勤场次数。")
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

    @strawberry.field(description="The programme completed. 完成的培训项目。")
    async def programme(self, info: Info) -> TrainingProgramme:
        return TrainingProgramme.from_model(
            await info.context.loaders.by_id(ProgrammeModel).load(self.model.programme_id))


@strawberry.type(description=("What anyone learns by checking a certificate code. 任何人核验证书编号可得到的信息。"))
class CertificateVerification:
    code: str = strawberry.field(description="The code, normalised. 证书编号（规范化后）。")
    valid: bool = strawberry.field(description=("True for a certificate issued and not revoked. 证书是否有效（已颁发且未撤销）。"))
    programme: TrainingProgramme = strawberry.field(description="The programme completed. 完成的培训项目。")
    issued_at: dt.datetime = strawberry.field(description="When it was issued. 颁发时间。")
    holder_name: str | None = strawberry.field(description=(
             "The holder's name as far as they allow (full or masked); null when hidden. 持有人姓名"
             "（按其设置显示全名或部分隐藏）；不显示时为 null。"))
    sessions_attended: int = strawberry.field(description="Sessions the holder attended. 持有人出勤场次数。")
    holder_zone_id: strawberry.Private[int]

    @strawberry.field(description="The zone that hosted the programme. 主办试验区。")
    async def host_zone(self, info: Info) -> Zone:
        return await load_zone(info, self.programme.model.host_zone_id)

    @strawberry.field(description="The holder's home zone. 持有人所属试验区。")
    async def holder_zone(self, info: Info) -> Zone:
        return await load_zone(info, self.holder_zone_id)

    @classmethod
    def of(cls, v: service.Verification) -> CertificateVerification:
        return cls(code=v.code, valid=True, programme=TrainingProgramme.from_model(v.programme),
                   issued_at=v.issued_at, holder_name=v.holder_name, sessions_attended=v.sessions_attended,
                   holder_zone_id=v.holder_zone_id)


@strawberry.type(description="Attendance as recorded. 已登记的出勤。")
class AttendanceRecorded:
    enrolments: list[Enrolment] = strawberry.field(description="The enrolments recorded, as they are now. 已登记的报名（当前状态）。")


@strawberry.type(description=("The certificates issued now (people who already hold one are skipped). 本次颁发的证书（已持证者跳"
         "过）。"))
class CertificatesIssued:
    certificates: list[Certificate] = strawberry.field(description="The new certificates. 新颁发的证书。")


TrainingProgrammeResult = result_union("TrainingProgrammeResult", TrainingProgramme, *EVERY_FAILURE)
TrainingSessionResult = result_union("TrainingSessionResult", TrainingSession, *EVERY_FAILURE)
TrainingSessionConnectionResult = result_union("TrainingSessionConnectionResult", Connection[TrainingSession],
                                               ValidationFailed, NotFound)
EnrolmentResult = result_union("EnrolmentResult", Enrolment, *EVERY_FAILURE)
AttendanceResult = result_union("AttendanceResult", AttendanceRecorded, *EVERY_FAILURE)
CertificatesIssuedResult = result_union("CertificatesIssuedResult", CertificatesIssued, *EVERY_FAILURE)
CertificateResult = result_union("CertificateResult", Certificate, *EVERY_FAILURE)
CertificateVerificationResult = result_union("CertificateVerificationResult", CertificateVerification, NotFound)
EnrolmentConnectionResult = result_union("EnrolmentConnectionResult", Connection[Enrolment], PermissionDenied,
                                         ValidationFailed, NotFound)
CertificateConnectionResult = result_union("CertificateConnectionResult", Connection[Certificate], PermissionDenied,
                                           ValidationFailed)
TrainingProgrammeConnectionResult = result_union("TrainingProgrammeConnectionResult", Connection[TrainingProgramme],
                                                 ValidationFailed)
