"""Pure rules of trace records, table-driven: every refusal and every boundary."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.trace import rules
from ecozone.trace.enterprises import enterprise_errors

from tests.trace.support import FACTORY, GARDEN_A, uscc

NOW = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
BASE = {"id": "r-1", "enterprise": uscc("361130", 1), "code": GARDEN_A, "event": "production",
        "time": "2026-04-02T09:00:00+08:00", "place": "婺源", "data": {}}


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"id": ""}, "id", "format"),
    ({"id": "a" * 101}, "id", "format"),
    ({"id": "a b"}, "id", "format"),
    ({"enterprise": None}, "enterprise", "required"),
    ({"enterprise": 42}, "enterprise", "type"),
    ({"code": GARDEN_A[:-1]}, "code", "length"),
    ({"code": 36}, "code", "type"),
    ({"event": "PRODUCTION"}, "event", "choice"),
    ({"time": "2026-04-02"}, "time", "format"),
    ({"time": "2026-02-30T09:00:00Z"}, "time", "format"),
    ({"time": "1999-12-31T23:59:59Z"}, "time", "range"),
    ({"time": "2026-12-03T00:00:01Z"}, "time", "range"),
    ({"place": ""}, "place", "required"),
    ({"place": "x" * 201}, "place", "length"),
    ({"placeCode": "012345"}, "placeCode", "format"),
    ({"reason": "x" * 501}, "reason", "length"),
    ({"catalogVersion": 0}, "catalogVersion", "range"),
    ({"catalogVersion": True}, "catalogVersion", "range"),
    ({"inputs": "x"}, "inputs", "type"),
    ({"inputs": [GARDEN_A] * 101}, "inputs", "type"),
    ({"inputs": ["1"]}, "inputs[0]", "length"),
    ({"gtin": "0690123456789", "lot": "L1"}, "gtin", "check_digit"),
    ({"gtin": "12345", "lot": "L1"}, "gtin", "format"),
    ({"gtin": "06901234567892"}, "lot", "pair"),
    ({"gtin": "06901234567892", "lot": "批次"}, "lot", "format"),
    ({"gtin": "06901234567892", "lot": "x" * 21}, "lot", "format"),
    ({"data": []}, "data", "type"),
    ({"who": "me"}, "who", "unknown"),
])
def test_envelope_refusals(change, field, code):
    env, errors = rules.parse_envelope({**BASE, **change}, NOW)
    assert env is None
    assert (field, code) in {(e.field, e.code) for e in errors}
    assert all(e.message_zh for e in errors)


@pytest.mark.parametrize("change", [
    {}, {"id": "a" * 100}, {"time": "2000-01-01T00:00:00Z"}, {"time": "2026-12-03T00:00:00Z"},
    {"place": "x" * 200}, {"catalogVersion": 1}, {"inputs": [FACTORY]}, {"gtin": "06901234567892", "lot": "x" * 20},
    {"gtin": "6901234567892", "lot": "L"}, {"placeCode": "361130"}, {"reason": "x" * 500},
])
def test_envelope_boundaries_accepted(change):
    env, errors = rules.parse_envelope({**BASE, **change}, NOW)
    assert errors == [] and env is not None
    assert env.batch == env.code[:22] and env.category == "tea"


def test_gtin_is_normalised_to_14_digits_and_content_hash_is_key_order_free():
    env, _ = rules.parse_envelope({**BASE, "gtin": "6901234567892", "lot": "L"}, NOW)
    assert env.gtin == "06901234567892"
    again, _ = rules.parse_envelope(dict(reversed(list({**BASE, "gtin": "6901234567892", "lot": "L"}.items()))), NOW)
    assert env.content_hash() == again.content_hash()


@pytest.mark.parametrize(("event", "zone", "producer", "expected"), [
    ("production", "36", "000101", set()),
    ("processing", "36", "000101", set()),
    ("production", "52", "000101", {"foreign_zone"}),
    ("processing", "36", "000999", {"foreign_producer"}),
    ("sale", "52", "000999", set()),  # anyone's batch is sold, tested, moved
    ("testing", "52", "000999", set()),
    ("transport", "52", "000999", set()),
])
def test_making_events_carry_the_enterprise_code(event, zone, producer, expected):
    env, _ = rules.parse_envelope({**BASE, "event": event}, NOW)
    assert {e.code for e in rules.producer_errors(env, zone, producer)} == expected


def test_split_public():
    assert rules.split_public({"a": 1, "b": 2}, frozenset({"a"})) == ({"a": 1}, {"b": 2})


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, set()),
    ({"uscc": uscc("520100", 1)}, {("uscc", "foreign_region")}),
    ({"uscc": uscc("361130", 1)[:-1] + "0" if not uscc("361130", 1).endswith("0") else uscc("361130", 1)[:-1] + "1"},
     {("uscc", "checksum")}),
    ({"producer_code": "000000"}, {("producerCode", "format")}),
    ({"producer_code": "12345"}, {("producerCode", "format")}),
    ({"kinds": []}, {("kinds", "choice")}),
    ({"kinds": ["seller", "seller"]}, {("kinds", "choice")}),
    ({"kinds": ["farmer"]}, {("kinds", "choice")}),
    ({"name_zh": " "}, {("nameZh", "length")}),
    ({"name_en": "x" * 301}, {("nameEn", "length")}),
])
def test_enterprise_registration(changes, expected):
    values = {"name_zh": "茶园", "name_en": "Garden", "uscc": uscc("361130", 1), "producer_code": "000101",
              "kinds": ["producer"], "zone_admin_code": "36", **changes}
    assert {(e.field, e.code) for e in enterprise_errors(**values)} == expected


def test_fast_code_check_agrees_with_the_catalog_validator():
    """code_is_valid is a shortcut for valid codes only: it must never accept what
    catalogs.codes.validate_code refuses, nor refuse what it accepts (random and edge codes)."""
    import random

    from ecozone.catalogs import codes
    rng = random.Random(19)
    samples = [GARDEN_A, FACTORY, "36" + "0" * 25, "99" + GARDEN_A[2:], GARDEN_A[:2] + "12" + GARDEN_A[4:],
               GARDEN_A[:10] + "20260230" + GARDEN_A[18:], GARDEN_A[:18] + "0000" + GARDEN_A[22:],
               GARDEN_A[:22] + "0000" + GARDEN_A[26:], "３６" + GARDEN_A[2:], GARDEN_A + "0", GARDEN_A[:-1]]
    for _ in range(3000):
        body = rng.choice(["36", "52", "35", "46", "00"]) + f"{rng.randint(0, 12):02d}" + f"{rng.randint(0, 999999):06d}"
        body += f"{rng.randint(2023, 2027)}{rng.randint(0, 13):02d}{rng.randint(0, 32):02d}"
        body += f"{rng.randint(0, 9999):04d}{rng.randint(0, 9999):04d}"
        samples += [body + codes.check_digit(body), body + str(rng.randint(0, 9))]
    for code in samples:
        assert rules.code_is_valid(code) == (codes.validate_code(code) == []), code
