"""The holiday arrangement loaded as data, pure: the file's validation (every problem, at once) and
working days counted across a holiday from a loaded year (章程 第二十一条), at the bounds."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from ecozone.governance import working_days
from ecozone.governance.calendar_file import CalendarFileInvalid, parse_calendar_file

from tests.governance.calendar_2027 import file_bytes

D = dt.date
TODAY = D(2026, 12, 1)


def loaded(**changes):
    return parse_calendar_file(file_bytes(**changes), filename="holidays-2027.json", today=TODAY)


def test_a_valid_file():
    parsed = loaded()
    assert parsed.arrangement.year == 2027 and parsed.published_on == D(2026, 11, 10)
    assert len(parsed.arrangement.holidays) == 12 and parsed.arrangement.workdays == {D(2027, 1, 31), D(2027, 2, 20)}


@pytest.mark.parametrize(("changes", "where"), [
    ({"year": 2026}, "year"),                                   # the installed calendar covers it
    ({"year": "2027"}, "year"),
    ({"year": True}, "year"),
    ({"year": 1999}, "year"),
    ({"publishedOn": "2026-12-02"}, "publishedOn"),             # after today
    ({"publishedOn": "2024-11-10"}, "publishedOn"),             # too early for 2027
    ({"publishedOn": "10/11/2026"}, "publishedOn"),
    ({"publishedOn": "20261110"}, "publishedOn"),                # ISO basic form is not accepted
    ({"source": ""}, "source"),
    ({"source": "x" * 301}, "source"),
    ({"holidays": []}, "holidays"),
    ({"holidays": "春节"}, "holidays"),
    ({"holidays": [{"nameZh": "春节", "days": ["2027-02-06"]}]}, "holidays[0]"),
    ({"holidays": [{"nameZh": "春节", "nameEn": "Spring", "days": []}]}, "holidays[0].days"),
    ({"holidays": [{"nameZh": "春节", "nameEn": "Spring", "days": ["2028-02-06"]}]}, "holidays[0].days[0]"),
    ({"holidays": [{"nameZh": "春节", "nameEn": "Spring", "days": ["2027-02-30"]}]}, "holidays[0].days[0]"),
    ({"holidays": [{"nameZh": "", "nameEn": "Spring", "days": ["2027-02-06"]}]}, "holidays[0].nameZh"),
    ({"holidays": [{"nameZh": "春节", "nameEn": "Spring", "days": ["2027-02-06", "2027-02-06"]}]},
     "holidays[0].days[1]"),
    ({"workdays": ["2027-02-15"]}, "workdays[0]"),              # a Monday: a make-up day is a weekend day
    ({"workdays": ["2027-02-06"]}, "workdays[0]"),              # a Saturday that is a day off
    ({"workdays": ["2026-12-26"]}, "workdays[0]"),              # another year
    ({"workdays": "2027-02-20"}, "workdays"),
    ({"extra": 1}, "file"),
])
def test_a_malformed_file_is_refused_naming_the_place(changes, where):
    with pytest.raises(CalendarFileInvalid) as refused:
        loaded(**changes)
    places = [p.where for p in refused.value.problems]
    assert where in places, places
    assert all(p.message_en and p.message_zh for p in refused.value.problems)


@pytest.mark.parametrize(("raw", "filename", "where"), [
    (b"\xff\xfe not utf-8", "holidays-2027.json", "file"),
    (b"{not json", "holidays-2027.json", "file"),
    (b"[]", "holidays-2027.json", "file"),
    (json.dumps({"year": 2027}).encode(), "holidays-2027.json", "file"),     # keys missing
    (b" " * (64 * 1024 + 1), "holidays-2027.json", "file"),                  # too large
    (file_bytes(), "holidays-2028.json", "year"),                           # named for another year
])
def test_files_that_are_not_an_arrangement(raw, filename, where):
    with pytest.raises(CalendarFileInvalid) as refused:
        parse_calendar_file(raw, filename=filename, today=TODAY)
    assert where in [p.where for p in refused.value.problems]


def test_every_problem_is_reported_at_once():
    with pytest.raises(CalendarFileInvalid) as refused:
        loaded(source="", workdays=["2027-02-15"], publishedOn="2027-13-01")
    assert {p.where for p in refused.value.problems} == {"source", "workdays[0]", "publishedOn"}


ARRANGED = {2027: loaded().arrangement}


@pytest.mark.parametrize(("meeting_on", "last_allowed"), [
    # Tue 16 Feb, after the Spring Festival (6–14 Feb off): 15, 5, 4, 3, 2 February
    (D(2027, 2, 16), D(2027, 2, 2)),
    # Mon 22 Feb: Sat 20 Feb is worked — 20, 19, 18, 17, 16 February
    (D(2027, 2, 22), D(2027, 2, 16)),
    # Wed 6 Jan: New Year 1–3 Jan off; counting crosses into 2026 (installed calendar): 5, 4 Jan, 31, 30, 29 Dec
    (D(2027, 1, 6), D(2026, 12, 29)),
])
def test_working_days_across_a_holiday_from_a_loaded_year(meeting_on, last_allowed):
    assert working_days.last_agenda_submission_date(meeting_on, 5, ARRANGED) == last_allowed
    assert working_days.agenda_submission_error(last_allowed, meeting_on, 5, ARRANGED) is None
    late = working_days.agenda_submission_error(last_allowed + dt.timedelta(days=1), meeting_on, 5, ARRANGED)
    assert isinstance(late, working_days.LateAgendaItem) and late.last_allowed_on == last_allowed


def test_without_the_loaded_year_the_count_is_refused_not_guessed():
    with pytest.raises(working_days.CalendarYearUnknown):
        working_days.last_agenda_submission_date(D(2027, 2, 16), 5)
    unknown = working_days.agenda_submission_error(D(2027, 2, 1), D(2027, 2, 16), 5)
    assert unknown.errors[0].code == "calendar_unknown" and "ecozone calendar load" in unknown.errors[0].message_en


def test_the_installed_calendar_wins_for_its_years():
    fake_2026 = working_days.Arrangement(year=2026, holidays=frozenset({D(2026, 3, 2)}), workdays=frozenset())
    assert working_days.is_working_day(D(2026, 3, 2), {2026: fake_2026}) is True
