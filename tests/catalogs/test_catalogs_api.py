"""Catalogs end to end through the HTTP API, on both databases."""

from __future__ import annotations

import pytest
from ecozone.catalogs import codes, rules, samples, service
from ecozone.catalogs.service import load_catalogs
from ecozone.experts.rules import PRODUCT_CATEGORIES

from tests.support.api import gid

CATALOG = """
query($category: ProductCategoryCode!, $version: Int) {
  catalog(category: $category, version: $version) { __typename
    ... on CatalogVersion { id number state category { code nameZh nameEn }
      indicators { code nameZh nameEn stage dataType unit required allowedValues pattern minimum maximum }
      jsonSchema
      interface { name method path input { name type required } output { name } }
      encoding { pattern layout example categoryCode segments { key nameZh start length example } } }
    ... on Failure { code message messageZh } }
}"""
VERSIONS = """
query($filter: CatalogFilterInput) {
  catalogVersions(filter: $filter, first: 50) { __typename
    ... on CatalogVersionConnection { totalCount edges { node { category { code } number state } } } }
}"""
CREATE = """
mutation($category: ProductCategoryCode!) {
  createCatalogDraft(input: {category: $category, changeNote: "加一项 / add one"}) { __typename
    ... on CatalogVersion { id number state indicators { code } }
    ... on Failure { code message messageZh } }
}"""
UPDATE = """
mutation($input: UpdateCatalogDraftInput!) {
  updateCatalogDraft(input: $input) { __typename
    ... on CatalogVersion { id number state indicators { code required } }
    ... on ValidationFailed { fieldErrors { field code } }
    ... on Failure { code message messageZh } }
}"""
PUBLISH = """
mutation($id: ID!) {
  publishCatalogVersion(input: {id: $id}) { __typename
    ... on CatalogVersion { number state }
    ... on Failure { code message messageZh } }
}"""
DIFF = """
query($from: Int!, $to: Int!) {
  catalogDiff(category: TEA, fromVersion: $from, toVersion: $to) { __typename
    ... on CatalogDiff { added removed changed { code changedFields } }
    ... on Failure { code } }
}"""
RECORD = """
query($record: JSON!, $version: Int) {
  validateTraceRecord(category: TEA, version: $version, record: $record) { __typename
    ... on RecordValidation { valid violations { path code message messageZh } }
    ... on Failure { code } }
}"""
RECORDS = """
query($records: [JSON!]!) {
  validateTraceRecords(category: TEA, records: $records) { __typename
    ... on BatchValidation { validCount invalidCount catalog { number }
                             results { index valid violations { path code } } }
    ... on ValidationFailed { fieldErrors { field code } }
    ... on Failure { code } }
}"""
CODE = """
query($code: String!) {
  validateTraceCode(code: $code) { valid problems { segment code message messageZh } segments { key example } }
}"""

TEA = service.starter_catalog("tea")["indicators"]


def indicator_input(ind: dict) -> dict:
    keys = {"code": "code", "name_zh": "nameZh", "name_en": "nameEn", "unit": "unit", "required": "required",
            "allowed_values": "allowedValues", "pattern": "pattern", "minimum": "minimum",
            "maximum": "maximum", "note": "note"}
    out = {gql: ind[key] for key, gql in keys.items() if ind.get(key) is not None}
    return {**out, "required": ind["required"], "stage": ind["stage"].upper(), "dataType": ind["data_type"].upper()}


@pytest.fixture
async def people(api):
    await api.operator(load_catalogs)
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("gz-secretary", "guizhou", "secretary")
    await api.add_user("jx-director", "jiangxi", "director")
    await api.add_user("jx-member", "jiangxi", "member")
    return api


async def test_all_eleven_catalogs_are_published_and_readable_anonymously(people):
    data = await people.gql(VERSIONS, {"filter": {"state": "PUBLISHED"}})
    versions = data["catalogVersions"]
    assert versions["totalCount"] == 11
    assert {e["node"]["category"]["code"].lower() for e in versions["edges"]} == set(PRODUCT_CATEGORIES)
    hogs = (await people.gql(CATALOG, {"category": "HOGS"}))["catalog"]
    assert hogs["__typename"] == "CatalogVersion" and hogs["number"] == 1 and hogs["state"] == "PUBLISHED"
    assert hogs["category"]["nameZh"] == "生猪"
    assert "ear_tag" in [i["code"] for i in hogs["indicators"]]
    assert hogs["jsonSchema"]["$id"] == "urn:ecozone:catalog:hogs:v1"
    assert {op["name"] for op in hogs["interface"]} >= {"submitRecord", "queryByCode", "listByBatch"}
    assert hogs["encoding"]["categoryCode"] == "07" and codes.validate_code(hogs["encoding"]["example"]) == []
    assert len(hogs["encoding"]["segments"]) == 7


async def test_loading_again_changes_nothing(people):
    assert set((await people.operator(load_catalogs)).values()) == {"present"}


async def test_draft_edit_publish_and_diff(people):
    # a member cannot start a draft; anonymous neither
    for user, zone in (("jx-member", "jiangxi"), (None, None), ("jx-director", "jiangxi")):
        denied = (await people.gql(CREATE, {"category": "TEA"}, user=user, zone=zone))["createCatalogDraft"]
        assert denied["__typename"] == "PermissionDenied", user
    draft = (await people.gql(CREATE, {"category": "TEA"}, user="jx-secretary", zone="jiangxi")
             )["createCatalogDraft"]
    assert draft["__typename"] == "CatalogVersion" and draft["number"] == 2 and draft["state"] == "DRAFT"
    assert [i["code"] for i in draft["indicators"]] == [i["code"] for i in TEA]  # a copy of version 1
    again = (await people.gql(CREATE, {"category": "TEA"}, user="gz-secretary", zone="guizhou"))
    assert again["createCatalogDraft"]["code"] == "conflict"

    # the draft is not public; zone staff see it
    assert (await people.gql(CATALOG, {"category": "TEA", "version": 2}))["catalog"]["code"] == "not_found"
    assert (await people.gql(CATALOG, {"category": "TEA", "version": 2}, user="jx-member", zone="jiangxi")
            )["catalog"]["code"] == "not_found"
    seen = (await people.gql(CATALOG, {"category": "TEA", "version": 2}, user="gz-secretary", zone="guizhou"))
    assert seen["catalog"]["state"] == "DRAFT"

    # edit: drop moisture, make the note of cultivar optional, add lot weight
    edited = [indicator_input(i) for i in TEA if i["code"] != "moisture"]
    edited[5] = {**edited[5], "required": False}
    edited.append({"code": "lot_weight", "nameZh": "批重", "nameEn": "lot weight", "stage": "SALE",
                   "dataType": "DECIMAL", "required": False, "unit": "kg", "minimum": "0"})
    update = {"id": draft["id"], "indicators": edited}
    member = (await people.gql(UPDATE, {"input": update}, user="jx-member", zone="jiangxi"))["updateCatalogDraft"]
    assert member["__typename"] == "PermissionDenied"
    bad = {"id": draft["id"], "indicators": [*edited, {**edited[0], "pattern": "(["}]}
    refused = (await people.gql(UPDATE, {"input": bad}, user="jx-secretary", zone="jiangxi"))["updateCatalogDraft"]
    assert {(e["field"], e["code"]) for e in refused["fieldErrors"]} == {
        (f"indicators[{len(edited)}].code", "duplicate"), (f"indicators[{len(edited)}].pattern", "regex")}
    ok = (await people.gql(UPDATE, {"input": update}, user="gz-secretary", zone="guizhou"))["updateCatalogDraft"]
    assert ok["__typename"] == "CatalogVersion" and "lot_weight" in [i["code"] for i in ok["indicators"]]

    # publishing needs a director
    for user, zone in (("jx-secretary", "jiangxi"), ("jx-member", "jiangxi"), (None, None)):
        assert (await people.gql(PUBLISH, {"id": draft["id"]}, user=user, zone=zone)
                )["publishCatalogVersion"]["__typename"] == "PermissionDenied"
    published = (await people.gql(PUBLISH, {"id": draft["id"]}, user="jx-director", zone="jiangxi"))
    assert published["publishCatalogVersion"] == {"__typename": "CatalogVersion", "number": 2, "state": "PUBLISHED"}
    twice = (await people.gql(PUBLISH, {"id": draft["id"]}, user="jx-director", zone="jiangxi"))
    assert twice["publishCatalogVersion"]["code"] == "illegal_transition"

    # a published version never changes
    frozen = (await people.gql(UPDATE, {"input": update}, user="jx-secretary", zone="jiangxi"))["updateCatalogDraft"]
    assert frozen["code"] == "illegal_transition" and frozen["messageZh"]
    v1 = (await people.gql(CATALOG, {"category": "TEA", "version": 1}))["catalog"]
    assert v1["state"] == "SUPERSEDED" and "moisture" in [i["code"] for i in v1["indicators"]]
    current = (await people.gql(CATALOG, {"category": "TEA"}))["catalog"]
    assert current["number"] == 2 and current["jsonSchema"]["$id"] == "urn:ecozone:catalog:tea:v2"

    diff = (await people.gql(DIFF, {"from": 1, "to": 2}))["catalogDiff"]
    assert diff == {"__typename": "CatalogDiff", "added": ["lot_weight"], "removed": ["moisture"],
                    "changed": [{"code": TEA[5]["code"], "changedFields": ["required"]}]}
    assert (await people.gql(DIFF, {"from": 1, "to": 9}))["catalogDiff"]["code"] == "not_found"

    # validation follows the version asked for
    record = samples.sample_record(TEA, "tea", 1)
    assert (await people.gql(RECORD, {"record": record, "version": 1}))["validateTraceRecord"]["valid"] is True
    v2 = (await people.gql(RECORD, {"record": record}))["validateTraceRecord"]
    assert [(v["path"], v["code"]) for v in v2["violations"]] == [("$.moisture", "unknown")]


async def test_validate_trace_record_reports_every_violation(people):
    record = samples.sample_record(TEA, "tea", 1)
    assert (await people.gql(RECORD, {"record": record}))["validateTraceRecord"] == {
        "__typename": "RecordValidation", "valid": True, "violations": []}
    bad = {**record, "tea_type": "puer", "garden_altitude": 5000}
    bad.pop("picking_date")
    result = (await people.gql(RECORD, {"record": bad}))["validateTraceRecord"]
    assert result["valid"] is False
    assert [(v["path"], v["code"]) for v in result["violations"]] == [
        ("$.tea_type", "enum"), ("$.garden_altitude", "maximum"), ("$.picking_date", "required")]
    assert all(v["message"] and v["messageZh"] for v in result["violations"])
    missing = (await people.gql(RECORD, {"record": record, "version": 7}))["validateTraceRecord"]
    assert missing["__typename"] == "NotFound"


async def test_validate_trace_records_in_a_batch(people):
    records = [samples.sample_record(TEA, "tea", n) for n in range(5)]
    records[3] = {**records[3], "net_weight": 0}
    records.append("not an object")
    batch = (await people.gql(RECORDS, {"records": records}))["validateTraceRecords"]
    assert batch["validCount"] == 4 and batch["invalidCount"] == 2 and batch["catalog"]["number"] == 1
    assert [r["valid"] for r in batch["results"]] == [True, True, True, False, True, False]
    assert batch["results"][3]["violations"] == [{"path": "$.net_weight", "code": "minimum"}]
    too_many = (await people.gql(RECORDS, {"records": [{}] * (rules.MAX_BATCH + 1)}))["validateTraceRecords"]
    assert too_many["fieldErrors"] == [{"field": "records", "code": "too_many"}]


@pytest.mark.parametrize("mutate, segment", [
    (lambda c: c, None), (lambda c: "99" + c[2:], "zone"), (lambda c: c[:-1] + str((int(c[-1]) + 1) % 10), "check"),
    (lambda c: c[:10] + "20261301" + c[18:], "date"), (lambda c: c[:5], "code"),
])
async def test_validate_trace_code(api, mutate, segment):
    code = mutate(codes.EXAMPLE_CODE)
    result = (await api.gql(CODE, {"code": code}))["validateTraceCode"]
    assert result["valid"] is (segment is None)
    assert segment is None or segment in [p["segment"] for p in result["problems"]]
    assert all(p["messageZh"] for p in result["problems"])


async def test_node_lookup_hides_drafts_from_anonymous(people):
    draft = (await people.gql(CREATE, {"category": "GRAIN"}, user="jx-secretary", zone="jiangxi")
             )["createCatalogDraft"]
    query = "query($id: ID!) { node(id: $id) { __typename ... on CatalogVersion { number } } }"
    assert (await people.gql(query, {"id": draft["id"]}))["node"] is None
    assert (await people.gql(query, {"id": draft["id"]}, user="jx-secretary", zone="jiangxi"))["node"] == {
        "__typename": "CatalogVersion", "number": 2}
    wrong_type = (await people.gql(PUBLISH, {"id": gid("Standard", 1)}, user="jx-director", zone="jiangxi"))
    assert wrong_type["publishCatalogVersion"]["__typename"] == "NotFound"


async def test_schema_download(people):
    response = await people.client.get("/catalogs/tea/v1/schema.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    assert response.json()["$id"] == "urn:ecozone:catalog:tea:v1"
    assert (await people.client.get("/catalogs/tea/v9/schema.json")).status_code == 404
    assert (await people.client.get("/catalogs/coffee/v1/schema.json")).status_code == 404
    draft = (await people.gql(CREATE, {"category": "TEA"}, user="jx-secretary", zone="jiangxi"))
    assert draft["createCatalogDraft"]["number"] == 2
    assert (await people.client.get("/catalogs/tea/v2/schema.json")).status_code == 404  # drafts are not public
