"""Table tests of the project rules: every (state, action) pair, inputs, notice dates, tallies."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from ecozone.errors import Conflict, FieldError
from ecozone.projects import rules
from ecozone.projects.rules import LIFECYCLE, CountGroup, tally
from ecozone.workflow import IllegalTransition

# Written out by hand from the brief, independently of rules.LIFECYCLE.
ALLOWED = {
    ("proposed", "approve"): "approved",
    ("proposed", "reject"): "rejected",
    ("approved", "open_notice"): "public_notice",
    ("public_notice", "start"): "in_progress",
    ("in_progress", "request_adjustment"): "adjustment_requested",
    ("adjustment_requested", "approve_adjustment"): "in_progress",
    ("adjustment_requested", "refuse_adjustment"): "terminated",
    ("in_progress", "terminate"): "terminated",
    ("in_progress", "submit_closure"): "closure_submitted",
    ("closure_submitted", "pass_closure"): "closed",
    ("closure_submitted", "return_closure"): "in_progress",
    ("closed", "archive"): "archived",
}
STATES = ["proposed", "rejected", "approved", "public_notice", "in_progress",
          "adjustment_requested", "terminated", "closure_submitted", "closed", "archived"]
ACTIONS = ["approve", "reject", "open_notice", "start", "request_adjustment",
           "approve_adjustment", "refuse_adjustment", "terminate", "submit_closure",
           "pass_closure", "return_closure", "archive"]
PAIRS = list(itertools.product(STATES, ACTIONS))


def codes(errors: list[FieldError]) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in errors]


def test_the_tables_name_the_same_states_and_actions():
    assert list(rules.STATES) == STATES
    assert list(rules.ACTIONS) == ACTIONS
    assert set(rules.ACTOR_OF_ACTION) == set(ACTIONS)
    assert set(rules.PUBLIC_STATES) | set(rules.PRIVATE_STATES) == set(STATES)
    assert set(rules.PRIVATE_STATES) == {"proposed", "rejected"}


@pytest.mark.parametrize(("state", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_state_and_action(state, action):
    if (state, action) in ALLOWED:
        assert LIFECYCLE.advance(state, action) == ALLOWED[(state, action)]
        return
    with pytest.raises(IllegalTransition) as refused:
        LIFECYCLE.advance(state, action)
    error = refused.value
    assert isinstance(error, Conflict)
    assert f"cannot {action} a project that is {state}" in error.message_en
    assert rules.STATES[state][0] in error.message_zh and rules.ACTIONS[action][0] in error.message_zh


@pytest.mark.parametrize(("state", "possible"), [
    ("proposed", ["approve", "reject"]), ("rejected", []), ("approved", ["open_notice"]),
    ("public_notice", ["start"]),
    ("in_progress", ["request_adjustment", "submit_closure", "terminate"]),
    ("adjustment_requested", ["approve_adjustment", "refuse_adjustment"]), ("terminated", []),
    ("closure_submitted", ["pass_closure", "return_closure"]), ("closed", ["archive"]),
    ("archived", []),
])
def test_the_refusal_says_what_is_possible(state, possible):
    assert LIFECYCLE.allowed_actions(state) == possible
    if possible:
        blocked = next(a for a in ACTIONS if a not in possible)
        with pytest.raises(IllegalTransition, match=", ".join(possible)):
            LIFECYCLE.advance(state, blocked)
    else:
        with pytest.raises(IllegalTransition, match="possible now: none"):
            LIFECYCLE.advance(state, "approve")


def test_an_unknown_action_is_a_bug_not_a_refusal():
    with pytest.raises(ValueError):
        LIFECYCLE.advance("proposed", "propose")


@pytest.mark.parametrize(("action", "who"), [
    *[(a, "staff") for a in ("approve", "reject", "open_notice", "start", "approve_adjustment",
                             "refuse_adjustment", "terminate", "pass_closure", "return_closure",
                             "archive")],
    ("request_adjustment", "proposer_or_leader"), ("submit_closure", "proposer_or_leader"),
])
def test_who_acts(action, who):
    assert rules.ACTOR_OF_ACTION[action] == who


# ---------------------------------------------------------------------------- inputs

GOOD = {"kind": "research_topic", "title_zh": "赣南脐橙绿色生产标准体系研究",
        "title_en": "Green production standards for Gannan navel oranges",
        "summary": "梳理现行标准，提出体系框架。", "proposer_unit": "示例农业科学研究院",
        "lead_unit": None}


@pytest.mark.parametrize("changes", [
    {}, {"lead_unit": "示例大学"}, {"lead_unit": "  "}, *[{"kind": k} for k in rules.KINDS],
    {"title_zh": "题" * 200}, {"title_en": "t" * 300}, {"proposer_unit": "单" * 200},
    {"summary": "x" * 5000}, {"title_zh": "  有空格的名称  "},
])
def test_valid_proposals(changes):
    assert rules.validate_proposal(**{**GOOD, **changes}) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"kind": "party"}, [("kind", "choice")]),
    ({"title_zh": ""}, [("titleZh", "required")]),
    ({"title_zh": "   "}, [("titleZh", "required")]),
    ({"title_zh": None}, [("titleZh", "required")]),
    ({"title_zh": "题" * 201}, [("titleZh", "too_long")]),
    ({"title_en": "t" * 301}, [("titleEn", "too_long")]),
    ({"summary": "x" * 5001}, [("summary", "too_long")]),
    ({"proposer_unit": ""}, [("proposerUnit", "required")]),
    ({"lead_unit": "单" * 201}, [("leadUnit", "too_long")]),
    ({"kind": "x", "title_zh": "", "title_en": "", "summary": "", "proposer_unit": ""},
     [("kind", "choice"), ("titleZh", "required"), ("titleEn", "required"),
      ("summary", "required"), ("proposerUnit", "required")]),
])
def test_invalid_proposals_list_every_problem(changes, expected):
    errors = rules.validate_proposal(**{**GOOD, **changes})
    assert codes(errors) == expected
    assert all(e.message_en and e.message_zh for e in errors)


@pytest.mark.parametrize("action", sorted(rules.REASON_REQUIRED))
@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_reasons_required(action, reason):
    errors = rules.validate_transition_input(action, reason=reason)
    assert codes(errors) == [("reason", "required")]
    assert "请填写" in errors[0].message_zh


def test_which_actions_need_a_reason():
    assert rules.REASON_REQUIRED == {"reject", "request_adjustment", "refuse_adjustment",
                                     "terminate", "return_closure"}


@pytest.mark.parametrize("action", [a for a in ACTIONS if a not in rules.REASON_REQUIRED
                                    and a != "submit_closure"])
def test_reasons_optional_elsewhere(action):
    assert rules.validate_transition_input(action, reason=None) == []
    assert rules.validate_transition_input(action, reason="按计划") == []


@pytest.mark.parametrize(("reason", "report", "expected"), [
    (None, "结题报告正文", []),
    (None, None, [("closureReport", "required")]),
    (None, "  ", [("closureReport", "required")]),
    (None, "x" * 50000, []),
    (None, "x" * 50001, [("closureReport", "too_long")]),
    ("r" * 2001, "报告", [("reason", "too_long")]),
])
def test_closure_report(reason, report, expected):
    assert codes(rules.validate_transition_input("submit_closure", reason=reason,
                                                 closure_report=report)) == expected


@pytest.mark.parametrize(("role", "unit", "has_user", "expected"), [
    ("participating_unit", "示例大学", False, []),
    ("lead_unit", "示例大学", False, []),
    ("leader", "示例大学", True, []),
    ("drafter", "示例大学", True, []),
    ("member", "示例大学", True, []),
    ("participating_unit", "示例大学", True, [("userId", "not_allowed")]),
    ("drafter", "示例大学", False, [("userId", "required")]),
    ("member", "", True, [("unitName", "required")]),
    ("member", "单" * 201, True, [("unitName", "too_long")]),
    ("observer", "示例大学", True, [("role", "choice")]),
])
def test_working_group_member_input(role, unit, has_user, expected):
    assert codes(rules.validate_member(role=role, unit_name=unit, has_user=has_user)) == expected


@pytest.mark.parametrize(("unit", "message", "expected"), [
    ("示例检测中心", None, []), ("示例检测中心", "希望参与起草", []),
    ("", None, [("unitName", "required")]), ("示例", "m" * 2001, [("note", "too_long")]),
])
def test_join_request_input(unit, message, expected):
    assert codes(rules.validate_join_request(unit_name=unit, message=message)) == expected


# ---------------------------------------------------------------------------- dates

@pytest.mark.parametrize(("today", "days", "end"), [
    (dt.date(2026, 3, 1), 7, dt.date(2026, 3, 8)),
    (dt.date(2026, 12, 28), 7, dt.date(2027, 1, 4)),
    (dt.date(2028, 2, 25), 5, dt.date(2028, 3, 1)),  # leap year
    (dt.date(2026, 3, 1), 1, dt.date(2026, 3, 2)),
    (dt.date(2026, 3, 1), 365, dt.date(2027, 3, 1)),
])
def test_notice_end(today, days, end):
    assert rules.notice_end(today, days) == end


def test_a_notice_of_no_days_is_a_configuration_bug():
    with pytest.raises(ValueError):
        rules.notice_end(dt.date(2026, 3, 1), 0)


@pytest.mark.parametrize(("today", "ok"), [
    (dt.date(2026, 3, 1), False),   # the day the notice opened
    (dt.date(2026, 3, 7), False),
    (dt.date(2026, 3, 8), False),   # the last day of the notice: still running
    (dt.date(2026, 3, 9), True),    # the first day after it
    (dt.date(2027, 1, 1), True),
])
def test_start_only_after_the_notice(today, ok):
    ends_on = dt.date(2026, 3, 8)
    if ok:
        rules.check_notice_over(today, ends_on)
        return
    with pytest.raises(Conflict) as refused:
        rules.check_notice_over(today, ends_on)
    assert "2026-03-08" in refused.value.message_en and "2026-03-09" in refused.value.message_en
    assert "2026-03-08" in refused.value.message_zh and "2026-03-09" in refused.value.message_zh


def test_start_without_a_notice_date_is_refused():
    with pytest.raises(Conflict):
        rules.check_notice_over(dt.date(2026, 3, 9), None)


def test_shorten():
    assert rules.shorten("短标题") == "短标题"
    assert rules.shorten("x" * 120) == "x" * 120
    assert rules.shorten("x" * 121) == "x" * 119 + "…"


# ---------------------------------------------------------------------------- statistics

def group(kind, zone, state, year, count):
    names = {"jiangxi": ("江西", "Jiangxi"), "guizhou": ("贵州", "Guizhou")}
    return CountGroup(kind=kind, zone_id=1 if zone == "jiangxi" else 2, zone_slug=zone,
                      zone_name_zh=names[zone][0], zone_name_en=names[zone][1], state=state,
                      year=year, count=count)


def test_tally_of_nothing_lists_every_kind_and_public_state_at_zero():
    stats = tally([])
    assert stats.total == 0 and stats.groups == [] and stats.by_zone == [] and stats.by_year == []
    assert [(c.key, c.count) for c in stats.by_kind] == [(k, 0) for k in rules.KINDS]
    assert [c.key for c in stats.by_state] == list(rules.PUBLIC_STATES)
    assert stats.by_kind[1].name_zh == "标准研制"


def test_tally_sums_each_dimension():
    groups = [group("research_topic", "jiangxi", "approved", 2025, 2),
              group("research_topic", "guizhou", "in_progress", 2026, 3),
              group("key_common", "jiangxi", "in_progress", 2026, 1)]
    stats = tally(groups)
    assert stats.total == 6
    assert {c.key: c.count for c in stats.by_kind} == {
        "research_topic": 5, "standard_development": 0, "technical_exchange": 0, "key_common": 1}
    assert [(c.key, c.name_zh, c.count) for c in stats.by_zone] == [
        ("guizhou", "贵州", 3), ("jiangxi", "江西", 3)]
    assert [(c.key, c.count) for c in stats.by_year] == [("2025", 2), ("2026", 4)]
    assert {c.key: c.count for c in stats.by_state if c.count} == {"approved": 2, "in_progress": 4}
