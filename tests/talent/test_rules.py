"""Pure training rules, table-driven: seats, waiting list, deadline, completion, codes, names."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.talent import rules


@pytest.mark.parametrize(("capacity", "enrolled", "seat"), [
    (2, 0, "enrolled"), (2, 1, "enrolled"), (2, 2, "waiting"), (2, 3, "waiting"), (1, 0, "enrolled")])
def test_seat_for(capacity, enrolled, seat):
    assert rules.seat_for(capacity, enrolled) == seat


@pytest.mark.parametrize(("waiting", "promoted"), [
    ([], None),
    ([(1, 30)], 30),
    ([(3, 10), (1, 30), (2, 20)], 30),   # FIFO by position, not by id
    ([(5, 11), (4, 12)], 12),            # gaps left by withdrawals do not matter
])
def test_next_promoted(waiting, promoted):
    assert rules.next_promoted(waiting) == promoted


DEADLINE = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(("at", "open_"), [
    (DEADLINE - dt.timedelta(days=1), True), (DEADLINE, True),
    (DEADLINE + dt.timedelta(microseconds=1), False), (DEADLINE + dt.timedelta(days=1), False)])
def test_enrolment_open(at, open_):
    assert rules.enrolment_open(at, DEADLINE) is open_


@pytest.mark.parametrize(("rule", "minimum", "total", "attended", "complete"), [
    ("all", None, 3, 3, True),
    ("all", None, 3, 2, False),          # N-1
    ("all", None, 1, 1, True),
    ("all", None, 0, 0, False),          # a programme without sessions completes nobody
    ("at_least", 2, 3, 2, True),         # exactly N
    ("at_least", 2, 3, 1, False),        # N-1
    ("at_least", 2, 3, 3, True),
    ("at_least", 1, 3, 0, False),
    ("at_least", None, 3, 3, False),
])
def test_is_complete(rule, minimum, total, attended, complete):
    assert rules.is_complete(rule, minimum, total, attended) is complete


def test_unknown_completion_rule_is_a_bug():
    with pytest.raises(ValueError):
        rules.is_complete("most", None, 3, 3)


@pytest.mark.parametrize(("rule", "minimum", "codes"), [
    ("all", None, []), ("all", 5, []), ("at_least", 1, []), ("at_least", 0, ["range"]),
    ("at_least", None, ["range"]), ("some", None, ["choice"])])
def test_completion_rule_errors(rule, minimum, codes):
    assert [e[0] for e in rules.completion_rule_errors(rule, minimum)] == codes


def test_certificate_codes_are_random_and_self_checking():
    codes = {rules.new_certificate_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 19 and code.count("-") == 3
        assert rules.normalize_code(code) == code
        assert rules.normalize_code(code.lower().replace("-", " ")) == code


def test_every_single_character_change_is_caught():
    code = rules.new_certificate_code()
    raw = code.replace("-", "")
    for i, original in enumerate(raw):
        for replacement in rules.CODE_ALPHABET:
            if replacement != original:
                changed = raw[:i] + replacement + raw[i + 1:]
                assert rules.normalize_code(changed) is None, (i, replacement)
    for i in range(len(raw) - 2):  # neighbours swapped
        if raw[i] != raw[i + 1]:
            assert rules.normalize_code(raw[:i] + raw[i + 1] + raw[i] + raw[i + 2:]) is None


@pytest.mark.parametrize("code", ["", "ABC", "0" * 17, "U" * 16, "!" * 16])
def test_malformed_codes(code):
    assert rules.normalize_code(code) is None


@pytest.mark.parametrize(("name", "display", "shown"), [
    ("张三明", "full", "张三明"), ("张三明", "masked", "张*明"), ("张三明", "hidden", None),
    ("张明", "masked", "张*"), ("欧阳春晓", "masked", "欧**晓"), ("明", "masked", "*"),
    ("Jane Smith", "masked", "J*** S****")])
def test_displayed_name(name, display, shown):
    assert rules.displayed_name(name, display) == shown


@pytest.mark.parametrize(("state", "action", "next_state"), [
    ("submitted", "accept", "accepted"), ("submitted", "decline", "declined")])
def test_application_decisions(state, action, next_state):
    assert rules.APPLICATION.advance(state, action) == next_state


@pytest.mark.parametrize(("state", "action"), [
    ("accepted", "accept"), ("accepted", "decline"), ("declined", "accept"), ("declined", "decline")])
def test_a_decided_application_is_final(state, action):
    from ecozone.workflow import IllegalTransition
    with pytest.raises(IllegalTransition):
        rules.APPLICATION.advance(state, action)


def test_base_kinds_have_both_names():
    assert set(rules.BASE_KINDS) == {"academician_workstation", "doctoral_workstation", "internship_base",
                                     "training_base"}
    assert all(zh and en for zh, en in rules.BASE_KINDS.values())
