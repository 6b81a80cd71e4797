"""Table tests of the consultation rules: period, deadline, comment fields, decisions, closing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from ecozone.consultation import rules
from ecozone.errors import Conflict
from ecozone.workflow import IllegalTransition

D = dt.date


@dataclass
class C:
    seq: int
    decision: str | None = None
    withdrawn_at: object = None


# ---------------------------------------------------------------------------- period and deadline

@pytest.mark.parametrize(("days", "ok"), [
    (0, False), (1, True), (30, True), (180, True), (181, False), (-1, False),
    (True, False), ("30", False), (None, False), (30.0, False),
])
def test_days_bounds(days, ok):
    assert (rules.days_errors(days) == []) is ok


@pytest.mark.parametrize(("opened", "days", "deadline"), [
    (D(2026, 3, 1), 30, D(2026, 3, 31)),
    (D(2026, 1, 31), 1, D(2026, 2, 1)),
    (D(2028, 2, 28), 1, D(2028, 2, 29)),    # leap day
    (D(2026, 12, 15), 30, D(2027, 1, 14)),  # across the year
    (D(2026, 1, 1), 180, D(2026, 6, 30)),
])
def test_deadline_is_opening_day_plus_days(opened, days, deadline):
    assert rules.deadline_for(opened, days) == deadline


DEADLINE = D(2026, 3, 31)


@pytest.mark.parametrize(("state", "today", "accepted", "why"), [
    ("open", D(2026, 3, 1), True, None),
    ("open", D(2026, 3, 30), True, None),
    ("open", DEADLINE, True, None),                  # the deadline day itself is still allowed
    ("open", D(2026, 4, 1), False, "2026-03-31"),    # the day after is not
    ("open", D(2027, 1, 1), False, "2026-03-31"),
    ("closed", D(2026, 3, 15), False, "closed"),     # closed before the deadline
    ("closed", D(2026, 4, 15), False, "closed"),
])
def test_comment_window(state, today, accepted, why):
    assert rules.accepts_comments(state, DEADLINE, today) is accepted
    problem = rules.comment_window_error(state, DEADLINE, today)
    if accepted:
        assert problem is None
    else:
        assert isinstance(problem, Conflict)
        assert why in problem.message_en and problem.message_zh


@pytest.mark.parametrize(("today", "left"), [
    (D(2026, 3, 30), 1), (DEADLINE, 0), (D(2026, 4, 1), -1),
])
def test_days_left(today, left):
    assert rules.days_left(DEADLINE, today) == left


# ---------------------------------------------------------------------------- comment fields

GOOD = {"clause": "5.2.1", "text": "建议明确抽样数量。", "proposer_unit": "某市农业技术推广中心",
        "proposed_change": None}


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, []),
    ({"clause": "第十二条"}, []),
    ({"clause": "x" * 50}, []),
    ({"clause": "x" * 51}, [("clause", "too_long")]),
    ({"clause": ""}, [("clause", "required")]),
    ({"clause": "   "}, [("clause", "required")]),
    ({"clause": None}, [("clause", "required")]),
    ({"text": "意" * 5000}, []),
    ({"text": "意" * 5001}, [("text", "too_long")]),
    ({"text": ""}, [("text", "required")]),
    ({"proposer_unit": ""}, [("proposerUnit", "required")]),
    ({"proposer_unit": "单" * 201}, [("proposerUnit", "too_long")]),
    ({"proposed_change": ""}, []),                 # optional
    ({"proposed_change": "改" * 5001}, [("proposedChange", "too_long")]),
    ({"clause": 5}, [("clause", "type")]),
    ({"clause": "", "text": "", "proposer_unit": ""},
     [("clause", "required"), ("text", "required"), ("proposerUnit", "required")]),
])
def test_comment_fields(changes, expected):
    errors = rules.comment_errors({**GOOD, **changes})
    assert [(e.field, e.code) for e in errors] == expected
    assert all(e.message_en and e.message_zh for e in errors)


def test_comment_fields_partial_update_checks_only_what_is_sent():
    assert rules.comment_errors({"text": "新的意见"}) == []
    assert [e.field for e in rules.comment_errors({"clause": ""})] == ["clause"]


def test_unknown_comment_field_is_a_bug():
    with pytest.raises(ValueError):
        rules.comment_errors({"author": "x"})


# ---------------------------------------------------------------------------- decisions

@pytest.mark.parametrize(("decision", "reason", "expected"), [
    ("adopted", None, []),
    ("adopted", "", []),
    ("adopted", "已按意见修改", []),
    ("partly_adopted", "部分内容已修改", []),
    ("partly_adopted", None, [("reason", "required")]),
    ("partly_adopted", "   ", [("reason", "required")]),
    ("not_adopted", "与上位标准一致，不作修改", []),
    ("not_adopted", None, [("reason", "required")]),
    ("not_adopted", "理" * 2000, []),
    ("not_adopted", "理" * 2001, [("reason", "too_long")]),
    ("rejected", "x", [("decision", "choice")]),
    ("", None, [("decision", "choice")]),
    ("ADOPTED", None, [("decision", "choice")]),
])
def test_decisions(decision, reason, expected):
    errors = rules.decision_errors(decision, reason)
    assert [(e.field, e.code) for e in errors] == expected
    assert all(e.message_en and e.message_zh for e in errors)


def test_decision_values_and_their_chinese_names():
    assert {k: zh for k, (zh, _) in rules.DECISIONS.items()} == {
        "adopted": "采纳", "partly_adopted": "部分采纳", "not_adopted": "不采纳"}
    assert rules.REASON_REQUIRED == {"partly_adopted", "not_adopted"}


@pytest.mark.parametrize(("decision", "reason", "text"), [
    (None, None, ""),
    ("adopted", None, "采纳"),
    ("adopted", "  ", "采纳"),
    ("adopted", "已修改第 5.2 条", "采纳：已修改第 5.2 条"),
    ("partly_adopted", "删去第二句", "部分采纳：删去第二句"),
    ("not_adopted", "与 GB/T 1.1 一致", "不采纳：与 GB/T 1.1 一致"),
])
def test_handling_text(decision, reason, text):
    assert rules.handling_text(decision, reason) == text


# ---------------------------------------------------------------------------- undecided and closing

@pytest.mark.parametrize(("comments", "waiting"), [
    ([], []),
    ([C(1, "adopted")], []),
    ([C(1)], [1]),
    ([C(3), C(1, "adopted"), C(2)], [2, 3]),                      # by 序号, whatever the order given
    ([C(1, withdrawn_at="2026-03-02"), C(2, "not_adopted")], []),  # withdrawn needs no decision
    ([C(1, "partly_adopted"), C(2, withdrawn_at="x"), C(3), C(4)], [3, 4]),
])
def test_undecided(comments, waiting):
    assert [c.seq for c in rules.undecided(comments)] == waiting


@pytest.mark.parametrize(("state", "comments", "problem"), [
    ("open", [], None),
    ("open", [C(1, "adopted"), C(2, "not_adopted")], None),
    ("open", [C(1, "adopted"), C(2, withdrawn_at="x")], None),
    ("open", [C(1, "adopted"), C(2)], ("1 comment is still undecided (the first is No. 2)",
                                       "尚有 1 条意见未处理（第一条为序号 2）")),
    ("open", [C(4), C(2), C(3, "adopted"), C(5)], ("3 comments are still undecided (the first is No. 2)",
                                                   "尚有 3 条意见未处理（第一条为序号 2）")),
    ("closed", [], "illegal"),
    ("closed", [C(1)], "illegal"),
])
def test_closing_errors(state, comments, problem):
    errors = rules.closing_errors(state, comments)
    if problem is None:
        assert errors == []
    elif problem == "illegal":
        assert len(errors) == 1 and isinstance(errors[0], IllegalTransition)
        assert "已结束" in errors[0].message_zh
    else:
        assert len(errors) == 1 and isinstance(errors[0], Conflict)
        assert problem[0] in errors[0].message_en and problem[1] in errors[0].message_zh


def test_state_machine_has_one_way_out():
    assert rules.MACHINE.advance("open", "close") == "closed"
    assert rules.MACHINE.allowed_actions("closed") == []
