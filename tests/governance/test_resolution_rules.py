"""Pure rules of resolutions carried out and of yearly ratings, at their bounds (章程 第九条(二),
第十三条(三), 第十四条(一), 第十六条(三))."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.governance import resolution_rules as rules

D = dt.date
DECIDED = D(2026, 3, 20)


@pytest.mark.parametrize(("due_on", "today", "unit", "officer", "codes"), [
    (D(2026, 3, 20), D(2026, 3, 20), True, False, []),                       # due on the meeting day itself
    (D(2026, 3, 19), D(2026, 3, 20), True, False, ["past"]),                 # before the decision
    (D(2026, 4, 1), D(2026, 4, 2), False, True, ["past"]),                   # recorded after its due date
    (D(2026, 4, 2), D(2026, 4, 2), False, True, []),
    (D(2029, 3, 20), D(2026, 3, 20), True, False, []),                       # three years to the day
    (D(2029, 3, 21), D(2026, 3, 20), True, False, ["range"]),
    (D(2026, 5, 1), D(2026, 3, 20), True, True, ["assignee"]),               # both
    (D(2026, 5, 1), D(2026, 3, 20), False, False, ["assignee"]),             # neither
])
def test_task_errors(due_on, today, unit, officer, codes):
    errors = rules.task_errors(decided_on=DECIDED, due_on=due_on, today=today, unit_given=unit, officer_given=officer)
    assert [e.code for e in errors] == codes
    assert all(e.message_en and e.message_zh for e in errors)


def test_a_decision_on_29_february_gives_three_years_to_28_february():
    assert rules.task_errors(decided_on=D(2028, 2, 29), due_on=D(2031, 2, 28), today=D(2028, 2, 29),
                             unit_given=True, officer_given=False) == []
    assert [e.code for e in rules.task_errors(decided_on=D(2028, 2, 29), due_on=D(2031, 3, 1), today=D(2028, 2, 29),
                                              unit_given=True, officer_given=False)] == ["range"]


@pytest.mark.parametrize(("state", "due_on", "today", "overdue", "days"), [
    ("open", D(2026, 6, 30), D(2026, 6, 30), False, 0),   # the due date itself is in time
    ("open", D(2026, 6, 30), D(2026, 7, 1), True, 1),
    ("done", D(2026, 6, 30), D(2026, 9, 1), False, 63),   # done: never overdue (days shown only when open)
    ("open", D(2026, 6, 30), D(2026, 6, 1), False, 0),
])
def test_overdue(state, due_on, today, overdue, days):
    assert rules.is_overdue(state=state, due_on=due_on, today=today) is overdue
    assert rules.days_overdue(due_on, today) == days


@pytest.mark.parametrize(("ratings", "today", "flagged"), [
    ({2024: "poor", 2025: "poor"}, D(2026, 3, 1), (2024, 2025)),   # the last two years
    ({2025: "poor", 2026: "poor"}, D(2026, 12, 1), (2025, 2026)),  # this year rated already
    ({2024: "poor", 2025: "fair"}, D(2026, 3, 1), None),
    ({2023: "poor", 2025: "poor"}, D(2026, 3, 1), None),           # not consecutive
    ({2022: "poor", 2023: "poor", 2024: "good", 2025: "good"}, D(2026, 3, 1), None),  # an old run, answered since
    ({2025: "poor"}, D(2026, 3, 1), None),                         # one year
    ({}, D(2026, 3, 1), None),
])
def test_poor_two_years_running(ratings, today, flagged):
    assert rules.poor_two_years_running(ratings, today) == flagged


@pytest.mark.parametrize(("year", "rating", "codes"), [
    (2026, "poor", []),
    (2027, "poor", ["future"]),
    (2024, "good", []),      # the year the unit joined
    (2023, "good", ["range"]),
    (2025, "excellent", ["choice"]),
])
def test_rating_errors(year, rating, codes):
    errors = rules.rating_errors(year=year, rating=rating, joined_on=D(2024, 5, 1), today=D(2026, 6, 1))
    assert [e.code for e in errors] == codes
