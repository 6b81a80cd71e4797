"""Talent and training: programmes, sessions, enrolment with a waiting list, attendance,
certificates with a public verification code."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.results import read, run
from ecozone.graphql.talent.bases import TalentBaseMutation, TalentBaseQuery
from ecozone.graphql.talent.types import (
    AttendanceRecorded,
    AttendanceResult,
    Certificate,
    CertificateConnectionResult,
    CertificateResult,
    CertificatesIssued,
    CertificatesIssuedResult,
    CertificateVerification,
    CertificateVerificationResult,
    CompletionRule,
    Enrolment,
    EnrolmentConnectionResult,
    EnrolmentResult,
    NameDisplay,
    TrainingProgramme,
    TrainingProgrammeConnectionResult,
    TrainingProgrammeResult,
    TrainingSession,
    TrainingSessionResult,
)
from ecozone.talent import service


@strawberry.input(description=("A programme hosted by the zone you act in (its secretary). 由所操作试验区主办的培训项目（该区秘书）。"))
class CreateTrainingProgrammeInput:
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    topic: str = strawberry.field(description="Subject taught, e.g. 标准化基础. 培训主题，如“标准化基础”。")
    audience: str | None = strawberry.field(default=None, description="Who it is for; optional. 培训对象；可选。")
    description: str | None = strawberry.field(default=None, description="Longer description; optional. 详细说明；可选。")
    completion_rule: CompletionRule = strawberry.field(default=CompletionRule.ALL, description="What completing takes. 完成条件。")
    min_sessions: int | None = strawberry.field(default=None, description="Sessions to attend, for AT_LEAST; ignored otherwise. 须出勤场次数（AT_LEAST 时）；其他情况忽略。")


@strawberry.input(description="A session of a programme. 培训项目的一个场次。")
class AddTrainingSessionInput:
    programme_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the TrainingProgramme (`TrainingProgramme.id`). 培训项目的全局 ID（"
             "`TrainingProgramme.id`）。"))
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    starts_at: dt.datetime = strawberry.field(description="Start, ISO 8601 with offset. 开始时间，ISO 8601，含时区偏移。")
    ends_at: dt.datetime = strawberry.field(description="End, not before the start. 结束时间，不早于开始时间。")
    capacity: int = strawberry.field(description=("Seats, 1–10000; later enrolments wait. 名额，1–10000；超出者候补。"))
    enrolment_deadline: dt.datetime = strawberry.field(description="Last moment to enrol, not after the start. 报名截止时间，不晚于开始时间。")
    venue: str | None = strawberry.field(default=None, description="Where it takes place; give a venue or an online link (or both). 地点；地点和线上链接至少填写一项。")
    online_link: str | None = strawberry.field(default=None, description="Link to attend online; give a venue or an online link (or both). 线上参加链接；地点和线上链接至少填写一项。")
    teacher_ids: list[relay.GlobalID] = strawberry.field(default_factory=list,
                                                         description="Teachers: verified experts (`Expert.id`). 授课专家：已核验专家（`Expert.id`）。")


@strawberry.input(description="Enrol in a session. 报名培训场次。")
class EnrolInTrainingSessionInput:
    session_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the TrainingSession (`TrainingSession.id`). 培训场次的全局 ID（"
             "`TrainingSession.id`）。"))


@strawberry.input(description="Withdraw an enrolment. 撤回报名。")
class WithdrawEnrolmentInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Enrolment (`Enrolment.id`). 报名的全局 ID（`Enrolment.id`）。"))


@strawberry.input(description="Attendance of some enrolments of a session. 登记某场次部分报名的出勤。")
class RecordAttendanceInput:
    session_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the TrainingSession (`TrainingSession.id`). 培训场次的全局 ID（"
             "`TrainingSession.id`）。"))
    enrolment_ids: list[relay.GlobalID] = strawberry.field(description="The enrolments (`Enrolment.id`) to record. 要登记的报名（`Enrolment.id`）。")
    attended: bool = strawberry.field(default=True, description="True: attended; false: absent. true 为出勤，false 为缺勤。")


@strawberry.input(description="Issue the certificates of a programme. 颁发培训项目证书。")
class IssueCertificatesInput:
    programme_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the TrainingProgramme (`TrainingProgramme.id`). 培训项目的全局 ID（"
             "`TrainingProgramme.id`）。"))


@strawberry.input(description="How a public check of your certificate shows your name. 公开核验本人证书时姓名的显示方式。")
class SetCertificateNameDisplayInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Certificate (`Certificate.id`). 证书的全局 ID（`Certificate.id`）。"))
    display: NameDisplay = strawberry.field(description="Full, masked or hidden. 全名、部分隐藏或不显示。")


@strawberry.type
class TalentQuery(TalentBaseQuery):
    @strawberry.field(description=("Training programmes of every zone (public, 办法 第四条(七)), optionally of one host "
             "zone. 各试验区的培训项目（公开，办法 第四条(七)），可按主办试验区筛选。"))
    async def training_programmes(self, info: Info, zone: Annotated[str | None, strawberry.argument(description="Only programmes hosted by this zone (slug). 仅该试验区（slug）主办的项目。")] = None, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                                  after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> TrainingProgrammeConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.list_programmes(
            ctx.session, zone_slug=zone, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, TrainingProgramme.from_model))

    @strawberry.field(description="One programme by ID (public); NotFound if none. 按 ID 获取培训项目（公开）；不存在时返回 NotFound。")
    async def training_programme(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description=(
             "Global ID of the TrainingProgramme (`TrainingProgramme.id`). 培训项目的全局 ID（"
             "`TrainingProgramme.id`）。"))]) -> TrainingProgrammeResult:
        return await read(info, lambda: service.get_programme(info.context.session,
                                                              decode_id(id, "TrainingProgramme")),
                          TrainingProgramme.from_model)

    @strawberry.field(description=("Everyone enrolled or waiting in a session; the host zone's secretary only. 某期培训的"
             "全部报名和候补；仅主办试验区秘书可查看。"))
    async def training_session_enrolments(self, info: Info, session_id: Annotated[relay.GlobalID, strawberry.argument(description=(
             "Global ID of the TrainingSession (`TrainingSession.id`). 培训场次的全局 ID（"
             "`TrainingSession.id`）。"))], first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 50,
                                          after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> EnrolmentConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.session_enrolments(
            ctx.session, ctx.actor, session_id=decode_id(session_id, "TrainingSession", "sessionId"),
            first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, Enrolment.from_model))

    @strawberry.field(description="The signed-in user's enrolments. 登录用户本人的报名。")
    async def my_enrolments(self, info: Info, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None
                            ) -> EnrolmentConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.my_enrolments(
            ctx.session, ctx.actor, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, Enrolment.from_model))

    @strawberry.field(description="The signed-in user's certificates. 登录用户本人的证书。")
    async def my_certificates(self, info: Info, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None
                              ) -> CertificateConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.my_certificates(
            ctx.session, ctx.actor, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, Certificate.from_model))

    @strawberry.field(description=("Anyone: check a certificate code (dashes and case do not matter); NotFound for "
             "an unknown code. 任何人：核验证书编号（不区分连字符和大小写）；未知编号返回 NotFound。"))
    async def verify_certificate(self, info: Info, code: Annotated[str, strawberry.argument(description=(
             "The code printed on the certificate, e.g. 7K3QD-M9XAF-02HRB-T. 证书上的编号，如 "
             "7K3QD-M9XAF-02HRB-T。"))]) -> CertificateVerificationResult:
        return await read(info, lambda: service.verify_certificate(info.context.session, code=code),
                          CertificateVerification.of)


@strawberry.type
class TalentMutation(TalentBaseMutation):
    @strawberry.mutation(description=("Secretary of the acting zone: a programme hosted by that zone. 所操作试验区秘书：创建本区主办的培"
             "训项目。"))
    async def create_training_programme(self, info: Info, input: Annotated[CreateTrainingProgrammeInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                        ) -> TrainingProgrammeResult:
        ctx = info.context
        return await run(info, lambda: service.create_programme(
            ctx.session, ctx.actor, title_zh=input.title_zh, title_en=input.title_en, topic=input.topic,
            audience=input.audience, description=input.description,
            completion_rule=input.completion_rule.value, min_sessions=input.min_sessions),
            TrainingProgramme.from_model)

    @strawberry.mutation(description=("Host zone's secretary: a session with its capacity and teachers. 主办试验区秘书：新增培训场次（"
             "含名额和授课专家）。"))
    async def add_training_session(self, info: Info, input: Annotated[AddTrainingSessionInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> TrainingSessionResult:
        ctx = info.context

        async def call():
            return await service.add_session(
                ctx.session, ctx.actor, programme_id=decode_id(input.programme_id, "TrainingProgramme",
                                                               "programmeId"),
                title_zh=input.title_zh, title_en=input.title_en, starts_at=input.starts_at,
                ends_at=input.ends_at, capacity=input.capacity, enrolment_deadline=input.enrolment_deadline,
                venue=input.venue, online_link=input.online_link,
                teacher_ids=[decode_id(t, "Expert", "teacherIds") for t in input.teacher_ids])
        return await run(info, call, TrainingSession.from_model)

    @strawberry.mutation(description=("A member or expert of any zone enrols: a seat, or a place on the waiting list "
             "when full. 任何试验区的成员或专家报名：获得名额，满员时进入候补。"))
    async def enrol_in_training_session(self, info: Info, input: Annotated[EnrolInTrainingSessionInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                        ) -> EnrolmentResult:
        ctx = info.context
        return await run(info, lambda: service.enrol(
            ctx.session, ctx.actor, session_id=decode_id(input.session_id, "TrainingSession", "sessionId")),
            Enrolment.from_model)

    @strawberry.mutation(description=("Withdraw your enrolment; the first on the waiting list takes the seat. 撤回本人报名；候补"
             "第一位递补。"))
    async def withdraw_enrolment(self, info: Info, input: Annotated[WithdrawEnrolmentInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> EnrolmentResult:
        ctx = info.context
        return await run(info, lambda: service.withdraw(
            ctx.session, ctx.actor, enrolment_id=decode_id(input.id, "Enrolment")), Enrolment.from_model)

    @strawberry.mutation(description=("Host zone's secretary: who attended a session. 主办试验区秘书：登记出勤。"))
    async def record_attendance(self, info: Info, input: Annotated[RecordAttendanceInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> AttendanceResult:
        ctx = info.context

        async def call():
            return await service.record_attendance(
                ctx.session, ctx.actor, session_id=decode_id(input.session_id, "TrainingSession", "sessionId"),
                enrolment_ids=[decode_id(e, "Enrolment", "enrolmentIds") for e in input.enrolment_ids],
                attended=input.attended)
        return await run(info, call, lambda rows: AttendanceRecorded(
            enrolments=[Enrolment.from_model(r) for r in rows]))

    @strawberry.mutation(description=("Host zone's secretary: certificates for everyone who completed the programme. 主办"
             "试验区秘书：为完成培训者颁发证书。"))
    async def issue_certificates(self, info: Info, input: Annotated[IssueCertificatesInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CertificatesIssuedResult:
        ctx = info.context
        return await run(info, lambda: service.issue_certificates(
            ctx.session, ctx.actor, programme_id=decode_id(input.programme_id, "TrainingProgramme",
                                                           "programmeId")),
            lambda rows: CertificatesIssued(certificates=[Certificate.from_model(c) for c in rows]))

    @strawberry.mutation(description=("The holder chooses how a public check shows their name. 证书持有人设置公开核验时姓名的显示方式。"))
    async def set_certificate_name_display(self, info: Info, input: Annotated[SetCertificateNameDisplayInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                           ) -> CertificateResult:
        ctx = info.context
        return await run(info, lambda: service.set_name_display(
            ctx.session, ctx.actor, certificate_id=decode_id(input.id, "Certificate"),
            display=input.display.value), Certificate.from_model)
