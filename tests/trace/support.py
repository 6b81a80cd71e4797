"""The tea story of the trace tests, built through the HTTP API: two gardens' lots combined by a
factory, split into three packed lots, sold by three shops (one of them in Guizhou)."""

from __future__ import annotations

import datetime as dt
import json

from ecozone.catalogs import codes
from stdnum.cn import uscc as uscc_check

from tests.support.api import Api, gid

FAILURE = "... on Failure { code message messageZh } ... on ValidationFailed { fieldErrors { field code } }"
REPORT = ("__typename ... on TraceIngestReport { accepted unchanged rejectedCount "
          "rejected { line recordId errors { field code message messageZh } } } " + FAILURE)
CHAIN = ("__typename ... on TraceChain { code batch batches links { parent child } "
         "events { recordId batch eventType place indicators privateShown enterprise { nameZh } } "
         "sellers { nameZh } } " + FAILURE)


def uscc(region: str, n: int) -> str:
    body = f"91{region}MA{n:07d}"
    return body + uscc_check.calc_check_digit(body)


def code(producer: str, batch: int, *, zone: str = "36", day: int = 2, serial: int = 1) -> str:
    return codes.make_code(zone=zone, category="tea", producer=producer, date=dt.date(2026, 4, day),
                           batch=batch, serial=serial)


GARDEN_A, GARDEN_B, FACTORY = code("000101", 1), code("000102", 1), code("000201", 1, day=5)
PACKED = [code("000201", n, day=6) for n in (2, 3, 4)]
ENTERPRISES = {
    # key: (zone, user, name_zh, name_en, uscc, producer code, kinds)
    "garden_a": ("jiangxi", "jx-garden-a", "婺源某生态茶园", "Wuyuan Eco Tea Garden", uscc("361130", 1), "000101", ["PRODUCER"]),
    "garden_b": ("jiangxi", "jx-garden-b", "浮梁某高山茶园", "Fuliang Highland Tea Garden", uscc("360222", 2), "000102", ["PRODUCER"]),
    "factory": ("jiangxi", "jx-factory", "赣东某茶叶加工厂", "Gandong Tea Works", uscc("361100", 3), "000201", ["PROCESSOR"]),
    "shop_1": ("jiangxi", "jx-shop-1", "南昌某茶叶店", "Nanchang Tea Shop", uscc("360100", 4), "000301", ["SELLER"]),
    "shop_2": ("jiangxi", "jx-shop-2", "九江某茶叶店", "Jiujiang Tea Shop", uscc("360400", 5), "000302", ["SELLER"]),
    "shop_3": ("guizhou", "gz-shop-3", "贵阳某茶叶店", "Guiyang Tea Shop", uscc("520100", 6), "000303", ["SELLER"]),
}
SHOPS = {"南昌某茶叶店", "九江某茶叶店", "贵阳某茶叶店"}


async def op(api: Api, mutation: str, input_: dict, fields: str, user: str | None, zone: str | None) -> dict:
    input_type = mutation[0].upper() + mutation[1:] + "Input"
    query = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {fields} }} }}"
    return (await api.gql(query, {"input": input_}, user=user, zone=zone))[mutation]


async def enterprises(api: Api) -> dict[str, str]:
    """Register the story's enterprises and their people; returns key -> global ID."""
    from ecozone.catalogs.service import load_catalogs
    await api.operator(load_catalogs)
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("gz-secretary", "guizhou", "secretary")
    ids = {}
    for key, (zone, user, name_zh, name_en, credit, producer, kinds) in ENTERPRISES.items():
        secretary = "jx-secretary" if zone == "jiangxi" else "gz-secretary"
        made = await op(api, "registerTraceEnterprise", {"nameZh": name_zh, "nameEn": name_en, "uscc": credit,
                                                         "producerCode": producer, "kinds": kinds},
                        f"__typename ... on TraceEnterprise {{ id }} {FAILURE}", secretary, zone)
        assert made["__typename"] == "TraceEnterprise", made
        user_id = await api.add_user(user, zone)
        added = await op(api, "addTraceEnterpriseMember", {"enterpriseId": made["id"], "userId": gid("User", user_id)},
                         "__typename", secretary, zone)
        assert added["__typename"] == "TraceEnterprise", added
        ids[key] = made["id"]
    return ids


def rec(key: str, enterprise: str, trace_code: str, event: str, *, day: int, inputs: list[str] | None = None,
        data: dict | None = None, **extra) -> dict:
    record = {"id": key, "enterprise": ENTERPRISES[enterprise][4], "code": trace_code, "event": event,
              "time": f"2026-04-{day:02d}T09:00:00+08:00", "place": "江西省上饶市婺源县", "data": data or {}, **extra}
    if inputs:
        record["inputs"] = inputs
    return record


def origin_data(producer: str, altitude: int) -> dict:
    return {"producer_name": producer, "origin_county_code": "361130", "tea_type": "green", "cultivar": "上梅洲",
            "garden_altitude": altitude, "picking_date": "2026-04-02", "leaf_grade": "one_bud_one_leaf"}


def story() -> dict[str, list[dict]]:
    """Each enterprise's records, in the order they happen."""
    return {
        "garden_a": [rec("A-prod-1", "garden_a", GARDEN_A, "production", day=2,
                         data=origin_data("婺源某生态茶园", 820), gtin="06901234567892", lot="WY2604A")],
        "garden_b": [rec("B-prod-1", "garden_b", GARDEN_B, "production", day=2, data=origin_data("浮梁某高山茶园", 640))],
        "factory": [
            rec("F-proc-1", "factory", FACTORY, "processing", day=5, inputs=[GARDEN_A, GARDEN_B], reason="拼配",
                data={"processing_steps": "摊青-杀青-揉捻-干燥", "processing_date": "2026-04-05"}),
            rec("F-test-1", "factory", FACTORY, "testing", day=5, data={"pesticide_test": "pass", "moisture": 6.1}),
            *[rec(f"F-pack-{n}", "factory", packed, "processing", day=6, inputs=[FACTORY], reason="分装",
                  data={"processing_steps": "分装", "processing_date": "2026-04-06"})
              for n, packed in enumerate(PACKED, 1)],
        ],
        "shop_1": [rec("S1-sale-1", "shop_1", PACKED[0], "sale", day=8, data={"net_weight": 250})],
        "shop_2": [rec("S2-sale-1", "shop_2", PACKED[1], "sale", day=8, data={"net_weight": 250})],
        "shop_3": [rec("S3-sale-1", "shop_3", PACKED[2], "sale", day=9, data={"net_weight": 250})],
    }


async def submit(api: Api, user: str, zone: str, records: list[dict]) -> dict:
    return await op(api, "submitTraceRecords", {"records": records}, REPORT, user, zone)


async def load_story(api: Api) -> dict[str, str]:
    ids = await enterprises(api)
    for key, records in story().items():
        zone, user = ENTERPRISES[key][0], ENTERPRISES[key][1]
        report = await submit(api, user, zone, records)
        assert report["__typename"] == "TraceIngestReport", report
        assert report["rejectedCount"] == 0, report["rejected"]
        assert report["accepted"] == len(records)
    return ids


def ndjson(records: list) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


async def post_ndjson(api: Api, body: bytes, user: str | None, zone: str | None, **headers):
    hdrs = {"Content-Type": "application/x-ndjson", **headers}
    if user:
        hdrs["Authorization"] = f"Bearer {api.token(user)}"
    if zone:
        hdrs["X-Zone"] = zone
    return await api.client.post("/trace/records", content=body, headers=hdrs)


async def trace(api: Api, trace_code: str, *, user: str | None = None, zone: str | None = None,
                field: str = "trace") -> dict:
    data = await api.gql(f"query($code: String!) {{ {field}(code: $code) {{ {CHAIN} }} }}", {"code": trace_code},
                         user=user, zone=zone)
    return data[field]
