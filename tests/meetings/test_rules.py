"""Pure joint-meeting rules, table-driven: the recurrence rule at its bounds and every refusal,
its expansion in local time, durations, time zones, follow-up states, minutes, attendance."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.meetings import rules
from ecozone.workflow import IllegalTransition

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
FIRST = dt.datetime(2025, 3, 10, 9, 0, tzinfo=SHANGHAI)  # 01:00 UTC


@pytest.mark.parametrize("rule", [
    None,
    "FREQ=YEARLY;COUNT=1",
    "FREQ=YEARLY;COUNT=40",                       # the upper bound of COUNT
    "FREQ=YEARLY;INTERVAL=5;COUNT=2",             # the upper bound of a yearly INTERVAL
    "FREQ=MONTHLY;INTERVAL=3;COUNT=8",            # quarterly
    "FREQ=MONTHLY;INTERVAL=12;COUNT=3",           # the upper bound of a monthly INTERVAL
    "FREQ=MONTHLY;INTERVAL=1;UNTIL=20251231T160000Z",
    "FREQ=YEARLY;BYMONTH=3;BYDAY=2MO;COUNT=4",
    "FREQ=MONTHLY;BYMONTHDAY=10;INTERVAL=3;COUNT=4",
])
def test_accepted_rules(rule):
    assert rules.recurrence_errors(rule) == []


@pytest.mark.parametrize(("rule", "code"), [
    ("FREQ=YEARLY;COUNT=0", "count"),                      # below the bound
    ("FREQ=YEARLY;COUNT=41", "count"),                     # above the bound
    ("FREQ=YEARLY;COUNT=x", "format"),
    ("FREQ=YEARLY", "unbounded"),                          # a series ends
    ("FREQ=YEARLY;COUNT=2;UNTIL=20301231T000000Z", "unbounded"),  # not both
    ("FREQ=DAILY;COUNT=3", "frequency"),
    ("FREQ=WEEKLY;COUNT=3", "frequency"),
    ("COUNT=3", "frequency"),
    ("FREQ=YEARLY;INTERVAL=0;COUNT=2", "interval"),
    ("FREQ=YEARLY;INTERVAL=6;COUNT=2", "interval"),
    ("FREQ=MONTHLY;INTERVAL=13;COUNT=2", "interval"),
    ("FREQ=MONTHLY;INTERVAL=-1;COUNT=2", "interval"),
    ("FREQ=YEARLY;UNTIL=20301231;COUNT=", "format"),
    ("FREQ=YEARLY;UNTIL=2030-12-31", "until"),
    ("FREQ=YEARLY;UNTIL=20301231", "until"),               # a date, not a UTC time
    ("FREQ=YEARLY;UNTIL=20301231T000000", "until"),        # floating time
    ("FREQ=YEARLY;COUNT=2;BYHOUR=9", "unsupported"),       # sub-daily parts
    ("FREQ=YEARLY;COUNT=2;BYSETPOS=1", "unsupported"),
    ("FREQ=YEARLY;COUNT=2;DTSTART=20250101T000000Z", "unsupported"),  # the start is an input of its own
    ("FREQ=YEARLY;COUNT=2;X-NAME=1", "format"),
    ("FREQ=YEARLY;COUNT=2;FOO=1", "unsupported"),
    ("FREQ=YEARLY;COUNT=2;COUNT=3", "format"),             # a part twice
    ("", "format"),
    ("FREQ=YEARLY;;COUNT=2", "format"),
    ("FREQ=YEARLY;COUNT=2;" + "BYMONTH=1;" * 30, "length"),
])
def test_refused_rules(rule, code):
    (refusal,) = rules.recurrence_errors(rule)
    assert (refusal.field, refusal.code) == ("recurrence", code)
    assert refusal.message_zh and refusal.message_en


def test_yearly_series_keeps_the_local_wall_clock():
    starts = rules.occurrences("FREQ=YEARLY;COUNT=4", FIRST, "Asia/Shanghai")
    assert starts == [dt.datetime(y, 3, 10, 1, 0, tzinfo=dt.UTC) for y in (2025, 2026, 2027, 2028)]


def test_a_zone_with_summer_time_keeps_its_local_hour():
    # 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer: the rule runs in local time.
    starts = rules.occurrences("FREQ=MONTHLY;INTERVAL=3;COUNT=2", dt.datetime(2026, 1, 15, 8, tzinfo=dt.UTC),
                               "Europe/Berlin")
    assert [s.hour for s in starts] == [8, 7]


def test_quarterly_until_and_single():
    starts = rules.occurrences("FREQ=MONTHLY;INTERVAL=3;UNTIL=20251210T010000Z", FIRST, "Asia/Shanghai")
    assert [s.month for s in starts] == [3, 6, 9, 12]      # UNTIL includes its bound
    assert rules.occurrences(None, FIRST, "Asia/Shanghai") == [FIRST.astimezone(dt.UTC)]


@pytest.mark.parametrize(("rule", "code"), [
    ("FREQ=YEARLY;UNTIL=20200101T000000Z", "empty"),          # ends before it starts
    ("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2;COUNT=2", "empty"),  # no 31 February
    ("FREQ=MONTHLY;UNTIL=20301231T000000Z", "count"),         # 70 monthly meetings
    ("FREQ=YEARLY;INTERVAL=4;COUNT=4", "span"),               # 2025 … 2037: past ten years
    ("FREQ=YEARLY;COUNT=12", "span"),                          # 2036: one year past the bound
])
def test_expansions_refused(rule, code):
    assert rules.recurrence_errors(rule) == []
    with pytest.raises(rules.RecurrenceError) as refused:
        rules.occurrences(rule, FIRST, "Asia/Shanghai")
    assert refused.value.refusal.code == code and refused.value.refusal.message_zh


def test_ten_years_is_the_bound():
    starts = rules.occurrences("FREQ=YEARLY;INTERVAL=5;COUNT=3", FIRST, "Asia/Shanghai")
    assert [s.year for s in starts] == [2025, 2030, 2035]   # exactly ten calendar years: allowed
    assert len(rules.occurrences("FREQ=MONTHLY;INTERVAL=3;COUNT=40", FIRST, "Asia/Shanghai")) == 40


@pytest.mark.parametrize(("minutes", "ok"), [(14, False), (15, True), (4320, True), (4321, False), (0, False),
                                             (-60, False)])
def test_duration_bounds(minutes, ok):
    assert (rules.duration_errors(minutes) == []) is ok


@pytest.mark.parametrize(("name", "ok"), [("Asia/Shanghai", True), ("UTC", True), ("Mars/Olympus", False),
                                          ("../../etc/passwd", False), ("", False)])
def test_time_zones(name, ok):
    assert (rules.time_zone_errors(name) == []) is ok


@pytest.mark.parametrize(("state", "action", "after"), [
    ("open", "complete", "done"), ("open", "drop", "dropped"), ("done", "reopen", "open"),
    ("dropped", "reopen", "open"),
    ("open", "reopen", None), ("done", "complete", None), ("done", "drop", None),
    ("dropped", "complete", None), ("dropped", "drop", None),
])
def test_follow_up_states(state, action, after):
    if after is None:
        with pytest.raises(IllegalTransition) as refused:
            rules.FOLLOW_UP.advance(state, action)
        assert "当前可执行" in refused.value.message_zh
    else:
        assert rules.FOLLOW_UP.advance(state, action) == after


NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(("starts_at", "summary", "published", "code"), [
    (NOW, "纪要", False, None),                                     # begun at this very moment
    (NOW - dt.timedelta(days=1), "纪要", False, None),
    (NOW + dt.timedelta(seconds=1), "纪要", False, "not_held"),
    (NOW, "   ", False, "empty"),
    (NOW, None, False, "empty"),
    (NOW, "纪要", True, "published"),
])
def test_minutes_publication(starts_at, summary, published, code):
    problems = rules.minutes_publish_errors(starts_at=starts_at, now=NOW, summary=summary, published=published)
    assert [p[0] for p in problems] == ([code] if code else [])


@pytest.mark.parametrize(("starts_at", "allowed"), [
    (NOW, True), (NOW - dt.timedelta(hours=1), True), (NOW + dt.timedelta(seconds=1), False)])
def test_attendance_after_the_start(starts_at, allowed):
    assert rules.attendance_allowed(starts_at=starts_at, now=NOW) is allowed


def test_minutes_frozen_once_published():
    assert rules.minutes_editable(published=False) and not rules.minutes_editable(published=True)
