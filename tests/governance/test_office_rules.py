"""Pure rules of offices, table-driven at their bounds: elect vs serving on the term's first day in
China's time zone; the leaders' third (办法 第七条) with the base director counted."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.governance import clock, rules

D = dt.date
TERM_START = D(2028, 6, 1)


@pytest.mark.parametrize(("today", "ended_by_decision", "ended_on", "standing"), [
    (D(2028, 5, 31), False, None, "elect"),          # the day before the term: elect, not serving
    (D(2028, 6, 1), False, None, "serving"),         # the term's first day
    (D(2031, 5, 31), False, None, "serving"),        # its last day
    (D(2032, 1, 1), False, None, "serving"),         # term run out, no successor yet: serves on
    (D(2031, 6, 1), False, D(2031, 5, 31), "ended"),  # the day after the last day in office
    (D(2031, 5, 31), False, D(2031, 5, 31), "serving"),  # the last day in office itself
    (D(2029, 1, 1), True, D(2029, 1, 1), "ended"),   # ended by a decision
    (D(2028, 5, 1), True, D(2028, 5, 1), "ended"),   # an elect whose election was undone
])
def test_officer_standing(today, ended_by_decision, ended_on, standing):
    assert rules.officer_standing(ended_by_decision=ended_by_decision, term_start=TERM_START,
                                  ended_on=ended_on, today=today) == standing


@pytest.mark.parametrize(("utc", "china_day", "standing"), [
    (dt.datetime(2028, 5, 31, 15, 59, 59, tzinfo=dt.UTC), D(2028, 5, 31), "elect"),
    (dt.datetime(2028, 5, 31, 16, 0, 0, tzinfo=dt.UTC), D(2028, 6, 1), "serving"),  # 00:00 in Beijing
])
def test_the_first_day_begins_at_midnight_in_china(utc, china_day, standing):
    assert clock.china_date(utc) == china_day
    assert rules.officer_standing(ended_by_decision=False, term_start=TERM_START, ended_on=None,
                                  today=clock.china_date(utc)) == standing


def _third(errors):
    return [e for e in errors if isinstance(e, rules.CharterRefusal) and "Article 7" in e.article_en]


@pytest.mark.parametrize(("office", "serving_leaders", "active_units", "refused"), [
    ("base_director", 7, 24, False),   # the eighth leader with 24 units: exactly one third
    ("base_director", 7, 23, True),    # one unit fewer: 8 > 23/3
    ("chair", 7, 24, False),           # the director already counted among the 7
    ("chair", 8, 24, True),            # 9 leaders for 24 units
    ("secretary_general", 0, 3, False),
    ("secretary_general", 0, 2, True),  # a single leader needs three units
    ("standing_director", 30, 3, False),  # not a leader
])
def test_the_leaders_third_counts_the_base_director(office, serving_leaders, active_units, refused):
    errors = rules.officer_errors(office=office, birth_date=D(1970, 1, 1), term_start=TERM_START,
                                  serving_in_office=0, serving_leaders=serving_leaders, active_units=active_units)
    third = _third(errors)
    assert bool(third) == refused
    if refused:
        assert "管理办法第七条" in third[0].message_zh and "Measures, Article 7" in third[0].message_en


@pytest.mark.parametrize(("serving_in_office", "refused"), [(0, False), (1, True)])
def test_one_base_director(serving_in_office, refused):
    errors = rules.officer_errors(office="base_director", birth_date=D(1950, 1, 1), term_start=TERM_START,
                                  serving_in_office=serving_in_office, serving_leaders=0, active_units=30)
    assert [e.article_en for e in errors] == (["Council Charter, Article 5"] if refused else [])
    # no age limit for the director (第十五条 binds the chair and vice-chairs): born 1950, 81 at the term's end


def test_the_general_meeting_decides_the_four_leaders_only():
    assert set(rules.GENERAL_MEETING_OFFICES) == set(rules.LEADER_OFFICES)
    assert "standing_director" not in rules.GENERAL_MEETING_OFFICES
