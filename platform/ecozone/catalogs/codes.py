"""The traceability code: fixed digit segments and a GS1 mod 10 check digit (pure, no DB).

Layout (27 digits): zone admin code (2) · category (2) · producer (6) · date YYYYMMDD (8) ·
batch (4) · serial (4) · check digit (1, GS1 mod 10 over the 26 digits before it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum import ean

from ecozone.experts.rules import PRODUCT_CATEGORIES

# Category segment: the order of PRODUCT_CATEGORIES, from 01 (grain) to 11 (medicinal herbs).
CATEGORY_CODES: dict[str, str] = {slug: f"{n:02d}" for n, slug in enumerate(PRODUCT_CATEGORIES, 1)}
CATEGORY_BY_CODE = {code: slug for slug, code in CATEGORY_CODES.items()}
# Province-level administrative division codes (GB/T 2260, first two digits).
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82"})


@dataclass(frozen=True)
class Segment:
    key: str
    name_zh: str
    name_en: str
    length: int
    description_zh: str
    description_en: str


SEGMENTS: tuple[Segment, ...] = (
    Segment("zone", "试验区行政区划代码", "zone admin code", 2,
            "省级行政区划代码（GB/T 2260 前两位），如江西 36", "province code of GB/T 2260, e.g. 36 Jiangxi"),
    Segment("category", "产品类别代码", "category code", 2,
            "01 粮食 … 11 中药材", "01 grain … 11 medicinal herbs"),
    Segment("producer", "生产经营主体代码", "producer code", 6,
            "主体在本区的登记号，非全零", "the producer's registration number in the zone, not all zeros"),
    Segment("date", "生产日期", "production date", 8, "YYYYMMDD，须为有效日期", "YYYYMMDD, a real date"),
    Segment("batch", "批次号", "batch number", 4, "0001–9999", "0001–9999"),
    Segment("serial", "流水号", "serial number", 4, "批次内 0001–9999", "0001–9999 within the batch"),
    Segment("check", "校验码", "check digit", 1,
            "GS1 模 10 校验码，按前 26 位计算", "GS1 mod 10 over the preceding 26 digits"),
)
CODE_LENGTH = sum(s.length for s in SEGMENTS)
CODE_PATTERN = rf"^[0-9]{{{CODE_LENGTH}}}$"
PRETTY_PATTERN = "ZZ CC PPPPPP YYYYMMDD BBBB SSSS K"
_BOUNDS: dict[str, tuple[int, int]] = {}
_pos = 0
for _s in SEGMENTS:
    _BOUNDS[_s.key] = (_pos, _pos + _s.length)
    _pos += _s.length


@dataclass(frozen=True)
class CodeError:
    segment: str  # a Segment.key, or "code" for the whole code
    code: str
    message_en: str
    message_zh: str


def check_digit(body: str) -> str:
    """GS1 mod 10 (the EAN/GTIN algorithm, any length) of a string of digits."""
    return ean.calc_check_digit(body)


def make_code(*, zone: str, category: str, producer: str, date: dt.date, batch: int, serial: int) -> str:
    """A valid code; ``category`` is a slug (tea) and ``zone`` the 2-digit province code."""
    body = f"{zone}{CATEGORY_CODES[category]}{producer}{date:%Y%m%d}{batch:04d}{serial:04d}"
    return body + check_digit(body)


def split(code: str) -> dict[str, str]:
    return {key: code[a:b] for key, (a, b) in _BOUNDS.items()}


def _segment_error(seg: Segment, value: str) -> CodeError | None:
    def err(code: str, en: str, zh: str) -> CodeError:
        return CodeError(seg.key, code, f"{seg.name_en} {value!r}: {en}", f"{seg.name_zh}“{value}”：{zh}")
    if not value.isdigit() or not value.isascii():
        return err("digits", "must be digits only", "只能是数字")
    if seg.key == "zone" and value not in PROVINCE_CODES:
        return err("unknown", "is not a province-level admin code", "不是省级行政区划代码")
    if seg.key == "category" and value not in CATEGORY_BY_CODE:
        return err("unknown", "must be 01 to 11", "须为 01 至 11")
    if seg.key == "date":
        try:
            dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            return err("date", "is not a real date (YYYYMMDD)", "不是有效日期（YYYYMMDD）")
    if seg.key in ("producer", "batch", "serial") and int(value) == 0:
        return err("zero", "must not be all zeros", "不能全为零")
    return None


def validate_code(code: str) -> list[CodeError]:
    """Every problem of ``code``, each naming its segment; empty when the code is valid."""
    if len(code) != CODE_LENGTH:
        return [CodeError("code", "length", f"the code must have {CODE_LENGTH} digits, not {len(code)}",
                          f"追溯码应为 {CODE_LENGTH} 位数字，实际 {len(code)} 位")]
    parts = split(code)
    errors = [e for seg in SEGMENTS if (e := _segment_error(seg, parts[seg.key])) is not None]
    if not any(e.code == "digits" for e in errors):
        expected = check_digit(code[:-1])
        if code[-1] != expected:
            errors.append(CodeError("check", "check_digit",
                                    f"check digit {code[-1]} is wrong (expected {expected}): "
                                    "a digit was mistyped or swapped",
                                    f"校验码 {code[-1]} 错误（应为 {expected}）：某位数字录入有误或顺序颠倒"))
    return errors


EXAMPLE_CODE = make_code(zone="36", category="tea", producer="000123", date=dt.date(2026, 4, 2),
                         batch=7, serial=15)


def encoding_rules(category: str) -> dict:
    """The encoding rules as shown with a catalog: segments, pattern and an example."""
    example = make_code(zone="36", category=category, producer="000123", date=dt.date(2026, 4, 2),
                        batch=7, serial=15)
    return {"pattern": CODE_PATTERN, "layout": PRETTY_PATTERN, "length": CODE_LENGTH,
            "check_algorithm": "GS1 mod 10", "example": example,
            "category_code": CATEGORY_CODES[category],
            "segments": [{"key": s.key, "name_zh": s.name_zh, "name_en": s.name_en, "length": s.length,
                              "start": _BOUNDS[s.key][0] + 1, "description_zh": s.description_zh,
                              "description_en": s.description_en, "example": split(example)[s.key]}
                         for s in SEGMENTS]}
