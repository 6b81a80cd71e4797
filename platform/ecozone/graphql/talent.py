"""Talent and training: programmes, sessions, enrolment with a waiting list, attendance,
certificates with a public verification code."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.results import read, run
from ecozone.graphql.talent_bases import TalentBaseMutation, TalentBaseQuery
from ecozone.graphql.talent_types import (
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


@strawberry.input(description="A programme hosted by the zone you act in (its secretary).")
class CreateTrainingProgrammeInput:
    title_zh: str
    title_en: str
    topic: str
    audience: str | None = None
    description: str | None = None
    completion_rule: CompletionRule = CompletionRule.ALL
    min_sessions: int | None = strawberry.field(default=None, description="For AT_LEAST")


@strawberry.input
class AddTrainingSessionInput:
    programme_id: relay.GlobalID
    title_zh: str
    title_en: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    enrolment_deadline: dt.datetime
    venue: str | None = None
    online_link: str | None = None
    teacher_ids: list[relay.GlobalID] = strawberry.field(default_factory=list,
                                                         description="Verified experts (Expert IDs)")


@strawberry.input
class EnrolInTrainingSessionInput:
    session_id: relay.GlobalID


@strawberry.input
class WithdrawEnrolmentInput:
    id: relay.GlobalID


@strawberry.input
class RecordAttendanceInput:
    session_id: relay.GlobalID
    enrolment_ids: list[relay.GlobalID]
    attended: bool = True


@strawberry.input
class IssueCertificatesInput:
    programme_id: relay.GlobalID


@strawberry.input
class SetCertificateNameDisplayInput:
    id: relay.GlobalID
    display: NameDisplay


@strawberry.type
class TalentQuery(TalentBaseQuery):
    @strawberry.field(description="Training programmes of every zone (public), optionally of one host zone")
    async def training_programmes(self, info: Info, zone: str | None = None, first: int = 20,
                                  after: str | None = None) -> TrainingProgrammeConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.list_programmes(
            ctx.session, zone_slug=zone, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, TrainingProgramme.from_model))

    @strawberry.field
    async def training_programme(self, info: Info, id: relay.GlobalID) -> TrainingProgrammeResult:
        return await read(info, lambda: service.get_programme(info.context.session,
                                                              decode_id(id, "TrainingProgramme")),
                          TrainingProgramme.from_model)

    @strawberry.field(description="Everyone enrolled or waiting in a session: the host zone's secretary")
    async def training_session_enrolments(self, info: Info, session_id: relay.GlobalID, first: int = 50,
                                          after: str | None = None) -> EnrolmentConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.session_enrolments(
            ctx.session, ctx.actor, session_id=decode_id(session_id, "TrainingSession", "sessionId"),
            first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, Enrolment.from_model))

    @strawberry.field(description="The signed-in user's enrolments")
    async def my_enrolments(self, info: Info, first: int = 20, after: str | None = None
                            ) -> EnrolmentConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.my_enrolments(
            ctx.session, ctx.actor, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, Enrolment.from_model))

    @strawberry.field(description="The signed-in user's certificates")
    async def my_certificates(self, info: Info, first: int = 20, after: str | None = None
                              ) -> CertificateConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.my_certificates(
            ctx.session, ctx.actor, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, Certificate.from_model))

    @strawberry.field(description="Anyone: check a certificate code (dashes and case do not matter)")
    async def verify_certificate(self, info: Info, code: str) -> CertificateVerificationResult:
        return await read(info, lambda: service.verify_certificate(info.context.session, code=code),
                          CertificateVerification.of)


@strawberry.type
class TalentMutation(TalentBaseMutation):
    @strawberry.mutation(description="Secretary: a programme hosted by the acting zone")
    async def create_training_programme(self, info: Info, input: CreateTrainingProgrammeInput
                                        ) -> TrainingProgrammeResult:
        ctx = info.context
        return await run(info, lambda: service.create_programme(
            ctx.session, ctx.actor, title_zh=input.title_zh, title_en=input.title_en, topic=input.topic,
            audience=input.audience, description=input.description,
            completion_rule=input.completion_rule.value, min_sessions=input.min_sessions),
            TrainingProgramme.from_model)

    @strawberry.mutation(description="Host zone's secretary: a session with its capacity and teachers")
    async def add_training_session(self, info: Info, input: AddTrainingSessionInput) -> TrainingSessionResult:
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

    @strawberry.mutation(description="Member or expert of any zone: a seat, or a place on the waiting list")
    async def enrol_in_training_session(self, info: Info, input: EnrolInTrainingSessionInput
                                        ) -> EnrolmentResult:
        ctx = info.context
        return await run(info, lambda: service.enrol(
            ctx.session, ctx.actor, session_id=decode_id(input.session_id, "TrainingSession", "sessionId")),
            Enrolment.from_model)

    @strawberry.mutation(description="Withdraw; the first on the waiting list takes the seat")
    async def withdraw_enrolment(self, info: Info, input: WithdrawEnrolmentInput) -> EnrolmentResult:
        ctx = info.context
        return await run(info, lambda: service.withdraw(
            ctx.session, ctx.actor, enrolment_id=decode_id(input.id, "Enrolment")), Enrolment.from_model)

    @strawberry.mutation(description="Host zone's secretary: who attended a session")
    async def record_attendance(self, info: Info, input: RecordAttendanceInput) -> AttendanceResult:
        ctx = info.context

        async def call():
            return await service.record_attendance(
                ctx.session, ctx.actor, session_id=decode_id(input.session_id, "TrainingSession", "sessionId"),
                enrolment_ids=[decode_id(e, "Enrolment", "enrolmentIds") for e in input.enrolment_ids],
                attended=input.attended)
        return await run(info, call, lambda rows: AttendanceRecorded(
            enrolments=[Enrolment.from_model(r) for r in rows]))

    @strawberry.mutation(description="Host zone's secretary: certificates for everyone who completed")
    async def issue_certificates(self, info: Info, input: IssueCertificatesInput) -> CertificatesIssuedResult:
        ctx = info.context
        return await run(info, lambda: service.issue_certificates(
            ctx.session, ctx.actor, programme_id=decode_id(input.programme_id, "TrainingProgramme",
                                                           "programmeId")),
            lambda rows: CertificatesIssued(certificates=[Certificate.from_model(c) for c in rows]))

    @strawberry.mutation(description="The holder: how a public check shows their name")
    async def set_certificate_name_display(self, info: Info, input: SetCertificateNameDisplayInput
                                           ) -> CertificateResult:
        ctx = info.context
        return await run(info, lambda: service.set_name_display(
            ctx.session, ctx.actor, certificate_id=decode_id(input.id, "Certificate"),
            display=input.display.value), Certificate.from_model)
