"""The council (理事会) of one zone: member units, officers, meetings, motions, minutes.

Every table but one is zone-private (each zone runs its own council, 章程): the data layer
scopes it to the acting zone and PostgreSQL row-level security enforces it again.
``CouncilPublication`` is the exception by design: what the charter says is disclosed
(minutes and resolutions, 第三十条) is copied there when published, readable by anyone, and
never changes afterwards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, and_, or_
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ZonePrivate, utcnow


class MemberUnit(ZonePrivate, Timestamped, Base):
    """A legal entity on the council (第十条); its representative is its head (第十一条)."""

    __tablename__ = "council_member_units"
    __table_args__ = (UniqueConstraint("zone_id", "uscc"),
                      Index("ix_council_member_units_zone_id_state_name_zh", "zone_id", "state", "name_zh"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300))
    uscc: Mapped[str] = mapped_column(String(18))  # unified social credit code, normalised
    unit_type: Mapped[str] = mapped_column(String(32))
    # The unit's head (主要负责人) represents it; a delegate (委托) only until the head changes.
    head_name: Mapped[str] = mapped_column(String(100))
    head_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    delegate_name: Mapped[str | None] = mapped_column(String(100))
    delegate_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(16))  # applicant | active | rejected | exited
    applied_on: Mapped[dt.date]
    joined_on: Mapped[dt.date | None]
    exited_on: Mapped[dt.date | None]
    # Latest attendance / vote / agenda item; comments and projects are looked up by user.
    last_activity_on: Mapped[dt.date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def representative_name(self) -> str:
        return self.delegate_name or self.head_name

    @property
    def representative_user_id(self) -> int | None:
        return self.delegate_user_id if self.delegate_name else self.head_user_id

    @classmethod
    def represented_by(cls, user_id: int):
        """SQL for ``representative_user_id == user_id``: the delegate if one is named, else the head."""
        return or_(and_(cls.delegate_name.is_not(None), cls.delegate_user_id == user_id),
                   and_(cls.delegate_name.is_(None), cls.head_user_id == user_id))


class UnitDecision(ZonePrivate, Base):
    """A recorded decision on a unit: admission, rejection or exit (第十条, 第十四条)."""

    __tablename__ = "council_unit_decisions"
    __table_args__ = (Index("ix_council_unit_decisions_zone_id_member_unit_id", "zone_id", "member_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_unit_id: Mapped[int] = mapped_column(ForeignKey("council_member_units.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(16))  # admit | reject | exit
    decided_on: Mapped[dt.date]
    motion_id: Mapped[int | None] = mapped_column(ForeignKey("council_motions.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Officer(ZonePrivate, Timestamped, Base):
    """A person holding a council office for a 3-year term (第五条, 第七条, 第十五条)."""

    __tablename__ = "council_officers"
    __table_args__ = (Index("ix_council_officers_zone_id_state_office", "zone_id", "state", "office"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_unit_id: Mapped[int] = mapped_column(ForeignKey("council_member_units.id"))
    person_name: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    birth_date: Mapped[dt.date]
    office: Mapped[str] = mapped_column(String(32))  # rules.OFFICES
    term_start: Mapped[dt.date]
    term_end: Mapped[dt.date]
    # "ended" once a decision ended the office (第七条); otherwise "serving", and where the officer stands
    # on a day (elect / serving / ended) follows from the dates: rules.officer_standing.
    state: Mapped[str] = mapped_column(String(16), default="serving")
    # The last day in office: set by a decision, or scheduled when a successor's term is elected.
    ended_on: Mapped[dt.date | None]
    elected_by_motion_id: Mapped[int | None] = mapped_column(ForeignKey("council_motions.id"))
    ended_by_motion_id: Mapped[int | None] = mapped_column(ForeignKey("council_motions.id"))
    # The base director is appointed by the chair on behalf of the council (办法 第八条).
    appointed_by_officer_id: Mapped[int | None] = mapped_column(ForeignKey("council_officers.id"))


class Meeting(ZonePrivate, Timestamped, Base):
    """A general meeting (第十八条) or an ad hoc one (第二十条)."""

    __tablename__ = "council_meetings"
    __table_args__ = (Index("ix_council_meetings_zone_id_meets_on", "zone_id", "meets_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # general | ad_hoc
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    meets_on: Mapped[dt.date]
    venue: Mapped[str | None] = mapped_column(String(300))
    voting_mode: Mapped[str] = mapped_column(String(16), default="in_person")  # in_person | written | online
    # Written or online voting needs the chair's approval (第二十二条).
    chair_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    chair_approved_at: Mapped[dt.datetime | None]
    proposed_by_council: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(16), default="called")  # called | in_session | cancelled | closed
    # The quorum as found when the meeting opened (第二十二条), kept for the record.
    opened_at: Mapped[dt.datetime | None]
    present_at_opening: Mapped[int | None]
    members_at_opening: Mapped[int | None]
    vice_chairs_at_opening: Mapped[int | None]
    called_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class MeetingProposer(ZonePrivate, Base):
    """A member unit proposing an ad hoc meeting (第二十条: at least 1/3 of the units)."""

    __tablename__ = "council_meeting_proposers"
    __table_args__ = (UniqueConstraint("meeting_id", "member_unit_id"),
                      Index("ix_council_meeting_proposers_zone_id_meeting_id", "zone_id", "meeting_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meetings.id", ondelete="CASCADE"))
    member_unit_id: Mapped[int] = mapped_column(ForeignKey("council_member_units.id"))


class AgendaItem(ZonePrivate, Timestamped, Base):
    """A topic submitted at least five working days before the meeting (第二十一条)."""

    __tablename__ = "council_agenda_items"
    __table_args__ = (Index("ix_council_agenda_items_zone_id_meeting_id", "zone_id", "meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meetings.id", ondelete="CASCADE"))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    member_unit_id: Mapped[int | None] = mapped_column(ForeignKey("council_member_units.id"))
    submitted_on: Mapped[dt.date]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Attendance(ZonePrivate, Base):
    """Whether a member unit was present at a meeting, and who came for it."""

    __tablename__ = "council_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_unit_id"),
                      Index("ix_council_attendance_zone_id_meeting_id", "zone_id", "meeting_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meetings.id", ondelete="CASCADE"))
    member_unit_id: Mapped[int] = mapped_column(ForeignKey("council_member_units.id"))
    present: Mapped[bool]
    attendee_name: Mapped[str | None] = mapped_column(String(100))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Motion(ZonePrivate, Timestamped, Base):
    """A resolution put to the vote: ordinary (第二十二条) or a major matter (第二十三条)."""

    __tablename__ = "council_motions"
    __table_args__ = (Index("ix_council_motions_zone_id_meeting_id", "zone_id", "meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meetings.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("council_agenda_items.id"))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    text: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # ordinary | major
    state: Mapped[str] = mapped_column(String(16), default="proposed")  # proposed | voting | passed | failed
    # The count, fixed when the vote closes (counts and the rule are shown with every result).
    yes_count: Mapped[int | None]
    no_count: Mapped[int | None]
    abstain_count: Mapped[int | None]
    present_count: Mapped[int | None]
    members_count: Mapped[int | None]
    counted_at: Mapped[dt.datetime | None]


class CouncilVote(ZonePrivate, Base):
    """One member unit's vote on a motion (recorded by the secretariat, or cast online)."""

    __tablename__ = "council_votes"
    __table_args__ = (UniqueConstraint("motion_id", "member_unit_id"),
                      Index("ix_council_votes_zone_id_motion_id", "zone_id", "motion_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("council_motions.id", ondelete="CASCADE"))
    member_unit_id: Mapped[int] = mapped_column(ForeignKey("council_member_units.id"))
    choice: Mapped[str] = mapped_column(String(8))  # yes | no | abstain
    cast_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cast_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Minutes(ZonePrivate, Timestamped, Base):
    """The record of a meeting's discussion and resolutions, archived (第二十一条)."""

    __tablename__ = "council_minutes"
    __table_args__ = (UniqueConstraint("meeting_id"),
                      Index("ix_council_minutes_zone_id_meeting_id", "zone_id", "meeting_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meetings.id", ondelete="CASCADE"))
    discussion: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="draft")  # draft | published
    published_at: Mapped[dt.datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CouncilPublication(Timestamped, Base):
    """The disclosed minutes and resolutions of one meeting (第三十条): public, immutable.

    A shared table with an owning ``zone_id`` (not row-level fenced): it holds only what the
    charter says is public, copied at publication time.
    """

    __tablename__ = "council_publications"
    __table_args__ = (UniqueConstraint("zone_id", "meeting_id"),
                      Index("ix_council_publications_zone_id_meets_on", "zone_id", "meets_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    meeting_id: Mapped[int] = mapped_column()  # the private meeting's id, for reference only
    kind: Mapped[str] = mapped_column(String(16))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    meets_on: Mapped[dt.date]
    discussion: Mapped[str] = mapped_column(Text)
    # {"present": n, "members": n, "viceChairsPresent": n} at the opening
    attendance: Mapped[dict[str, Any]] = mapped_column(JSON)
    # [{"titleZh", "titleEn", "kind", "passed", "yes", "no", "abstain", "base", "needed",
    #   "ruleZh", "ruleEn"}] — counts only, never who voted how
    resolutions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DocumentInvitation(ZonePrivate, Base):
    """A member unit invited to comment on one of the base's documents (the seed's 征求意见函).

    When a document has invitations, only the invited units' representatives (and the
    secretariat, recording comments received by letter) may comment on it.
    """

    __tablename__ = "council_document_invitations"
    __table_args__ = (UniqueConstraint("document_id", "member_unit_id"),
                      Index("ix_council_document_invitations_zone_id_document_id", "zone_id", "document_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("consulted_documents.id", ondelete="CASCADE"))
    member_unit_id: Mapped[int] = mapped_column(ForeignKey("council_member_units.id"))


class CalendarYear(Timestamped, Base):
    """One year's official holiday arrangement loaded by an operator (``ecozone calendar load``) for a
    year the installed ``chinesecalendar`` does not cover yet (章程 第二十一条 counts working days).

    National, so shared by every zone; the app only reads it.
    """

    __tablename__ = "calendar_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    published_on: Mapped[dt.date]  # the date of the State Council's notice
    source: Mapped[str] = mapped_column(String(300))
    holidays: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{"nameZh", "nameEn", "days": [ISO]}]
    workdays: Mapped[list[str]] = mapped_column(JSON)  # make-up working days (调休), ISO dates
    sha256: Mapped[str] = mapped_column(String(64))  # of the file loaded
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CouncilTask(ZonePrivate, Timestamped, Base):
    """A task a passed motion assigns to a member unit or an officer, with a due date (章程 第九条(二),
    第十三条(三)); the chair and the secretary-general watch what is overdue (第十六条(三))."""

    __tablename__ = "council_tasks"
    __table_args__ = (Index("ix_council_tasks_zone_id_state_due_on", "zone_id", "state", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("council_motions.id"))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    # exactly one of the two: the unit (第十三条(三)) or the officer the task is given to
    member_unit_id: Mapped[int | None] = mapped_column(ForeignKey("council_member_units.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("council_officers.id"))
    due_on: Mapped[dt.date]
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | done
    done_on: Mapped[dt.date | None]
    report: Mapped[str | None] = mapped_column(Text)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class UnitRating(ZonePrivate, Timestamped, Base):
    """A member unit's performance over one year as the secretariat assessed it (章程 第十四条(一):
    “连续两年表现较差” is a reason to leave)."""

    __tablename__ = "council_unit_ratings"
    __table_args__ = (UniqueConstraint("member_unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_unit_id: Mapped[int] = mapped_column(ForeignKey("council_member_units.id"))
    year: Mapped[int]
    rating: Mapped[str] = mapped_column(String(16))  # good | fair | poor
    note: Mapped[str | None] = mapped_column(Text)
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
