"""The one decoder of identifiers (ecozone/ids.py), without a database."""

from __future__ import annotations

import base64

import pytest
from strawberry.relay import GlobalID

from ecozone.errors import NotFound
from ecozone.ids import MAX_ID, decode_global_id, parse_id, split_global_id


@pytest.mark.parametrize(("text", "expected"), [
    ("1", 1),
    ("7", 7),
    ("10", 10),
    ("2147483647", 2147483647),
    ("0", None),
    ("2147483648", None),
    ("9999999999", None),
    ("99999999999999999999", None),
    ("1" * 10_000, None),
    ("01", None),
    ("00", None),
    ("+1", None),
    ("-1", None),
    (" 1", None),
    ("1 ", None),
    ("1\n", None),
    ("\t1", None),
    ("1_000", None),
    ("1.0", None),
    ("1e3", None),
    ("0x1", None),
    ("²", None),
    ("1²", None),
    ("١", None),  # Arabic-Indic one
    ("１", None),  # fullwidth one
    ("߁", None),  # NKo one
    ("Ⅻ", None),
    ("一", None),
    ("", None),
    ("é", None),
    ("1\x00", None),
    (None, None),
    (1.0, None),
    (b"1", None),
    (True, None),
    (1, 1),
    (0, None),
    (MAX_ID + 1, None),
])
def test_parse_id(text, expected):
    assert parse_id(text) == expected


def test_the_range_is_the_primary_keys_int4():
    assert MAX_ID == 2**31 - 1


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(("global_id", "expected"), [
    (_b64("Expert:1"), ("Expert", "1")),
    (_b64("Expert:²"), ("Expert", "²")),
    (_b64("Expert:1:2"), ("Expert", "1:2")),
    (_b64("Expert"), None),
    (_b64(":1"), None),
    ("not base64!", None),
    ("RXhwZXJ0OjE", None),  # padding missing
    ("", None),
    ("ü", None),
    (base64.b64encode(b"\xff\xfe:1").decode(), None),  # not UTF-8
    (_b64("Expert:" + "1" * 1000), None),  # longer than any real ID
    (None, None),
    (42, None),
    (GlobalID("Expert", "3"), ("Expert", "3")),
])
def test_split_global_id(global_id, expected):
    assert split_global_id(global_id) == expected


@pytest.mark.parametrize("global_id", [
    _b64("Expert:²"), _b64("Expert:99999999999999999999"), _b64("Expert:0"), _b64("Expert:01"),
    _b64("Expert:-1"), _b64("Expert: 1"), _b64("Expert:"), _b64("Zone:1"), _b64("expert:1"),
    "%%%", "", GlobalID("Zone", "1"), GlobalID("Expert", "2147483648"),
])
def test_decode_global_id_refuses_anything_else_as_not_found(global_id):
    with pytest.raises(NotFound) as caught:
        decode_global_id(global_id, "Expert", "expertId")
    assert caught.value.message_en.startswith("expertId: ")
    assert caught.value.message_zh.startswith("expertId：")
    assert "Expert" in caught.value.message_zh


@pytest.mark.parametrize("global_id", [_b64("Expert:12"), GlobalID("Expert", "12")])
def test_decode_global_id(global_id):
    assert decode_global_id(global_id, "Expert") == 12
    assert decode_global_id(_b64("Expert:2147483647"), "Expert") == MAX_ID
