"""NDJSON ingest and the hostile client, through HTTP on both databases.

The README's promise: a request keeps its valid records and reports the rest, line by line;
a record sent again unchanged adds nothing.
"""

from __future__ import annotations

import copy

from tests.support.api import gid
from tests.trace.support import (
    ENTERPRISES,
    FACTORY,
    GARDEN_A,
    code,
    enterprises,
    ndjson,
    origin_data,
    post_ndjson,
    rec,
    story,
    submit,
    trace,
)

OK_A = story()["garden_a"][0]


async def _count_events(api, trace_code: str) -> int:
    chain = await trace(api, trace_code)
    return len(chain["events"]) if chain["__typename"] == "TraceChain" else 0


async def test_file_with_bad_lines_keeps_the_valid_records_and_reports_the_rest(api):
    await enterprises(api)
    bad_check = OK_A["code"][:-1] + str((int(OK_A["code"][-1]) + 1) % 10)
    lines = [
        OK_A,                                                            # 1 ok
        dict(copy.deepcopy(OK_A), id="A-bad-digit", code=bad_check),     # 2 check digit lies
        "not an object",                                                 # 3
        dict(copy.deepcopy(OK_A), id="A-bad-data", data={**origin_data("x", 9999), "colour": "red"}),  # 4
        rec("A-prod-2", "garden_a", code("000101", 2), "production", day=3, data=origin_data("婺源某生态茶园", 700)),  # 5 ok
    ]
    body = ndjson(lines) + b"{broken json\n" + b"\n" + b'{"id": "\xff\xfe"}\n'  # 6 json, blank, 8 not UTF-8
    response = await post_ndjson(api, body, "jx-garden-a", "jiangxi")
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["accepted"], report["unchanged"], report["rejectedCount"]) == (2, 0, 5)
    by_line = {r["line"]: {e["code"] for e in r["errors"]} for r in report["rejected"]}
    assert by_line == {2: {"check_digit"}, 3: {"type"}, 4: {"maximum", "unknown"}, 6: {"json"}, 8: {"encoding"}}
    assert report["rejected"][0]["id"] == "A-bad-digit"
    assert all(e["messageZh"] for r in report["rejected"] for e in r["errors"])
    # the valid ones are stored
    assert await _count_events(api, GARDEN_A) == 1
    assert await _count_events(api, code("000101", 2)) == 1


async def test_resubmitted_file_changes_nothing(api):
    await enterprises(api)
    body = ndjson(story()["garden_a"] + story()["garden_b"][:0])
    first = (await post_ndjson(api, body, "jx-garden-a", "jiangxi")).json()
    second = (await post_ndjson(api, body, "jx-garden-a", "jiangxi")).json()
    assert (first["accepted"], first["unchanged"]) == (1, 0)
    assert (second["accepted"], second["unchanged"], second["rejectedCount"]) == (0, 1, 0)
    # the same line twice in one file: stored once
    twice = (await post_ndjson(api, ndjson([OK_A, OK_A]), "jx-garden-a", "jiangxi")).json()
    assert (twice["accepted"], twice["unchanged"]) == (0, 2)
    assert await _count_events(api, GARDEN_A) == 1


async def test_guizhou_enterprise_cannot_submit_as_a_jiangxi_one(api):
    await enterprises(api)
    # a Guizhou shop's person sends a Jiangxi garden's record, from Guizhou
    report = await submit(api, "gz-shop-3", "guizhou", [OK_A])
    assert report["rejected"][0]["errors"][0]["code"] == "not_your_enterprise"
    # ... or claims to act in Jiangxi: refused before anything runs
    response = await post_ndjson(api, ndjson([OK_A]), "gz-shop-3", "jiangxi")
    assert response.status_code == 403 and response.json()["errors"][0]["extensions"]["code"] == "ZONE_FORBIDDEN"
    # a Guizhou shop making a batch under a Jiangxi code (its own USCC): the code is not its own
    own = rec("G-prod-1", "shop_3", GARDEN_A, "production", day=2, data=origin_data("贵阳某茶叶店", 900))
    report = await submit(api, "gz-shop-3", "guizhou", [own])
    codes = {e["code"] for e in report["rejected"][0]["errors"]}
    assert codes == {"foreign_zone", "foreign_producer"}
    # another Jiangxi enterprise's person cannot submit for the garden either
    report = await submit(api, "jx-factory", "jiangxi", [OK_A])
    assert report["rejected"][0]["errors"][0]["code"] == "not_your_enterprise"
    assert await _count_events(api, GARDEN_A) == 0


async def test_roles_and_refusals(api):
    await enterprises(api)
    # anonymous and people without the enterprise role are refused, typed, audited
    report = await submit(api, None, None, [OK_A])
    assert report["__typename"] == "PermissionDenied"
    await api.add_user("jx-member", "jiangxi", "member")
    assert (await submit(api, "jx-member", "jiangxi", [OK_A]))["__typename"] == "PermissionDenied"
    response = await post_ndjson(api, ndjson([OK_A]), None, None)
    assert response.status_code == 403 and response.json()["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    # the wrong media type, a forged token
    response = await api.client.post("/trace/records", content=b"{}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    response = await post_ndjson(api, ndjson([OK_A]), None, None, Authorization="Bearer forged")
    assert response.status_code == 401
    # enterprise registration: staff only, USCC checked, region in the zone's province
    fields = "__typename ... on ValidationFailed { fieldErrors { field code } }"
    made = await api.gql("mutation($i: RegisterTraceEnterpriseInput!) { registerTraceEnterprise(input: $i) { "
                         + fields + " } }", {"i": {"nameZh": "某茶企", "nameEn": "Tea", "uscc": ENTERPRISES["shop_3"][4],
                                               "producerCode": "000000", "kinds": []}},
                         user="jx-secretary", zone="jiangxi")
    errors = {(e["field"], e["code"]) for e in made["registerTraceEnterprise"]["fieldErrors"]}
    assert errors == {("uscc", "foreign_region"), ("producerCode", "format"), ("kinds", "choice")}
    denied = await api.gql("mutation($i: RegisterTraceEnterpriseInput!) { registerTraceEnterprise(input: $i) { "
                           "__typename } }", {"i": {"nameZh": "x", "nameEn": "x", "uscc": "x", "producerCode": "1",
                                                   "kinds": ["SELLER"]}}, user="jx-garden-a", zone="jiangxi")
    assert denied["registerTraceEnterprise"]["__typename"] == "PermissionDenied"
    # a person is added only to the zone's own enterprises, by its staff; forged IDs are NotFound
    listed = await api.gql("{ traceEnterprises(first: 10) { ... on TraceEnterpriseConnection { totalCount "
                           "edges { node { id nameZh zone { slug } } } } } }")
    ids = {e["node"]["nameZh"]: e["node"]["id"] for e in listed["traceEnterprises"]["edges"]}
    assert listed["traceEnterprises"]["totalCount"] == 6
    member = "mutation($i: AddTraceEnterpriseMemberInput!) { addTraceEnterpriseMember(input: $i) { __typename } }"
    user = gid("User", api.users["jx-member"])
    for who, zone, enterprise in (("gz-secretary", "guizhou", ids["婺源某生态茶园"]),
                                  ("jx-secretary", "jiangxi", gid("TraceEnterprise", 999)),
                                  ("jx-secretary", "jiangxi", gid("User", 1)),
                                  ("jx-secretary", "jiangxi", "bm9wZQ==")):
        result = await api.gql(member, {"i": {"enterpriseId": enterprise, "userId": user}}, user=who, zone=zone)
        assert result["addTraceEnterpriseMember"]["__typename"] == "NotFound", (who, enterprise)
    result = await api.gql(member, {"i": {"enterpriseId": ids["婺源某生态茶园"], "userId": user}},
                           user="jx-garden-b", zone="jiangxi")
    assert result["addTraceEnterpriseMember"]["__typename"] == "PermissionDenied"
    again = await api.gql(member, {"i": {"enterpriseId": ids["婺源某生态茶园"], "userId": gid("User", api.users["jx-garden-a"])}},
                          user="jx-secretary", zone="jiangxi")
    assert again["addTraceEnterpriseMember"]["__typename"] == "Conflict"


async def test_hostile_records(api):
    await enterprises(api)
    long_id = "x" * 101
    hostile = [
        dict(copy.deepcopy(OK_A), code="36" + "0" * 25),                      # all-zero segments
        dict(copy.deepcopy(OK_A), code="３６" + OK_A["code"][2:]),             # full-width digits
        dict(copy.deepcopy(OK_A), id=long_id),                                # forged, oversized id
        dict(copy.deepcopy(OK_A), id="A-2", event="teleport"),
        dict(copy.deepcopy(OK_A), id="A-3", time="2026-04-02 09:00"),         # no offset
        dict(copy.deepcopy(OK_A), id="A-4", time="2999-01-01T00:00:00Z"),     # future
        dict(copy.deepcopy(OK_A), id="A-5", gtin="06901234567891"),           # GTIN check digit lies
        dict(copy.deepcopy(OK_A), id="A-6", inputs=[OK_A["code"]]),           # made from itself
        dict(copy.deepcopy(OK_A), id="A-7", catalogVersion=99),               # no such version
        dict(copy.deepcopy(OK_A), id="A-8", data={**OK_A["data"], "trace_code": FACTORY}),  # lies about itself
        dict(copy.deepcopy(OK_A), id="A-9", zone_id=1),                       # forged extra field
        [1, 2, 3],
    ]
    report = await submit(api, "jx-garden-a", "jiangxi", hostile)
    assert report["accepted"] == 0 and report["rejectedCount"] == len(hostile)
    codes = [{e["code"] for e in r["errors"]} for r in report["rejected"]]
    assert "zero" in codes[0] and "digits" in codes[1] and "format" in codes[2]
    assert codes[3] == {"choice"} and codes[4] == {"format"} and codes[5] == {"range"}
    assert codes[6] == {"check_digit"} and codes[7] == {"cycle"} and codes[8] == {"not_found"}
    assert codes[9] == {"mismatch"} and codes[10] == {"unknown"} and codes[11] == {"type"}
    assert report["rejected"][2]["recordId"] is None  # an oversized id is not echoed
    # too many for the mutation: a typed refusal, nothing stored
    many = await submit(api, "jx-garden-a", "jiangxi", [OK_A] * 501)
    assert many["__typename"] == "ValidationFailed"


async def test_oversized_lines_and_non_utf8_are_reported_per_line(api):
    await enterprises(api)
    huge = b'{"id": "' + b"x" * 70_000 + b'"}\n'
    body = huge + ndjson([OK_A]) + b"\xff\xfe\xfd\n" + b"x" * 70_000  # the last line is long and unterminated
    response = await post_ndjson(api, body, "jx-garden-a", "jiangxi")
    report = response.json()
    assert report["accepted"] == 1
    assert [(r["line"], r["errors"][0]["code"]) for r in report["rejected"]] == [
        (1, "too_long"), (3, "encoding"), (4, "too_long")]


async def test_bad_codes_in_lookup_are_typed_refusals(api):
    await enterprises(api)
    for bad in ("123", "36" + "0" * 25, OK_A["code"][:-1] + "0" if OK_A["code"][-1] != "0" else OK_A["code"][:-1] + "1"):
        result = await trace(api, bad)
        assert result["__typename"] == "ValidationFailed", result
    assert (await trace(api, GARDEN_A))["__typename"] == "NotFound"
    assert (await trace(api, GARDEN_A, field="traceRecall"))["__typename"] == "NotFound"
