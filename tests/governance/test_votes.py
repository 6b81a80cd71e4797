"""Quorum and resolution counting (章程 第二十二条, 第二十三条): every bound, in integers."""

from __future__ import annotations

import pytest

from ecozone.errors import ValidationFailed
from ecozone.governance import votes as rules

# ---------------------------------------------------------------------------- quorum (第二十二条)

@pytest.mark.parametrize(("present", "members", "vice_chairs", "met", "needed"), [
    (13, 19, 3, True, 13),      # 39 ≥ 38
    (12, 19, 3, False, 13),     # 36 < 38: one short
    (13, 19, 2, False, 13),     # vice-chairs one short
    (19, 19, 5, True, 13),
    (12, 18, 3, True, 12),      # exactly two thirds: 36 ≥ 36
    (11, 18, 5, False, 12),
    (14, 20, 3, True, 14),      # 42 ≥ 40
    (13, 20, 3, False, 14),     # 39 < 40
    (2, 3, 3, True, 2),
    (1, 3, 3, False, 2),
    (0, 0, 3, True, 0),
    (0, 0, 0, False, 0),
])
def test_quorum(present, members, vice_chairs, met, needed):
    result = rules.quorum(present=present, members=members, vice_chairs_present=vice_chairs)
    assert (result.met, result.needed_present, result.needed_vice_chairs) == (met, needed, 3)
    assert (result.present, result.members, result.vice_chairs_present) == (present, members, vice_chairs)


def test_quorum_shows_its_counts_and_rule():
    result = rules.quorum(present=13, members=19, vice_chairs_present=3)
    assert result.rule_zh == "出席 13/19 家理事单位（需 ≥13，即 2/3 以上）、副理事长 3 名（需 ≥3）；章程第二十二条"
    assert result.rule_en == ("13 of 19 member units present (needs ≥ 13, i.e. at least two thirds) and "
                              "3 vice-chairs (needs ≥ 3); Council Charter, Article 22")


@pytest.mark.parametrize(("present", "members", "vice_chairs"), [(20, 19, 3), (-1, 19, 3), (5, -1, 3), (5, 19, -1)])
def test_impossible_attendance_is_a_bug(present, members, vice_chairs):
    with pytest.raises(ValueError):
        rules.quorum(present=present, members=members, vice_chairs_present=vice_chairs)


# ---------------------------------------------------------------------------- resolutions (第二十二条, 第二十三条)

@pytest.mark.parametrize(("kind", "yes", "no", "abstain", "present", "members", "passed", "base", "needed", "short"), [
    # ordinary: 2/3 of those present (3·yes ≥ 2·present)
    ("ordinary", 9, 2, 2, 13, 19, True, 13, 9, 0),      # 27 ≥ 26
    ("ordinary", 8, 3, 2, 13, 19, False, 13, 9, 1),     # exactly one vote short
    ("ordinary", 8, 4, 0, 12, 19, True, 12, 8, 0),      # exactly two thirds: 24 ≥ 24
    ("ordinary", 7, 4, 1, 12, 19, False, 12, 8, 1),
    ("ordinary", 8, 0, 0, 12, 19, True, 12, 8, 0),      # those not voting count against
    ("ordinary", 7, 0, 0, 12, 19, False, 12, 8, 1),
    ("ordinary", 13, 0, 0, 13, 19, True, 13, 9, 0),
    ("ordinary", 0, 13, 0, 13, 19, False, 13, 9, 9),
    # major: 2/3 of all members (3·yes ≥ 2·members)
    ("major", 13, 0, 0, 13, 19, True, 19, 13, 0),       # 39 ≥ 38
    ("major", 12, 1, 0, 13, 19, False, 19, 13, 1),      # one vote short even though 12/13 present said yes
    ("major", 12, 0, 0, 12, 18, True, 18, 12, 0),       # exactly two thirds: 36 ≥ 36
    ("major", 11, 0, 1, 12, 18, False, 18, 12, 1),
    ("major", 20, 0, 0, 20, 20, True, 20, 14, 0),
])
def test_tally(kind, yes, no, abstain, present, members, passed, base, needed, short):
    result = rules.tally(kind=kind, yes=yes, no=no, abstain=abstain, present=present, members=members)
    assert (result.kind, result.passed, result.base, result.needed, result.short_by) == (
        kind, passed, base, needed, short)
    assert (result.yes, result.no, result.abstain) == (yes, no, abstain)
    assert rules.tally_errors(kind=kind, yes=yes, no=no, abstain=abstain, present=present, members=members) == []


def test_tally_shows_counts_rule_and_article():
    ordinary = rules.tally(kind="ordinary", yes=8, no=3, abstain=2, present=13, members=19)
    assert ordinary.rule_zh == ("赞成 8 票、反对 3 票、弃权 2 票；到会理事 13 名，需赞成 ≥9 票（到会理事 2/3 以上）；"
                                "未通过，差 1 票；章程第二十二条")
    assert ordinary.rule_en == ("8 yes, 3 no, 2 abstaining; 13 present, needs ≥ 9 yes (at least two thirds of "
                                "those present); failed, 1 yes vote short; Council Charter, Article 22")
    major = rules.tally(kind="major", yes=13, no=0, abstain=0, present=13, members=19)
    assert "全体理事 19 名" in major.rule_zh and "通过" in major.rule_zh and major.rule_zh.endswith("章程第二十三条")
    assert "19 members in all" in major.rule_en and "passed" in major.rule_en and major.rule_en.endswith("Article 23")


@pytest.mark.parametrize(("kind", "yes", "no", "abstain", "present", "members", "fields"), [
    ("ordinary", -1, 0, 0, 13, 19, ["yes:negative"]),
    ("ordinary", 0, -1, 0, 13, 19, ["no:negative"]),
    ("ordinary", 0, 0, -1, 13, 19, ["abstain:negative"]),
    ("ordinary", 0, 0, 0, -1, 19, ["present:negative"]),
    ("ordinary", 0, 0, 0, 0, -1, ["members:negative"]),
    ("ordinary", 10, 3, 1, 13, 19, ["votes:too_many"]),        # 14 votes, 13 present
    ("major", 13, 0, 0, 13, 12, ["present:too_many"]),
    ("major", 14, 0, 0, 13, 12, ["votes:too_many", "present:too_many"]),
    ("special", 9, 0, 0, 13, 19, ["kind:choice"]),
    ("special", -1, 0, 0, 13, 19, ["kind:choice", "yes:negative"]),
])
def test_impossible_counts(kind, yes, no, abstain, present, members, fields):
    [error] = rules.tally_errors(kind=kind, yes=yes, no=no, abstain=abstain, present=present, members=members)
    assert isinstance(error, ValidationFailed)
    assert [f"{e.field}:{e.code}" for e in error.errors] == fields
    with pytest.raises(ValidationFailed):
        rules.tally(kind=kind, yes=yes, no=no, abstain=abstain, present=present, members=members)


@pytest.mark.parametrize(("yes", "no", "abstain", "present", "members"), [
    (13, 0, 0, 13, 13),     # every vote cast, everyone present
    (0, 0, 0, 0, 0),
])
def test_counts_at_their_limits_are_possible(yes, no, abstain, present, members):
    assert rules.tally_errors(kind="major", yes=yes, no=no, abstain=abstain, present=present, members=members) == []
