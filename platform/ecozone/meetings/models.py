"""Joint meetings: a series (its RRULE), invitations by zone and person, the meetings it
expands to, attendance, materials, decisions, follow-up items, calendar feed tokens.

Visibility (README "Joint meetings", ``visible_to``): a meeting is seen by the participating
zones' staff (the host's and the invited zones' director and secretary, acting in that zone)
and by the people invited by name, until the host publishes its minutes; then by everyone.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    exists,
    false,
    or_,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped, utcnow


def _participant(scope, series_id):
    """The viewer takes part in series ``series_id``: staff acting in the host or an invited
    zone, or a person invited by name. Over aliases of the plain tables, so the data layer's
    criteria for those tables do not nest into this one."""
    clauses = []
    series = MeetingSeries.__table__.alias("seen_meeting_series")
    invitations = MeetingInvitation.__table__.alias("seen_meeting_invitation")
    if scope.zone_staff and scope.zone_id is not None:
        clauses.append(exists().where(series.c.id == series_id, series.c.host_zone_id == scope.zone_id))
        clauses.append(exists().where(invitations.c.series_id == series_id,
                                      invitations.c.zone_id == scope.zone_id))
    if scope.user_id is not None:
        clauses.append(exists().where(invitations.c.series_id == series_id,
                                      invitations.c.user_id == scope.user_id))
    return or_(*clauses) if clauses else false()


def _meeting_seen(scope, meeting_id):
    meetings = JointMeeting.__table__.alias("seen_joint_meeting")
    return exists().where(meetings.c.id == meeting_id,
                          or_(meetings.c.minutes_published_at.is_not(None),
                              _participant(scope, meetings.c.series_id)))


class MeetingSeries(ViewerScoped, Timestamped, Base):
    """A meeting or a regular series of them (its RFC 5545 rule), hosted by one zone."""

    __tablename__ = "meeting_series"
    __table_args__ = (Index("ix_meeting_series_host_zone_id_first_start", "host_zone_id", "first_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    host_zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    kind: Mapped[str] = mapped_column(String(16))  # rules.KINDS
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(300))
    online_link: Mapped[str | None] = mapped_column(String(500))
    first_start: Mapped[dt.datetime]
    duration_minutes: Mapped[int] = mapped_column(Integer)
    time_zone: Mapped[str] = mapped_column(String(64))
    recurrence: Mapped[str | None] = mapped_column(String(200))  # RRULE value; None: one meeting
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, scope):
        """Seen by its participants, and by everyone once minutes of one of its meetings are
        published (the series' title and schedule are then part of the public record)."""
        if scope.bypass:
            return true()
        meetings = JointMeeting.__table__.alias("seen_series_meeting")
        return or_(exists().where(meetings.c.series_id == cls.id,
                                  meetings.c.minutes_published_at.is_not(None)),
                   _participant(scope, cls.id))


class MeetingInvitation(ViewerScoped, Base):
    """A zone (its staff and people) or one person invited to every meeting of a series."""

    __tablename__ = "meeting_invitations"
    __table_args__ = (UniqueConstraint("series_id", "zone_id"), UniqueConstraint("series_id", "user_id"),
                      CheckConstraint("(zone_id IS NULL) <> (user_id IS NULL)", name="zone_or_person"),
                      Index("ix_meeting_invitations_user_id", "user_id"),
                      Index("ix_meeting_invitations_zone_id", "zone_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("meeting_series.id", ondelete="CASCADE"), index=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # For a person: the zone they come for (the inviting staff's zone).
    for_zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invited_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @classmethod
    def visible_to(cls, scope):
        if scope.bypass:
            return true()
        meetings = JointMeeting.__table__.alias("seen_invitation_meeting")
        return or_(exists().where(meetings.c.series_id == cls.series_id,
                                  meetings.c.minutes_published_at.is_not(None)),
                   _participant(scope, cls.series_id))


class JointMeeting(ViewerScoped, Base):
    """One meeting of a series (an occurrence of its rule): attendance, materials, minutes."""

    __tablename__ = "joint_meetings"
    __table_args__ = (UniqueConstraint("series_id", "sequence"),
                      Index("ix_joint_meetings_starts_at", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("meeting_series.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)  # 1, 2, … in time order
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    minutes_summary: Mapped[str | None] = mapped_column(Text)
    minutes_updated_at: Mapped[dt.datetime | None]
    minutes_published_at: Mapped[dt.datetime | None]
    minutes_published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, scope):
        if scope.bypass:
            return true()
        return or_(cls.minutes_published_at.is_not(None), _participant(scope, cls.series_id))


class _SeenWithMeeting(ViewerScoped):
    """A row of one meeting: seen exactly when its meeting is."""

    @classmethod
    def visible_to(cls, scope):
        if scope.bypass:
            return true()
        return _meeting_seen(scope, cls.meeting_id)


class MeetingAttendance(_SeenWithMeeting, Base):
    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("joint_meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))  # the zone they attended for
    present: Mapped[bool]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MeetingMaterial(_SeenWithMeeting, Base):
    __tablename__ = "meeting_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("joint_meetings.id", ondelete="CASCADE"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))  # the zone that tabled it
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MeetingDecision(_SeenWithMeeting, Base):
    """A decision recorded in the minutes (会议议定事项), numbered from 1."""

    __tablename__ = "meeting_decisions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("joint_meetings.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)


class MeetingFollowUp(_SeenWithMeeting, Base):
    """Work a decision gives to one participating zone, with a due date and a state."""

    __tablename__ = "meeting_follow_ups"
    __table_args__ = (Index("ix_meeting_follow_ups_zone_id_state", "zone_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("joint_meetings.id", ondelete="CASCADE"), index=True)
    decision_number: Mapped[int | None] = mapped_column(Integer)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))  # the zone it is assigned to
    title_zh: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(500))
    due_on: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="open")  # rules.FOLLOW_UP_STATES
    state_changed_at: Mapped[dt.datetime | None]
    state_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CalendarFeedToken(ViewerScoped, Base):
    """A person's secret for their calendar feed URL: only its SHA-256 is kept, so a copy of
    the database opens no feed; revoked by setting ``revoked_at`` (a new one replaces it)."""

    __tablename__ = "calendar_feed_tokens"
    __table_args__ = (Index("ix_calendar_feed_tokens_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]

    @classmethod
    def visible_to(cls, scope):
        if scope.bypass:
            return true()
        return cls.user_id == scope.user_id if scope.user_id is not None else false()


__all__ = ["CalendarFeedToken", "JointMeeting", "MeetingAttendance", "MeetingDecision", "MeetingFollowUp",
           "MeetingInvitation", "MeetingMaterial", "MeetingSeries"]
