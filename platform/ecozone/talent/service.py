"""Training services: programmes and sessions (host-zone secretary), enrolment with a waiting
list (members and experts of any zone), attendance, certificates and their public check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.auth.models import User
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    raise_if_invalid,
)
from ecozone.experts.models import ExpertProfile
from ecozone.notifications.service import Message, notify
from ecozone.talent import facts, rules
from ecozone.talent.models import (
    Certificate,
    Enrolment,
    SessionTeacher,
    TrainingProgramme,
    TrainingSession,
)
from ecozone.tenancy.models import Zone


def now() -> dt.datetime:
    """The clock of enrolment deadlines; tests replace it."""
    return utcnow()


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes for timezone-aware columns: they were stored as UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _text(errors: list[FieldError], name: str, value: str | None, limit: int, *, required: bool) -> str | None:
    value = (value or "").strip() or None
    if value is None and required:
        errors.append(FieldError(name, "required", f"{name} is required", f"必须填写 {name}"))
    elif value is not None and len(value) > limit:
        errors.append(FieldError(name, "length", f"at most {limit} characters", f"最多 {limit} 个字符"))
    return value


# --- programmes and sessions (host zone's secretary)

async def get_programme(session: AsyncSession, programme_id: int) -> TrainingProgramme:
    programme = await session.get(TrainingProgramme, programme_id)
    if programme is None:
        raise NotFound(f"training programme {programme_id} not found", f"培训项目 {programme_id} 不存在")
    return programme


async def get_session(session: AsyncSession, session_id: int, *, lock: bool = False) -> TrainingSession:
    stmt = select(TrainingSession).where(TrainingSession.id == session_id)
    if lock:  # PostgreSQL row lock; SQLite serialises writers anyway
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    row = await session.scalar(stmt)
    if row is None:
        raise NotFound(f"training session {session_id} not found", f"培训场次 {session_id} 不存在")
    return row


def _require_host(actor: Actor, programme: TrainingProgramme) -> None:
    if programme.host_zone_id != actor.zone_id:
        raise PermissionDenied("only the host zone's secretary manages this programme",
                               "只有主办试验区的秘书可以管理该培训项目",
                               action="training.manage", object_type="training",
                               object_id=str(programme.id))


async def create_programme(session: AsyncSession, actor: Actor, *, title_zh: str, title_en: str,
                           topic: str, audience: str | None = None, description: str | None = None,
                           completion_rule: str = "all", min_sessions: int | None = None
                           ) -> TrainingProgramme:
    require(actor, "training", "manage")
    errors: list[FieldError] = []
    values = dict(title_zh=_text(errors, "titleZh", title_zh, 200, required=True),
                  title_en=_text(errors, "titleEn", title_en, 300, required=True),
                  topic=_text(errors, "topic", topic, 100, required=True),
                  audience=_text(errors, "audience", audience, 300, required=False),
                  description=_text(errors, "description", description, 10000, required=False))
    errors += [FieldError("completionRule", code, en, zh)
               for code, en, zh in rules.completion_rule_errors(completion_rule, min_sessions)]
    raise_if_invalid(errors)
    programme = TrainingProgramme(host_zone_id=actor.zone_id, completion_rule=completion_rule,
                                  min_sessions=min_sessions if completion_rule == "at_least" else None,
                                  created_by_id=actor.user_id, **values)
    session.add(programme)
    await session.flush()
    await record(session, actor, action="training.create_programme", object_type="training_programme",
                 object_id=programme.id, after={**values, "completionRule": completion_rule,
                                                "minSessions": programme.min_sessions})
    return programme


async def add_session(session: AsyncSession, actor: Actor, *, programme_id: int, title_zh: str,
                      title_en: str, starts_at: dt.datetime, ends_at: dt.datetime, capacity: int,
                      enrolment_deadline: dt.datetime, venue: str | None = None,
                      online_link: str | None = None, teacher_ids: list[int] = ()) -> TrainingSession:
    require(actor, "training", "manage", object_id=programme_id)
    programme = await get_programme(session, programme_id)
    _require_host(actor, programme)
    errors: list[FieldError] = []
    values = dict(title_zh=_text(errors, "titleZh", title_zh, 200, required=True),
                  title_en=_text(errors, "titleEn", title_en, 300, required=True),
                  venue=_text(errors, "venue", venue, 300, required=False),
                  online_link=_text(errors, "onlineLink", online_link, 500, required=False))
    if not values["venue"] and not values["online_link"]:
        errors.append(FieldError("venue", "required", "give a venue or an online link",
                                 "请填写地点或线上链接"))
    if not 1 <= capacity <= 10000:
        errors.append(FieldError("capacity", "range", "capacity must be 1–10000", "名额须为 1–10000"))
    if ends_at < starts_at:
        errors.append(FieldError("endsAt", "order", "the session ends before it starts", "结束时间早于开始时间"))
    if enrolment_deadline > starts_at:
        errors.append(FieldError("enrolmentDeadline", "order", "enrolment must close by the start",
                                 "报名截止时间不得晚于开始时间"))
    teacher_ids = sorted(set(teacher_ids))
    if teacher_ids:
        verified = set((await session.scalars(select(ExpertProfile.id).where(
            ExpertProfile.id.in_(teacher_ids), ExpertProfile.state == "verified"))).all())
        missing = [i for i in teacher_ids if i not in verified]
        if missing:
            errors.append(FieldError("teacherIds", "unverified",
                                     "teachers must be verified experts of the registry",
                                     "授课教师必须是专家库中已审核的专家"))
    raise_if_invalid(errors)
    row = TrainingSession(programme_id=programme.id, starts_at=starts_at, ends_at=ends_at,
                          capacity=capacity, enrolment_deadline=enrolment_deadline,
                          enrolled_count=0, last_wait_seq=0, **values)
    session.add(row)
    await session.flush()
    session.add_all(SessionTeacher(session_id=row.id, expert_id=e) for e in teacher_ids)
    await session.flush()
    await record(session, actor, action="training.add_session", object_type="training_session",
                 object_id=row.id, after={**values, "programmeId": programme.id, "capacity": capacity,
                                          "startsAt": starts_at, "deadline": enrolment_deadline,
                                          "teacherIds": teacher_ids})
    return row


async def list_programmes(session: AsyncSession, *, zone_slug: str | None = None, first: int = 20,
                          after: str | None = None, max_page_size: int = 100) -> Page[TrainingProgramme]:
    stmt = select(TrainingProgramme)
    if zone_slug:  # a filter the viewer asked for, not an access rule: programmes are public
        stmt = stmt.join(Zone, Zone.id == TrainingProgramme.host_zone_id).where(Zone.slug == zone_slug)
    return await paginate(session, stmt, order=(TrainingProgramme.id,), first=first, after=after,
                          max_page_size=max_page_size)


async def list_sessions(session: AsyncSession, *, programme_id: int, first: int = 20,
                        after: str | None = None, max_page_size: int = 100) -> Page[TrainingSession]:
    await get_programme(session, programme_id)
    stmt = select(TrainingSession).where(TrainingSession.programme_id == programme_id)
    return await paginate(session, stmt, order=(TrainingSession.starts_at, TrainingSession.id),
                          first=first, after=after, max_page_size=max_page_size)


# --- enrolment (members and experts of any zone)

async def enrol(session: AsyncSession, actor: Actor, *, session_id: int,
                at: dt.datetime | None = None) -> Enrolment:
    require(actor, "training", "enrol", object_id=session_id)
    training = await get_session(session, session_id)
    if not rules.enrolment_open(at or now(), _aware(training.enrolment_deadline)):
        raise Conflict("enrolment for this session has closed", "该场次报名已截止")
    existing = await session.scalar(select(Enrolment.id).where(
        Enrolment.session_id == session_id, Enrolment.user_id == actor.user_id))
    if existing is not None:
        raise Conflict("you are already enrolled in this session", "您已报名该场次")
    # Take a seat with one conditional UPDATE: concurrent requests queue on the row lock and the
    # loser sees the seat gone, so capacity is never exceeded.
    seated = (await session.execute(
        update(TrainingSession).where(TrainingSession.id == session_id,
                                      TrainingSession.enrolled_count < TrainingSession.capacity)
        .values(enrolled_count=TrainingSession.enrolled_count + 1)
        .returning(TrainingSession.enrolled_count)
        .execution_options(synchronize_session=False))).scalar()
    position = None
    if seated is None:
        position = (await session.execute(
            update(TrainingSession).where(TrainingSession.id == session_id)
            .values(last_wait_seq=TrainingSession.last_wait_seq + 1)
            .returning(TrainingSession.last_wait_seq)
            .execution_options(synchronize_session=False))).scalar_one()
    enrolment = Enrolment(session_id=session_id, user_id=actor.user_id, zone_id=actor.zone_id,
                          state="enrolled" if seated is not None else "waiting", wait_position=position)
    try:
        async with session.begin_nested():
            session.add(enrolment)
            await session.flush()
    except IntegrityError as exc:  # the same user enrolling twice at once
        raise Conflict("you are already enrolled in this session", "您已报名该场次") from exc
    await record(session, actor, action="training.enrol", object_type="training_enrolment",
                 object_id=enrolment.id, after={"sessionId": session_id, "state": enrolment.state,
                                                "waitPosition": position})
    return enrolment


async def _enrolment(session: AsyncSession, enrolment_id: int) -> Enrolment:
    row = await session.get(Enrolment, enrolment_id)
    if row is None:
        raise NotFound(f"enrolment {enrolment_id} not found", f"报名记录 {enrolment_id} 不存在")
    return row


async def withdraw(session: AsyncSession, actor: Actor, *, enrolment_id: int) -> Enrolment:
    """The enrollee withdraws; a freed seat goes to the first on the waiting list, who is told."""
    require(actor, "training", "withdraw", object_id=enrolment_id)
    enrolment = await _enrolment(session, enrolment_id)
    if enrolment.user_id != actor.user_id:
        raise PermissionDenied("only the enrolled person can withdraw", "只有报名本人可以退出",
                               action="training.withdraw", object_type="training",
                               object_id=str(enrolment_id))
    if enrolment.state == "withdrawn":
        raise Conflict("already withdrawn", "已退出")
    training = await get_session(session, enrolment.session_id, lock=True)
    was = enrolment.state
    enrolment.state, enrolment.wait_position, enrolment.changed_at = "withdrawn", None, utcnow()
    promoted = None
    await session.flush()
    if was == "enrolled":
        # The others on the waiting list are not the withdrawing person's to see: one fact past
        # the rule (facts.pass_seat_to_first_waiting), under the session's row lock.
        promoted = await facts.pass_seat_to_first_waiting(session, training.id)
        if promoted is None:
            await session.execute(update(TrainingSession).where(TrainingSession.id == training.id)
                                  .values(enrolled_count=TrainingSession.enrolled_count - 1)
                                  .execution_options(synchronize_session=False))
        # else the seat passes on: the count stays
    await record(session, actor, action="training.withdraw", object_type="training_enrolment",
                 object_id=enrolment.id, before={"state": was},
                 after={"state": "withdrawn", "promotedId": promoted.enrolment_id if promoted else None})
    if promoted is not None:
        programme = await get_programme(session, training.programme_id)
        await notify(session, actor, [promoted.user_id], Message(
            kind="training.promoted", subject_type="training_session", subject_id=training.id,
            title_en=f"A seat is yours: {programme.title_en} — {training.title_en}",
            title_zh=f"候补转正：{programme.title_zh}（{training.title_zh}）"))
    return enrolment


async def my_enrolments(session: AsyncSession, actor: Actor, *, first: int = 20, after: str | None = None,
                        max_page_size: int = 100) -> Page[Enrolment]:
    if not actor.signed_in:
        raise PermissionDenied("sign in first", "请先登录", action="training.read_own", object_type="training")
    # "Mine" is the question asked, not an access rule (the data layer applies
    # Enrolment.visible_to): without it, the host's staff would list every enrolment they run.
    stmt = select(Enrolment).where(Enrolment.user_id == actor.user_id)
    return await paginate(session, stmt, order=(Enrolment.id,), first=first, after=after,
                          max_page_size=max_page_size)


async def session_enrolments(session: AsyncSession, actor: Actor, *, session_id: int, first: int = 20,
                             after: str | None = None, max_page_size: int = 100) -> Page[Enrolment]:
    """Everyone enrolled or waiting: the host zone's secretary only."""
    require(actor, "training", "manage", object_id=session_id)
    training = await get_session(session, session_id)
    _require_host(actor, await get_programme(session, training.programme_id))
    stmt = select(Enrolment).where(Enrolment.session_id == session_id)
    return await paginate(session, stmt, order=(Enrolment.id,), first=first, after=after,
                          max_page_size=max_page_size)


# --- attendance and certificates (host zone's secretary)

async def record_attendance(session: AsyncSession, actor: Actor, *, session_id: int,
                            enrolment_ids: list[int], attended: bool = True) -> list[Enrolment]:
    require(actor, "training", "manage", object_id=session_id)
    training = await get_session(session, session_id)
    _require_host(actor, await get_programme(session, training.programme_id))
    ids = sorted(set(enrolment_ids))
    rows = list((await session.scalars(select(Enrolment).where(
        Enrolment.id.in_(ids), Enrolment.session_id == session_id, Enrolment.state == "enrolled")
        .order_by(Enrolment.id))).all())
    if len(rows) != len(ids):
        raise_if_invalid([FieldError("enrolmentIds", "not_enrolled",
                                     "every attendee must hold a seat in this session",
                                     "出勤人员必须是本场次的正式报名者")])
    for row in rows:
        row.attended = attended
    await session.flush()
    await record(session, actor, action="training.record_attendance", object_type="training_session",
                 object_id=session_id, after={"enrolmentIds": ids, "attended": attended})
    return rows


async def issue_certificates(session: AsyncSession, actor: Actor, *, programme_id: int) -> list[Certificate]:
    """A certificate for each person who completed the programme and has none yet."""
    require(actor, "training", "manage", object_id=programme_id)
    programme = await get_programme(session, programme_id)
    _require_host(actor, programme)
    total = await session.scalar(select(func.count()).select_from(TrainingSession).where(
        TrainingSession.programme_id == programme_id)) or 0
    attended = (await session.execute(
        select(Enrolment.user_id, func.min(Enrolment.zone_id), func.count())
        .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
        .where(TrainingSession.programme_id == programme_id, Enrolment.attended.is_(True),
               Enrolment.state == "enrolled")
        .group_by(Enrolment.user_id).order_by(Enrolment.user_id))).all()
    holders = set((await session.scalars(select(Certificate.user_id).where(
        Certificate.programme_id == programme_id))).all())
    names = {u.id: u.display_name for u in (await session.scalars(select(User).where(
        User.id.in_([row[0] for row in attended])))).all()}
    issued = []
    for user_id, zone_id, count in attended:
        if user_id in holders or not rules.is_complete(programme.completion_rule, programme.min_sessions,
                                                        total, count):
            continue
        issued.append(Certificate(programme_id=programme_id, user_id=user_id, zone_id=zone_id,
                                  code=rules.new_certificate_code(), holder_name=names[user_id],
                                  sessions_attended=count, issued_by_id=actor.user_id))
    session.add_all(issued)
    await session.flush()
    await record(session, actor, action="training.issue_certificates", object_type="training_programme",
                 object_id=programme_id, after={"certificateIds": [c.id for c in issued]})
    for certificate in issued:
        await notify(session, actor, [certificate.user_id], Message(
            kind="training.certificate", subject_type="certificate", subject_id=certificate.id,
            title_en=f"Certificate issued: {programme.title_en}",
            title_zh=f"结业证书已颁发：{programme.title_zh}"))
    return issued


async def my_certificates(session: AsyncSession, actor: Actor, *, first: int = 20, after: str | None = None,
                          max_page_size: int = 100) -> Page[Certificate]:
    if not actor.signed_in:
        raise PermissionDenied("sign in first", "请先登录", action="training.read_own", object_type="training")
    # "Mine" is the question asked; Certificate.visible_to is applied by the data layer.
    return await paginate(session, select(Certificate).where(Certificate.user_id == actor.user_id),
                          order=(Certificate.id,), first=first, after=after, max_page_size=max_page_size)


async def set_name_display(session: AsyncSession, actor: Actor, *, certificate_id: int,
                           display: str) -> Certificate:
    require(actor, "certificate", "set_name_display", object_id=certificate_id)
    certificate = await session.get(Certificate, certificate_id)
    # The host's staff see the certificate too (Certificate.visible_to); only its holder chooses.
    if certificate is None or certificate.user_id != actor.user_id:
        raise NotFound(f"certificate {certificate_id} not found among yours",
                       f"您的证书中没有 {certificate_id}")
    raise_if_invalid([] if display in rules.NAME_DISPLAYS else [FieldError(
        "display", "choice", "display must be full, masked or hidden", "显示方式须为 full、masked 或 hidden")])
    before = certificate.name_display
    certificate.name_display = display
    await session.flush()
    await record(session, actor, action="certificate.set_name_display", object_type="certificate",
                 object_id=certificate.id, before={"display": before}, after={"display": display})
    return certificate


@dataclass(frozen=True)
class Verification:
    code: str
    programme: TrainingProgramme
    issued_at: dt.datetime
    holder_name: str | None
    holder_zone_id: int
    sessions_attended: int


async def verify_certificate(session: AsyncSession, *, code: str) -> Verification:
    """Anyone may check a code: the holder's name shows only as far as the holder allows."""
    canonical = rules.normalize_code(code)
    # The certificate is its holder's and the host's (Certificate.visible_to); the code opens
    # its public facts only, read past the rule by facts.certificate_by_code.
    certificate = None if canonical is None else await facts.certificate_by_code(session, canonical)
    if certificate is None:
        raise NotFound("no certificate has this code", "该验证码不对应任何证书")
    return Verification(code=certificate.code, programme=await get_programme(session, certificate.programme_id),
                        issued_at=certificate.issued_at,
                        holder_name=rules.displayed_name(certificate.holder_name, certificate.name_display),
                        holder_zone_id=certificate.holder_zone_id,
                        sessions_attended=certificate.sessions_attended)

