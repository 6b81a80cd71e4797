"""Every field of every event of a recall, as submitted: the chain is read as rows and its GraphQL
objects share one enterprise object per enterprise (a recall has thousands of events), so this
checks that no field was lost or mixed up on the way."""

from __future__ import annotations

import datetime as dt

from tests.trace.support import ENTERPRISES, FACTORY, PACKED, load_story, story

EVENT_FIELDS = ("recordId code batch eventType eventNameZh eventNameEn occurredAt place placeCode reason "
                "category gtin lot indicators privateShown enterprise { nameZh nameEn uscc producerCode kinds }")
QUERY = ("query($c: String!) { traceRecall(code: $c) { ... on TraceChain { code batch batches "
         f"links {{ parent child }} events {{ {EVENT_FIELDS} }} sellers {{ nameZh uscc }} }} }} }}")
NAMES = {"production": ("生产", "production"), "processing": ("加工", "processing"), "testing": ("检验检测", "testing"),
         "sale": ("销售", "sale")}
PUBLIC = {"F-test-1": {"pesticide_test": "pass"}}  # moisture is private


def expected_event(key: str, record: dict, zone_staff: bool) -> dict:
    _, _, name_zh, name_en, credit, producer, kinds = ENTERPRISES[key]
    when = dt.datetime.fromisoformat(record["time"]).astimezone(dt.UTC).isoformat()
    indicators = record["data"] if zone_staff else PUBLIC.get(record["id"], record["data"])
    return {"recordId": record["id"], "code": record["code"], "batch": record["code"][:22],
            "eventType": record["event"].upper(), "eventNameZh": NAMES[record["event"]][0],
            "eventNameEn": NAMES[record["event"]][1], "occurredAt": when, "place": record["place"],
            "placeCode": None, "reason": record.get("reason"), "category": "TEA", "gtin": None, "lot": None,
            "indicators": indicators, "privateShown": zone_staff,
            "enterprise": {"nameZh": name_zh, "nameEn": name_en, "uscc": credit, "producerCode": producer,
                           "kinds": kinds}}


async def test_a_recall_answers_every_field_of_every_event_as_submitted(api):
    await load_story(api)
    recalled = {FACTORY[:22], *(p[:22] for p in PACKED)}
    submitted = [(key, r) for key, records in story().items() for r in records if r["code"][:22] in recalled]
    for user, zone in ((None, None), ("jx-secretary", "jiangxi")):
        answer = (await api.gql(QUERY, {"c": FACTORY}, user=user, zone=zone))["traceRecall"]
        events = sorted(answer["events"], key=lambda e: e["recordId"])
        want = sorted((expected_event(key, r, zone == "jiangxi" and ENTERPRISES[key][0] == "jiangxi")
                       for key, r in submitted), key=lambda e: e["recordId"])
        assert events == want
        assert [e["occurredAt"] for e in answer["events"]] == sorted(e["occurredAt"] for e in answer["events"])
        assert (answer["code"], answer["batch"]) == (FACTORY, FACTORY[:22])
        assert answer["batches"] == sorted(recalled)
        assert sorted((link["parent"], link["child"]) for link in answer["links"]) == sorted(
            (FACTORY[:22], p[:22]) for p in PACKED)
        assert sorted(s["uscc"] for s in answer["sellers"]) == sorted(
            ENTERPRISES[k][4] for k in ("shop_1", "shop_2", "shop_3"))
