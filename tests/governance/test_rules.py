"""Pure council rules, table-driven: every refusal and every boundary; no database."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from ecozone.errors import Conflict, ValidationFailed
from ecozone.governance import rules
from ecozone.workflow import IllegalTransition

D = dt.date
VALID_USCC = "91360100MA3ABCDE1C"   # made-up codes with a correct check character
VALID_USCC_2 = "12360000MB1234567J"


def kinds(errors):
    """(type, code or field codes, article) of each error, for compact tables."""
    out = []
    for e in errors:
        if isinstance(e, ValidationFailed):
            out.append(("invalid", tuple(f"{fe.field}:{fe.code}" for fe in e.errors)))
        else:
            out.append(("refused", e.article_zh))
    return out


# ---------------------------------------------------------------------------- state machines

MACHINES = {
    "unit": (rules.UNIT_MACHINE, {("applicant", "admit"): "active", ("applicant", "reject"): "rejected",
                                  ("active", "exit"): "exited", ("rejected", "reapply"): "applicant",
                                  ("exited", "reapply"): "applicant"}),
    "meeting": (rules.MEETING_MACHINE, {("called", "open"): "in_session", ("called", "cancel"): "cancelled",
                                        ("in_session", "close"): "closed"}),
    "minutes": (rules.MINUTES_MACHINE, {("draft", "publish"): "published"}),
    "motion": (rules.MOTION_MACHINE, {("proposed", "start_vote"): "voting"}),
}


def _illegal_pairs():
    for name, (machine, legal) in MACHINES.items():
        states = set(machine.state_names_zh)
        for state, action in itertools.product(sorted(states), sorted(machine.action_names_zh)):
            if (state, action) not in machine.transitions:
                yield pytest.param(name, state, action, id=f"{name}-{state}-{action}")


@pytest.mark.parametrize(("name", "state", "action", "next_state"), [
    (name, s, a, n) for name, (_, legal) in MACHINES.items() for (s, a), n in legal.items()])
def test_legal_transitions(name, state, action, next_state):
    assert MACHINES[name][0].advance(state, action) == next_state


@pytest.mark.parametrize(("name", "state", "action"), list(_illegal_pairs()))
def test_every_other_transition_is_refused(name, state, action):
    with pytest.raises(IllegalTransition) as caught:
        MACHINES[name][0].advance(state, action)
    assert caught.value.message_en and caught.value.message_zh


def test_machines_cover_their_declared_states():
    assert set(rules.UNIT_MACHINE.state_names_zh) == set(rules.UNIT_STATES)
    assert set(rules.MOTION_MACHINE.state_names_zh) == set(rules.MOTION_STATES)
    assert set(rules.MEETING_MACHINE.state_names_zh) == {"called", "in_session", "cancelled", "closed"}


@pytest.mark.parametrize(("outcome", "state"), [("passed", "passed"), ("failed", "failed")])
def test_counting_a_motion_ends_in_the_outcome_the_service_picks(outcome, state):
    assert rules.MOTION_MACHINE.advance("voting", "count", outcome=outcome) == state


@pytest.mark.parametrize("state", ["proposed", "passed", "failed"])
def test_a_motion_not_being_voted_on_cannot_be_counted(state):
    with pytest.raises(IllegalTransition):
        rules.MOTION_MACHINE.advance(state, "count", outcome="passed")


@pytest.mark.parametrize(("state", "action", "outcome"), [
    ("voting", "count", None),        # count must name its outcome
    ("voting", "count", "closed"),    # not an outcome of count
    ("proposed", "start_vote", "passed"),
    ("voting", "adopt", "passed"),    # unknown action
])
def test_misusing_the_outcome_machine_is_a_bug(state, action, outcome):
    with pytest.raises(ValueError):
        rules.MOTION_MACHINE.advance(state, action, outcome=outcome)


def test_start_vote_accepts_its_only_outcome():
    assert rules.MOTION_MACHINE.advance("proposed", "start_vote", outcome="voting") == "voting"


@pytest.mark.parametrize(("yes", "state"), [(9, "passed"), (8, "failed")])
def test_counted_motion_state_follows_the_tally(yes, state):
    result = rules.tally(kind="ordinary", yes=yes, no=13 - yes, abstain=0, present=13, members=19)
    assert rules.counted_motion_state("voting", result) == state
    with pytest.raises(IllegalTransition):
        rules.counted_motion_state("proposed", result)


@pytest.mark.parametrize(("labels", "keys"), [
    (rules.UNIT_TYPE_LABELS, rules.UNIT_TYPES), (rules.OFFICE_LABELS, rules.OFFICES),
    (rules.VOTING_MODE_LABELS, rules.VOTING_MODES), (rules.MEETING_KIND_LABELS, rules.MEETING_KINDS),
    (rules.RESOLUTION_KIND_LABELS, rules.RESOLUTION_KINDS)])
def test_every_choice_has_a_chinese_and_an_english_name(labels, keys):
    assert tuple(labels) == keys
    assert all(zh and en and zh != en for zh, en in labels.values())


def test_offices_and_seats():
    assert rules.SEATS == {"chair": 1, "vice_chair": 5, "secretary_general": 1, "base_director": 1,
                           "standing_director": None}
    assert rules.OFFICE_LABELS["chair"][0] == "理事长" and rules.OFFICE_LABELS["vice_chair"][0] == "副理事长"
    assert rules.OFFICE_LABELS["base_director"][0] == "创新基地主任"
    # 办法第七条 names four offices as the base's leaders: the base director is one of them
    assert set(rules.LEADER_OFFICES) == {"chair", "vice_chair", "base_director", "secretary_general"}


# ---------------------------------------------------------------------------- unified social credit code

@pytest.mark.parametrize(("typed", "canonical"), [
    (VALID_USCC, VALID_USCC), ("91360100ma3abcde1c", VALID_USCC), ("9136 0100 MA3A BCDE 1C", VALID_USCC),
    ("91360100-MA3ABCDE1-C", VALID_USCC), (" 12360000mb1234567j ", VALID_USCC_2)])
def test_normalise_uscc(typed, canonical):
    assert rules.normalise_uscc(typed) == canonical
    assert rules.uscc_errors(typed) == []


@pytest.mark.parametrize(("code", "error_code"), [
    ("", "required"), ("   ", "required"),
    (VALID_USCC[:-1], "length"),                   # 17 characters
    (VALID_USCC + "0", "length"),                  # 19 characters
    ("9136010", "length"),
    ("A1360100MA3ABCDE1C", "format"),              # a letter in the first eight
    ("91360100MA3OBCDE1C", "format"),              # O is never used
    ("91360100MA3ABCDE1I", "format"),              # I is never used, not even as the check character
    ("91360100MA3ABCDE1#", "format"),
    ("91360100MA3ABCDE1D", "checksum"),            # one wrong check character
    ("91360100MA3ABCDF1C", "checksum"),            # one changed character
    ("91360100MA3ABCED1C", "checksum"),            # neighbours swapped
])
def test_uscc_errors(code, error_code):
    [error] = rules.uscc_errors(code)
    assert (error.field, error.code) == ("uscc", error_code)
    assert error.message_en and error.message_zh and error.message_en != error.message_zh


def test_uscc_messages_differ_per_problem_and_name_the_field_given():
    messages = {c: rules.uscc_errors(c, field="creditCode")[0] for c in
                (VALID_USCC[:-1], "A1360100MA3ABCDE1C", "91360100MA3ABCDE1D")}
    assert {e.field for e in messages.values()} == {"creditCode"}
    assert len({e.message_en for e in messages.values()}) == 3 == len({e.message_zh for e in messages.values()})
    checksum = messages["91360100MA3ABCDE1D"]
    assert "expected C" in checksum.message_en and "应为 C" in checksum.message_zh
    assert "17" in messages[VALID_USCC[:-1]].message_en


# ---------------------------------------------------------------------------- inactivity (第十四条(一))

@pytest.mark.parametrize(("last_activity", "joined", "today", "inactive"), [
    (D(2025, 6, 10), D(2020, 1, 1), D(2026, 6, 10), False),   # exactly one year before: still within
    (D(2025, 6, 9), D(2020, 1, 1), D(2026, 6, 10), True),     # one day more
    (None, D(2025, 6, 10), D(2026, 6, 10), False),            # joined exactly a year ago, nothing since
    (None, D(2025, 6, 9), D(2026, 6, 10), True),
    (None, D(2026, 6, 10), D(2026, 6, 10), False),            # joined today
    (D(2019, 1, 1), D(2025, 12, 1), D(2026, 6, 10), False),   # re-joined recently
    (D(2026, 6, 10), D(2020, 1, 1), D(2026, 6, 10), False),   # active today
    (D(2027, 1, 1), D(2020, 1, 1), D(2026, 6, 10), False),    # a recorded future date is not inactivity
    # 29 February
    (D(2027, 2, 28), D(2020, 1, 1), D(2028, 2, 29), False),   # today 29 Feb → a year before is 28 Feb
    (D(2027, 2, 27), D(2020, 1, 1), D(2028, 2, 29), True),
    (D(2024, 2, 29), D(2020, 1, 1), D(2025, 2, 28), False),
    (D(2024, 2, 28), D(2020, 1, 1), D(2025, 2, 28), False),
    (D(2024, 2, 27), D(2020, 1, 1), D(2025, 2, 28), True),
    (D(2024, 2, 29), D(2020, 1, 1), D(2025, 3, 1), True),
])
def test_inactive_since(last_activity, joined, today, inactive):
    assert rules.inactive_since(last_activity, joined, today) is inactive


# ---------------------------------------------------------------------------- terms and ages

@pytest.mark.parametrize(("start", "end"), [
    (D(2026, 1, 1), D(2028, 12, 31)),
    (D(2025, 6, 15), D(2028, 6, 14)),
    (D(2024, 2, 29), D(2027, 2, 28)),     # no 29 Feb in 2027: the term covers all of 28 Feb
    (D(2024, 3, 1), D(2027, 2, 28)),
    (D(2025, 3, 1), D(2028, 2, 29)),      # ends on a leap day
    (D(2025, 2, 28), D(2028, 2, 27)),
    (D(2027, 2, 28), D(2030, 2, 27)),
])
def test_term_end(start, end):
    assert rules.term_end(start) == end
    assert rules.TERM_YEARS == 3


@pytest.mark.parametrize(("birth", "day", "age"), [
    (D(1956, 5, 20), D(2026, 5, 19), 69),
    (D(1956, 5, 20), D(2026, 5, 20), 70),     # the birthday itself completes the year
    (D(1956, 5, 20), D(2026, 5, 21), 70),
    (D(1956, 2, 29), D(2026, 2, 28), 69),     # born on 29 Feb: the year completes on 1 March
    (D(1956, 2, 29), D(2026, 3, 1), 70),
    (D(1956, 2, 29), D(2028, 2, 29), 72),
    (D(2000, 1, 1), D(2000, 1, 1), 0),
])
def test_age_on(birth, day, age):
    assert rules.age_on(birth, day) == age


def test_age_before_birth_is_a_bug():
    with pytest.raises(ValueError):
        rules.age_on(D(2000, 1, 2), D(2000, 1, 1))


# ---------------------------------------------------------------------------- officers

TERM = D(2026, 1, 1)                      # term ends 2028-12-31
YOUNG = D(1970, 1, 1)
ARTICLE_5, ARTICLE_15, MEASURES_7 = "章程第五条", "章程第十五条(三)", "管理办法第七条"


@pytest.mark.parametrize(("office", "birth", "in_office", "leaders", "units", "expected"), [
    ("chair", YOUNG, 0, 0, 20, []),
    # seats (第五条)
    ("chair", YOUNG, 1, 1, 20, [("refused", ARTICLE_5)]),
    ("vice_chair", YOUNG, 4, 5, 20, []),                      # the fifth vice-chair
    ("vice_chair", YOUNG, 5, 5, 20, [("refused", ARTICLE_5)]),  # a sixth
    ("secretary_general", YOUNG, 0, 6, 30, []),
    ("secretary_general", YOUNG, 1, 6, 30, [("refused", ARTICLE_5)]),
    ("standing_director", YOUNG, 250, 7, 20, []),             # unlimited, and not a leader
    # age (第十五条(三)): over 70 on any day of the term, i.e. on its last day 2028-12-31
    ("chair", D(1958, 12, 31), 0, 0, 20, []),                 # turns 70 on the last day
    ("chair", D(1958, 1, 1), 0, 0, 20, []),                   # turns 71 the day after the term ends
    ("chair", D(1957, 12, 31), 0, 0, 20, [("refused", ARTICLE_15)]),  # turns 71 on the last day
    ("vice_chair", D(1940, 1, 1), 0, 0, 20, [("refused", ARTICLE_15)]),
    ("secretary_general", D(1940, 1, 1), 0, 0, 20, []),       # 第十五条 binds chair and vice-chairs only
    ("standing_director", D(1940, 1, 1), 0, 0, 20, []),
    ("chair", None, 0, 0, 20, [("invalid", ("birthDate:required",))]),
    ("vice_chair", D(2026, 1, 1), 0, 0, 20, [("invalid", ("birthDate:range",))]),
    ("standing_director", None, 0, 0, 20, []),
    # leaders (办法第七条): 3·(leaders + 1) ≤ units
    ("vice_chair", YOUNG, 3, 5, 18, []),                      # 6 leaders for 18 units: exactly one third
    ("vice_chair", YOUNG, 3, 6, 18, [("refused", MEASURES_7)]),
    ("vice_chair", YOUNG, 3, 6, 21, []),                      # 7 for 21
    ("vice_chair", YOUNG, 3, 6, 20, [("refused", MEASURES_7)]),  # 7 for 20
    ("secretary_general", YOUNG, 0, 0, 3, []),
    ("secretary_general", YOUNG, 0, 0, 2, [("refused", MEASURES_7)]),
    ("chair", YOUNG, 0, 0, 0, [("refused", MEASURES_7)]),
    # everything at once, in a stable order
    ("chair", D(1940, 1, 1), 1, 7, 20, [("refused", ARTICLE_5), ("refused", ARTICLE_15), ("refused", MEASURES_7)]),
    # an unknown office stops there
    ("president", D(1940, 1, 1), 9, 9, 1, [("invalid", ("office:choice",))]),
])
def test_officer_errors(office, birth, in_office, leaders, units, expected):
    errors = rules.officer_errors(office=office, birth_date=birth, term_start=TERM, serving_in_office=in_office,
                                  serving_leaders=leaders, active_units=units)
    assert kinds(errors) == expected
    for error in errors:
        assert error.message_en and error.message_zh
        if isinstance(error, rules.CharterRefusal):
            assert isinstance(error, Conflict)
            assert error.message_zh.endswith(error.article_zh) and error.message_en.endswith(error.article_en)


def test_officer_messages_give_the_counts():
    [seat] = rules.officer_errors(office="vice_chair", birth_date=YOUNG, term_start=TERM, serving_in_office=5,
                                  serving_leaders=5, active_units=60)
    assert "5 vice-chairs" in seat.message_en and "5 seats" in seat.message_en and "副理事长 5 名" in seat.message_zh
    [age] = rules.officer_errors(office="chair", birth_date=D(1957, 12, 31), term_start=TERM,
                                 serving_in_office=0, serving_leaders=0, active_units=60)
    assert "71" in age.message_en and "2028-12-31" in age.message_en and "70 周岁" in age.message_zh
    [leaders] = rules.officer_errors(office="vice_chair", birth_date=YOUNG, term_start=TERM, serving_in_office=2,
                                     serving_leaders=6, active_units=20)
    assert "7 leaders for 20 member units would exceed one third (at most 6)" in leaders.message_en
    assert "7 名" in leaders.message_zh and "20" in leaders.message_zh and "最多 6 名" in leaders.message_zh


@pytest.mark.parametrize(("end", "today", "notice", "expected"), [
    (D(2028, 12, 31), D(2026, 1, 1), 90, ("serving", 1095)),
    (D(2028, 12, 31), D(2028, 10, 1), 90, ("serving", 91)),
    (D(2028, 12, 31), D(2028, 10, 2), 90, ("expiring", 90)),   # notice starts 90 days before the last day
    (D(2028, 12, 31), D(2028, 12, 31), 90, ("expiring", 0)),   # the last day is still in the term
    (D(2028, 12, 31), D(2029, 1, 1), 90, ("expired", -1)),
    (D(2028, 12, 31), D(2029, 3, 1), 90, ("expired", -60)),
    (D(2028, 12, 31), D(2028, 12, 1), 30, ("expiring", 30)),
    (D(2028, 12, 31), D(2028, 11, 30), 30, ("serving", 31)),
    (D(2028, 12, 31), D(2028, 12, 30), 0, ("serving", 1)),
])
def test_term_expiry(end, today, notice, expected):
    assert rules.term_expiry(end, today, notice) == expected


def test_term_expiry_default_notice_is_90_days():
    assert rules.term_expiry(D(2028, 12, 31), D(2028, 10, 2)) == ("expiring", 90)


# ---------------------------------------------------------------------------- general meetings (第十八条)

@pytest.mark.parametrize(("held", "first", "today", "gaps"), [
    ({2024, 2025}, 2024, D(2026, 5, 1), []),
    ({2024}, 2024, D(2026, 5, 1), [2025]),
    (set(), 2023, D(2026, 5, 1), [2023, 2024, 2025]),
    ({2026}, 2023, D(2026, 5, 1), [2023, 2024, 2025]),       # the current year never counts as a gap
    (set(), 2026, D(2026, 12, 31), []),                       # the council's first year is not over yet
    (set(), 2027, D(2026, 12, 31), []),
    ({2022, 2024}, 2024, D(2026, 1, 1), [2025]),              # years before the first year are ignored
])
def test_general_meeting_gap_years(held, first, today, gaps):
    assert rules.general_meeting_gap_years(held, first, today) == gaps


@pytest.mark.parametrize(("held", "first", "today", "zh_parts", "en_parts"), [
    ({2024, 2025}, 2024, D(2026, 9, 30), None, None),         # 2026 not yet flagged before 1 October
    ({2024, 2025}, 2024, D(2026, 10, 1), ["2026 年尚未召开"], ["No general meeting has been held in 2026 yet"]),
    ({2024, 2025, 2026}, 2024, D(2026, 12, 31), None, None),
    ({2024}, 2024, D(2026, 3, 1), ["2025 年未召开"], ["in 2025"]),
    (set(), 2024, D(2026, 11, 1), ["2024、2025 年未召开", "2026 年尚未召开"], ["No general meeting was held in 2024, 2025; none has been held in 2026 yet"]),
    (set(), 2026, D(2026, 10, 1), ["2026 年尚未召开"], ["in 2026"]),
    (set(), 2027, D(2026, 12, 1), None, None),               # a council that starts next year
])
def test_general_meeting_warning(held, first, today, zh_parts, en_parts):
    warning = rules.general_meeting_warning(held, first, today)
    if zh_parts is None:
        assert warning is None
        return
    zh, en = warning
    assert all(part in zh for part in zh_parts) and "章程第十八条" in zh
    assert all(part in en for part in en_parts) and "Article 18" in en


# ---------------------------------------------------------------------------- ad hoc meetings (第二十条)

@pytest.mark.parametrize(("proposing", "active", "by_council", "expected"), [
    (0, 20, True, []),
    (0, 0, True, []),
    (4, 12, False, []),                        # exactly one third
    (3, 12, False, [("refused", "章程第二十条")]),
    (5, 13, False, []),                        # 3·5 = 15 ≥ 13
    (4, 13, False, [("refused", "章程第二十条")]),  # 3·4 = 12 < 13
    (13, 13, False, []),
    (1, 1, False, []),
    (0, 0, False, [("refused", "章程第二十条")]),   # nobody proposed
    (0, 2, False, [("refused", "章程第二十条")]),
    (14, 13, False, [("invalid", ("proposingUnits:range",))]),
    (-1, 13, False, [("invalid", ("proposingUnits:range",))]),
])
def test_adhoc_proposal_errors(proposing, active, by_council, expected):
    errors = rules.adhoc_proposal_errors(proposing_units=proposing, active_units=active, by_council=by_council)
    assert kinds(errors) == expected


def test_adhoc_refusal_gives_the_counts():
    [error] = rules.adhoc_proposal_errors(proposing_units=4, active_units=13, by_council=False)
    assert "4 of 13" in error.message_en and "(5)" in error.message_en
    assert "13 家" in error.message_zh and "至少 5 家" in error.message_zh


# ---------------------------------------------------------------------------- voting mode (第二十二条)

@pytest.mark.parametrize(("mode", "approved", "expected"), [
    ("in_person", False, []), ("in_person", True, []),
    ("written", True, []), ("online", True, []),
    ("written", False, [("refused", "章程第二十二条")]),
    ("online", False, [("refused", "章程第二十二条")]),
    ("email", True, [("invalid", ("votingMode:choice",))]),
])
def test_voting_mode_errors(mode, approved, expected):
    assert kinds(rules.voting_mode_errors(mode, approved)) == expected
