"""Table tests of the traceability code: each segment wrong, check digit, lengths."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.catalogs import codes

GOOD = codes.make_code(zone="36", category="tea", producer="000123", date=dt.date(2026, 4, 2), batch=7, serial=15)


def with_segment(segment: str, value: str, *, fix_check: bool = True) -> str:
    parts = codes.split(GOOD)
    parts[segment] = value
    body = "".join(parts[s.key] for s in codes.SEGMENTS[:-1])
    return body + (codes.check_digit(body) if fix_check and body.isdigit() else parts["check"])


def test_the_example_is_valid_and_laid_out_as_documented():
    assert GOOD == "360500012320260402000700153"
    assert codes.validate_code(GOOD) == []
    assert codes.CODE_LENGTH == 27
    rules = codes.encoding_rules("hogs")
    assert rules["category_code"] == "07" and rules["example"][2:4] == "07"
    assert [s["start"] for s in rules["segments"]] == [1, 3, 5, 11, 19, 23, 27]
    assert codes.validate_code(rules["example"]) == []


@pytest.mark.parametrize("segment, value, problem", [
    ("zone", "99", "unknown"), ("zone", "00", "unknown"), ("zone", "3a", "digits"),
    ("category", "00", "unknown"), ("category", "12", "unknown"), ("category", "1x", "digits"),
    ("producer", "000000", "zero"), ("producer", "00012a", "digits"),
    ("date", "20260230", "date"), ("date", "20261301", "date"), ("date", "20260400", "date"),
    ("batch", "0000", "zero"), ("serial", "0000", "zero"), ("serial", "00 1", "digits"),
])
def test_each_wrong_segment_is_named(segment, value, problem):
    errors = codes.validate_code(with_segment(segment, value))
    assert [(e.segment, e.code) for e in errors] == [(segment, problem)]
    assert errors[0].message_en and errors[0].message_zh


@pytest.mark.parametrize("segment, value", [
    ("zone", "11"), ("zone", "82"), ("category", "01"), ("category", "11"), ("producer", "999999"),
    ("date", "20240229"), ("batch", "9999"), ("serial", "0001"),
])
def test_boundary_values_are_accepted(segment, value):
    assert codes.validate_code(with_segment(segment, value)) == []


def test_a_wrong_check_digit_is_reported_with_the_expected_one():
    wrong = GOOD[:-1] + str((int(GOOD[-1]) + 1) % 10)
    errors = codes.validate_code(wrong)
    assert [(e.segment, e.code) for e in errors] == [("check", "check_digit")]
    assert f"expected {GOOD[-1]}" in errors[0].message_en


def test_a_mistyped_digit_fails_the_check_digit():
    mistyped = GOOD[:12] + str((int(GOOD[12]) + 1) % 10) + GOOD[13:]
    assert [e.segment for e in codes.validate_code(mistyped)] == ["check"]


def test_swapped_neighbours_fail_the_check_digit():
    # GS1 mod 10 catches a swap of neighbours unless they differ by 5
    swapped = GOOD[:7] + GOOD[8] + GOOD[7] + GOOD[9:]
    assert GOOD[7:9] == "12"
    assert [e.segment for e in codes.validate_code(swapped)] == ["check"]


@pytest.mark.parametrize("code", ["", GOOD[:-1], GOOD + "0", "3" * 40])
def test_wrong_lengths(code):
    errors = codes.validate_code(code)
    assert [(e.segment, e.code) for e in errors] == [("code", "length")]


def test_non_digit_check_character():
    errors = codes.validate_code(GOOD[:-1] + "X")
    assert [(e.segment, e.code) for e in errors] == [("check", "digits")]


def test_full_width_digits_are_refused():
    errors = codes.validate_code("３" + GOOD[1:])
    assert ("zone", "digits") in [(e.segment, e.code) for e in errors]
