"""Pure rules of the annual plan and reports, table-driven: the year's edge in China's time zone,
which years a plan or a report may be for, the document's states, an item's progress."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.annual import rules
from ecozone.governance.rules import CharterRefusal
from ecozone.workflow import IllegalTransition

UTC = dt.UTC


@pytest.mark.parametrize(("instant", "day"), [
    (dt.datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC), dt.date(2026, 12, 31)),
    (dt.datetime(2026, 12, 31, 16, 0, 0, tzinfo=UTC), dt.date(2027, 1, 1)),  # midnight in Beijing
    (dt.datetime(2027, 1, 1, 0, 0, 0, tzinfo=UTC), dt.date(2027, 1, 1)),
])
def test_china_today_at_the_years_edge(instant, day):
    assert rules.china_today(instant) == day


@pytest.mark.parametrize(("plan_year", "instant", "writable"), [
    (2026, dt.datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC), True),   # 23:59:59 on 31 December, CST
    (2026, dt.datetime(2026, 12, 31, 16, 0, 0, tzinfo=UTC), False),    # 00:00 on 1 January, CST
    (2027, dt.datetime(2026, 12, 31, 16, 0, 0, tzinfo=UTC), True),
    (2026, dt.datetime(2026, 1, 1, 0, 0, tzinfo=UTC), True),
    (2025, dt.datetime(2026, 1, 1, 0, 0, tzinfo=UTC), False),
    (2027, dt.datetime(2026, 6, 1, tzinfo=UTC), True),                 # next year's plan, drafted early
])
def test_past_year_plan_is_read_only(plan_year, instant, writable):
    today = rules.china_today(instant)
    if writable:
        rules.check_plan_writable(plan_year, today)
        return
    with pytest.raises(CharterRefusal) as refused:
        rules.check_plan_writable(plan_year, today)
    assert "第六条" in refused.value.article_zh and str(plan_year) in refused.value.message_en


@pytest.mark.parametrize(("year", "today", "codes"), [
    (2026, dt.date(2026, 1, 1), []), (2027, dt.date(2026, 12, 31), []),
    (2025, dt.date(2026, 1, 1), ["range"]), (2028, dt.date(2026, 12, 31), ["range"]),
    (1999, dt.date(2026, 1, 1), ["range"]), (2101, dt.date(2100, 1, 1), ["range"]),
])
def test_plan_years(year, today, codes):
    assert [e.code for e in rules.plan_year_errors(year, today)] == codes


@pytest.mark.parametrize(("year", "today", "codes"), [
    (2026, dt.date(2026, 12, 31), []), (2025, dt.date(2026, 1, 1), []), (2000, dt.date(2026, 1, 1), []),
    (2027, dt.date(2026, 12, 31), ["future"]), (1999, dt.date(2026, 1, 1), ["range"]),
])
def test_report_years(year, today, codes):
    assert [e.code for e in rules.report_year_errors(year, today)] == codes


@pytest.mark.parametrize(("state", "action", "to"), [
    ("draft", "submit", "submitted"), ("submitted", "adopt", "adopted"), ("submitted", "withdraw", "draft"),
])
def test_document_transitions(state, action, to):
    assert rules.DOCUMENT_MACHINE.advance(state, action) == to


@pytest.mark.parametrize(("state", "action"), [
    ("draft", "adopt"), ("draft", "withdraw"), ("submitted", "submit"),
    ("adopted", "submit"), ("adopted", "adopt"), ("adopted", "withdraw"),
])
def test_document_illegal_transitions(state, action):
    with pytest.raises(IllegalTransition):
        rules.DOCUMENT_MACHINE.advance(state, action)


@pytest.mark.parametrize(("own", "project_state", "progress"), [
    ("in_progress", None, "in_progress"), ("done", None, "done"),
    ("done", "approved", "not_started"), ("not_started", "in_progress", "in_progress"),
    ("not_started", "adjustment_requested", "in_progress"), ("not_started", "closed", "done"),
    ("not_started", "archived", "done"), ("not_started", "terminated", "dropped"),
])
def test_item_progress(own, project_state, progress):
    assert rules.item_progress(own_progress=own, project_state=project_state) == progress


def test_every_project_state_has_a_progress():
    from ecozone.projects.rules import STATES
    assert set(rules.PROJECT_PROGRESS) == set(STATES)
    assert set(rules.PROJECT_PROGRESS.values()) <= set(rules.PROGRESS)
