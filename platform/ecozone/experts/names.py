"""Chinese names in pinyin (with surname readings) and the keys the registry search matches."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

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
