"""Pure rules of the expert registry: profile fields, visibility, states.

Identifier and contact checks live in ``contact``, names and search keys in ``names``; they
are re-exported here so that callers have one module of rules.

No database and no I/O, so the service, the GraphQL layer and the tests share one truth.
Every refusal is a ``FieldError`` (or ``Conflict``) carrying its message in English and Chinese.
"""

from __future__ import annotations

from ecozone.errors import Conflict, FieldError
from ecozone.experts.contact import (  # noqa: F401 - re-exported
    normalize_orcid,
    normalize_phone,
    orcid_checksum_ok,
    validate_email,
    validate_orcid,
    validate_phone,
)
from ecozone.experts.names import COMPOUND_SURNAMES, SURNAME_READINGS, name_pinyin, search_keys  # noqa: F401

# ---------------------------------------------------------------------------- profile

PRODUCT_CATEGORIES: dict[str, tuple[str, str]] = {
    "grain": ("粮食", "Grain"), "oil_crops": ("油料", "Oil crops"),
    "vegetables": ("蔬菜", "Vegetables"), "citrus": ("柑橘", "Citrus"), "tea": ("茶叶", "Tea"),
    "kiwifruit": ("猕猴桃", "Kiwifruit"), "hogs": ("生猪", "Hogs"), "waterfowl": ("水禽", "Waterfowl"),
    "freshwater_fish": ("大宗淡水鱼", "Bulk freshwater fish"),
    "special_aquatic": ("特种水产", "Special aquatic products"),
    "medicinal_herbs": ("中药材", "Traditional Chinese medicinal herbs"),
}
AVAILABILITIES = ("available", "limited", "unavailable")
MAX_FIELDS, MAX_FIELD_LENGTH = 20, 50
# input key -> (GraphQL field name, English label, Chinese label, max length)
_TEXTS: dict[str, tuple[str, str, str, int]] = {
    "name_zh": ("nameZh", "Chinese name", "中文姓名", 50),
    "name_en": ("nameEn", "English name", "英文姓名", 100),
    "title": ("title", "title", "职称", 100),
    "organisation": ("organisation", "organisation", "工作单位", 200),
    "biography": ("biography", "biography", "个人简介", 5000),
}


def _text_errors(key: str, value: object) -> list[FieldError]:
    field, en, zh, limit = _TEXTS[key]
    if value is None or (isinstance(value, str) and not value.strip()):
        # Only the Chinese name is mandatory; the other texts may be cleared.
        return [FieldError(field, "required", f"{en} is required", f"{zh}不能为空")] \
            if key == "name_zh" else []
    if not isinstance(value, str):
        return [FieldError(field, "type", f"{en} must be text", f"{zh}必须是文本")]
    if len(value) > limit:  # the raw length, as the VARCHAR column must hold it
        return [FieldError(field, "too_long",
                           f"{en} must be at most {limit} characters (got {len(value)})",
                           f"{zh}不能超过 {limit} 个字符（当前 {len(value)} 个）")]
    return []


def _field_list_errors(value: object) -> list[FieldError]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        return [FieldError("fields", "type", "fields of expertise must be a list", "专业领域必须是列表")]
    errors: list[FieldError] = []
    if len(value) > MAX_FIELDS:
        errors.append(FieldError("fields", "too_many",
                                 f"at most {MAX_FIELDS} fields of expertise (got {len(value)})",
                                 f"专业领域最多 {MAX_FIELDS} 个（当前 {len(value)} 个）"))
    seen: set[str] = set()
    for n, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            errors.append(FieldError("fields", "blank", f"field of expertise #{n} is empty",
                                     f"第 {n} 个专业领域为空"))
        elif len(item) > MAX_FIELD_LENGTH:
            errors.append(FieldError(
                "fields", "too_long",
                f"field of expertise #{n} must be at most {MAX_FIELD_LENGTH} characters",
                f"第 {n} 个专业领域不能超过 {MAX_FIELD_LENGTH} 个字符"))
        # "Soil science" and "soil science " are one field to a reader and to the search.
        elif (key := item.strip().casefold()) in seen:
            errors.append(FieldError("fields", "duplicate",
                                     f"field of expertise {item.strip()!r} is listed twice",
                                     f"专业领域“{item.strip()}”重复"))
        else:
            seen.add(key)
    return errors


def _category_errors(value: object) -> list[FieldError]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        return [FieldError("categories", "type", "categories must be a list", "产品类别必须是列表")]
    allowed_en = ", ".join(PRODUCT_CATEGORIES)
    allowed_zh = "、".join(f"{slug}（{zh}）" for slug, (zh, _) in PRODUCT_CATEGORIES.items())
    errors: list[FieldError] = []
    for n, item in enumerate(value):
        if not isinstance(item, str) or item not in PRODUCT_CATEGORIES:
            errors.append(FieldError("categories", "choice",
                                     f"unknown category {item!r}; allowed: {allowed_en}",
                                     f"未知的产品类别“{item}”，可选：{allowed_zh}"))
        elif item in value[:n]:
            errors.append(FieldError("categories", "duplicate",
                                     f"category {item!r} is listed twice",
                                     f"产品类别“{item}”重复"))
    return errors


def validate_profile_fields(data: dict) -> list[FieldError]:
    """Every problem of a profile input at once; keys absent from ``data`` are not checked.

    ``None`` clears an optional value (availability then returns to its default), but
    ``name_zh`` cannot be cleared.
    """
    errors: list[FieldError] = []
    for key in _TEXTS:
        errors += _text_errors(key, data[key]) if key in data else []
    for key, check in (("email", validate_email), ("phone", validate_phone),
                       ("orcid", validate_orcid), ("fields", _field_list_errors),
                       ("categories", _category_errors)):
        errors += check(data[key]) if key in data else []
    if data.get("availability") is not None and data["availability"] not in AVAILABILITIES:
        errors.append(FieldError("availability", "choice",
                                 f"availability must be one of {', '.join(AVAILABILITIES)}",
                                 "可用状态应为 available（可参加）、limited（时间有限）或 unavailable（暂不可参加）"))
    return errors


# ---------------------------------------------------------------------------- visibility

VISIBILITIES = ("public", "partners", "private")


def can_see(visibility: str, *, viewer_is_signed_in: bool, viewer_is_owner: bool,
            viewer_is_home_zone_staff: bool) -> bool:
    """public: everyone; partners: signed-in users; private: the owner and home-zone staff."""
    if visibility == "public":
        return True
    if visibility == "partners":
        return viewer_is_signed_in
    if visibility == "private":
        return viewer_is_owner or viewer_is_home_zone_staff
    raise ValueError(f"unknown visibility {visibility!r}")  # a typo must not leak or hide data


# ---------------------------------------------------------------------------- states

EXPERT_STATES = ("pending", "verified", "suspended")
_TRANSITIONS = {("pending", "verify"): "verified", ("suspended", "verify"): "verified",
                ("verified", "suspend"): "suspended", ("pending", "suspend"): "suspended"}
_ALREADY_ZH = {"verified": "专家已通过审核", "suspended": "专家已被暂停"}


def next_state(current: str, action: str) -> str:
    """State after ``action`` ("verify" or "suspend"); ``Conflict`` if ``current`` forbids it."""
    if current not in EXPERT_STATES or action not in ("verify", "suspend"):  # a caller's bug
        raise ValueError(f"unknown expert state or action: {current!r}, {action!r}")
    target = _TRANSITIONS.get((current, action))
    if target is None:  # only verify-when-verified and suspend-when-suspended get here
        raise Conflict(f"expert is already {current}", _ALREADY_ZH[current])
    return target
