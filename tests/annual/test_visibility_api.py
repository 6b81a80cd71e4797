"""The README's table "Who sees what" of the base's year, cell by cell through HTTP on both
databases: a list, ``node(id:)`` and the download answer the same."""

from __future__ import annotations

import pytest

from tests.annual.support import (
    ADD_ITEM,
    ADOPT_PLAN,
    ADOPT_REPORT,
    DRAFT_PLAN,
    DRAFT_REPORT,
    INCOME,
    SUBMIT_PLAN,
    SUBMIT_REPORT,
    draft_plan,
    meeting,
    motion,
    mutate,
    vote,
)
from tests.governance.council_client import seed_council, today  # noqa: F401 - the frozen-clock fixture
from tests.support.readme_tables import (
    NO,
    YES,
    Identity,
    check_table_shape,
    readme_table,
)

IDENTITIES = [Identity("anonymous", None, None), Identity("member of the zone", "jx-rep1", "jiangxi"),
              Identity("office of another zone", "gz-secretary", "guizhou"),
              Identity("office of the zone", "jx-secretary", "jiangxi")]
NODE = "query($id: ID!) { node(id: $id) { id } }"
LISTS = {"plan": "{ annualPlans { ... on AnnualPlanConnection { edges { node { id items { edges { node { id } } } } } } } }",
         "report": "{ annualReports { ... on AnnualReportConnection { edges { node { id } } } } }"}
BOOKS = "{ fundExecution(year: 2026) { ... on FundExecution { incomeTotal } } }"


@pytest.fixture
async def council(api, today):  # noqa: F811
    council = await seed_council(api)
    await api.add_user("gz-secretary", "guizhou", "secretary")
    return council


async def _objects(api, council) -> dict[str, tuple[str, str | None]]:
    z, sec = council.zone, council.secretary
    adopted = await draft_plan(api, council)
    adopted_item = await mutate(api, ADD_ITEM, {"input": {"planId": adopted["id"], "titleZh": "任务", "titleEn": "Task"}},
                                sec, z)
    draft = await mutate(api, DRAFT_PLAN, {"input": {"year": 2027}}, sec, z)
    draft_item = await mutate(api, ADD_ITEM, {"input": {"planId": draft["id"], "titleZh": "明年任务", "titleEn": "Next"}},
                              sec, z)
    report = await mutate(api, DRAFT_REPORT, {"input": {"year": 2026, "kind": "FINANCIAL", "textZh": "财务",
                                                        "textEn": "Finances"}}, sec, z)
    draft_report = await mutate(api, DRAFT_REPORT, {"input": {"year": 2025, "kind": "WORK", "textZh": "工作",
                                                              "textEn": "Work"}}, sec, z)
    entry = await mutate(api, INCOME, {"input": {"bookedOn": "2026-03-01", "amount": "7.77", "source": "HOST_UNIT",
                                                 "description": "承担单位投入"}}, sec, z)
    general = await meeting(api, council)
    for submit, adopt, key, document in ((SUBMIT_PLAN, ADOPT_PLAN, "planId", adopted),
                                         (SUBMIT_REPORT, ADOPT_REPORT, "reportId", report)):
        motion_id = await motion(api, council, general)
        await mutate(api, submit, {"input": {key: document["id"], "motionId": motion_id}}, sec, z)
        await vote(api, council, motion_id)
        assert (await mutate(api, adopt, {"id": document["id"]}, sec, z))["state"] == "ADOPTED"
    return {"work plan, draft or submitted, with its items": ("plan", draft["id"], draft_item["id"]),
            "work plan, adopted, with its items": ("plan", adopted["id"], adopted_item["id"]),
            "annual report, draft or submitted": ("report", draft_report["id"], None),
            "annual report, adopted (disclosed)": ("report", report["id"], None),
            "the books: entries, budget and execution, XLSX": ("books", entry["id"], None)}


def _has_fen(content: bytes, fen: int) -> bool:
    import io

    from openpyxl import load_workbook
    ledger = load_workbook(io.BytesIO(content))["明细账"]
    return any(row[10] == fen for row in ledger.iter_rows(min_row=2, values_only=True))


async def _sees(api, identity: Identity, kind: str, object_id: str | None, item_id: str | None) -> bool:
    user, zone = identity.user, identity.zone
    if kind == "books":  # Jiangxi's books hold one receipt of 7.77 yuan (777 fen)
        graphql = (await api.gql(BOOKS, user=user, zone=zone))["fundExecution"].get("incomeTotal") == "7.77"
        response = await api.client.get("/exports/funds/2026.xlsx", headers=api.headers(user, zone))
        download = response.status_code == 200 and _has_fen(response.content, 777)
        by_node = (await api.gql(NODE, {"id": object_id}, user=user, zone=zone))["node"] is not None
        assert graphql is download is by_node, (identity, response.status_code, by_node)
        return graphql
    listed = await api.gql(LISTS[kind], user=user, zone=zone)
    nodes = [e["node"] for e in next(iter(listed.values()))["edges"]]
    in_list = object_id in {n["id"] for n in nodes}
    by_node = (await api.gql(NODE, {"id": object_id}, user=user, zone=zone))["node"] is not None
    assert in_list is by_node, (identity, kind)
    if item_id is not None:
        item_listed = item_id in {i["node"]["id"] for n in nodes for i in n["items"]["edges"]}
        item_node = (await api.gql(NODE, {"id": item_id}, user=user, zone=zone))["node"] is not None
        assert item_listed is item_node is in_list, (identity, "item")
    return in_list


async def test_who_sees_what(api, council):
    columns, rows = readme_table("The base's year: work plan, reports, funds", "annual object")
    objects = await _objects(api, council)
    check_table_shape(columns, rows, IDENTITIES, objects)
    for row, cells in rows.items():
        for identity in IDENTITIES:
            expected = cells[identity.column]
            assert await _sees(api, identity, *objects[row]) is (expected == YES), (row, identity.column, expected)
            assert expected in (YES, NO)
