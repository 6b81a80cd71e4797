"""Pure rules of the expert registry: identifiers, contact data, names, visibility, states.

No database and no I/O, so the service, the GraphQL layer and the tests share one truth.
Every refusal is a ``FieldError`` (or ``Conflict``) carrying its message in English and Chinese.
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

from ecozone.errors import Conflict, FieldError

# ---------------------------------------------------------------------------- ORCID

_ORCID_URL = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)
_ORCID_SHAPE = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$", re.ASCII)


def _orcid_check_char(base15: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 15 digits (10 is written X)."""
    total = 0
    for digit in base15:
        total = (total + int(digit)) * 2
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def normalize_orcid(value: str) -> str:
    """Canonical ``0000-0002-1825-0097`` form; raises ValueError when the shape is wrong.

    Accepts the orcid.org URL, the bare 16 characters and a lower-case ``x``.
    The check digit is not verified here (see ``orcid_checksum_ok``).
    """
    # NFKC turns full-width digits typed with a Chinese IME into ASCII ones.
    text = _ORCID_URL.sub("", unicodedata.normalize("NFKC", value).strip()).upper()
    match = _ORCID_SHAPE.match(text)
    # Either all three hyphens or none: "0000-00021825-0097" is a typo, not a form.
    if not match or text.count("-") not in (0, 3):
        raise ValueError(f"not an ORCID iD: {value!r}")
    return "-".join(match.groups())


def orcid_checksum_ok(orcid: str) -> bool:
    """True when ``orcid`` (any accepted form) has a correct check digit."""
    try:
        digits = normalize_orcid(orcid).replace("-", "")
    except ValueError:
        return False
    return _orcid_check_char(digits[:15]) == digits[15]


def validate_orcid(value: str | None) -> list[FieldError]:
    """Optional ORCID iD: codes ``format`` and ``checksum``."""
    if value is None or value == "":
        return []
    try:
        digits = normalize_orcid(value).replace("-", "") if isinstance(value, str) else ""
    except ValueError:
        digits = ""
    if not digits:
        return [FieldError("orcid", "format", "ORCID iD must look like 0000-0002-1825-0097",
                           "ORCID iD 格式应为 0000-0002-1825-0097")]
    expected = _orcid_check_char(digits[:15])
    if expected != digits[15]:
        return [FieldError("orcid", "checksum",
                           f"ORCID iD check digit is wrong: expected {expected}",
                           f"ORCID iD 校验位错误：应为 {expected}")]
    return []


# ---------------------------------------------------------------------------- e-mail

# RFC 5322 "atext" plus dots. The local part stays ASCII: an IDN domain can travel as
# punycode, but a Chinese local part needs SMTPUTF8 on every hop, which we cannot promise.
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")


def _domain_label_ok(label: str) -> bool:
    if not 1 <= len(label) <= 63 or label.startswith("-") or label.endswith("-"):
        return False
    # Unicode letters are allowed so that 例子.中国 passes; digits stay ASCII.
    return all(c == "-" or (c.isascii() and c.isalnum()) or (not c.isascii() and c.isalpha())
               for c in label)


def _email_problem(value: str) -> tuple[str, str, str] | None:
    """(code, en, zh) of the first reason why ``value`` is not a usable address, or None."""
    if len(value) > 254:
        return ("too_long", "e-mail address must be at most 254 characters", "电子邮箱不能超过 254 个字符")
    if any(c in value for c in "＠。．"):  # typed with a Chinese IME in full-width mode
        return ("format", "e-mail address must use the half-width characters @ and .",
                "电子邮箱请使用半角字符 @ 和 .")
    if any(c.isspace() for c in value):
        return ("format", "e-mail address must not contain spaces", "电子邮箱不能包含空格")
    if value.count("@") != 1:
        return ("format", "e-mail address must contain exactly one @", "电子邮箱必须包含且只包含一个 @")
    local, domain = value.split("@")
    if not local:
        return ("format", "e-mail address needs a name before the @", "电子邮箱 @ 前面不能为空")
    if len(local) > 64:
        return ("too_long",
                "the part of the e-mail address before the @ must be at most 64 characters",
                "电子邮箱 @ 前面的部分不能超过 64 个字符")
    if not _LOCAL_PART.match(local) or ".." in local or local[0] == "." or local[-1] == ".":
        return ("format", "the part of the e-mail address before the @ may only use letters A-Z, "
                "digits and . _ + - (no dot at either end, no two dots in a row)",
                "电子邮箱 @ 前面的部分只能使用英文字母、数字和 . _ + - 等符号（不能以点开头或结尾，不能连续两个点）")
    labels = domain.split(".")
    top = labels[-1]  # top-level domains are letters, or punycode such as xn--fiqs8s (中国)
    if len(labels) < 2 or not all(_domain_label_ok(label) for label in labels) or not (
            top.lower().startswith("xn--") or (len(top) >= 2 and top.isalpha())):
        return ("format", "e-mail address needs a domain such as example.cn after the @",
                "电子邮箱 @ 后面应为域名，如 example.cn")
    return None


def validate_email(value: str | None) -> list[FieldError]:
    """Optional e-mail address, a pragmatic check rather than full RFC 5322.

    IDN domains (例子.中国) are accepted, the local part must be ASCII (see ``_LOCAL_PART``).
    """
    if value is None or value == "":
        return []
    if not isinstance(value, str):
        return [FieldError("email", "format", "e-mail address must be text", "电子邮箱必须是文本")]
    problem = _email_problem(value)
    if problem:
        code, en, zh = problem
        return [FieldError("email", code, f"{en} (e.g. name@example.cn)",
                           f"{zh}（例如 name@example.cn）")]
    return []


# ---------------------------------------------------------------------------- phone

_MOBILE = re.compile(r"^(?:\+86|0086)?(1[3-9]\d{9})$", re.ASCII)
_LANDLINE = re.compile(r"^0(\d{2,3})-?(\d{7,8})$", re.ASCII)
_EXTENSION = re.compile(r"^\d{1,6}$", re.ASCII)


def _split_area(digits: str) -> tuple[str, str] | None:
    """Split ``0`` + area + number by the numbering plan: 010 and 02x have two digits."""
    if digits[1] in "01":  # 00 is the international prefix; the only 01x area code is 010
        return ("10", digits[3:]) if digits[1:3] == "10" else None
    size = 2 if digits[1] == "2" else 3
    return digits[1:1 + size], digits[1 + size:]


def _landline(text: str, *, grouped: bool = False) -> str | None:
    """``0791-12345678`` for a landline without extension; ``grouped``: "0791-1234-5678" too."""
    if grouped:
        head, hyphen, rest = text.partition("-")
        text = head + hyphen + rest.replace("-", "")
    match = _LANDLINE.match(text)
    if match is None:
        return None
    split = _split_area("0" + match.group(1) + match.group(2))
    if split is None or not 7 <= len(split[1]) <= 8:
        return None
    # A typed hyphen must agree with the plan: "0101-2345678" is not Beijing's 010.
    if "-" in text and split[0] != match.group(1):
        return None
    return f"0{split[0]}-{split[1]}"


def normalize_phone(value: str) -> str:
    """``+86 13800000000`` or ``0791-12345678[-123]``; raises ValueError otherwise."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if mobile := _MOBILE.match(text.replace("-", "")):
        return f"+86 {mobile.group(1)}"
    extension: str | None = None
    if "转" in text:
        text, extension = text.split("转", 1)
    elif "-" in text and _landline(text) is None and _landline(text.rsplit("-", 1)[0]):
        # "010-1234567-8": a last hyphen group is an extension when the rest is a whole number.
        text, extension = text.rsplit("-", 1)
    number = _landline(text, grouped=True)
    if number is None or (extension is not None and not _EXTENSION.match(extension)):
        raise ValueError(f"not a phone number: {value!r}")
    return number if extension is None else f"{number}-{extension}"


def validate_phone(value: str | None) -> list[FieldError]:
    """Optional Chinese mobile or landline number (code ``format``)."""
    if value is None or value == "":
        return []
    try:
        normalize_phone(value)
    except (ValueError, TypeError):
        return [FieldError(
            "phone", "format",
            "phone number must be a mobile number like 13800000000 or a landline with "
            "area code like 0791-12345678 (extension as -123 or 转123)",
            "电话号码应为手机号（如 13800000000）或带区号的固定电话（如 0791-12345678，分机写作 -123 或 转123）")]
    return []


# ---------------------------------------------------------------------------- names

# Readings of characters whose surname reading differs from pypinyin's everyday default.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan", "曾": "zeng", "区": "ou", "解": "xie", "仇": "qiu", "查": "zha", "朴": "piao",
    "盖": "ge", "覃": "qin", "翟": "zhai", "缪": "miao", "乐": "yue", "华": "hua", "柏": "bai",
    "秘": "bi", "重": "chong", "种": "chong", "折": "she", "员": "yun", "召": "shao", "繁": "po",
    "尉": "wei", "隗": "wei", "宓": "mi", "能": "nai", "黑": "he", "都": "du", "车": "che",
    "薄": "bo", "句": "gou", "冼": "xian", "宿": "su", "阚": "kan", "谌": "chen", "沈": "shen",
    "任": "ren", "纪": "ji", "长": "chang", "相": "xiang", "逄": "pang", "眭": "sui", "贲": "ben",
}
# Compound surnames with their readings (explicit, so they never depend on phrase data).
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "欧阳": ("ou", "yang"), "司马": ("si", "ma"), "诸葛": ("zhu", "ge"), "上官": ("shang", "guan"),
    "东方": ("dong", "fang"), "皇甫": ("huang", "fu"), "尉迟": ("yu", "chi"), "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"), "长孙": ("zhang", "sun"), "宇文": ("yu", "wen"), "司徒": ("si", "tu"),
    "夏侯": ("xia", "hou"), "令狐": ("ling", "hu"), "端木": ("duan", "mu"), "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"), "澹台": ("tan", "tai"), "闻人": ("wen", "ren"), "东郭": ("dong", "guo"),
    "南宫": ("nan", "gong"), "西门": ("xi", "men"), "呼延": ("hu", "yan"), "轩辕": ("xuan", "yuan"),
    "钟离": ("zhong", "li"), "宗政": ("zong", "zheng"), "濮阳": ("pu", "yang"), "公冶": ("gong", "ye"),
    "太叔": ("tai", "shu"), "申屠": ("shen", "tu"), "赫连": ("he", "lian"), "百里": ("bai", "li"),
    "淳于": ("chun", "yu"), "拓跋": ("tuo", "ba"), "鲜于": ("xian", "yu"), "司空": ("si", "kong"),
    "独孤": ("du", "gu"), "第五": ("di", "wu"), "左丘": ("zuo", "qiu"),
}
_HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_NAME_DOTS = re.compile(r"[·•・‧.]")  # separators of transcribed (e.g. Uyghur) names


def _syllables(text: str) -> list[str]:
    """pypinyin syllables of the Han characters; ü is kept for the callers to spell."""
    return lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="ignore")


def _is_han_name(text: str) -> bool:
    """Only Han characters, spaces and name dots (and at least one Han character)."""
    return bool(_HAN.search(text)) and all(
        _HAN.match(c) or c.isspace() or _NAME_DOTS.match(c) for c in text)


def _name_parts(name: str) -> tuple[list[str], list[str]]:
    """(surname syllables, given-name syllables) of an all-Han name without dots."""
    name = " ".join(name.split())
    if " " in name:  # the user marked the surname: "东 方明" is Dong Fangming
        surname, given = name.split(" ", 1)
    elif len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        surname, given = name[:2], name[2:]
    else:
        surname, given = name[:1], name[1:]
    if surname in COMPOUND_SURNAMES:
        head = list(COMPOUND_SURNAMES[surname])
    else:
        head = [SURNAME_READINGS[surname]] if surname in SURNAME_READINGS else _syllables(surname)
    return head, _syllables(given)


def _gb(word: str) -> str:
    # GB/T 28039-2011 writes ü as yu where ü is unavailable, as passports do (吕 → Lyu).
    return word.replace("ü", "yu")


def name_pinyin(name_zh: str) -> str:
    """"张三丰" → "Zhang Sanfeng", "欧阳修" → "Ouyang Xiu"; other text is returned trimmed."""
    name = name_zh.strip()
    if not _is_han_name(name):
        return name
    if _NAME_DOTS.search(name):  # "买买提·艾力": a transcribed name, no surname; one word a part
        parts = [p for p in _NAME_DOTS.split("".join(name.split())) if p]
        return " ".join(_gb("".join(_syllables(p))).capitalize() for p in parts)
    words = [_gb("".join(part)).capitalize() for part in _name_parts(name) if part]
    return " ".join(words)


def search_keys(*texts: str) -> str:
    """Lower-case haystack for LIKE search: each text, its pinyin (joined, spaced, as a
    name) and initials, so "zhang", "zsf", "zhang san" and "三丰" all find 张三丰.

    Texts are joined by " | " so that a query does not match across two texts. Both the
    surname and the everyday reading are kept (曾: zeng, ceng), and ü is also written v
    as pinyin keyboards type it (吕: lyu, lv).
    """
    keys: list[str] = []
    for text in texts:
        text = (text or "").strip()
        if not text:
            continue
        keys.append(text.lower())
        if not _HAN.search(text):
            continue
        readings = [_syllables(text)]
        if _is_han_name(text):
            keys.append(name_pinyin(text).lower())
            if not _NAME_DOTS.search(text):
                head, given = _name_parts(text)
                readings.insert(0, head + given)
        for syllables in readings:
            keys += [" ".join(syllables), "".join(syllables), "".join(s[0] for s in syllables)]
    spelled = [_gb(k) for k in keys] + [k.replace("ü", "v") for k in keys if "ü" in k]
    return " | ".join(dict.fromkeys(spelled))  # dict keeps the first order: deterministic


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
