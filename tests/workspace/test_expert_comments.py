"""/workspace/comments on the demo data, both engines, through HTTP: an expert's comment on the
open citrus consultation (posted through the API as them) is listed, edited and withdrawn
through the API's mutations (checked through the API); a refused edit is shown beside its field
in both languages with the input kept; CSRF refused on both forms; somebody else's or a made-up
comment 404; a decided comment answers the API's Conflict."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.workspace.conftest import Browser

EXPERT = "gz-expert03"
CONSULTATIONS = """{ consultations(state: OPEN, subjectType: "standard", first: 10) { ... on ConsultationConnection {
  edges { node { id titleZh } } } } }"""
POST = """mutation($input: PostCommentInput!) { postComment(input: $input) {
  __typename ... on ConsultationComment { id } ... on Failure { code message } } }"""
COMMENT = """query($id: ID!) { node(id: $id) { ... on ConsultationComment { clause text proposerUnit proposedChange
  withdrawnAt decision isMine } } }"""
FORM_FIELDS = ("clause", "text", "proposerUnit", "proposedChange")


@pytest.fixture
async def my_comment(demo_api) -> str:
    """A fresh comment of the expert's on the open citrus consultation."""
    edges = (await demo_api.gql(CONSULTATIONS, user=EXPERT))["consultations"]["edges"]
    citrus = next(e["node"]["id"] for e in edges if "柑橘" in e["node"]["titleZh"])
    posted = (await demo_api.gql(POST, {"input": {
        "consultationId": citrus, "clause": "4.2", "text": "采集频次应与批次对应。",
        "proposerUnit": "贵州某农业检测中心", "proposedChange": "按批次采集"}}, user=EXPERT))["postComment"]
    assert posted["__typename"] == "ConsultationComment", posted
    return posted["id"]


async def stored(demo_api, comment_id: str, user: str = EXPERT) -> dict:
    return (await demo_api.gql(COMMENT, {"id": comment_id}, user=user))["node"]


def path_of(comment_id: str) -> str:
    return "/workspace/comments/" + quote(comment_id, safe="")


def form_of(html: str) -> dict[str, str]:
    form = {"csrf": Browser.csrf(html), "intent": "update"}
    for key in FORM_FIELDS:
        found = re.search(rf'<input id="f-{key}" name="{key}" value="([^"]*)"', html) or \
            re.search(rf'<textarea id="f-{key}" name="{key}"[^>]*>(.*?)</textarea>', html, re.DOTALL)
        form[key] = found.group(1)
    return form


async def test_the_expert_edits_then_withdraws_their_comment(demo_api, sign_in, my_comment):
    expert = await sign_in(EXPERT)
    listed = await expert.get("/workspace/comments")
    assert listed.status_code == 200 and f'href="{path_of(my_comment)}"' in listed.text
    assert "采集频次应与批次对应。" in listed.text and "未处理" in listed.text
    page = await expert.get(path_of(my_comment))
    form = form_of(page.text)
    assert form["clause"] == "4.2" and form["proposedChange"] == "按批次采集"
    saved = await expert.post(path_of(my_comment), dict(form, text="采集频次应与生产批次一一对应。", clause="4.3"))
    assert saved.status_code == 303 and saved.headers["location"] == "/workspace/comments?done=saved"
    after = await stored(demo_api, my_comment)
    assert after["text"] == "采集频次应与生产批次一一对应。" and after["clause"] == "4.3"
    assert after["proposerUnit"] == "贵州某农业检测中心"
    assert "意见已修改" in (await expert.get("/workspace/comments?done=saved")).text

    page = await expert.get(path_of(my_comment) + "?lang=en")
    withdrawn = await expert.post(path_of(my_comment) + "?lang=en", {"csrf": Browser.csrf(page.text),
                                                                      "intent": "withdraw"})
    assert withdrawn.status_code == 303
    assert withdrawn.headers["location"] == "/workspace/comments?done=withdrawn&lang=en"
    assert (await stored(demo_api, my_comment))["withdrawnAt"] is not None
    listed = await expert.get("/workspace/comments?lang=en&done=withdrawn")
    assert "Your comment is withdrawn." in listed.text and f'href="{path_of(my_comment)}' not in listed.text
    page = await expert.get(path_of(my_comment))
    assert "不能再修改" in page.text and 'name="text"' not in page.text


@pytest.mark.parametrize("lang, message", [("zh", "章条编号不能为空"), ("en", "the clause number is required")])
async def test_a_refused_edit_is_shown_beside_its_field_with_the_input_kept(demo_api, sign_in, my_comment, lang,
                                                                           message):
    expert = await sign_in(EXPERT)
    suffix = "?lang=en" if lang == "en" else ""
    page = await expert.get(path_of(my_comment) + suffix)
    refused = await expert.post(path_of(my_comment) + suffix, dict(form_of(page.text), clause=" ",
                                                                    text="改写后的意见仍保留"))
    assert refused.status_code == 400
    assert re.search(r'id="e-clause" role="alert">' + re.escape(message), refused.text)
    assert "改写后的意见仍保留</textarea>" in refused.text
    assert (await stored(demo_api, my_comment))["text"] == "采集频次应与批次对应。"


async def test_both_comment_forms_refuse_a_missing_or_forged_token(demo_api, sign_in, my_comment):
    expert = await sign_in(EXPERT)
    form = form_of((await expert.get(path_of(my_comment))).text)
    for intent in ("update", "withdraw"):
        for csrf in (None, "", "z" * 43):
            data = {k: v for k, v in form.items() if k != "csrf"} | {"intent": intent, "text": "不应保存"}
            if csrf is not None:
                data["csrf"] = csrf
            answer = await expert.post(path_of(my_comment), data)
            assert answer.status_code == 403 and "表单已过期或来源不明" in answer.text
    after = await stored(demo_api, my_comment)
    assert after["text"] == "采集频次应与批次对应。" and after["withdrawnAt"] is None


async def test_somebody_elses_or_a_made_up_comment_answers_404(demo_api, sign_in, my_comment):
    member = await sign_in("hn-member1")  # may read the public consultation's comments, not change ours
    page = await member.get("/workspace/comments")
    for comment_id in (my_comment, "Q29uc3VsdGF0aW9uQ29tbWVudDo5OTk5OQ==", "abc", "RXhwZXJ0OjE0"):
        assert (await member.get(path_of(comment_id))).status_code == 404, comment_id
        for intent in ("update", "withdraw"):
            answer = await member.post(path_of(comment_id), {"csrf": Browser.csrf(page.text), "intent": intent,
                                                             "clause": "1", "text": "篡改"})
            assert answer.status_code == 404 and "没有这一项，或它不属于您。" in answer.text
    after = await stored(demo_api, my_comment)
    assert after["text"] == "采集频次应与批次对应。" and after["withdrawnAt"] is None


async def test_a_decided_comment_answers_the_api_conflict(demo_api, sign_in):
    edges = (await demo_api.gql(CONSULTATIONS, user="gz-member1"))["consultations"]["edges"]
    citrus = next(e["node"]["id"] for e in edges if "柑橘" in e["node"]["titleZh"])
    comments = (await demo_api.gql("""query($id: ID!) { consultation(id: $id) { ... on Consultation {
        comments(first: 50) { ... on ConsultationCommentConnection { edges { node { id isMine decision } } } } } } }""",
        {"id": citrus}, user="gz-member1"))["consultation"]["comments"]["edges"]
    decided = next(e["node"]["id"] for e in comments if e["node"]["isMine"] and e["node"]["decision"])
    member = await sign_in("gz-member1")
    page = await member.get(path_of(decided))
    assert page.status_code == 200 and "不能再修改" in page.text
    refused = await member.post(path_of(decided), {"csrf": Browser.csrf(page.text), "intent": "update",
                                                   "clause": "3.1", "text": "再改一次"})
    assert refused.status_code == 409 and "已有处理意见" in refused.text and "再改一次</textarea>" in refused.text
    listed = await member.get("/workspace/comments")
    assert f'href="{path_of(decided)}"' not in listed.text  # no edit link for a decided comment


async def test_a_forged_cursor_is_answered_not_crashed(sign_in):
    expert = await sign_in(EXPERT)
    answer = await expert.get("/workspace/comments?after=zzz")
    assert answer.status_code == 400 and 'role="alert"' in answer.text


async def test_the_list_is_the_persons_own_comments_grouped_by_consultation(demo_api, sign_in):
    """Every comment ``viewer { comments }`` gives, and only those, each under its consultation."""
    expert = await sign_in("gz-member1")
    page = await expert.get("/workspace/comments")
    assert page.status_code == 200
    mine = (await demo_api.gql("""{ viewer { comments(first: 50) { ... on ConsultationCommentConnection {
        edges { node { id clause consultation { titleZh } } } } } } }""", user="gz-member1"))
    edges = mine["viewer"]["comments"]["edges"]
    assert edges, "the demo gives this person comments"
    for edge in edges:
        assert edge["node"]["consultation"]["titleZh"] in page.text
    assert page.text.count('<th scope="row">') == len(edges)
