"""/workspace/ballots on the demo data, both engines, through HTTP. The demo's hog-farm standard
(Guizhou, stage 40) has an open ballot of four Guizhou experts, two of whom have voted; the
others vote here: NO with its reason, then a change to YES (checked through the API's
``myVote``), NO without a reason refused beside the field in both languages with the input
kept, CSRF refused, forged/foreign IDs 404, the secretary (not on the panel) shown the API's
refusal, and a closed ballot's refusal shown as 409."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.workspace.conftest import Browser

VOTER, REFUSED = "gz-expert03", "gz-expert04"  # on the open panel, not yet voted in the demo
OPEN_BALLOT = """{ standards(filter: {state: REVIEW}, first: 20) { ... on StandardConnection {
  edges { node { id titleZh ballot { state } } } } } }"""
MY_VOTE = "query($id: ID!) { standard(id: $id) { ... on Standard { ballot { myVote cast } } } }"


@pytest.fixture
async def hog_standard(demo_api) -> str:
    edges = (await demo_api.gql(OPEN_BALLOT, user="gz-secretary"))["standards"]["edges"]
    found = [e["node"] for e in edges if e["node"]["titleZh"] == "生猪养殖废弃物资源化利用技术规范"]
    assert found and found[0]["ballot"]["state"] == "OPEN"
    return found[0]["id"]


async def my_vote(demo_api, standard_id: str, user: str) -> str | None:
    return (await demo_api.gql(MY_VOTE, {"id": standard_id}, user=user))["standard"]["ballot"]["myVote"]


def path_of(standard_id: str) -> str:
    return "/workspace/ballots/" + quote(standard_id, safe="")


async def test_the_open_ballot_is_listed_and_the_expert_votes_no_then_changes_to_yes(demo_api, sign_in,
                                                                                    hog_standard):
    expert = await sign_in(VOTER)
    listed = await expert.get("/workspace/ballots")
    assert listed.status_code == 200
    assert listed.text.count(f'href="{path_of(hog_standard)}"') == 2  # open now, and among my panels
    page = await expert.get(path_of(hog_standard))
    assert page.status_code == 200 and "尚未投票" in page.text and "还需" in page.text
    voted = await expert.post(path_of(hog_standard), {"csrf": Browser.csrf(page.text), "choice": "NO",
                                                      "comment": "废弃物处理指标缺少检测方法。"})
    assert voted.status_code == 303 and voted.headers["location"] == path_of(hog_standard) + "?done=voted"
    assert await my_vote(demo_api, hog_standard, VOTER) == "NO"
    page = await expert.get(path_of(hog_standard) + "?done=voted")
    assert "已记录您的投票" in page.text and '<strong id="my-vote">反对</strong>' in page.text
    assert "修改投票" in page.text and 'value="NO" checked' in page.text

    changed = await expert.post(path_of(hog_standard) + "?lang=en", {"csrf": Browser.csrf(page.text),
                                                                     "choice": "YES", "comment": ""})
    assert changed.status_code == 303 and changed.headers["location"].endswith("?done=voted&lang=en")
    assert await my_vote(demo_api, hog_standard, VOTER) == "YES"
    page = await expert.get(path_of(hog_standard) + "?lang=en")
    assert '<strong id="my-vote">yes</strong>' in page.text and "(UTC+08:00)" in page.text


@pytest.mark.parametrize("lang, message", [("zh", "投反对票须说明理由"), ("en", "a no vote needs its reason")])
async def test_no_without_a_reason_is_refused_beside_the_field_with_the_choice_kept(demo_api, sign_in, hog_standard,
                                                                                   lang, message):
    expert = await sign_in(REFUSED)
    suffix = "?lang=en" if lang == "en" else ""
    page = await expert.get(path_of(hog_standard) + suffix)
    refused = await expert.post(path_of(hog_standard) + suffix, {"csrf": Browser.csrf(page.text), "choice": "NO",
                                                                 "comment": "  "})
    assert refused.status_code == 400
    assert re.search(r'id="e-comment" role="alert">' + re.escape(message), refused.text)
    assert 'value="NO" checked' in refused.text and 'aria-describedby="e-comment"' in refused.text
    assert await my_vote(demo_api, hog_standard, REFUSED) is None


async def test_a_made_up_choice_is_named_and_never_sent(demo_api, sign_in, hog_standard):
    expert = await sign_in(REFUSED)
    page = await expert.get(path_of(hog_standard))
    for choice in ("MAYBE", ""):
        refused = await expert.post(path_of(hog_standard), {"csrf": Browser.csrf(page.text), "choice": choice,
                                                            "comment": "保留的意见"})
        assert refused.status_code == 400 and 'id="e-choice"' in refused.text and "保留的意见</textarea>" in refused.text
    assert await my_vote(demo_api, hog_standard, REFUSED) is None


async def test_the_vote_form_refuses_a_missing_or_forged_token(demo_api, sign_in, hog_standard):
    expert = await sign_in(REFUSED)
    for csrf in (None, "", "y" * 43):
        form = {"choice": "YES", "comment": ""} if csrf is None else {"choice": "YES", "comment": "", "csrf": csrf}
        answer = await expert.post(path_of(hog_standard), form)
        assert answer.status_code == 403 and "表单已过期或来源不明" in answer.text
    assert await my_vote(demo_api, hog_standard, REFUSED) is None


async def test_forged_and_foreign_ballots_answer_404(demo_api, sign_in):
    fujian_group = (await demo_api.gql("""{ standards(filter: {zone: "fujian", state: DRAFTING}, first: 5) {
        ... on StandardConnection { edges { node { id } } } } }""", user="fj-secretary"))["standards"]["edges"]
    expert = await sign_in(REFUSED)
    page = await expert.get("/workspace/ballots")
    ids = ["U3RhbmRhcmQ6OTk5OTk=", "abc", "RXhwZXJ0OjE0", fujian_group[0]["node"]["id"]]
    for made_up in ids:
        assert (await expert.get(path_of(made_up))).status_code == 404, made_up
        answer = await expert.post(path_of(made_up), {"csrf": Browser.csrf(page.text), "choice": "YES"})
        assert answer.status_code == 404 and "没有这一项，或它不属于您。" in answer.text, made_up


async def test_someone_off_the_panel_sees_the_api_refusal(demo_api, sign_in, hog_standard):
    secretary = await sign_in("gz-secretary")
    page = await secretary.get(path_of(hog_standard) + "?lang=en")
    assert page.status_code == 200 and "You are not on this standard" in page.text
    refused = await secretary.post(path_of(hog_standard) + "?lang=en", {"csrf": Browser.csrf(page.text),
                                                                         "choice": "YES"})
    assert refused.status_code == 403 and "only the experts of the review panel vote" in refused.text
    assert 'role="alert">only the experts' in refused.text


async def test_a_closed_ballot_refuses_a_vote_with_the_api_words(demo_api, sign_in):
    published = (await demo_api.gql("""{ standards(filter: {state: PUBLISHED}, first: 20) { ... on StandardConnection {
        edges { node { id titleZh } } } } }""", user="jx-expert01"))["standards"]["edges"]
    standard_id = next(e["node"]["id"] for e in published if e["node"]["titleZh"] == "中药材道地性评价通则")
    expert = await sign_in("jx-expert01")  # on that panel; its ballot passed
    listed = await expert.get("/workspace/ballots")
    assert listed.text.count(f'href="{path_of(standard_id)}"') == 1  # among my panels, not open now
    assert "目前没有您所在专家组正在进行的表决" in listed.text
    page = await expert.get(path_of(standard_id))
    assert page.status_code == 200 and "表决已结束" in page.text and 'name="choice"' not in page.text
    refused = await expert.post(path_of(standard_id), {"csrf": Browser.csrf(page.text), "choice": "NO",
                                                       "comment": "迟到的意见"})
    assert refused.status_code == 409 and "投票已结束" in refused.text and "迟到的意见</textarea>" in refused.text


async def test_a_forged_cursor_is_answered_not_crashed(sign_in):
    expert = await sign_in(VOTER)
    for query in ("after=zzz", "open_after=zzz"):
        answer = await expert.get("/workspace/ballots?" + query)
        assert answer.status_code == 400 and 'role="alert"' in answer.text
