"""Agenda deadlines on the Chinese official calendar (章程第二十一条), table-driven; no database.

The holiday arrangements below are the State Council's, as chinesecalendar 1.11 carries them:
- Spring Festival 2025: off 28 Jan–4 Feb; make-up working days Sun 26 Jan and Sat 8 Feb.
- National Day 2025: off 1–8 Oct; make-up working days Sun 28 Sep and Sat 11 Oct.
- Spring Festival 2026: off 15–23 Feb; make-up working days Sat 14 Feb and Sat 28 Feb.
- National Day 2026: off 1–7 Oct (Mid-autumn Fri 25 Sep off); make-up working days Sun 20 Sep and Sat 10 Oct.
"""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.errors import Conflict, ValidationFailed
from ecozone.governance import working_days as wd

D = dt.date


@pytest.mark.parametrize(("day", "working"), [
    (D(2026, 3, 16), True),    # an ordinary Monday
    (D(2026, 3, 14), False),   # an ordinary Saturday
    (D(2026, 3, 15), False),   # an ordinary Sunday
    (D(2025, 1, 28), False),   # Spring Festival eve, a Tuesday off
    (D(2025, 2, 4), False),    # last day of the 2025 Spring Festival break
    (D(2025, 2, 5), True),     # first day back
    (D(2025, 1, 26), True),    # make-up Sunday
    (D(2025, 2, 8), True),     # make-up Saturday
    (D(2025, 9, 28), True),    # make-up Sunday before National Day
    (D(2025, 10, 8), False),   # Wednesday, still National Day break
    (D(2025, 10, 11), True),   # make-up Saturday
    (D(2026, 2, 14), True),    # make-up Saturday
    (D(2026, 2, 23), False),   # Monday, still Spring Festival break
    (D(2026, 2, 28), True),    # make-up Saturday
    (D(2026, 9, 20), True),    # make-up Sunday
    (D(2026, 9, 25), False),   # Mid-autumn Festival, a Friday
    (D(2026, 10, 7), False),
    (D(2026, 10, 8), True),
    (D(2026, 10, 10), True),   # make-up Saturday
    (D(2026, 12, 31), True),
    (D(2004, 1, 2), True),     # first year with data
])
def test_is_working_day(day, working):
    assert wd.is_working_day(day) is working


def test_a_timestamp_counts_as_its_calendar_day():
    assert wd.is_working_day(dt.datetime(2025, 1, 26, 9, 30)) is True


@pytest.mark.parametrize("day", [D(2027, 1, 4), D(2003, 12, 31), D(2030, 6, 3)])
def test_a_year_without_data_is_unknown_not_guessed(day):
    with pytest.raises(wd.CalendarYearUnknown) as caught:
        wd.is_working_day(day)
    assert caught.value.year == day.year
    assert isinstance(caught.value, ValueError)
    assert f"{day.year}" in str(caught.value) and "2004–2026" in str(caught.value)


def test_the_known_range_comes_from_the_installed_library():
    assert (wd.FIRST_KNOWN_YEAR, wd.LAST_KNOWN_YEAR) == (2004, 2026)


@pytest.mark.parametrize(("meeting_on", "last_allowed"), [
    # ordinary week: Mon meeting → previous Mon (Fri, Thu, Wed, Tue, Mon)
    (D(2026, 3, 16), D(2026, 3, 9)),
    (D(2026, 3, 20), D(2026, 3, 13)),          # Fri meeting → previous Fri
    # Spring Festival 2025
    (D(2025, 2, 5), D(2025, 1, 22)),           # first day back: 27 Jan, make-up Sun 26 Jan, 24, 23, 22 Jan
    (D(2025, 2, 10), D(2025, 1, 27)),          # make-up Sat 8 Feb, 7, 6, 5 Feb, then back over the break to 27 Jan
    (D(2025, 1, 27), D(2025, 1, 21)),          # the make-up Sunday 26 Jan counts: 26, 24, 23, 22, 21
    # National Day 2025
    (D(2025, 9, 29), D(2025, 9, 23)),          # make-up Sun 28 Sep counts
    (D(2025, 10, 9), D(2025, 9, 25)),          # the whole 1–8 Oct break is skipped
    (D(2025, 10, 13), D(2025, 9, 29)),         # make-up Sat 11 Oct, 10, 9 Oct, 30, 29 Sep
    # Spring Festival 2026
    (D(2026, 2, 24), D(2026, 2, 10)),          # make-up Sat 14 Feb, 13, 12, 11, 10 Feb
    (D(2026, 3, 2), D(2026, 2, 24)),           # make-up Sat 28 Feb, 27, 26, 25, 24 Feb
    (D(2026, 2, 16), D(2026, 2, 10)),          # meeting inside the break: 14 (Sat), 13, 12, 11, 10
    # National Day 2026
    (D(2026, 9, 28), D(2026, 9, 20)),          # 25 Sep off; the last allowed day is the make-up Sunday
    (D(2026, 10, 8), D(2026, 9, 23)),          # 30, 29, 28 Sep, 24 Sep, 23 Sep (25 Sep is Mid-autumn)
    (D(2026, 10, 12), D(2026, 9, 29)),         # make-up Sat 10 Oct, 9, 8 Oct, 30, 29 Sep
    # across the turn of the year: the days counted are all in 2026
    (D(2027, 1, 1), D(2026, 12, 25)),
    (D(2026, 1, 5), D(2025, 12, 26)),          # 1–2 Jan 2026 off, make-up Sun 4 Jan counts
])
def test_last_agenda_submission_date(meeting_on, last_allowed):
    assert wd.last_agenda_submission_date(meeting_on) == last_allowed


@pytest.mark.parametrize(("meeting_on", "working_days", "last_allowed"), [
    (D(2026, 3, 16), 1, D(2026, 3, 13)),       # the day before is a Sunday: the Friday
    (D(2026, 3, 17), 1, D(2026, 3, 16)),
    (D(2026, 3, 16), 10, D(2026, 3, 2)),
    (D(2025, 10, 9), 3, D(2025, 9, 28)),       # 30, 29 Sep, then the make-up Sunday 28 Sep
])
def test_other_notice_periods(meeting_on, working_days, last_allowed):
    assert wd.last_agenda_submission_date(meeting_on, working_days) == last_allowed


@pytest.mark.parametrize("working_days", [0, -1, True, 2.0])
def test_a_notice_period_must_be_a_positive_integer(working_days):
    with pytest.raises(ValueError):
        wd.last_agenda_submission_date(D(2026, 3, 16), working_days)


@pytest.mark.parametrize("meeting_on", [D(2027, 1, 4), D(2027, 1, 2), D(2004, 1, 5)])
def test_counting_into_a_year_without_data_raises(meeting_on):
    with pytest.raises(wd.CalendarYearUnknown):
        wd.last_agenda_submission_date(meeting_on)


# ---------------------------------------------------------------------------- the refusal

@pytest.mark.parametrize(("submitted_on", "meeting_on"), [
    (D(2026, 3, 9), D(2026, 3, 16)),           # exactly the fifth working day: allowed
    (D(2026, 3, 2), D(2026, 3, 16)),           # earlier still
    (D(2025, 1, 22), D(2025, 2, 5)),           # Spring Festival 2025, on the last day
    (D(2025, 1, 27), D(2025, 2, 10)),
    (D(2025, 9, 23), D(2025, 9, 29)),
    (D(2025, 9, 29), D(2025, 10, 13)),         # National Day 2025, on the last day
    (D(2026, 2, 10), D(2026, 2, 24)),          # Spring Festival 2026
    (D(2026, 9, 20), D(2026, 9, 28)),          # on the make-up Sunday that is the last allowed day
    (D(2026, 9, 29), D(2026, 10, 12)),         # National Day 2026
    (D(2026, 12, 25), D(2027, 1, 1)),          # a 2027 meeting that needs only 2026 days
    (D(2003, 12, 1), D(2026, 3, 16)),          # the submission's own year needs no data
])
def test_an_agenda_item_in_time_is_allowed(submitted_on, meeting_on):
    assert wd.agenda_submission_error(submitted_on, meeting_on) is None


@pytest.mark.parametrize(("submitted_on", "meeting_on", "last_allowed"), [
    (D(2026, 3, 10), D(2026, 3, 16), D(2026, 3, 9)),     # the day after the fifth working day
    (D(2026, 3, 13), D(2026, 3, 16), D(2026, 3, 9)),
    (D(2026, 3, 15), D(2026, 3, 16), D(2026, 3, 9)),     # the day before the meeting
    (D(2025, 1, 23), D(2025, 2, 5), D(2025, 1, 22)),     # Spring Festival 2025: the day after
    (D(2025, 1, 30), D(2025, 2, 5), D(2025, 1, 22)),     # during the break
    (D(2025, 1, 28), D(2025, 2, 10), D(2025, 1, 27)),
    (D(2025, 9, 24), D(2025, 9, 29), D(2025, 9, 23)),
    (D(2025, 9, 30), D(2025, 10, 13), D(2025, 9, 29)),   # National Day 2025: the day after
    (D(2026, 2, 11), D(2026, 2, 24), D(2026, 2, 10)),    # Spring Festival 2026: the day after
    (D(2026, 2, 25), D(2026, 3, 2), D(2026, 2, 24)),
    (D(2026, 9, 21), D(2026, 9, 28), D(2026, 9, 20)),    # the day after the make-up Sunday
    (D(2026, 9, 30), D(2026, 10, 12), D(2026, 9, 29)),   # National Day 2026: the day after
    (D(2026, 12, 26), D(2027, 1, 1), D(2026, 12, 25)),
])
def test_a_late_agenda_item_is_refused_with_the_last_allowed_date(submitted_on, meeting_on, last_allowed):
    error = wd.agenda_submission_error(submitted_on, meeting_on)
    assert isinstance(error, wd.LateAgendaItem) and isinstance(error, Conflict)
    assert error.code == "agenda_late"
    assert error.last_allowed_on == last_allowed and error.meeting_on == meeting_on
    for message in (error.message_en, error.message_zh):
        assert last_allowed.isoformat() in message and submitted_on.isoformat() in message
    assert "章程第二十一条" in error.message_zh and "五个工作日" in error.message_zh
    assert "Article 21" in error.message_en and "5 working days" in error.message_en


def test_the_message_names_another_notice_period():
    assert wd.agenda_submission_error(D(2026, 3, 16), D(2026, 3, 17), working_days=1) is None
    error = wd.agenda_submission_error(D(2026, 3, 16), D(2026, 3, 18), working_days=3)
    assert error is not None and "三个工作日" in error.message_zh and "3 working days" in error.message_en
    assert "2026-03-13" in error.message_en


@pytest.mark.parametrize(("submitted_on", "meeting_on"), [
    (D(2026, 3, 16), D(2026, 3, 16)),          # on the meeting day
    (D(2026, 3, 17), D(2026, 3, 16)),          # after the meeting
    (D(2027, 3, 1), D(2027, 2, 1)),            # after a meeting in a year without data: no calendar needed
])
def test_an_item_on_or_after_the_meeting_day_is_refused(submitted_on, meeting_on):
    error = wd.agenda_submission_error(submitted_on, meeting_on)
    assert isinstance(error, wd.LateAgendaItem) and error.last_allowed_on is None
    assert meeting_on.isoformat() in error.message_en and meeting_on.isoformat() in error.message_zh
    assert "章程第二十一条" in error.message_zh


@pytest.mark.parametrize(("submitted_on", "meeting_on", "year"), [
    (D(2026, 12, 1), D(2027, 3, 15), 2027),    # a 2027 meeting: the 2027 arrangement is not published
    (D(2026, 12, 1), D(2027, 1, 4), 2027),     # 3 Jan 2027 is already a day to count
    (D(2003, 12, 1), D(2004, 1, 5), 2003),     # counting back into 2003
])
def test_a_year_without_calendar_data_is_reported_not_guessed(submitted_on, meeting_on, year):
    error = wd.agenda_submission_error(submitted_on, meeting_on)
    assert isinstance(error, ValidationFailed)
    [field_error] = error.errors
    assert (field_error.field, field_error.code) == ("meetingOn", "calendar_unknown")
    assert f"{year}" in field_error.message_en and "2004–2026" in field_error.message_en
    assert f"{year} 年" in field_error.message_zh and "2004–2026" in field_error.message_zh
