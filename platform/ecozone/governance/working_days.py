"""Working days on the Chinese official calendar, for 章程第二十一条 (agenda items “提前五个工作日”).

The State Council's yearly holiday arrangement moves days around: public holidays are off even on
weekdays, and make-up working days (调休) are worked even on Saturdays and Sundays. The maintained
``chinesecalendar`` package carries those arrangements; a year it does not know yet can be loaded
by an operator as data (``ecozone calendar load FILE``, :mod:`ecozone.governance.calendar`) and is
passed here as an :class:`Arrangement`; a year known to neither is reported as unknown, never guessed
from weekends alone. The installed package wins for the years it covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import chinese_calendar

from ecozone.errors import Conflict, DomainError, FieldError, ValidationFailed

ARTICLE_ZH = "章程第二十一条"
ARTICLE_EN = "Council Charter, Article 21"
DEFAULT_WORKING_DAYS = 5

# The years the installed calendar data covers (2004–2026 in chinesecalendar 1.11).
FIRST_KNOWN_YEAR = min(day.year for day in chinese_calendar.holidays)
LAST_KNOWN_YEAR = max(day.year for day in chinese_calendar.holidays)

_ZH_NUMERALS = "零一二三四五六七八九十"


class CalendarYearUnknown(ValueError):
    """The installed calendar has no holiday arrangement for ``year`` (not published yet, or too old)."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"the Chinese working-day calendar has no data for {year}: the installed chinesecalendar "
            f"covers {FIRST_KNOWN_YEAR}–{LAST_KNOWN_YEAR}")


@dataclass(frozen=True)
class Arrangement:
    """One year's official arrangement: days off on weekdays (holidays) and weekend days worked (调休)."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


Loaded = Mapping[int, Arrangement]
NO_LOADED: Loaded = {}


class LateAgendaItem(Conflict):
    """An agenda item submitted after the last allowed day (or not before the meeting at all)."""

    code = "agenda_late"

    def __init__(self, message_en: str, message_zh: str, *, meeting_on: dt.date,
                 last_allowed_on: dt.date | None):
        super().__init__(message_en, message_zh)
        self.meeting_on = meeting_on
        self.last_allowed_on = last_allowed_on


def is_working_day(day: dt.date, loaded: Loaded = NO_LOADED) -> bool:
    """True on a working day: weekdays that are not public holidays, plus make-up working days.

    The installed calendar for the years it covers, else the arrangement ``loaded`` for that year."""
    if isinstance(day, dt.datetime):  # a timestamp's calendar day, as the caller's clock shows it
        day = day.date()
    if not FIRST_KNOWN_YEAR <= day.year <= LAST_KNOWN_YEAR:
        if day.year in loaded:
            return loaded[day.year].is_working_day(day)
        raise CalendarYearUnknown(day.year)
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # the library's own range check, should it differ from ours
        raise CalendarYearUnknown(day.year) from None


def last_agenda_submission_date(meeting_on: dt.date, working_days: int = DEFAULT_WORKING_DAYS,
                                loaded: Loaded = NO_LOADED) -> dt.date:
    """The last day an agenda item may be submitted for a meeting on ``meeting_on``.

    “提前五个工作日”: the fifth working day counting back from the day before the meeting (the
    meeting day itself is not counted). Submitting on that day is allowed, any later day is not.
    Raises CalendarYearUnknown when a day to be counted falls in a year without calendar data.
    """
    if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 1:
        raise ValueError(f"working_days must be a positive integer, not {working_days!r}")  # a bug
    day, counted = meeting_on, 0
    while counted < working_days:
        day -= dt.timedelta(days=1)
        if is_working_day(day, loaded):
            counted += 1
    return day


def _in_zh(n: int) -> str:
    return _ZH_NUMERALS[n] if 0 <= n <= 10 else str(n)


def agenda_submission_error(submitted_on: dt.date, meeting_on: dt.date,
                            working_days: int = DEFAULT_WORKING_DAYS, loaded: Loaded = NO_LOADED
                            ) -> DomainError | None:
    """Why an agenda item submitted on ``submitted_on`` is refused for the meeting, or None if allowed.

    - on or after the meeting day: LateAgendaItem (a Conflict) without a last allowed date;
    - after the last allowed day: LateAgendaItem naming that day (YYYY-MM-DD) and 章程第二十一条;
    - a day to count has no calendar data: ValidationFailed on ``meetingOn`` saying so.
    """
    if submitted_on >= meeting_on:
        return LateAgendaItem(
            f"agenda items are submitted before the meeting: the meeting is on {meeting_on.isoformat()}, "
            f"this item was submitted on {submitted_on.isoformat()} ({ARTICLE_EN})",
            f"议题须在会议召开前提交：会议日期为 {meeting_on.isoformat()}，本议题提交于 "
            f"{submitted_on.isoformat()}（{ARTICLE_ZH}）",
            meeting_on=meeting_on, last_allowed_on=None)
    try:
        last_allowed = last_agenda_submission_date(meeting_on, working_days, loaded)
    except CalendarYearUnknown as exc:
        return ValidationFailed(errors=[FieldError(
            "meetingOn", "calendar_unknown",
            f"cannot count {working_days} working days before {meeting_on.isoformat()}: the official "
            f"holiday arrangement for {exc.year} is not in the installed calendar (it covers "
            f"{FIRST_KNOWN_YEAR}–{LAST_KNOWN_YEAR}) nor loaded: an operator loads it with "
            f"`ecozone calendar load FILE` once the State Council publishes it",
            f"无法计算 {meeting_on.isoformat()} 之前的{_in_zh(working_days)}个工作日：已安装的日历尚无 "
            f"{exc.year} 年的法定节假日安排（仅含 {FIRST_KNOWN_YEAR}–{LAST_KNOWN_YEAR} 年），"
            f"也未导入：请在国务院公布安排后由运维人员执行 `ecozone calendar load 文件` 导入")])
    if submitted_on <= last_allowed:
        return None
    return LateAgendaItem(
        f"agenda items must be submitted at least {working_days} working days before the meeting on "
        f"{meeting_on.isoformat()}: the last allowed date was {last_allowed.isoformat()}, this item was "
        f"submitted on {submitted_on.isoformat()} ({ARTICLE_EN})",
        f"议题须提前{_in_zh(working_days)}个工作日提交：{meeting_on.isoformat()} 召开的会议，议题最迟应于 "
        f"{last_allowed.isoformat()} 提交，本议题提交于 {submitted_on.isoformat()}，已逾期（{ARTICLE_ZH}）",
        meeting_on=meeting_on, last_allowed_on=last_allowed)
