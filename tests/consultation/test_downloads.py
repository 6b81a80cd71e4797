"""The comment summary table downloads over HTTP, authenticated like /graphql."""

from __future__ import annotations

import csv
import io
from urllib.parse import unquote

import openpyxl
import pytest
from sqlalchemy import false, select, true

from ecozone.authz.actor import system_actor
from ecozone.consultation import service, subjects
from ecozone.tenancy.models import Zone
from tests.consultation.client import COMMENT_INPUT, DOCUMENT
from tests.support.api import gid

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def download(api, url: str, user: str | None = None, zone: str | None = None):
    headers = {}
    if user:
        headers["Authorization"] = f"Bearer {api.token(user)}"
    if zone:
        headers["X-Zone"] = zone
    return await api.client.get(url, headers=headers)


@pytest.fixture
async def with_comments(consultations):
    c = await consultations.open()
    first = await consultations.post(c["id"])
    await consultations.post(c["id"], "gz-member", clause="5.2.1", text="=1+1 不应被当成公式",
                             proposedChange=None)
    await consultations.decide(first["id"], "NOT_ADOPTED", "与上位法规定一致")
    return c


async def test_xlsx_download_with_a_token(consultations, with_comments):
    api = consultations.api
    response = await download(api, with_comments["summaryDownload"]["xlsxUrl"], "gz-member")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="comment-summary-')
    name = unquote(disposition.split("filename*=UTF-8''", 1)[1])
    assert name == f"意见汇总表-{DOCUMENT['titleZh']}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert DOCUMENT["titleZh"] in rows[0][0]
    assert rows[1] == ["序号", "章条编号", "意见内容", "提出单位", "处理意见"]
    assert rows[2] == [1, COMMENT_INPUT["clause"],
                       f"{COMMENT_INPUT['text']}\n建议修改为：{COMMENT_INPUT['proposedChange']}",
                       COMMENT_INPUT["proposerUnit"], "不采纳：与上位法规定一致"]
    assert rows[3] == [2, "5.2.1", "=1+1 不应被当成公式", COMMENT_INPUT["proposerUnit"], "（待处理）"]


async def test_csv_download_of_a_public_consultation_needs_no_token(consultations, with_comments):
    api = consultations.api
    response = await download(api, with_comments["summaryDownload"]["csvUrl"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["cache-control"] == "private, no-store"
    assert unquote(response.headers["content-disposition"].split("''", 1)[1]).endswith(".csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert lines[0] == ["序号", "章条编号", "意见内容", "提出单位", "处理意见"]
    assert [line[0] for line in lines[1:]] == ["1", "2"]
    assert lines[2][2] == "'=1+1 不应被当成公式"


async def test_download_refusals(consultations, with_comments):
    api = consultations.api
    url = with_comments["summaryDownload"]["xlsxUrl"]
    assert (await download(api, "/exports/consultations/9999/comments.xlsx")).status_code == 404
    bad_token = await api.client.get(url, headers={"Authorization": "Bearer not-a-token"})
    assert bad_token.status_code == 401 and "WWW-Authenticate" in bad_token.headers
    bad_scheme = await api.client.get(url, headers={"Authorization": "Basic abc"})
    assert bad_scheme.status_code == 401
    unknown_zone = await download(api, url, "commenter", zone="atlantis")
    assert unknown_zone.status_code == 400
    assert (await api.client.post(url)).status_code == 405


class StaffOnlySubject:
    """A subject seen only by zone staff: what a non-public subject type looks like."""

    node_type = "ConsultedDocument"

    def visible_to(self, scope, subject_id):
        return true() if scope.zone_staff else false()

    async def is_public(self, session, subject_id):
        return False

    async def can_open(self, session, actor, subject_id):
        return True

    async def can_comment(self, session, actor, subject_id):
        return actor.zone_staff

    async def can_decide(self, session, actor, subject_id):
        return actor.zone_staff

    async def people_to_notify(self, session, subject_id):
        return set()

    async def title(self, session, subject_id):
        return "内部文件", "Internal document"


async def test_a_non_public_consultation_is_not_found_for_those_who_may_not_see_it(
        consultations, monkeypatch):
    monkeypatch.setitem(subjects._REGISTRY, "staff_only", StaffOnlySubject())
    api = consultations.api

    async def open_it(session):
        zone = await session.scalar(select(Zone).where(Zone.slug == "jiangxi"))
        c = await service.open_consultation(session, system_actor(zone.id, zone.slug),
                                            subject_type="staff_only", subject_id=1, zone_id=zone.id)
        return c.id
    consultation_id = await api.operator(open_it)
    url = f"/exports/consultations/{consultation_id}/comments.csv"
    assert (await download(api, url)).status_code == 404
    assert (await download(api, url, "jx-member")).status_code == 404
    assert (await download(api, url, "gz-secretary")).status_code == 200  # staff in their zone
    assert (await download(api, url, "jx-secretary")).status_code == 200
    query = """query($id: ID!) { consultation(id: $id) { __typename ... on Consultation { isPublic } } }"""
    variables = {"id": gid("Consultation", consultation_id)}
    assert (await api.gql(query, variables))["consultation"]["__typename"] == "NotFound"
    seen = await api.gql(query, variables, user="jx-director", zone="jiangxi")
    assert seen["consultation"] == {"__typename": "Consultation", "isPublic": False}
    listed = await api.gql("{ consultations { ... on ConsultationConnection { totalCount } } }")
    assert listed["consultations"]["totalCount"] == 0
