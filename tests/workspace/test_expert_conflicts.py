"""/workspace/conflicts on the demo data, both engines, through HTTP: an expert declares and
withdraws a conflict of interest through the API's mutations (checked through the API), the
API's refusals beside their fields in both languages with the input kept, CSRF refused, a
forged or foreign declaration 404, and a member without a profile told so by the API."""

from __future__ import annotations

import re

import pytest

from tests.workspace.conftest import Browser

EXPERT = "gz-expert05"
MINE = "{ myExpertProfile { id conflicts { id unitName relation note withdrawnAt } } }"


async def conflicts_of(demo_api, user: str = EXPERT) -> list[dict]:
    return (await demo_api.gql(MINE, user=user))["myExpertProfile"]["conflicts"]


async def test_an_expert_declares_and_withdraws_a_conflict(demo_api, sign_in):
    expert = await sign_in(EXPERT)
    page = await expert.get("/workspace/conflicts")
    assert page.status_code == 200 and "声明利益冲突" in page.text
    declared = await expert.post("/workspace/conflicts", {
        "csrf": Browser.csrf(page.text), "intent": "declare", "unitName": "黔南某茶业合作社",
        "relation": "COLLABORATOR", "note": "近三年合作开展茶园监测"})
    assert declared.status_code == 303 and declared.headers["location"] == "/workspace/conflicts?done=declared"
    found = [c for c in await conflicts_of(demo_api) if c["unitName"] == "黔南某茶业合作社"]
    assert len(found) == 1 and found[0]["relation"] == "COLLABORATOR" and found[0]["withdrawnAt"] is None
    shown = await expert.get("/workspace/conflicts?done=declared")
    assert "已声明。" in shown.text and "黔南某茶业合作社" in shown.text and "合作单位" in shown.text
    assert "(UTC+08:00)" in shown.text  # the time in Beijing time with its offset

    withdrawn = await expert.post("/workspace/conflicts?lang=en", {
        "csrf": Browser.csrf(shown.text), "intent": "withdraw", "id": found[0]["id"]})
    assert withdrawn.status_code == 303
    assert withdrawn.headers["location"] == "/workspace/conflicts?done=withdrawn&lang=en"
    # the API lists the declarations in force only: a withdrawn one is gone from it and from the page
    assert found[0]["id"] not in {c["id"] for c in await conflicts_of(demo_api)}
    page = await expert.get("/workspace/conflicts?lang=en&done=withdrawn")
    assert "Withdrawn." in page.text and "黔南某茶业合作社" not in page.text


@pytest.mark.parametrize("lang, message", [("zh", "单位名称须为 1–200 个字符"),
                                           ("en", "the unit name must be 1–200 characters")])
async def test_a_refused_declaration_is_shown_beside_the_field_with_the_input_kept(demo_api, sign_in, lang,
                                                                                   message):
    expert = await sign_in(EXPERT)
    suffix = "?lang=en" if lang == "en" else ""
    before = await conflicts_of(demo_api)
    page = await expert.get("/workspace/conflicts" + suffix)
    refused = await expert.post("/workspace/conflicts" + suffix, {
        "csrf": Browser.csrf(page.text), "intent": "declare", "unitName": "   ", "relation": "EMPLOYER",
        "note": "说明保留"})
    assert refused.status_code == 400
    assert re.search(r'id="e-unitName" role="alert">' + re.escape(message), refused.text)
    assert 'aria-invalid="true" aria-describedby="e-unitName"' in refused.text
    assert "说明保留</textarea>" in refused.text and '<option value="EMPLOYER" selected>' in refused.text
    assert await conflicts_of(demo_api) == before


async def test_a_made_up_relation_is_named_and_never_sent(demo_api, sign_in):
    expert = await sign_in(EXPERT)
    before = await conflicts_of(demo_api)
    page = await expert.get("/workspace/conflicts")
    refused = await expert.post("/workspace/conflicts", {
        "csrf": Browser.csrf(page.text), "intent": "declare", "unitName": "某单位", "relation": "FRIEND"})
    assert refused.status_code == 400 and 'id="e-relation"' in refused.text and "请从所列选项中选择" in refused.text
    assert 'value="某单位"' in refused.text
    assert await conflicts_of(demo_api) == before


async def test_every_conflicts_form_refuses_a_missing_or_forged_token(demo_api, sign_in):
    expert = await sign_in(EXPERT)
    page = await expert.get("/workspace/conflicts")
    created = await expert.post("/workspace/conflicts", {
        "csrf": Browser.csrf(page.text), "intent": "declare", "unitName": "令牌测试单位", "relation": "OTHER"})
    assert created.status_code == 303
    target = next(c for c in await conflicts_of(demo_api) if c["unitName"] == "令牌测试单位")
    before = await conflicts_of(demo_api)
    forms = [{"intent": "declare", "unitName": "不应出现的单位", "relation": "EMPLOYER"},
             {"intent": "withdraw", "id": target["id"]}]
    for form in forms:
        for csrf in (None, "", "forged-" + "x" * 36):
            data = dict(form) if csrf is None else dict(form, csrf=csrf)
            answer = await expert.post("/workspace/conflicts", data)
            assert answer.status_code == 403 and "表单已过期或来源不明" in answer.text
    assert await conflicts_of(demo_api) == before


async def test_a_forged_or_foreign_declaration_answers_404(demo_api, sign_in):
    declared = await demo_api.gql("""mutation { declareConflict(input: {unitName: "他人声明的单位", relation: EMPLOYER})
        { ... on ConflictDeclaration { id } } }""", user="gz-expert06")
    foreign = declared["declareConflict"]["id"]
    expert = await sign_in(EXPERT)
    page = await expert.get("/workspace/conflicts")
    for made_up in ("Q29uZmxpY3REZWNsYXJhdGlvbjo5OTk5OQ==", "not-an-id", "RXhwZXJ0OjE0", foreign):
        answer = await expert.post("/workspace/conflicts", {"csrf": Browser.csrf(page.text), "intent": "withdraw",
                                                            "id": made_up})
        assert answer.status_code == 404, made_up
        assert "没有这一项，或它不属于您。" in answer.text
    assert foreign in {c["id"] for c in await conflicts_of(demo_api, "gz-expert06")}  # still in force


async def test_a_member_without_a_profile_sees_the_api_refusal(demo_api, sign_in):
    member = await sign_in("jx-member1")
    page = await member.get("/workspace/conflicts")
    assert page.status_code == 200 and "您还没有专家档案" in page.text
    assert 'href="/workspace/conflicts"' not in page.text  # the link is for experts; the page still answers
    refused = await member.post("/workspace/conflicts?lang=en", {
        "csrf": Browser.csrf(page.text), "intent": "declare", "unitName": "某单位", "relation": "EMPLOYER"})
    assert refused.status_code == 404 and "create your expert profile first" in refused.text
