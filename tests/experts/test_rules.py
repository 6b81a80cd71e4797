"""Table tests of the expert registry's pure rules: ORCID, e-mail, phone, pinyin, search keys.

Profile fields, visibility and states are in test_rules_profile.py.
All phone numbers and names here are invented (or historical), never real people's contacts.
"""

from __future__ import annotations

import pytest

from ecozone.errors import FieldError
from ecozone.experts.rules import (
    name_pinyin,
    normalize_orcid,
    normalize_phone,
    orcid_checksum_ok,
    search_keys,
    validate_email,
    validate_orcid,
    validate_phone,
)

VALID_ORCIDS = ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"]


def codes(errors: list[FieldError]) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in errors]


# ---------------------------------------------------------------------------- ORCID

@pytest.mark.parametrize(("value", "expected"), [
    ("0000-0002-1825-0097", "0000-0002-1825-0097"),
    ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
    ("http://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
    ("HTTPS://WWW.ORCID.ORG/0000-0002-1825-0097", "0000-0002-1825-0097"),
    ("orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
    ("0000000218250097", "0000-0002-1825-0097"),
    ("0000-0002-1694-233x", "0000-0002-1694-233X"),
    ("000000021694233x", "0000-0002-1694-233X"),
    ("  0000-0001-5109-3700 ", "0000-0001-5109-3700"),
    ("００００-０００２-１８２５-００９７", "0000-0002-1825-0097"),  # full-width IME digits
    ("0000-0002-1825-0098", "0000-0002-1825-0098"),  # shape only: the check digit is not checked
])
def test_normalize_orcid(value: str, expected: str) -> None:
    assert normalize_orcid(value) == expected


@pytest.mark.parametrize("value", [
    "", "   ", "orcid", "0000-0002-1825-009", "0000-0002-1825-00977", "000000021825009",
    "00000002182500977", "0000-00021825-0097", "0000 0002 1825 0097", "0000-0002-1825-009Y",
    "X000-0002-1825-0097", "0000-0002-1825-0X97", "https://example.org/0000-0002-1825-0097",
    "٠٠٠٠-٠٠٠٢-١٨٢٥-٠٠٩٧",  # Arabic-Indic digits are digits to Python, not to ORCID
])
def test_normalize_orcid_refuses_wrong_shapes(value: str) -> None:
    with pytest.raises(ValueError):
        normalize_orcid(value)


@pytest.mark.parametrize(("value", "ok"), [
    *[(orcid, True) for orcid in VALID_ORCIDS],
    ("https://orcid.org/0000-0002-1825-0097", True),
    ("000000021694233x", True),
    ("0000-0002-1825-0098", False),
    ("0000-0002-1825-0090", False),
    ("0000-0002-1694-2330", False),  # check value 10 must be written X
    ("0000-0001-5109-370X", False),
    ("0000-0002-1852-0097", False),  # swapped digits
    ("not an orcid", False),
    ("", False),
])
def test_orcid_checksum_ok(value: str, ok: bool) -> None:
    assert orcid_checksum_ok(value) is ok


@pytest.mark.parametrize("value", [None, "", *VALID_ORCIDS, "https://orcid.org/0000-0002-1694-233x"])
def test_validate_orcid_accepts(value: str | None) -> None:
    assert validate_orcid(value) == []


@pytest.mark.parametrize("value", ["   ", "0000-0002-1825", "abcd-efgh-ijkl-mnop", 12345])
def test_validate_orcid_format(value: object) -> None:
    assert validate_orcid(value) == [FieldError(  # type: ignore[arg-type]
        "orcid", "format", "ORCID iD must look like 0000-0002-1825-0097",
        "ORCID iD 格式应为 0000-0002-1825-0097")]


@pytest.mark.parametrize(("value", "expected"), [
    ("0000-0002-1825-0098", "7"),
    ("0000-0002-1694-2330", "X"),
    ("0000-0001-5109-370X", "0"),
    ("https://orcid.org/0000-0002-1825-0090", "7"),
])
def test_validate_orcid_checksum(value: str, expected: str) -> None:
    assert validate_orcid(value) == [FieldError(
        "orcid", "checksum", f"ORCID iD check digit is wrong: expected {expected}",
        f"ORCID iD 校验位错误：应为 {expected}")]


# ---------------------------------------------------------------------------- e-mail

def address(total: int) -> str:
    """An address of exactly ``total`` characters: 64-character local part, 63-character labels."""
    return "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * (total - 196) + ".cn"


@pytest.mark.parametrize("value", [
    None, "", "a@b.cn", "zhang.san+tag@mail.example.com.cn", "o'brien_1@sub-domain.example.org",
    "zhang@例子.中国",  # IDN domain: Unicode letters are allowed after the @
    "zhang@xn--fsqu00a.xn--fiqs8s",  # the same domain in punycode
    "a@1example.cn", "a@a-b.cn", "a" * 64 + "@b.cn", address(254),
    "a@" + "b" * 63 + ".cn",
])
def test_validate_email_accepts(value: str | None) -> None:
    assert validate_email(value) == []


@pytest.mark.parametrize(("value", "code", "hint"), [
    ("专家@例子.中国", "format", "letters A-Z"),  # local part stays ASCII (no SMTPUTF8 promise)
    ("zhang", "format", "exactly one @"),
    ("a@@b.cn", "format", "exactly one @"),
    ("a@b@c.cn", "format", "exactly one @"),
    ("@b.cn", "format", "name before the @"),
    ("a@", "format", "domain"),
    ("a@b", "format", "domain"),
    ("a@.cn", "format", "domain"),
    ("a@b.cn.", "format", "domain"),
    ("a@b..cn", "format", "domain"),
    ("a@-b.cn", "format", "domain"),
    ("a@b-.cn", "format", "domain"),
    ("a@b_c.cn", "format", "domain"),
    ("a@b.c", "format", "domain"),
    ("a@b.c1", "format", "domain"),
    ("a@1.2.3.4", "format", "domain"),
    ("a@" + "b" * 64 + ".cn", "format", "domain"),
    (".a@b.cn", "format", "no dot at either end"),
    ("a.@b.cn", "format", "no dot at either end"),
    ("a..b@b.cn", "format", "no two dots"),
    ("a(b)@b.cn", "format", "letters A-Z"),
    ("a b@b.cn", "format", "spaces"),
    (" a@b.cn", "format", "spaces"),
    ("a@b.cn\n", "format", "spaces"),
    ("a＠b.cn", "format", "half-width"),
    ("a@b。cn", "format", "half-width"),
    ("a" * 65 + "@b.cn", "too_long", "64 characters"),
    (address(255), "too_long", "254 characters"),
    (12345, "format", "text"),
])
def test_validate_email_refuses(value: object, code: str, hint: str) -> None:
    errors = validate_email(value)  # type: ignore[arg-type]
    assert codes(errors) == [("email", code)]
    assert hint in errors[0].message_en
    assert errors[0].message_zh.startswith("电子邮箱")


def test_email_boundary_helper_is_exact() -> None:
    assert (len(address(254)), len(address(255))) == (254, 255)


# ---------------------------------------------------------------------------- phone

@pytest.mark.parametrize(("value", "expected"), [
    ("13800000000", "+86 13800000000"),
    ("19900000000", "+86 19900000000"),
    ("+8613800000000", "+86 13800000000"),
    ("+86 138 0000 0000", "+86 13800000000"),
    ("0086-138-0000-0000", "+86 13800000000"),
    ("138-0000-0000", "+86 13800000000"),
    ("１３８００００００００", "+86 13800000000"),  # full-width IME digits
    ("0791-12345678", "0791-12345678"),
    ("079112345678", "0791-12345678"),
    ("0791 1234 5678", "0791-12345678"),
    ("0791-1234-5678", "0791-12345678"),  # hyphens grouping the number
    ("0791-1234567", "0791-1234567"),
    ("010-12345678", "010-12345678"),
    ("01012345678", "010-12345678"),  # 010 has a two-digit area code
    ("0101234567", "010-1234567"),
    ("020-1234567", "020-1234567"),
    ("029 12345678", "029-12345678"),
    ("0791-12345678-123", "0791-12345678-123"),
    ("0791-12345678转123", "0791-12345678-123"),
    ("0791-1234-5678 转 123", "0791-12345678-123"),
    ("010-1234567-8", "010-1234567-8"),  # the rest is a whole number, so -8 is an extension
    ("010-12345678-123456", "010-12345678-123456"),
])
def test_normalize_phone(value: str, expected: str) -> None:
    assert normalize_phone(value) == expected
    assert validate_phone(value) == []


@pytest.mark.parametrize("value", [
    "1380000000",  # 10 digits
    "138000000000",  # 12 digits
    "12800000000",  # mobiles start 13-19
    "10000000000",
    "8613800000000",  # country code only with + or 00
    "+86 0791-12345678",  # international landline form not accepted
    "+1 2025550123",
    "0791-123456",  # 6-digit number
    "0791-123456789",  # 9-digit number
    "0101-2345678",  # hyphen disagrees with the two-digit area code 010
    "011-12345678",  # no 01x area code but 010
    "0012345678",
    "12345678",  # no area code
    "0791-12345678-1234567",  # 7-digit extension
    "0791-12345678-",
    "0791-12345678转",
    "0791-12345678转12a",
    "转123",
    "0791-1234-5678-12",
    "0791-abcdefgh",
    "phone",
    "-",
    " ",
])
def test_phone_refused(value: str) -> None:
    with pytest.raises(ValueError):
        normalize_phone(value)
    errors = validate_phone(value)
    assert codes(errors) == [("phone", "format")]
    assert "0791-12345678" in errors[0].message_en and "13800000000" in errors[0].message_zh


@pytest.mark.parametrize("value", [None, ""])
def test_phone_is_optional(value: str | None) -> None:
    assert validate_phone(value) == []


# ---------------------------------------------------------------------------- names

@pytest.mark.parametrize(("name", "expected"), [
    ("张三丰", "Zhang Sanfeng"),
    ("欧阳修", "Ouyang Xiu"),
    ("李四", "Li Si"),
    ("张", "Zhang"),
    (" 王小明 ", "Wang Xiaoming"),
    # surname readings that differ from the everyday ones
    ("单明", "Shan Ming"), ("曾小华", "Zeng Xiaohua"), ("区志强", "Ou Zhiqiang"),
    ("解文", "Xie Wen"), ("仇立", "Qiu Li"), ("查明", "Zha Ming"), ("朴海", "Piao Hai"),
    ("盖文", "Ge Wen"), ("覃红", "Qin Hong"), ("翟军", "Zhai Jun"),
    # compound surnames
    ("司马光", "Sima Guang"), ("诸葛亮", "Zhuge Liang"), ("上官婉儿", "Shangguan Waner"),
    ("东方明", "Dongfang Ming"), ("皇甫明", "Huangfu Ming"), ("尉迟恭", "Yuchi Gong"),
    ("公孙明", "Gongsun Ming"), ("慕容明", "Murong Ming"), ("长孙无忌", "Zhangsun Wuji"),
    ("宇文明", "Yuwen Ming"), ("司徒明", "Situ Ming"), ("夏侯明", "Xiahou Ming"),
    ("令狐明", "Linghu Ming"), ("端木明", "Duanmu Ming"),
    ("欧阳", "Ou Yang"),  # two characters: surname 欧 and given name 阳
    ("东 方明", "Dong Fangming"),  # a space marks the surname explicitly
    ("吕明", "Lyu Ming"), ("女娲", "Nyu Wa"),  # ü written yu (GB/T 28039-2011)
    ("买买提·艾力", "Maimaiti Aili"),  # transcribed name: no surname, one word per part
    ("Maria Rossi", "Maria Rossi"),
    ("  Maria Rossi  ", "Maria Rossi"),
    ("张San", "张San"),  # mixed text is not a Chinese name: unchanged
    ("", ""),
])
def test_name_pinyin(name: str, expected: str) -> None:
    assert name_pinyin(name) == expected


# ---------------------------------------------------------------------------- search keys

@pytest.mark.parametrize(("texts", "query"), [
    (("张三丰",), "zhang"),
    (("张三丰",), "zsf"),
    (("张三丰",), "三丰"),
    (("张三丰",), "zhangsanfeng"),
    (("张三丰",), "zhang sanfeng"),
    (("张三丰",), "san feng"),
    (("欧阳修",), "ouyang xiu"),
    (("欧阳修",), "oyx"),
    (("曾小华",), "zeng"),  # surname reading
    (("曾小华",), "ceng"),  # everyday reading, as a user may type it
    (("吕明",), "lyu"),
    (("吕明",), "lv"),
    (("Maria Rossi", "罗西"), "maria"),
    (("Maria Rossi", "罗西"), "luoxi"),
    (("江西农业大学",), "jxnydx"),
    (("江西农业大学 (JXAU)",), "jxau"),
])
def test_search_keys_match(texts: tuple[str, ...], query: str) -> None:
    assert query in search_keys(*texts)


@pytest.mark.parametrize(("texts", "absent"), [
    (("张三", "李四"), "sanli"),  # no match across two texts
    (("张三", "李四"), "zhangsanlisi"),
    (("张三丰",), "张三丰 zhang"),
])
def test_search_keys_keep_texts_apart(texts: tuple[str, ...], absent: str) -> None:
    assert absent not in search_keys(*texts)


def test_search_keys_exact_and_deterministic() -> None:
    keys = search_keys("张三丰", "", "  ", "Maria Rossi")
    assert keys == "张三丰 | zhang sanfeng | zhang san feng | zhangsanfeng | zsf | maria rossi"
    assert keys == search_keys("张三丰", "", "  ", "Maria Rossi")
    assert search_keys() == search_keys("", " ") == ""
    assert search_keys("ÉCOLE") == search_keys("ÉCOLE").lower()
