"""Table tests of the expert registry's pure rules: profile fields, visibility, states."""

from __future__ import annotations

import itertools

import pytest

from ecozone.errors import Conflict, FieldError
from ecozone.experts.rules import (
    AVAILABILITIES,
    EXPERT_STATES,
    PRODUCT_CATEGORIES,
    VISIBILITIES,
    can_see,
    next_state,
    validate_profile_fields,
)


def codes(errors: list[FieldError]) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in errors]


# ---------------------------------------------------------------------------- profile

FULL = {
    "name_zh": "张三丰", "name_en": "Zhang Sanfeng", "title": "研究员", "organisation": "示例农业研究所",
    "email": "zhang@example.cn", "phone": "0791-12345678", "orcid": "0000-0002-1825-0097",
    "biography": "长期从事水稻育种研究。", "fields": ["水稻育种", "土壤学"],
    "categories": ["grain", "tea"], "availability": "limited",
}


def test_product_categories() -> None:
    assert PRODUCT_CATEGORIES == {
        "grain": ("粮食", "Grain"), "oil_crops": ("油料", "Oil crops"),
        "vegetables": ("蔬菜", "Vegetables"), "citrus": ("柑橘", "Citrus"), "tea": ("茶叶", "Tea"),
        "kiwifruit": ("猕猴桃", "Kiwifruit"), "hogs": ("生猪", "Hogs"),
        "waterfowl": ("水禽", "Waterfowl"), "freshwater_fish": ("大宗淡水鱼", "Bulk freshwater fish"),
        "special_aquatic": ("特种水产", "Special aquatic products"),
        "medicinal_herbs": ("中药材", "Traditional Chinese medicinal herbs"),
    }


@pytest.mark.parametrize("data", [
    {}, FULL,
    {"name_zh": "张" * 50}, {"name_zh": "张"}, {"name_en": "x" * 100}, {"title": "x" * 100},
    {"organisation": "x" * 200}, {"biography": "x" * 5000},
    {"name_en": None, "title": None, "organisation": None, "biography": None},  # cleared
    {"name_en": "", "title": "  ", "email": "", "phone": "", "orcid": ""},
    {"email": None, "phone": None, "orcid": None, "fields": None, "categories": None},
    {"availability": None},  # back to the default
    {"fields": []}, {"fields": [f"领域{i}" for i in range(20)]}, {"fields": ["x" * 50]},
    {"fields": ("土壤学", "水稻育种")},
    {"categories": []}, {"categories": list(PRODUCT_CATEGORIES)},
    *[{"availability": a} for a in AVAILABILITIES],
    {"unknown_key": object()},  # other keys are the caller's business
])
def test_valid_profiles(data: dict) -> None:
    assert validate_profile_fields(data) == []


@pytest.mark.parametrize(("data", "expected"), [
    ({"name_zh": None}, ("nameZh", "required")),
    ({"name_zh": ""}, ("nameZh", "required")),
    ({"name_zh": "   "}, ("nameZh", "required")),
    ({"name_zh": 42}, ("nameZh", "type")),
    ({"name_zh": "张" * 51}, ("nameZh", "too_long")),
    ({"name_en": "x" * 101}, ("nameEn", "too_long")),
    ({"name_en": ["Zhang"]}, ("nameEn", "type")),
    ({"title": "x" * 101}, ("title", "too_long")),
    ({"organisation": "x" * 201}, ("organisation", "too_long")),
    ({"biography": "x" * 5001}, ("biography", "too_long")),
    ({"email": "zhang@"}, ("email", "format")),
    ({"phone": "12345"}, ("phone", "format")),
    ({"orcid": "0000-0002-1825"}, ("orcid", "format")),
    ({"orcid": "0000-0002-1825-0098"}, ("orcid", "checksum")),
    ({"fields": "土壤学"}, ("fields", "type")),
    ({"fields": [f"领域{i}" for i in range(21)]}, ("fields", "too_many")),
    ({"fields": [""]}, ("fields", "blank")),
    ({"fields": ["  "]}, ("fields", "blank")),
    ({"fields": [None]}, ("fields", "blank")),
    ({"fields": ["x" * 51]}, ("fields", "too_long")),
    ({"fields": ["土壤学", "土壤学"]}, ("fields", "duplicate")),
    ({"fields": ["Soil science", " soil science "]}, ("fields", "duplicate")),
    ({"categories": "grain"}, ("categories", "type")),
    ({"categories": ["rice"]}, ("categories", "choice")),
    ({"categories": ["Grain"]}, ("categories", "choice")),
    ({"categories": [None]}, ("categories", "choice")),
    ({"categories": ["tea", "tea"]}, ("categories", "duplicate")),
    ({"availability": "busy"}, ("availability", "choice")),
    ({"availability": ""}, ("availability", "choice")),
])
def test_refused_profile_fields(data: dict, expected: tuple[str, str]) -> None:
    errors = validate_profile_fields(data)
    assert codes(errors) == [expected]
    assert errors[0].message_en and errors[0].message_zh


@pytest.mark.parametrize(("key", "limit", "field"), [
    ("name_zh", 50, "nameZh"), ("name_en", 100, "nameEn"), ("title", 100, "title"),
    ("organisation", 200, "organisation"), ("biography", 5000, "biography"),
])
def test_text_length_boundaries(key: str, limit: int, field: str) -> None:
    assert validate_profile_fields({key: "字" * limit}) == []
    errors = validate_profile_fields({key: "字" * (limit + 1)})
    assert codes(errors) == [(field, "too_long")]
    assert f"at most {limit} characters (got {limit + 1})" in errors[0].message_en
    assert f"不能超过 {limit} 个字符" in errors[0].message_zh


def test_unknown_category_lists_the_allowed_ones() -> None:
    [error] = validate_profile_fields({"categories": ["grain", "rice"]})
    assert "'rice'" in error.message_en and "“rice”" in error.message_zh
    for slug, (zh, _en) in PRODUCT_CATEGORIES.items():
        assert slug in error.message_en and f"{slug}（{zh}）" in error.message_zh


def test_availability_message_lists_the_choices() -> None:
    [error] = validate_profile_fields({"availability": "busy"})
    assert all(a in error.message_en and a in error.message_zh for a in AVAILABILITIES)


def test_every_problem_is_reported_at_once() -> None:
    data = {
        "name_zh": "", "name_en": "x" * 101, "email": "a b@c.cn", "phone": "123",
        "orcid": "0000-0002-1825-0098", "fields": ["", "x" * 51, "a", "A"] + ["f"] * 17,
        "categories": ["rice", "tea", "tea"], "availability": "sometimes",
    }
    assert codes(validate_profile_fields(data)) == [
        ("nameZh", "required"), ("nameEn", "too_long"), ("email", "format"), ("phone", "format"),
        ("orcid", "checksum"), ("fields", "too_many"), ("fields", "blank"), ("fields", "too_long"),
        ("fields", "duplicate"), *[("fields", "duplicate")] * 16,
        ("categories", "choice"), ("categories", "duplicate"), ("availability", "choice"),
    ]


def test_field_messages_name_the_position_and_the_duplicate() -> None:
    errors = validate_profile_fields({"fields": ["土壤学", "", "土壤学"]})
    assert [e.message_en for e in errors] == [
        "field of expertise #2 is empty", "field of expertise '土壤学' is listed twice"]
    assert [e.message_zh for e in errors] == ["第 2 个专业领域为空", "专业领域“土壤学”重复"]


# ---------------------------------------------------------------------------- visibility

# (visibility, signed in, owner, home-zone staff) -> visible; every combination, written out.
SEE = {
    ("public", False, False, False): True, ("public", False, False, True): True,
    ("public", False, True, False): True, ("public", False, True, True): True,
    ("public", True, False, False): True, ("public", True, False, True): True,
    ("public", True, True, False): True, ("public", True, True, True): True,
    ("partners", False, False, False): False, ("partners", False, False, True): False,
    ("partners", False, True, False): False, ("partners", False, True, True): False,
    ("partners", True, False, False): True, ("partners", True, False, True): True,
    ("partners", True, True, False): True, ("partners", True, True, True): True,
    ("private", False, False, False): False, ("private", False, False, True): True,
    ("private", False, True, False): True, ("private", False, True, True): True,
    ("private", True, False, False): False, ("private", True, False, True): True,
    ("private", True, True, False): True, ("private", True, True, True): True,
}


def test_visibility_table_is_complete() -> None:
    assert VISIBILITIES == ("public", "partners", "private")
    assert set(SEE) == set(itertools.product(VISIBILITIES, *[(False, True)] * 3))


@pytest.mark.parametrize(("visibility", "signed_in", "owner", "staff", "visible"),
                         [(*key, value) for key, value in SEE.items()])
def test_can_see(visibility: str, signed_in: bool, owner: bool, staff: bool, visible: bool) -> None:
    assert can_see(visibility, viewer_is_signed_in=signed_in, viewer_is_owner=owner,
                   viewer_is_home_zone_staff=staff) is visible


@pytest.mark.parametrize("visibility", ["", "Public", "secret", "partner"])
def test_unknown_visibility_is_an_error(visibility: str) -> None:
    with pytest.raises(ValueError):
        can_see(visibility, viewer_is_signed_in=True, viewer_is_owner=True,
                viewer_is_home_zone_staff=True)


# ---------------------------------------------------------------------------- states

STATE_TABLE = [
    ("pending", "verify", "verified"),
    ("pending", "suspend", "suspended"),
    ("verified", "verify", ("expert is already verified", "专家已通过审核")),
    ("verified", "suspend", "suspended"),
    ("suspended", "verify", "verified"),
    ("suspended", "suspend", ("expert is already suspended", "专家已被暂停")),
]


def test_state_table_covers_every_pair() -> None:
    assert EXPERT_STATES == ("pending", "verified", "suspended")
    pairs = [(state, action) for state, action, _ in STATE_TABLE]
    assert sorted(pairs) == sorted(itertools.product(EXPERT_STATES, ("verify", "suspend")))


@pytest.mark.parametrize(("state", "action", "expected"), STATE_TABLE)
def test_next_state(state: str, action: str, expected: str | tuple[str, str]) -> None:
    if isinstance(expected, str):
        assert next_state(state, action) == expected
        assert expected in EXPERT_STATES
        return
    with pytest.raises(Conflict) as caught:
        next_state(state, action)
    assert (caught.value.message_en, caught.value.message_zh) == expected
    assert caught.value.code == "conflict"


@pytest.mark.parametrize(("state", "action"), [
    ("pending", "approve"), ("verified", "delete"), ("archived", "verify"), ("", "suspend"),
])
def test_unknown_state_or_action_is_an_error(state: str, action: str) -> None:
    with pytest.raises(ValueError):
        next_state(state, action)
