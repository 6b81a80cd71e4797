"""Pure rules of the standard workflow, table-driven, every boundary included."""

from __future__ import annotations

import pytest

from ecozone.standards import rules
from ecozone.workflow import IllegalTransition

Y, C, N, A = "yes", "yes_with_comments", "no", "abstain"


@pytest.mark.parametrize(("panel", "votes", "passed", "needs"), [
    # turnout 3/4 of the panel: 4 panel → 3 votes needed exactly
    (4, [Y, Y, Y], True, []),
    (4, [Y, Y], False, ["needs 1 more vote to reach the turnout of 3/4 of 4"]),
    # approval 3/4 of cast: 3 of 4 yes is exactly 3/4 → passes (the bound is included)
    (4, [Y, Y, Y, N], True, []),
    (4, [Y, Y, N, N], False, ["needs 1 more yes vote, which only voters changing their vote can give"]),
    # yes with comments counts as yes; abstain takes part but is not yes
    (4, [C, C, Y, A], True, []),
    (4, [Y, Y, A, A], False, ["needs 1 more yes vote, which only voters changing their vote can give"]),
    (8, [Y, N, N], False, ["needs 3 more votes to reach the turnout of 3/4 of 8",
                           "needs 5 more yes votes"]),
    (8, [Y, N, N, N], False, ["needs 2 more votes to reach the turnout of 3/4 of 8",
                              "needs 2 more yes votes, which only voters changing their vote can give"]),
    (8, [Y, Y, Y, Y, N, N], False, ["needs 2 more yes votes"]),
    (8, [Y, Y, Y, Y, Y, N], True, []),
    # 5 panel: turnout needs ceil(15/4) = 4 votes
    (5, [Y, Y, Y], False, ["needs 1 more vote to reach the turnout of 3/4 of 5"]),
    (5, [Y, Y, Y, Y], True, []),
    (3, [], False, ["needs 3 more votes to reach the turnout of 3/4 of 3", "needs 1 more yes vote"]),
])
def test_tally(panel, votes, passed, needs):
    result = rules.tally(panel, votes)
    assert result.passed is passed
    assert list(result.needs_en) == needs
    assert len(result.needs_zh) == len(result.needs_en)


@pytest.mark.parametrize(("turnout", "approval", "votes", "passed"), [
    ((2, 3), (2, 3), [Y, Y, N], True),        # 2/3 exactly
    ((2, 3), (2, 3), [Y, N, N], False),
    ((1, 1), (1, 1), [Y, Y, Y], True),        # unanimity
    ((1, 1), (1, 1), [Y, Y, C], True),
    ((1, 1), (1, 1), [Y, Y, A], False),
])
def test_tally_with_tenant_thresholds(turnout, approval, votes, passed):
    assert rules.tally(3, votes, turnout=turnout, approval=approval).passed is passed


@pytest.mark.parametrize(("panel", "votes"), [(2, [Y, Y, Y]), (3, ["maybe"])])
def test_tally_refuses_impossible_input(panel, votes):
    with pytest.raises(ValueError):
        rules.tally(panel, votes)


@pytest.mark.parametrize(("kind", "number", "year", "code", "expected"), [
    ("joint_local", 1234, 2026, "DB36/T", "DB36/T 1234—2026"),
    ("joint_local", 1234, 2026, "DB52/T", "DB52/T 1234—2026"),
    ("group", 1, 2026, None, "T/NTSIBJGE 001—2026"),
    ("group", 101, 2027, None, "T/NTSIBJGE 101—2027"),
    ("group", 1001, 2027, None, "T/NTSIBJGE 1001—2027"),
])
def test_designation(kind, number, year, code, expected):
    assert rules.designation(kind, number, year, code) == expected


def test_joint_local_designation_needs_a_zone_code():
    with pytest.raises(ValueError):
        rules.designation("joint_local", 1, 2026)


@pytest.mark.parametrize(("kwargs", "codes"), [
    (dict(expert_user_id=1, expert_organisation="甲单位", declared_units=[], drafting_user_ids=[2],
          lead_unit="乙单位"), []),
    (dict(expert_user_id=2, expert_organisation="甲单位", declared_units=[], drafting_user_ids=[2],
          lead_unit="乙单位"), ["drafter"]),
    (dict(expert_user_id=1, expert_organisation="乙 单位", declared_units=[], drafting_user_ids=[],
          lead_unit="乙单位"), ["lead_unit"]),
    (dict(expert_user_id=1, expert_organisation=None, declared_units=["丙单位", "乙单位"],
          drafting_user_ids=[], lead_unit="乙单位"), ["lead_unit"]),
    (dict(expert_user_id=2, expert_organisation="乙单位", declared_units=[], drafting_user_ids=[2],
          lead_unit="乙单位"), ["drafter", "lead_unit"]),
    (dict(expert_user_id=1, expert_organisation="", declared_units=[""], drafting_user_ids=[],
          lead_unit=""), []),
])
def test_conflicts(kwargs, codes):
    assert [r.code for r in rules.conflicts(**kwargs)] == codes


ALL_STATES = list(rules.STATE_NAMES)
ALL_ACTIONS = list(rules.ACTION_NAMES_ZH)


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_stage_machine_every_pair(state, action):
    expected = rules.STAGES.transitions.get((state, action))
    if expected is None:
        with pytest.raises(IllegalTransition) as refused:
            rules.STAGES.advance(state, action)
        assert refused.value.message_zh and "possible now" in refused.value.message_en
    else:
        assert rules.STAGES.advance(state, action) == expected


def test_every_state_has_a_stage_code():
    assert set(rules.STAGE_CODES) == set(rules.STATE_NAMES)


def test_diff_shows_changed_lines():
    diff = rules.text_diff("1 范围\n2 术语\n", "1 范围\n2 术语和定义\n", old_label="draft 1",
                           new_label="draft 2")
    assert "-2 术语\n" in diff and "+2 术语和定义\n" in diff and "--- draft 1" in diff
