"""Consultations in the workspace, through HTTP on the demo data, both engines: the open ones
listed as the API lists them, the consulted text (a standard's latest draft, a document's
articles) with its clause numbers offered, a comment by clause with its proposed change posted
through postComment and read back from the API, refusals beside their fields in both languages
with the input kept, the token required, comments paged, made-up IDs 404, and a closed
consultation answering the API's refusal."""

from __future__ import annotations

import re

import pytest

from tests.workspace.conftest import signed_in
from tests.workspace.test_member_common import alerted, beside, forms

EXPERT = "gz-expert01"  # a Guizhou expert comments on a Jiangxi-led joint standard
OPEN = """{ consultations(state: OPEN) { ... on ConsultationConnection { edges { node { id subjectType subjectId titleZh } } } } }"""
CLOSED = """{ consultations(state: CLOSED, first: 1) { ... on ConsultationConnection { edges { node { id } } } } }"""
DRAFT = """query($id: ID!) { standard(id: $id) { ... on Standard { latestVersion { text } } } }"""
COMMENTS = """query($id: ID!) { consultation(id: $id) { ... on Consultation { commentCount
  comments(first: 100) { ... on ConsultationCommentConnection { edges { node {
    clause text proposedChange proposerUnit isMine } } } } } } }"""
POST = """mutation($input: PostCommentInput!) { postComment(input: $input) {
  __typename ... on ValidationFailed { fieldErrors { field message messageZh } } ... on Failure { code message messageZh } } }"""


async def open_consultations(demo_api) -> dict[str, dict]:
    edges = (await demo_api.gql(OPEN, user=EXPERT))["consultations"]["edges"]
    return {e["node"]["subjectType"]: e["node"] for e in edges}


def comment_form(html: str) -> dict:
    found = [f for f in forms(html) if f["id"] == "post-comment-form"]
    assert len(found) == 1 and len(found[0]["buttons"]) == 1
    return dict(found[0]["fields"])


async def test_the_open_consultations_are_listed_as_the_api_lists_them(demo_api):
    consultations = await open_consultations(demo_api)
    async with signed_in(demo_api, EXPERT) as browser:
        page = await browser.get("/workspace/consultations")
    assert page.status_code == 200
    links = re.findall(r'href="/workspace/consultations/([^"?]+)"', page.text)
    assert sorted(links) == sorted(c["id"] for c in consultations.values())
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d \+08:00", page.text)  # opened at, in Beijing time


async def test_a_standards_draft_is_shown_with_its_clauses_and_a_guizhou_expert_comments(demo_api):
    citrus = (await open_consultations(demo_api))["standard"]
    draft = (await demo_api.gql(DRAFT, {"id": citrus["subjectId"]}, user=EXPERT))["standard"]["latestVersion"]["text"]
    path = f"/workspace/consultations/{citrus['id']}"
    async with signed_in(demo_api, EXPERT) as browser:
        page = await browser.get(path)
        assert page.status_code == 200
        assert draft.splitlines()[-1] in page.text  # the latest draft's text, as the API gives it
        assert re.findall(r'<option value="([^"]+)">', page.text.split('id="clause-numbers"')[1].split("</datalist>")[0]) \
            == ["1", "2", "3"]
        form = comment_form(page.text)
        for field in ("f-clause", "f-text", "f-proposedChange", "f-proposerUnit"):
            assert f'<label for="{field}">' in page.text
        form.update(clause="3", text="术语“追溯单元”宜与 GB/T 38155 一致。", proposedChange="引用 GB/T 38155 的定义",
                    proposerUnit="贵州某茶叶研究所")
        done = await browser.post(path, form)
        assert done.status_code == 303 and done.headers["location"] == path + "?done=commented"
        shown = await browser.get(done.headers["location"])
        assert "意见已提交" in shown.text and "引用 GB/T 38155 的定义" in shown.text
    comments = (await demo_api.gql(COMMENTS, {"id": citrus["id"]}, user=EXPERT))["consultation"]
    mine = [e["node"] for e in comments["comments"]["edges"] if e["node"]["isMine"]]
    assert mine == [{"clause": "3", "text": "术语“追溯单元”宜与 GB/T 38155 一致。",
                     "proposedChange": "引用 GB/T 38155 的定义", "proposerUnit": "贵州某茶叶研究所", "isMine": True}]


async def test_a_documents_articles_are_its_clauses(demo_api):
    document = (await open_consultations(demo_api))["document"]
    async with signed_in(demo_api, EXPERT) as browser:
        page = await browser.get(f"/workspace/consultations/{document['id']}?lang=en")
    offered = re.findall(r'<option value="([^"]+)">', page.text.split('id="clause-numbers"')[1].split("</datalist>")[0])
    assert offered[:2] == ["第一条", "第二条"] and "第一条 为鼓励" in page.text


@pytest.mark.parametrize("lang", ["", "?lang=en"])
async def test_refusals_beside_their_fields_with_the_input_kept(demo_api, lang):
    citrus = (await open_consultations(demo_api))["standard"]
    path = f"/workspace/consultations/{citrus['id']}{lang}"
    before = (await demo_api.gql(COMMENTS, {"id": citrus["id"]}, user=EXPERT))["consultation"]["commentCount"]
    api = (await demo_api.gql(POST, {"input": {"consultationId": citrus["id"], "clause": "x" * 51, "text": " ",
                                               "proposerUnit": "u"}}, user=EXPERT))["postComment"]
    said = {e["field"]: e["messageZh" if not lang else "message"] for e in api["fieldErrors"]}
    async with signed_in(demo_api, EXPERT) as browser:
        form = comment_form((await browser.get(path)).text)
        form.update(clause="x" * 51, text=" ", proposedChange="改为“应当” <b>", proposerUnit="贵州某单位")
        refused = await browser.post(path, form)
    assert refused.status_code == 400
    assert beside(refused.text, "f-clause") == said["clause"] and beside(refused.text, "f-text") == said["text"]
    kept = comment_form(refused.text)
    assert kept["clause"] == "x" * 51 and kept["proposedChange"] == "改为“应当” <b>" and kept["proposerUnit"] == "贵州某单位"
    after = (await demo_api.gql(COMMENTS, {"id": citrus["id"]}, user=EXPERT))["consultation"]["commentCount"]
    assert after == before


async def test_a_nul_character_is_the_apis_refusal_not_an_error(demo_api):
    citrus = (await open_consultations(demo_api))["standard"]
    path = f"/workspace/consultations/{citrus['id']}?lang=en"
    async with signed_in(demo_api, EXPERT) as browser:
        form = comment_form((await browser.get(path)).text)
        form.update(clause="1", text="before\x00after", proposerUnit="贵州某单位")
        refused = await browser.post(path, form)
    assert refused.status_code == 400
    assert beside(refused.text, "f-text") == "text may not contain the NUL character (U+0000)"
    assert comment_form(refused.text)["proposerUnit"] == "贵州某单位"


@pytest.mark.parametrize("csrf", ["", "forged", None])
async def test_the_comment_form_needs_its_token(demo_api, csrf):
    citrus = (await open_consultations(demo_api))["standard"]
    path = f"/workspace/consultations/{citrus['id']}"
    before = (await demo_api.gql(COMMENTS, {"id": citrus["id"]}, user=EXPERT))["consultation"]["commentCount"]
    async with signed_in(demo_api, EXPERT) as browser:
        form = comment_form((await browser.get(path)).text)
        form.update(clause="1", text="无令牌", proposerUnit="某单位")
        if csrf is None:
            del form["csrf"]
        else:
            form["csrf"] = csrf
        answer = await browser.post(path, form)
    assert answer.status_code == 403 and "表单已过期" in answer.text
    assert (await demo_api.gql(COMMENTS, {"id": citrus["id"]}, user=EXPERT))["consultation"]["commentCount"] == before


@pytest.mark.parametrize("made_up", ["Q29uc3VsdGF0aW9uOjk5OTk5", "UHJvamVjdDox", "nonsense", "x" * 300])
async def test_a_made_up_consultation_is_not_found(demo_api, made_up):
    async with signed_in(demo_api, EXPERT) as browser:
        page = await browser.get(f"/workspace/consultations/{made_up}")
        assert page.status_code == 404
        posted = await browser.post(f"/workspace/consultations/{made_up}", {
            "csrf": re.search(r'name="csrf" value="([^"]*)"', page.text).group(1),
            "clause": "1", "text": "t", "proposerUnit": "u"})
        assert posted.status_code == 404


async def test_a_closed_consultation_takes_no_comment_and_says_so(demo_api):
    closed = (await demo_api.gql(CLOSED, user=EXPERT))["consultations"]["edges"][0]["node"]["id"]
    api = (await demo_api.gql(POST, {"input": {"consultationId": closed, "clause": "1", "text": "迟到的意见",
                                               "proposerUnit": "u"}}, user=EXPERT))["postComment"]
    async with signed_in(demo_api, EXPERT) as browser:
        page = await browser.get(f"/workspace/consultations/{closed}")
        assert page.status_code == 200 and "已不再接受意见" in page.text
        assert not [f for f in forms(page.text) if f["id"] == "post-comment-form"]
        posted = await browser.post(f"/workspace/consultations/{closed}", {
            "csrf": re.search(r'name="csrf" value="([^"]*)"', page.text).group(1),
            "clause": "1", "text": "迟到的意见", "proposerUnit": "u"})
    assert posted.status_code == {"conflict": 409, "permission_denied": 403}[api["code"]]
    assert alerted(posted.text, api["messageZh"])


async def test_comments_are_paged(demo_api):
    document = (await open_consultations(demo_api))["document"]
    path = f"/workspace/consultations/{document['id']}"
    for n in range(21):
        answer = await demo_api.gql(POST, {"input": {"consultationId": document["id"], "clause": "第二条",
                                                     "text": f"分页意见 {n:02d}", "proposerUnit": "某单位"}},
                                    user="hn-member1")
        assert answer["postComment"]["__typename"] == "ConsultationComment"
    total = (await demo_api.gql(COMMENTS, {"id": document["id"]}, user=EXPERT))["consultation"]["commentCount"]
    async with signed_in(demo_api, EXPERT) as browser:
        first = await browser.get(path)
        more = re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1).replace("&amp;", "&")
        second = await browser.get(more)
    seen = re.findall(r"分页意见 (\d\d)", first.text) + re.findall(r"分页意见 (\d\d)", second.text)
    assert first.text.count("<tr>") - 1 == 20 and second.text.count("<tr>") - 1 == total - 20
    assert sorted(seen) == [f"{n:02d}" for n in range(21)]  # every one once, none twice
    assert 'rel="next"' not in second.text


@pytest.mark.parametrize("path", [
    "/workspace/projects?mine_after=made-up", "/workspace/projects?notice_after=Z2FyYmFnZQ==",
    "/workspace/consultations?after=made-up", "/workspace/consultations?after=" + "x" * 500,
])
async def test_a_made_up_cursor_is_the_apis_refusal_not_an_error(demo_api, path):
    async with signed_in(demo_api, EXPERT) as browser:
        page = await browser.get(path)
    assert page.status_code == 400 and 'role="alert"' in page.text


async def test_a_made_up_cursor_of_the_comments_is_refused_too(demo_api):
    citrus = (await open_consultations(demo_api))["standard"]
    async with signed_in(demo_api, EXPERT) as browser:
        page = await browser.get(f"/workspace/consultations/{citrus['id']}?after=made-up&lang=en")
    assert page.status_code == 400 and 'role="alert"' in page.text
