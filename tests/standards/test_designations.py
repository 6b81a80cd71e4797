"""The designation parser, table-driven: every dash, spaces, full-width characters, missing year,
unknown codes (no match, never an error)."""

from __future__ import annotations

import pytest

from ecozone.standards.designations import DASHES, Designation, parse
from ecozone.standards.rules import designation

DB52_1_2026 = Designation("joint_local", "DB52/T", 1, 2026)
GROUP_1 = Designation("group", "T/NTSIBJGE", 1, None)


@pytest.mark.parametrize("typed, expected", [
    ("DB52/T 1—2026", DB52_1_2026),            # as the platform writes it (em dash)
    ("DB52/T 1-2026", DB52_1_2026),            # ASCII hyphen-minus
    ("DB52/T 1–2026", DB52_1_2026),            # en dash
    ("DB52/T 1－2026", DB52_1_2026),           # full-width hyphen-minus
    ("DB52/T 1‐2026", DB52_1_2026),            # hyphen
    ("DB52/T 1‑2026", DB52_1_2026),            # non-breaking hyphen
    ("DB52/T 1‒2026", DB52_1_2026),            # figure dash
    ("DB52/T 1―2026", DB52_1_2026),            # horizontal bar
    ("DB52/T 1−2026", DB52_1_2026),            # minus sign
    ("DB52/T 1——2026", DB52_1_2026),           # a doubled dash, as Chinese IMEs type ——
    ("DB52/T 1 — 2026", DB52_1_2026),          # spaces around the dash
    ("DB52/T1-2026", DB52_1_2026),
    ("DB 52/T 1—2026", DB52_1_2026),
    ("  DB52 / T  1 —2026 ", DB52_1_2026),
    ("ＤＢ５２／Ｔ　１－２０２６", DB52_1_2026),   # all full-width, ideographic space
    ("db52/t 1—2026", DB52_1_2026),
    ("DB52/T 0001—2026", DB52_1_2026),         # leading zeros
    ("DB52T1", Designation("joint_local", "DB52/T", 1)),
    ("db52/t 1", Designation("joint_local", "DB52/T", 1)),
    ("DB36/T 1234", Designation("joint_local", "DB36/T", 1234)),
    ("DB99/T 7—2026", Designation("joint_local", "DB99/T", 7, 2026)),  # parses; no zone has it
    ("T/NTSIBJGE 001", GROUP_1),
    ("T/NTSIBJGE 001—2026", Designation("group", "T/NTSIBJGE", 1, 2026)),
    ("t/ntsibjge 1", GROUP_1),
    ("TNTSIBJGE001", GROUP_1),
    ("Ｔ／ＮＴＳＩＢＪＧＥ　００１", GROUP_1),
])
def test_parses(typed, expected):
    assert parse(typed) == expected


@pytest.mark.parametrize("typed", [
    None, "", "   ", "茶叶", "DB52/T", "DB52/T —2026", "DB52/T 0", "DB52/T 1—26", "DB52/T 1—20266",
    "DB5/T 1", "DB520/T 1", "DB52 1", "GB/T 1—2026", "GB 2763", "T/CAS 1", "T/NTSIBJGE",
    "DB52/T 1 2026 extra", "DB52/T 1—2026—2027", "DB52/T x", "DB52/T 1.2", "x" * 200,
])
def test_anything_else_is_no_designation(typed):
    assert parse(typed) is None


@pytest.mark.parametrize("dash", list(DASHES))
def test_every_listed_dash(dash):
    assert parse(f"DB36/T 12{dash}2025") == Designation("joint_local", "DB36/T", 12, 2025)


@pytest.mark.parametrize("kind, number, year, code", [
    ("joint_local", 1, 2026, "DB52/T"), ("joint_local", 1234, 2030, "DB36/T"), ("group", 7, 2026, None)])
def test_what_the_platform_writes_parses_back(kind, number, year, code):
    written = designation(kind, number, year, code)
    assert parse(written) == Designation(kind, code or "T/NTSIBJGE", number, year)
