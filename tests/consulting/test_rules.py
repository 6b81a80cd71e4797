"""Pure consulting rules, table-driven: the request's life, ratings at their bounds, conflicts
(the registry's one rule, as for review panels), the average in integers."""

from __future__ import annotations

import pytest
from ecozone.consulting import rules
from ecozone.workflow import IllegalTransition


@pytest.mark.parametrize(("state", "action", "after"), [
    ("submitted", "assign", "assigned"), ("assigned", "assign", "assigned"), ("answered", "assign", "answered"),
    ("assigned", "answer", "answered"), ("answered", "answer", "answered"), ("answered", "rate", "rated")])
def test_transitions(state, action, after):
    assert rules.REQUEST.advance(state, action) == after


@pytest.mark.parametrize(("state", "action"), [
    ("submitted", "answer"), ("submitted", "rate"), ("assigned", "rate"),
    ("rated", "rate"), ("rated", "assign"), ("rated", "answer")])
def test_refused_transitions(state, action):
    with pytest.raises(IllegalTransition) as refused:
        rules.REQUEST.advance(state, action)
    assert "当前可执行" in refused.value.message_zh


@pytest.mark.parametrize(("rating", "valid"), [(-1, False), (0, False), (1, True), (3, True), (5, True), (6, False)])
def test_rating_bounds(rating, valid):
    assert (rules.rating_errors(rating) == []) is valid


@pytest.mark.parametrize(("organisation", "declared", "requester", "codes"), [
    ("某研究院", [], 2, []),
    ("闽北某茶业有限公司", [], 2, ["lead_unit"]),               # works for the requesting unit
    ("某研究院", ["闽北 某茶业有限公司 "], 2, ["lead_unit"]),     # declared, spacing aside
    ("某研究院", ["另一家公司"], 2, []),
    ("某研究院", [], 1, ["drafter"]),                         # the expert asked the question
    (None, [], 1, ["drafter"]),
])
def test_assignment_conflicts(organisation, declared, requester, codes):
    found = rules.assignment_conflicts(expert_user_id=1, expert_organisation=organisation, declared_units=declared,
                                       requester_user_id=requester, requesting_unit="闽北某茶业有限公司")
    assert [code for code, _, _ in found] == codes
    assert all("闽北某茶业有限公司" in zh or "提问人" in zh for _, _, zh in found)


@pytest.mark.parametrize(("total", "count", "tenths"), [
    (0, 0, None), (4, 1, 40), (9, 2, 45), (14, 3, 47), (13, 3, 43), (1, 3, 3), (5, 1, 50)])
def test_average_in_tenths_rounded_half_up(total, count, tenths):
    assert rules.average_tenths(total, count) == tenths
