"""Consultations, 复审 and document consultations in the secretary's workspace, on the demo data,
both engines: a comment decided (a refusal beside its field in zh and en), a document consultation
closed once every comment is decided, the 意见汇总表 downloaded as the API's rows (XLSX and CSV),
a document consultation opened (refusals beside the fields, nothing typed lost), a published
standard's 复审 recorded (WITHDRAW needs its reason) — each effect read back from the API."""

from __future__ import annotations

import csv
import io
import re

import openpyxl

from tests.workspace.conftest import Browser, signed_in
from tests.workspace.test_secretary_common import post_form, row_of, shown

DOCUMENT = "Q29uc3VsdGF0aW9uOjc="  # the demo's open consultation on the base's incentive measures
CONSULTATION = """query($id: ID!) { consultation(id: $id) { ... on Consultation { state undecidedCount
  comments(first: 50) { ... on ConsultationCommentConnection { edges { node { id seq decision decisionReason } } } }
  summaryRows(first: 100) { ... on CommentSummaryRowConnection { edges { node { seq clause content proposerUnit handling } } } } } } }"""


async def consultation(demo_api, consultation_id: str = DOCUMENT) -> dict:
    return (await demo_api.gql(CONSULTATION, {"id": consultation_id}, user="jx-secretary", zone="jiangxi"))["consultation"]


async def test_open_consultations_show_their_undecided_comments_and_link_to_them(demo_api):
    async with signed_in(demo_api, "jx-secretary") as secretary:
        queue = await secretary.get("/workspace/queues/consultations")
        row = row_of(queue.text, "创新基地标准化成果转化激励办法")
        undecided = (await consultation(demo_api))["undecidedCount"]
        assert f"待处理 {undecided} 条" in shown(row) and f"/workspace/queues/consultations/{DOCUMENT}" in row
        assert "结束征求意见：" in shown(row)


async def test_a_comment_is_decided_and_not_adopted_needs_a_reason(demo_api):
    comments = (await consultation(demo_api))["comments"]["edges"]
    undecided = next(edge["node"] for edge in comments if edge["node"]["decision"] is None)
    path = f"/workspace/queues/consultations/{DOCUMENT}"
    async with signed_in(demo_api, "jx-secretary") as secretary:
        page = await secretary.get(path)
        assert undecided["id"] in page.text  # undecided ones are shown by default
        for suffix in ("", "?lang=en"):
            refused = await post_form(secretary, path + suffix, f"{path}/decide{suffix}",
                                      {"id": undecided["id"], "decision": "NOT_ADOPTED", "reason": ""})
            assert refused.status_code == 400, shown(refused.text)[-300:]
            row = row_of(refused.text, undecided["id"])
            assert 'aria-invalid="true"' in row and 'class="error"' in row
            assert '<option value="NOT_ADOPTED" selected>' in row  # what was chosen is kept
        made_up = await post_form(secretary, path, f"{path}/decide", {"id": undecided["id"], "decision": "MAYBE"})
        assert made_up.status_code == 400 and "不是可选的值" in row_of(made_up.text, undecided["id"])
        done = await post_form(secretary, path, f"{path}/decide",
                               {"id": undecided["id"], "decision": "NOT_ADOPTED", "reason": "过渡期已在第九条规定"})
        assert done.status_code == 303
    decided = {edge["node"]["id"]: edge["node"] for edge in (await consultation(demo_api))["comments"]["edges"]}
    assert decided[undecided["id"]]["decision"] == "NOT_ADOPTED"
    assert decided[undecided["id"]]["decisionReason"] == "过渡期已在第九条规定"


async def test_the_comment_summary_downloads_are_the_apis_rows(demo_api):
    rows = [edge["node"] for edge in (await consultation(demo_api))["summaryRows"]["edges"]]
    async with signed_in(demo_api, "jx-secretary") as secretary:
        listing = await secretary.get("/workspace/document-consultations")
        assert f"/workspace/document-consultations/{DOCUMENT}/comments.xlsx" in listing.text
        xlsx = await secretary.get(f"/workspace/document-consultations/{DOCUMENT}/comments.xlsx")
        assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        assert "attachment" in xlsx.headers["content-disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        values = [row for row in sheet.iter_rows(values_only=True)]
        assert values[1] == ("序号", "章条编号", "意见内容", "提出单位", "处理意见")
        assert [row[0] for row in values[2:]] == [row["seq"] for row in rows]
        assert [row[4] for row in values[2:]] == [row["handling"] for row in rows]
        text = (await secretary.get(f"/workspace/document-consultations/{DOCUMENT}/comments.csv")).content
        table = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
        assert [line[1] for line in table[1:]] == [row["clause"] for row in rows]
    async with signed_in(demo_api, "jx-member1") as member:  # the secretary's page, not a member's
        assert (await member.get(f"/workspace/document-consultations/{DOCUMENT}/comments.csv")).status_code == 403


async def test_a_document_consultation_closes_once_every_comment_is_decided(demo_api):
    async with signed_in(demo_api, "jx-secretary") as secretary:
        fields = {"id": DOCUMENT, "subjectType": "document", "subject": ""}
        if (await consultation(demo_api))["undecidedCount"]:
            refused = await post_form(secretary, "/workspace/queues/consultations",
                                      "/workspace/queues/consultations/close", fields)
            assert refused.status_code == 409 and 'role="alert"' in row_of(refused.text, DOCUMENT)
            path = f"/workspace/queues/consultations/{DOCUMENT}"
            for edge in (await consultation(demo_api))["comments"]["edges"]:
                if edge["node"]["decision"] is None:
                    await post_form(secretary, path, f"{path}/decide", {"id": edge["node"]["id"], "decision": "ADOPTED"})
        closed = await post_form(secretary, "/workspace/queues/consultations", "/workspace/queues/consultations/close",
                                 fields)
        assert closed.status_code == 303
    assert (await consultation(demo_api))["state"] == "CLOSED"


async def test_the_secretary_opens_a_document_consultation(demo_api):
    async with signed_in(demo_api, "jx-secretary") as secretary:
        typed = {"titleZh": "虚构的专家库管理细则（征求意见稿）", "titleEn": "", "articles": "第一条 为规范专家库管理，制定本细则。",
                 "days": "15"}
        for suffix in ("", "?lang=en"):
            refused = await post_form(secretary, "/workspace/document-consultations" + suffix,
                                      "/workspace/document-consultations/open" + suffix, typed)
            assert refused.status_code == 400 and 'id="d-titleEn-error"' in refused.text
            assert typed["titleZh"] in refused.text and typed["articles"] in refused.text and 'value="15"' in refused.text
        bad_days = await post_form(secretary, "/workspace/document-consultations", "/workspace/document-consultations/open",
                                   {**typed, "titleEn": "Invented rules", "days": "半个月"})
        assert bad_days.status_code == 400 and 'id="d-days-error"' in bad_days.text
        opened = await post_form(secretary, "/workspace/document-consultations", "/workspace/document-consultations/open",
                                 {**typed, "titleEn": "Invented rules of the expert registry (draft)"})
        assert opened.status_code == 303 and "done=opened" in opened.headers["location"]
        listing = await secretary.get(opened.headers["location"])
        assert "文件已发布" in listing.text and typed["titleZh"] in listing.text
    found = await secretary_document_titles(demo_api)
    assert typed["titleZh"] in found


async def secretary_document_titles(demo_api) -> list[str]:
    answer = await demo_api.gql("""{ consultations(subjectType: "document", first: 50) {
        ... on ConsultationConnection { edges { node { titleZh state } } } } }""", user="jx-secretary", zone="jiangxi")
    return [edge["node"]["titleZh"] for edge in answer["consultations"]["edges"] if edge["node"]["state"] == "OPEN"]


async def test_a_director_may_not_open_a_document_consultation_and_is_told_so(demo_api):
    async with signed_in(demo_api, "jx-director") as director:
        refused = await post_form(director, "/workspace/document-consultations?lang=en",
                                  "/workspace/document-consultations/open?lang=en",
                                  {"titleZh": "虚构的文件", "titleEn": "An invented document", "articles": "第一条"})
        assert refused.status_code == 403 and 'role="alert"' in refused.text
    assert "虚构的文件" not in await secretary_document_titles(demo_api)


async def test_a_published_standard_is_confirmed_at_its_review_and_withdrawal_needs_a_reason(demo_api):
    events = """query($id: ID!) { standard(id: $id) { ... on Standard { stage { state } events { action reason } } } }"""
    async with signed_in(demo_api, "jx-secretary") as secretary:
        due = await secretary.get("/workspace/queues/reviews")
        assert due.status_code == 200 and "到期应复审" in due.text  # released 2026: none due yet
        listing = await secretary.get("/workspace/queues/reviews?show=all")
        standard_id = re.search(r'name="id" value="([^"]+)"', row_of(listing.text, "中药材道地性评价通则")).group(1)
        for suffix in ("&lang=en", ""):
            refused = await post_form(secretary, "/workspace/queues/reviews?show=all" + suffix,
                                      "/workspace/queues/reviews/review?show=all" + suffix,
                                      {"id": standard_id, "show": "all", "outcome": "WITHDRAW", "reason": ""})
            assert refused.status_code == 400
            row = row_of(refused.text, standard_id)
            assert 'aria-invalid="true"' in row and '<option value="WITHDRAW" selected>' in row
        confirmed = await post_form(secretary, "/workspace/queues/reviews?show=all", "/workspace/queues/reviews/review",
                                    {"id": standard_id, "show": "all", "outcome": "CONFIRM", "reason": "技术内容仍然适用"})
        assert confirmed.status_code == 303 and confirmed.headers["location"].endswith("show=all&done=reviewed")
    standard = (await demo_api.gql(events, {"id": standard_id}, user="jx-secretary", zone="jiangxi"))["standard"]
    assert standard["stage"]["state"] == "PUBLISHED"
    assert {"action": "CONFIRM", "reason": "技术内容仍然适用"} in standard["events"]


async def test_another_zones_consultation_offers_no_close_and_its_close_is_refused(demo_api):
    async with signed_in(demo_api, "gz-secretary") as secretary:
        queue = await secretary.get("/workspace/queues/consultations")
        row = row_of(queue.text, "柑橘全产业链追溯数据采集规范")
        assert "<form" not in row and "由江西组织" in shown(row)
        refused = await secretary.post("/workspace/queues/consultations/close", {
            "csrf": Browser.csrf(queue.text), "id": "Q29uc3VsdGF0aW9uOjE=", "subjectType": "standard",
            "subject": "U3RhbmRhcmQ6Mw=="})
        assert refused.status_code == 403
    assert (await consultation(demo_api, "Q29uc3VsdGF0aW9uOjE="))["state"] == "OPEN"
