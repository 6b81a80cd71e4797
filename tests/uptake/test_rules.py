"""Pure uptake rules, table-driven: what each kind of record must and must not say."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.uptake import rules

D = dt.date(2026, 4, 1)


@pytest.mark.parametrize(("kind", "subject", "ends", "outcome", "errors"), [
    ("application", "enterprise", None, None, []),
    ("application", "place", D, None, []),
    ("application", "institution", None, None, [("subjectKind", "choice")]),
    ("pilot", "place", D, None, []),                                  # a one-day period is a period
    ("pilot", "place", None, None, [("endsOn", "required")]),
    ("pilot", "place", D - dt.timedelta(days=1), None, [("endsOn", "order")]),
    ("pilot", "enterprise", D, None, [("subjectKind", "choice")]),
    ("verification", "institution", None, "meets", []),
    ("evaluation", "institution", None, "fails", []),
    ("evaluation", "institution", None, None, [("outcome", "required")]),
    ("verification", "institution", None, "great", [("outcome", "required")]),
    ("application", "enterprise", None, "meets", [("outcome", "choice")]),
    ("rumour", "place", None, None, [("kind", "choice")]),
])
def test_record_errors(kind, subject, ends, outcome, errors):
    found = rules.record_errors(kind=kind, subject_kind=subject, starts_on=D, ends_on=ends, outcome=outcome)
    assert [(e.field, e.code) for e in found] == errors


@pytest.mark.parametrize(("state", "may"), [
    ("published", True), ("consultation", False), ("drafting", False), ("withdrawn", False), ("superseded", False)])
def test_only_standards_in_force(state, may):
    assert rules.may_record(state) is may
