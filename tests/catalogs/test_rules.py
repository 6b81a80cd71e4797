"""Record validation (a planted-error set), indicator checks, JSON Schema, states and diff."""

from __future__ import annotations

import copy

import jsonschema
import pytest
from ecozone.catalogs import rules, samples, service
from ecozone.experts.rules import PRODUCT_CATEGORIES
from ecozone.workflow import IllegalTransition

TEA = service.starter_catalog("tea")["indicators"]
VALID_TEA = samples.sample_record(TEA, "tea", 3)


def validator(indicators=TEA) -> rules.RecordValidator:
    return rules.RecordValidator(indicators)


@pytest.mark.parametrize("category", list(PRODUCT_CATEGORIES))
def test_every_starter_catalog_is_sound_and_accepts_its_valid_records(category):
    indicators = service.starter_catalog(category)["indicators"]
    assert 8 <= len(indicators) <= 16
    assert rules.check_indicators(indicators) == []
    check = validator(indicators)
    schema = rules.json_schema(category, 1, *PRODUCT_CATEGORIES[category], indicators)
    jsonschema.Draft202012Validator.check_schema(schema)
    reference = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for n in range(50):
        record = samples.sample_record(indicators, category, n)
        assert check.validate(record) == [], (category, n)
        assert list(reference.iter_errors(record)) == []


# (path, change to a valid tea record, expected violation code); each planted alone, then all at once
PLANTED = [
    ("$.trace_code", lambda r: r.update(trace_code="36050001"), "pattern"),
    ("$.producer_name", lambda r: r.pop("producer_name"), "required"),
    ("$.producer_name", lambda r: r.update(producer_name=None), "required"),
    ("$.origin_county_code", lambda r: r.update(origin_county_code="060702"), "pattern"),
    ("$.batch_no", lambda r: r.update(batch_no=7), "type"),
    ("$.tea_type", lambda r: r.update(tea_type="puer"), "enum"),
    ("$.garden_altitude", lambda r: r.update(garden_altitude=3001), "maximum"),
    ("$.garden_altitude", lambda r: r.update(garden_altitude=-1), "minimum"),
    ("$.garden_altitude", lambda r: r.update(garden_altitude=12.5), "type"),
    ("$.garden_altitude", lambda r: r.update(garden_altitude=True), "type"),
    ("$.garden_altitude", lambda r: r.update(garden_altitude="800"), "type"),
    ("$.picking_date", lambda r: r.update(picking_date="2026-02-30"), "format"),
    ("$.picking_date", lambda r: r.update(picking_date="2026/04/02"), "format"),
    ("$.processing_date", lambda r: r.update(processing_date=20260402), "format"),
    ("$.moisture", lambda r: r.update(moisture=7.51), "maximum"),
    ("$.moisture", lambda r: r.update(moisture="6.0"), "type"),
    ("$.net_weight", lambda r: r.update(net_weight=0.5), "minimum"),
    ("$.pesticide_test", lambda r: r.pop("pesticide_test"), "required"),
    ("$.colour", lambda r: r.update(colour="green"), "unknown"),
]


@pytest.mark.parametrize("path, plant, code", PLANTED)
def test_each_planted_error_is_found_at_its_path(path, plant, code):
    record = copy.deepcopy(VALID_TEA)
    plant(record)
    violations = validator().validate(record)
    assert [(v.path, v.code) for v in violations] == [(path, code)]
    assert violations[0].message_en and violations[0].message_zh


def test_every_planted_error_is_found_in_one_record():
    record = copy.deepcopy(VALID_TEA)
    distinct = {}
    for path, plant, code in PLANTED:
        distinct[path] = (plant, code)  # the last change of a path wins
    for plant, _ in distinct.values():
        plant(record)
    found = {(v.path, v.code) for v in validator().validate(record)}
    assert found == {(path, code) for path, (_, code) in distinct.items()}


def test_bounds_are_inclusive_and_optional_fields_may_be_absent():
    record = dict(VALID_TEA, garden_altitude=3000, moisture=7.5, net_weight=1)
    assert validator().validate(record) == []
    record.pop("moisture")
    assert validator().validate(record) == []
    assert validator().validate(dict(VALID_TEA, garden_altitude=0, moisture=0)) == []


@pytest.mark.parametrize("record", [[], "x", 3, None])
def test_a_record_must_be_an_object(record):
    assert [(v.path, v.code) for v in validator().validate(record)] == [("$", "type")]


def test_datetime_needs_an_offset():
    hogs = service.starter_catalog("hogs")["indicators"]
    record = samples.sample_record(hogs, "hogs")
    assert validator(hogs).validate(record) == []
    for bad in ("2026-04-02T08:30:00", "2026-04-02 08:30:00+08:00", "2026-04-31T08:30:00Z"):
        assert [v.code for v in validator(hogs).validate(dict(record, slaughter_time=bad))] == ["format"]
    assert validator(hogs).validate(dict(record, slaughter_time="2026-04-02T08:30:00Z")) == []


def test_batch_cap():
    assert rules.batch_size_errors(rules.MAX_BATCH) == []
    assert [e.code for e in rules.batch_size_errors(rules.MAX_BATCH + 1)] == ["too_many"]


def _ind(**changes):
    base = {"code": "lot_weight", "name_zh": "批重", "name_en": "lot weight", "stage": "sale", "data_type": "decimal",
                "required": True}
    return rules.normalise_indicator({**base, **changes})


@pytest.mark.parametrize("changes, field, code", [
    ({"code": "Lot"}, "code", "format"), ({"code": "x"}, "code", "format"),
    ({"name_zh": " "}, "name_zh", "length"), ({"name_en": "e" * 201}, "name_en", "length"),
    ({"stage": "farm"}, "stage", "choice"), ({"data_type": "float"}, "data_type", "choice"),
    ({"data_type": "enum"}, "allowed_values", "required"),
    ({"data_type": "enum", "allowed_values": ["a", "a"]}, "allowed_values", "required"),
    ({"allowed_values": ["a"]}, "allowed_values", "not_enum"),
    ({"pattern": "^a$"}, "pattern", "not_string"),
    ({"data_type": "string", "pattern": "(["}, "pattern", "regex"),
    ({"data_type": "string", "minimum": "1"}, "minimum", "not_numeric"),
    ({"maximum": "ten"}, "maximum", "number"),
])
def test_indicator_refusals(changes, field, code):
    errors = rules.check_indicators([_ind(**changes)])
    assert [(e.field, e.code) for e in errors] == [(f"indicators[0].{field}", code)]


def test_indicator_list_refusals():
    assert [e.code for e in rules.check_indicators([])] == ["empty"]
    errors = rules.check_indicators([_ind(), _ind()])
    assert [(e.field, e.code) for e in errors] == [("indicators[1].code", "duplicate")]
    assert "too_many" in [e.code for e in rules.check_indicators(
        [_ind(code=f"i{n}") for n in range(rules.MAX_INDICATORS + 1)])]


def test_json_schema_of_the_tea_catalog():
    schema = rules.json_schema("tea", 2, "茶叶", "Tea", TEA)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:ecozone:catalog:tea:v2"
    assert schema["additionalProperties"] is False
    assert "moisture" not in schema["required"] and "picking_date" in schema["required"]
    props = schema["properties"]
    assert props["garden_altitude"] == {**props["garden_altitude"], "type": "integer", "minimum": 0,
                                        "maximum": 3000}
    assert props["moisture"]["maximum"] == 7.5 and props["moisture"]["type"] == "number"
    assert props["picking_date"]["format"] == "date"
    assert props["tea_type"]["enum"][0] == "green"
    assert props["trace_code"]["pattern"] == "^[0-9]{27}$"


def test_interface_specification_is_derived_from_the_version():
    ops = {op["name"]: op for op in rules.interface_spec("tea", 1, TEA)}
    assert set(ops) == {"submitRecord", "submitRecords", "queryByCode", "listByBatch", "checkCode"}
    assert [f["name"] for f in ops["submitRecord"]["input"]] == [i["code"] for i in TEA]
    assert ops["queryByCode"]["output"] == ops["submitRecord"]["input"]
    assert ops["submitRecord"]["path"] == "/trace/tea/v1/records"


@pytest.mark.parametrize("state, action, expected", [
    ("draft", "edit", "draft"), ("draft", "publish", "published"), ("published", "supersede", "superseded"),
])
def test_state_machine_moves(state, action, expected):
    assert rules.CATALOG_VERSION.advance(state, action) == expected


@pytest.mark.parametrize("state, action", [
    ("published", "edit"), ("published", "publish"), ("superseded", "edit"), ("superseded", "publish"),
    ("superseded", "supersede"), ("draft", "supersede"),
])
def test_state_machine_refusals(state, action):
    with pytest.raises(IllegalTransition):
        rules.CATALOG_VERSION.advance(state, action)


def test_diff():
    new = [dict(i) for i in TEA if i["code"] != "moisture"]
    new[5] = dict(new[5], required=False, note="changed")
    new.append(_ind(code="lot_weight"))
    d = rules.diff(TEA, new)
    assert d.added == ["lot_weight"] and d.removed == ["moisture"]
    assert d.changed == {TEA[5]["code"]: ["required", "note"]}
    assert rules.diff(TEA, TEA) == rules.CatalogDiff([], [], {})
