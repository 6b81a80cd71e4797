"""GET /exports/funds/{year}.xlsx on both databases: the office's download, exact to the fen;
everyone else refused."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.annual.support import INCOME, REVERSE, SPEND, mutate
from tests.governance.council_client import seed_council, today  # noqa: F401 - the frozen-clock fixture


@pytest.fixture
async def council(api, today):  # noqa: F811
    return await seed_council(api)


async def test_the_accountants_workbook(api, council):
    z, sec = council.zone, council.secretary
    await mutate(api, INCOME, {"input": {"bookedOn": "2026-02-01", "amount": "92233720368.55", "source": "GOVERNMENT_GRANT",
                                         "payerName": "上级主管部门", "description": "补助资金", "voucher": "记-001"}}, sec, z)
    paid = await mutate(api, SPEND, {"input": {"bookedOn": "2026-02-02", "amount": "0.07", "businessArea": "TALENT",
                                               "nature": "OPERATING", "payeeName": "=HYPERLINK(\"x\")",
                                               "description": "+cmd"}}, sec, z)
    twice = await mutate(api, SPEND, {"input": {"bookedOn": "2026-02-03", "amount": "0.07", "businessArea": "TALENT",
                                                "nature": "OPERATING", "payeeName": "同一张发票", "description": "重复"}},
                         sec, z)
    await mutate(api, REVERSE, {"id": twice["id"], "reason": "重复记账"}, sec, z)
    assert paid["__typename"] == "FundEntry"
    response = await api.client.get("/exports/funds/2026.xlsx", headers=api.headers(council.director, z))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "funds-jiangxi-2026.xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    ledger = [row for row in book["明细账"].iter_rows(min_row=2, values_only=True)]
    assert [(r[3], r[10]) for r in ledger] == [("收入", 9223372036855), ("支出", 7), ("支出", 7), ("支出（冲销）", -7)]
    assert Decimal(str(ledger[0][9])) == Decimal("92233720368.55")
    assert ledger[1][7] == "=HYPERLINK(\"x\")" and ledger[1][8] == "+cmd"  # text, never a formula
    totals = {r[0]: r[2] for r in book["预算执行"].iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(totals["收支差额"])) == Decimal("92233720368.48")


async def test_who_may_download(api, council):
    z = council.zone
    member = await api.client.get("/exports/funds/2026.xlsx", headers=api.headers(council.reps[0], z))
    anonymous = await api.client.get("/exports/funds/2026.xlsx")
    assert member.status_code == anonymous.status_code == 403
    assert "经费" in member.json()["errors"][0]["extensions"]["messageZh"]
    await api.add_user("gz-director", "guizhou", "director")
    elsewhere = await api.client.get("/exports/funds/2026.xlsx", headers=api.headers("gz-director", z))
    assert elsewhere.status_code == 403 and elsewhere.json()["errors"][0]["extensions"]["code"] == "ZONE_FORBIDDEN"
    for year in ("0", "02026", "abc", "99999999999"):
        assert (await api.client.get(f"/exports/funds/{year}.xlsx",
                                     headers=api.headers(council.director, z))).status_code == 404
