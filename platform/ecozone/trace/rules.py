"""Pure rules of trace records: the envelope of a record, its event, its batch, public indicators.

A trace record is one event (production, processing, testing, transport or sale) of one batch:
what (the catalog's indicators of the event's stage, in ``data``), when (``time``), where
(``place``), who (``enterprise``, its unified social credit code) and why (``reason``), plus the
batches it was made from (``inputs``: one input split into many outputs, or many combined).

A batch is the first 22 digits of a trace code (zone · category · producer · date · batch); the
last five (unit serial and check digit) name one package of it, so any package's code finds the
batch's chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson
from stdnum import ean

from ecozone.catalogs import codes
from ecozone.errors import FieldError

# event type -> (catalog stage whose indicators it carries, zh, en, EPCIS bizStep)
EVENT_TYPES: dict[str, tuple[str, str, str, str]] = {
    "production": ("origin", "生产", "production", "commissioning"),
    "processing": ("processing", "加工", "processing", "commissioning"),
    "testing": ("inspection", "检验检测", "testing", "inspecting"),
    "transport": ("logistics", "运输", "transport", "shipping"),
    "sale": ("sale", "销售", "sale", "retail_selling"),
}
# Events that make a batch: the batch's code must carry the submitting enterprise's zone and
# producer segments. Testing, transport and sale happen to anyone's batch.
MAKING_EVENTS = frozenset({"production", "processing"})
BATCH_LENGTH = 22
MAX_INPUTS = 100
MAX_LINE_BYTES = 64 * 1024
MAX_RECORDS_PER_MUTATION = 500
RECORD_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")
ENVELOPE_KEYS = frozenset({"id", "enterprise", "code", "event", "time", "place", "placeCode", "reason",
                           "catalogVersion", "inputs", "gtin", "lot", "data"})
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def batch_of(code: str) -> str:
    return code[:BATCH_LENGTH]


@dataclass
class Envelope:
    """A record's envelope once its shape is checked (its indicators are checked against the catalog)."""

    record_key: str
    enterprise_uscc: str
    code: str
    event_type: str
    occurred_at: dt.datetime
    place: str
    place_code: str | None
    reason: str | None
    catalog_number: int | None
    inputs: list[str]
    gtin: str | None
    lot: str | None
    data: dict[str, Any]
    category: str = ""
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def batch(self) -> str:
        return batch_of(self.code)

    @property
    def stage(self) -> str:
        return EVENT_TYPES[self.event_type][0]

    def content_hash(self) -> str:
        """What makes a resubmission the same record: the whole line, keys sorted."""
        return hashlib.sha256(orjson.dumps(self.raw, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _err(path: str, code: str, en: str, zh: str) -> FieldError:
    return FieldError(path, code, en, zh)


def _text(raw: dict, key: str, limit: int, errors: list[FieldError], *, required: bool, name_zh: str
          ) -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        if required:
            errors.append(_err(key, "required", f"{key} is required", f"缺少必填项“{name_zh}”"))
        return None
    if type(value) is not str:
        errors.append(_err(key, "type", f"{key} must be a string", f"“{name_zh}”应为字符串"))
        return None
    if len(value) > limit:
        errors.append(_err(key, "length", f"{key} has at most {limit} characters",
                           f"“{name_zh}”不能超过 {limit} 个字符"))
        return None
    return value


_CODE_RE = re.compile(r"[0-9]{27}")
_CATEGORY_CODES = frozenset(codes.CATEGORY_BY_CODE)
_PLACE_CODE_RE = re.compile(r"[1-8][0-9]{5}")
_LOT_RE = re.compile(r"[!-~]{1,20}")
# Slices of the code's segments (catalogs.codes.SEGMENTS), read per record without a dict.
_ZONE, _CATEGORY, _PRODUCER = (slice(*codes._BOUNDS[k]) for k in ("zone", "category", "producer"))


@lru_cache(maxsize=4096)
def _real_date(value: str) -> bool:
    try:
        dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return False
    return True


def _gs1_check(body: str) -> str:
    """GS1 mod 10 (as catalogs.codes.check_digit), in two sums: this runs for every record."""
    # ASCII digits as bytes summed in C: each digit is its byte less 48 (b"0"); callers have
    # matched [0-9] already.
    odd, even = body[-1::-2].encode(), body[-2::-2].encode()
    total = 3 * (sum(odd) - 48 * len(odd)) + sum(even) - 48 * len(even)
    return str(-total % 10)


def code_is_valid(value: str) -> bool:
    """True only for a code catalogs.codes.validate_code accepts; any doubt is left to it (which
    names every problem), so this never accepts more than it does."""
    return (_CODE_RE.fullmatch(value) is not None and value[:2] in codes.PROVINCE_CODES
            and value[2:4] in _CATEGORY_CODES and value[4:10] != "000000" and _real_date(value[10:18])
            and value[18:22] != "0000" and value[22:26] != "0000" and _gs1_check(value[:26]) == value[26])


def code_errors(path: str, value: Any) -> list[FieldError]:
    """The existing code validator (catalogs.codes), its errors under ``path``."""
    if type(value) is not str:
        return [_err(path, "type", f"{path} must be a string of {codes.CODE_LENGTH} digits",
                     f"{path} 应为 {codes.CODE_LENGTH} 位数字字符串")]
    if code_is_valid(value):
        return []
    return [_err(f"{path}.{e.segment}" if e.segment != "code" else path, e.code, e.message_en, e.message_zh)
            for e in codes.validate_code(value)]


def parse_time(value: Any, now: dt.datetime) -> tuple[dt.datetime | None, list[FieldError]]:
    if type(value) is not str or not _DATETIME_RE.match(value):
        return None, [_err("time", "format", "time must be ISO 8601 with an offset, e.g. 2026-04-02T08:30:00+08:00",
                           "time 应为带时区的 ISO 8601 时间，如 2026-04-02T08:30:00+08:00")]
    try:
        when = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    except ValueError:
        return None, [_err("time", "format", "time is not a real date-time", "time 不是有效时间")]
    if when < EARLIEST or when > now + dt.timedelta(days=1):
        return None, [_err("time", "range", "time must lie between 2000 and tomorrow",
                           "time 须在 2000 年至明天之间")]
    return when, []


def gtin_errors(value: Any) -> list[FieldError]:
    if type(value) is not str or not value.isdigit() or not value.isascii() or len(value) not in (8, 12, 13, 14):
        return [_err("gtin", "format", "a GTIN has 8, 12, 13 or 14 digits", "GTIN 应为 8、12、13 或 14 位数字")]
    if not ean.is_valid(value):
        return [_err("gtin", "check_digit", f"the GTIN's check digit is wrong (expected "
                     f"{ean.calc_check_digit(value[:-1])})",
                     f"GTIN 校验位错误（应为 {ean.calc_check_digit(value[:-1])}）")]
    return []


def normalise_gtin(value: str) -> str:
    """GTIN-14, as GS1 Digital Link URIs carry it."""
    return value.zfill(14)


def parse_envelope(raw: Any, now: dt.datetime) -> tuple[Envelope | None, list[FieldError]]:
    """Check a record's envelope (not its indicators): every problem at once."""
    if type(raw) is not dict:
        return None, [_err("$", "type", "a record must be a JSON object", "记录应为 JSON 对象")]
    errors: list[FieldError] = []
    for key in () if ENVELOPE_KEYS.issuperset(raw) else sorted(set(raw) - ENVELOPE_KEYS):
        errors.append(_err(key, "unknown", f"{key!r} is not a field of a trace record "
                           f"(indicators go in data)", f"“{key}”不是追溯记录的字段（指标应放在 data 中）"))
    record_key = raw.get("id")
    if type(record_key) is not str or not RECORD_KEY_RE.match(record_key):
        errors.append(_err("id", "format", "id: the record's own identifier, 1–100 letters, digits or ._:/-",
                           "id：记录自身的标识，1–100 位字母、数字或 ._:/-"))
    uscc = _text(raw, "enterprise", 18, errors, required=True, name_zh="企业统一社会信用代码")
    code = raw.get("code")
    errors += code_errors("code", code)
    event_type = raw.get("event")
    if event_type not in EVENT_TYPES:
        errors.append(_err("event", "choice", f"event must be one of {', '.join(EVENT_TYPES)}",
                           f"event 须为：{'、'.join(f'{k}（{v[1]}）' for k, v in EVENT_TYPES.items())}"))
    occurred_at, time_errors = parse_time(raw.get("time"), now)
    errors += time_errors
    place = _text(raw, "place", 200, errors, required=True, name_zh="地点")
    place_code = raw.get("placeCode")
    if place_code is not None and (type(place_code) is not str or not _PLACE_CODE_RE.fullmatch(place_code)):
        errors.append(_err("placeCode", "format", "placeCode is a 6-digit county code (GB/T 2260)",
                           "placeCode 应为 6 位县级行政区划代码（GB/T 2260）"))
    reason = _text(raw, "reason", 500, errors, required=False, name_zh="事由")
    number = raw.get("catalogVersion")
    if number is not None and (type(number) is not int or not 1 <= number <= 10_000):
        errors.append(_err("catalogVersion", "range", "catalogVersion is a version number from 1",
                           "catalogVersion 应为从 1 开始的版本号"))
    inputs = raw.get("inputs", ())
    if inputs == ():
        pass
    elif type(inputs) is not list or len(inputs) > MAX_INPUTS:
        errors.append(_err("inputs", "type", f"inputs is a list of at most {MAX_INPUTS} trace codes",
                           f"inputs 应为不超过 {MAX_INPUTS} 个追溯码的列表"))
        inputs = []
    for n, parent in enumerate(inputs):
        errors += code_errors(f"inputs[{n}]", parent)
    gtin = raw.get("gtin")
    if gtin is not None:
        errors += gtin_errors(gtin)
    lot = raw.get("lot")
    if lot is not None and (type(lot) is not str or not _LOT_RE.fullmatch(lot)):
        errors.append(_err("lot", "format", "lot: 1–20 printable ASCII characters (GS1 AI 10)",
                           "lot：1–20 个可打印 ASCII 字符（GS1 AI 10）"))
    if (gtin is None) != (lot is None):
        errors.append(_err("lot", "pair", "gtin and lot go together (a Digital Link names both)",
                           "gtin 与 lot 须同时提供（数字链接同时包含二者）"))
    data = raw.get("data", {})
    if type(data) is not dict:
        errors.append(_err("data", "type", "data is an object of the catalog's indicators",
                           "data 应为目录指标组成的对象"))
    if errors:
        return None, errors
    category = codes.CATEGORY_BY_CODE[code[_CATEGORY]]
    if inputs and (code in inputs or any(batch_of(p) == batch_of(code) for p in inputs)):
        return None, [_err("inputs", "cycle", "a batch cannot be made from itself", "批次不能由其自身制成")]
    return Envelope(record_key=record_key, enterprise_uscc=uscc.upper(), code=code, event_type=event_type,
                    occurred_at=occurred_at, place=place, place_code=place_code, reason=reason,
                    catalog_number=number, inputs=list(dict.fromkeys(inputs)) if inputs else [],
                    gtin=normalise_gtin(gtin) if gtin else None, lot=lot, data=data, category=category,
                    raw=raw), []


def stage_indicators(indicators: list[dict[str, Any]], stage: str) -> list[dict[str, Any]]:
    """The indicators a record of ``stage`` carries (and is validated against)."""
    return [ind for ind in indicators if ind["stage"] == stage]


def producer_errors(env: Envelope, zone_admin_code: str, producer_code: str) -> list[FieldError]:
    """A production or processing event makes a batch: its code is the enterprise's own."""
    if env.event_type not in MAKING_EVENTS:
        return []
    zone, producer = env.code[_ZONE], env.code[_PRODUCER]
    errors = []
    if zone != zone_admin_code:
        errors.append(_err("code.zone", "foreign_zone",
                           f"the code's zone {zone} is not the enterprise's zone {zone_admin_code}",
                           f"追溯码的试验区代码 {zone} 与企业所在试验区 {zone_admin_code} 不符"))
    if producer != producer_code:
        errors.append(_err("code.producer", "foreign_producer",
                           f"the code's producer {producer} is not the enterprise's {producer_code}",
                           f"追溯码的主体代码 {producer} 不是本企业的 {producer_code}"))
    return errors


def split_public(data: dict[str, Any], public_codes: frozenset[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The indicators anyone may see, and the rest (the record's zone staff only)."""
    public = {k: v for k, v in data.items() if k in public_codes}
    private = {k: v for k, v in data.items() if k not in public_codes}
    return public, private
