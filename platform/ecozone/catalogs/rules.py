"""Pure catalog rules: version states, indicator checks, record validation, diff (no DB)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ecozone.errors import FieldError
from ecozone.workflow import StateMachine

CATALOG_VERSION = StateMachine(
    name_en="catalog version", name_zh="追溯标准目录版本",
    transitions={("draft", "edit"): "draft", ("draft", "publish"): "published",
                 ("published", "supersede"): "superseded"},
    state_names_zh={"draft": "草案", "published": "已发布", "superseded": "已被替代"},
    action_names_zh={"edit": "编辑", "publish": "发布", "supersede": "替代"})
PUBLIC_STATES = ("published", "superseded")

STAGES: dict[str, tuple[str, str]] = {
    "origin": ("产地/生产", "origin / production"), "processing": ("加工", "processing"),
    "inspection": ("检验检测", "inspection"), "logistics": ("物流", "logistics"), "sale": ("销售", "sale")}
DATA_TYPES = ("string", "integer", "decimal", "date", "datetime", "boolean", "enum")
NUMERIC_TYPES = ("integer", "decimal")
INDICATOR_KEYS = ("code", "name_zh", "name_en", "stage", "data_type", "unit", "required",
                  "allowed_values", "pattern", "minimum", "maximum", "note")
MAX_INDICATORS = 200
MAX_BATCH = 1000
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def normalise_indicator(raw: dict[str, Any]) -> dict[str, Any]:
    """Every key present, in a stable order (what a version stores)."""
    ind = {key: raw.get(key) for key in INDICATOR_KEYS}
    ind["required"] = bool(ind["required"])
    for key in ("unit", "pattern", "note", "minimum", "maximum"):
        ind[key] = ind[key] if ind[key] not in ("", None) else None
    ind["allowed_values"] = list(ind["allowed_values"]) if ind["allowed_values"] else None
    for key in ("minimum", "maximum"):
        if ind[key] is not None:
            ind[key] = str(ind[key])
    return ind


def check_indicators(indicators: list[dict[str, Any]]) -> list[FieldError]:
    """Every problem of an indicator list, with its position (indicators[3].pattern)."""
    errors: list[FieldError] = []
    if not indicators:
        errors.append(FieldError("indicators", "empty", "a catalog needs at least one indicator",
                                 "目录至少需要一个指标"))
    if len(indicators) > MAX_INDICATORS:
        errors.append(FieldError("indicators", "too_many", f"at most {MAX_INDICATORS} indicators",
                                 f"指标不能超过 {MAX_INDICATORS} 个"))
    seen: set[str] = set()
    for n, ind in enumerate(indicators):
        def err(key: str, code: str, en: str, zh: str, n: int = n) -> None:
            errors.append(FieldError(f"indicators[{n}].{key}", code, en, zh))
        code = ind.get("code") or ""
        if not _CODE_RE.match(code):
            err("code", "format", "2–40 lower-case letters, digits or _, starting with a letter",
                "须为 2–40 位小写字母、数字或下划线，以字母开头")
        elif code in seen:
            err("code", "duplicate", f"indicator code {code!r} appears twice", f"指标代码“{code}”重复")
        seen.add(code)
        for key, limit in (("name_zh", 100), ("name_en", 200)):
            if not (ind.get(key) or "").strip() or len(ind[key]) > limit:
                err(key, "length", f"required, at most {limit} characters", f"必填，不超过 {limit} 个字符")
        if ind.get("stage") not in STAGES:
            err("stage", "choice", f"stage must be one of {', '.join(STAGES)}",
                f"环节须为：{'、'.join(z for z, _ in STAGES.values())}")
        data_type = ind.get("data_type")
        if data_type not in DATA_TYPES:
            err("data_type", "choice", f"type must be one of {', '.join(DATA_TYPES)}",
                f"数据类型须为：{'、'.join(DATA_TYPES)}")
        allowed = ind.get("allowed_values")
        if data_type == "enum" and (not allowed or len(set(allowed)) != len(allowed)):
            err("allowed_values", "required", "an enum needs distinct allowed values",
                "枚举类型须列出互不相同的取值")
        if data_type != "enum" and allowed:
            err("allowed_values", "not_enum", "allowed values are for the enum type only",
                "只有枚举类型可列取值")
        if ind.get("pattern") is not None:
            if data_type != "string":
                err("pattern", "not_string", "a pattern is for the string type only", "只有字符串类型可设正则")
            else:
                try:
                    re.compile(ind["pattern"])
                except re.error:
                    err("pattern", "regex", "not a valid regular expression", "不是有效的正则表达式")
        for key in ("minimum", "maximum"):
            if ind.get(key) is None:
                continue
            if data_type not in NUMERIC_TYPES:
                err(key, "not_numeric", "bounds are for integer and decimal types",
                    "只有整数和小数类型可设上下限")
            else:
                try:
                    Decimal(str(ind[key]))
                except InvalidOperation:
                    err(key, "number", "not a number", "不是数字")
    return errors


# --- record validation ----------------------------------------------------------------------

@dataclass(frozen=True)
class Violation:
    path: str
    code: str
    message_en: str
    message_zh: str


_MISSING = object()
Check = Callable[[Any], tuple[str, str, str] | None]


def _bounds(ind: dict[str, Any]) -> Check:
    low = Decimal(ind["minimum"]) if ind.get("minimum") is not None else None
    high = Decimal(ind["maximum"]) if ind.get("maximum") is not None else None
    unit = f" {ind['unit']}" if ind.get("unit") else ""

    def check(value: Any) -> tuple[str, str, str] | None:
        # int, float and Decimal compare exactly with each other: no rounding.
        if low is not None and value < low:
            return "minimum", f"must be at least {low}{unit}", f"不能小于 {low}{unit}"
        if high is not None and value > high:
            return "maximum", f"must be at most {high}{unit}", f"不能大于 {high}{unit}"
        return None
    return check


def _checker(ind: dict[str, Any]) -> Check:
    data_type = ind["data_type"]
    if data_type == "string":
        pattern = re.compile(ind["pattern"]) if ind.get("pattern") else None

        def check(v):
            if type(v) is not str:
                return "type", "must be a string", "应为字符串"
            if pattern is not None and not pattern.fullmatch(v):
                return "pattern", f"does not match {ind['pattern']}", f"不符合格式 {ind['pattern']}"
            return None
        return check
    if data_type in NUMERIC_TYPES:
        bounds = _bounds(ind)
        kinds = (int,) if data_type == "integer" else (int, float)
        what = ("an integer", "整数") if data_type == "integer" else ("a number", "数值")

        def check(v):
            if type(v) not in kinds:
                return "type", f"must be {what[0]}", f"应为{what[1]}"
            return bounds(v)
        return check
    if data_type == "boolean":
        return lambda v: None if type(v) is bool else ("type", "must be true or false", "应为 true 或 false")
    if data_type == "enum":
        allowed = frozenset(ind["allowed_values"])
        listed_en, listed_zh = ", ".join(ind["allowed_values"]), "、".join(ind["allowed_values"])
        return lambda v: None if type(v) is str and v in allowed else (
            "enum", f"must be one of {listed_en}", f"须为以下之一：{listed_zh}")
    if data_type == "date":
        def check(v):
            if type(v) is not str or not _DATE_RE.match(v):
                return "format", "must be a date YYYY-MM-DD", "应为日期 YYYY-MM-DD"
            try:
                dt.date.fromisoformat(v)
            except ValueError:
                return "format", "is not a real date", "不是有效日期"
            return None
        return check
    if data_type == "datetime":
        def check(v):
            if type(v) is not str or not _DATETIME_RE.match(v):
                return ("format", "must be a date-time with offset, e.g. 2026-04-02T08:30:00+08:00",
                        "应为带时区的时间，如 2026-04-02T08:30:00+08:00")
            try:
                dt.datetime.fromisoformat(v)
            except ValueError:
                return "format", "is not a real date-time", "不是有效时间"
            return None
        return check
    raise ValueError(f"unknown data type {data_type!r}")  # check_indicators refuses it first


class RecordValidator:
    """Validation of flat trace records against one version's indicators, compiled once."""

    def __init__(self, indicators: list[dict[str, Any]]):
        self.fields = [(ind["code"], ind["required"], _checker(ind), ind["name_en"], ind["name_zh"])
                       for ind in indicators]
        self.known = frozenset(ind["code"] for ind in indicators)

    def validate(self, record: Any) -> list[Violation]:
        if type(record) is not dict:
            return [Violation("$", "type", "a record must be a JSON object", "记录应为 JSON 对象")]
        violations: list[Violation] = []
        get = record.get
        for code, required, check, name_en, name_zh in self.fields:
            value = get(code, _MISSING)
            if value is _MISSING or value is None:
                if required:
                    violations.append(Violation(f"$.{code}", "required", f"{name_en} is required",
                                                f"缺少必填指标“{name_zh}”"))
                continue
            problem = check(value)
            if problem is not None:
                violations.append(Violation(f"$.{code}", problem[0], f"{name_en} {problem[1]}",
                                            f"{name_zh}{problem[2]}"))
        if len(record) > len(self.known) or not self.known.issuperset(record):
            for key in sorted(set(record) - self.known):
                violations.append(Violation(f"$.{key}", "unknown", f"{key!r} is not an indicator of this catalog",
                                            f"“{key}”不是本目录的指标"))
        return violations


def batch_size_errors(count: int) -> list[FieldError]:
    if count > MAX_BATCH:
        return [FieldError("records", "too_many", f"at most {MAX_BATCH} records per batch, got {count}",
                           f"每批最多 {MAX_BATCH} 条记录，实际 {count} 条")]
    return []


# --- derived documents: JSON Schema, interface specification, diff ----------------------------

def _property(ind: dict[str, Any]) -> dict[str, Any]:
    prop: dict[str, Any] = {"title": ind["name_en"], "description": ind["name_zh"]
                            + (f"（{ind['unit']}）" if ind.get("unit") else ""),
                            "x-stage": ind["stage"]}
    data_type = ind["data_type"]
    if data_type == "string":
        prop["type"] = "string"
        if ind.get("pattern"):
            prop["pattern"] = ind["pattern"] if ind["pattern"].startswith("^") else f"^(?:{ind['pattern']})$"
    elif data_type in NUMERIC_TYPES:
        prop["type"] = "integer" if data_type == "integer" else "number"
        for key in ("minimum", "maximum"):
            if ind.get(key) is not None:
                number = Decimal(ind[key])
                prop[key] = int(number) if number == number.to_integral_value() else float(number)
    elif data_type == "boolean":
        prop["type"] = "boolean"
    elif data_type == "enum":
        prop["type"], prop["enum"] = "string", list(ind["allowed_values"])
    elif data_type == "date":
        prop["type"], prop["format"] = "string", "date"
    elif data_type == "datetime":
        prop["type"], prop["format"] = "string", "date-time"
    if ind.get("unit"):
        prop["x-unit"] = ind["unit"]
    return prop


def json_schema(category: str, number: int, name_zh: str, name_en: str,
                indicators: list[dict[str, Any]]) -> dict[str, Any]:
    """The transmission format of a version: a JSON Schema (draft 2020-12) of one record."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:ecozone:catalog:{category}:v{number}",
        "title": f"{name_en} trace record, catalog v{number}",
        "description": f"{name_zh}追溯记录（目录第 {number} 版）",
        "type": "object",
        "properties": {ind["code"]: _property(ind) for ind in indicators},
        "required": [ind["code"] for ind in indicators if ind["required"]],
        "additionalProperties": False,
    }


def _field(ind: dict[str, Any]) -> dict[str, Any]:
    return {"name": ind["code"], "type": ind["data_type"], "required": ind["required"],
            "name_zh": ind["name_zh"], "name_en": ind["name_en"]}


def interface_spec(category: str, number: int, indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The operations a provincial traceability system exposes for this version."""
    record = [_field(i) for i in indicators]
    code = {"name": "trace_code", "type": "string", "required": True, "name_zh": "追溯码",
            "name_en": "traceability code"}
    base = f"/trace/{category}/v{number}"
    violations = {"name": "violations", "type": "array", "required": True, "name_zh": "违规项（路径与中英文说明）",
                  "name_en": "violations (path, messages zh/en)"}
    return [
        {"name": "submitRecord", "method": "POST", "path": f"{base}/records",
             "description_zh": "提交一条追溯记录（请求体须符合本版 JSON Schema）",
             "description_en": "submit one trace record (the body follows this version's JSON Schema)",
             "input": record, "output": [code, {"name": "accepted", "type": "boolean", "required": True,
                                          "name_zh": "是否接收", "name_en": "accepted"}, violations]},
        {"name": "submitRecords", "method": "POST", "path": f"{base}/records:batch",
             "description_zh": "批量提交追溯记录（每批不超过 1000 条）",
             "description_en": "submit trace records in a batch (at most 1000)",
             "input": [{"name": "records", "type": "array", "required": True, "name_zh": "记录数组",
                     "name_en": "array of records"}],
             "output": [{"name": "accepted_count", "type": "integer", "required": True, "name_zh": "接收条数",
                      "name_en": "records accepted"}, violations]},
        {"name": "queryByCode", "method": "GET", "path": "/trace/records/{trace_code}",
             "description_zh": "按追溯码查询记录", "description_en": "query the record of a traceability code",
             "input": [code], "output": record},
        {"name": "listByBatch", "method": "GET", "path": f"/trace/{category}/batches/{{producer_code}}/{{batch_no}}",
             "description_zh": "列出同一主体同一批次的全部记录",
             "description_en": "list the records of one producer's batch",
             "input": [{"name": "producer_code", "type": "string", "required": True, "name_zh": "主体代码",
                     "name_en": "producer code"},
                    {"name": "batch_no", "type": "string", "required": True, "name_zh": "批次号",
                     "name_en": "batch number"}],
             "output": [{"name": "records", "type": "array", "required": True, "name_zh": "记录数组",
                      "name_en": "array of records"}]},
        {"name": "checkCode", "method": "GET", "path": "/trace/codes/{trace_code}/check",
             "description_zh": "校验追溯码结构与校验码", "description_en": "check a code's structure and check digit",
             "input": [code], "output": [{"name": "valid", "type": "boolean", "required": True, "name_zh": "是否有效",
                                    "name_en": "valid"}, violations]},
    ]


@dataclass(frozen=True)
class CatalogDiff:
    added: list[str]
    removed: list[str]
    changed: dict[str, list[str]]  # indicator code -> names of the attributes that differ


def diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> CatalogDiff:
    before = {i["code"]: i for i in old}
    after = {i["code"]: i for i in new}
    changed = {code: [k for k in INDICATOR_KEYS if before[code].get(k) != after[code].get(k)]
               for code in before if code in after}
    return CatalogDiff(added=[c for c in after if c not in before],
                       removed=[c for c in before if c not in after],
                       changed={c: keys for c, keys in changed.items() if keys})
