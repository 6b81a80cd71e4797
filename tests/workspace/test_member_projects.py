"""A member's projects and a proposal, through HTTP on the demo data, both engines: the lists
follow the API, a proposal is made through proposeProject and seen by the API, its refusals are
shown beside their fields in both languages with everything typed kept, a made-up kind is named
and not sent, the form refuses a missing or forged CSRF token, and someone without the member
role sees the API's refusal."""

from __future__ import annotations

import re

import httpx
import pytest
from ecozone.web.app import create_app

from tests.workspace.conftest import Browser, signed_in
from tests.workspace.test_member_common import (
    alerted,
    alerts,
    beside,
    forms,
    project_id,
)

MEMBER = "jx-member1"
MY_PROPOSALS = """query($t: String) { projects(filter: {text: $t}) { ... on ProjectConnection {
  totalCount edges { node { id titleZh titleEn kind state summary proposerUnit leadUnit proposer { username } } } } } }"""
PROPOSE = """mutation { proposeProject(input: {kind: RESEARCH_TOPIC, titleZh: "秘书申报", titleEn: "x",
  summary: "s", proposerUnit: "秘书处"}) { ... on Failure { code message messageZh } } }"""


def propose_form(html: str) -> dict:
    found = [f for f in forms(html) if f["id"] == "propose-form"]
    assert len(found) == 1
    form = found[0]
    assert not any(name for name, _ in form["buttons"]) and len(form["buttons"]) == 1  # one plain submit
    return dict(form["fields"])


async def test_my_projects_and_the_projects_on_notice(demo_api):
    async with signed_in(demo_api, MEMBER) as browser:
        page = await browser.get("/workspace/projects")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    mine = page.text.split('id="mine"')[1].split('id="on-notice"')[0]
    # jx-member1 proposed the Jiangxi standards' projects; the API shows the same as theirs
    for title in ("富硒茶叶生产技术规程研制", "中药材道地性评价通则研制"):
        assert f">{title}</a>" in mine
        assert f'href="/workspace/projects/{await project_id(demo_api, title)}"' in mine
    assert "大宗淡水鱼养殖尾水处理技术规范研制" not in mine  # Fujian's, not theirs
    on_notice = page.text.split('id="on-notice"')[1]
    exchange = await project_id(demo_api, "闽赣标准化技术交流会")
    assert f'/workspace/projects/{exchange}#request-join' in on_notice


async def test_a_drafter_finds_the_project_they_draft_for(demo_api):
    async with signed_in(demo_api, "fj-member2") as browser:
        page = await browser.get("/workspace/projects")
    mine = page.text.split('id="mine"')[1].split('id="on-notice"')[0]
    assert mine.count("<tr>") == 2  # the header and the one project they draft for
    assert "大宗淡水鱼养殖尾水处理技术规范研制" in mine and "主要起草人" in mine


async def test_a_member_proposes_a_project_and_the_api_has_it(demo_api):
    async with signed_in(demo_api, MEMBER) as browser:
        page = await browser.get("/workspace/projects/new")
        assert page.status_code == 200
        form = propose_form(page.text)
        assert form["kind"] == "RESEARCH_TOPIC" and form["csrf"]
        for field in ("f-kind", "f-titleZh", "f-titleEn", "f-summary", "f-proposerUnit", "f-leadUnit"):
            assert f'<label for="{field}">' in page.text
        form.update(kind="STANDARD_DEVELOPMENT", titleZh="赣黔富硒农产品联合标准研制",
                    titleEn="Joint standard for selenium-rich produce", summary="联合江西、贵州研制富硒农产品标准。",
                    proposerUnit="江西某绿色农业合作社", leadUnit="")
        done = await browser.post("/workspace/projects/new", form)
        assert done.status_code == 303
        new_id = re.fullmatch(r"/workspace/projects/([^?]+)\?done=proposed", done.headers["location"]).group(1)
        shown = await browser.get(done.headers["location"])
        assert shown.status_code == 200 and "已提交申报" in shown.text and "赣黔富硒农产品联合标准研制" in shown.text
    found = (await demo_api.gql(MY_PROPOSALS, {"t": "赣黔富硒"}, user=MEMBER))["projects"]["edges"]
    assert [e["node"]["id"] for e in found] == [new_id]
    project = found[0]["node"]
    assert project["kind"] == "STANDARD_DEVELOPMENT" and project["state"] == "PROPOSED"
    assert project["proposer"]["username"] == MEMBER
    assert project["leadUnit"] == "江西某绿色农业合作社"  # left blank: the API's default, the proposer unit


@pytest.mark.parametrize("lang, required", [("", "不能为空"), ("?lang=en", "is required")])
async def test_refusals_beside_their_fields_with_everything_typed_kept(demo_api, lang, required):
    async with signed_in(demo_api, MEMBER) as browser:
        form = propose_form((await browser.get("/workspace/projects/new" + lang)).text)
        form.update(kind="KEY_COMMON", titleZh="", titleEn="x" * 301, summary="摘要 <保留> & 原样",
                    proposerUnit="江西某单位", leadUnit="")
        refused = await browser.post("/workspace/projects/new" + lang, form)
    assert refused.status_code == 400
    assert required in beside(refused.text, "f-titleZh")
    assert "300" in beside(refused.text, "f-titleEn") and "301" in beside(refused.text, "f-titleEn")
    assert alerts(refused.text)  # the API's message above the form
    kept = propose_form(refused.text)
    assert kept["titleEn"] == "x" * 301 and kept["summary"] == "摘要 <保留> & 原样"
    assert kept["proposerUnit"] == "江西某单位" and kept["kind"] == "KEY_COMMON"
    after = (await demo_api.gql(MY_PROPOSALS, {"t": "摘要 <保留>"}, user=MEMBER))["projects"]["totalCount"]
    assert after == 0


async def test_a_made_up_kind_is_named_not_sent(demo_api):
    async with signed_in(demo_api, MEMBER) as browser:
        form = propose_form((await browser.get("/workspace/projects/new")).text)
        form.update(kind="WORLD_PEACE", titleZh="不存在的类型", titleEn="No such kind", summary="s",
                    proposerUnit="u")
        refused = await browser.post("/workspace/projects/new", form)
    assert refused.status_code == 400 and "不是可选的值" in beside(refused.text, "f-kind")
    assert 'value="不存在的类型"' in refused.text


@pytest.mark.parametrize("csrf", ["", "forged-token", None])
async def test_the_propose_form_needs_its_token(demo_api, csrf):
    async with signed_in(demo_api, MEMBER) as browser:
        form = propose_form((await browser.get("/workspace/projects/new")).text)
        form.update(titleZh="无令牌的申报", titleEn="Without a token", summary="s", proposerUnit="u")
        if csrf is None:
            del form["csrf"]
        else:
            form["csrf"] = csrf
        answer = await browser.post("/workspace/projects/new", form)
    assert answer.status_code == 403 and "表单已过期" in answer.text
    assert (await demo_api.gql(MY_PROPOSALS, {"t": "无令牌的申报"}, user=MEMBER))["projects"]["totalCount"] == 0


async def test_someone_without_the_member_role_sees_the_apis_refusal(demo_api):
    async with signed_in(demo_api, "jx-secretary") as browser:
        form = propose_form((await browser.get("/workspace/projects/new?lang=en")).text)
        form.update(titleZh="秘书申报", titleEn="By the secretary", summary="s", proposerUnit="秘书处")
        refused = await browser.post("/workspace/projects/new?lang=en", form)
    assert refused.status_code == 403
    api = (await demo_api.gql(PROPOSE, user="jx-secretary"))["proposeProject"]  # the API's own refusal
    assert api["code"] == "permission_denied" and alerted(refused.text, api["message"])
    assert 'value="秘书申报"' in refused.text  # nothing typed is lost
    assert (await demo_api.gql(MY_PROPOSALS, {"t": "秘书申报"}, user="jx-secretary"))["projects"]["totalCount"] == 0


async def test_signed_out_visitors_are_sent_to_sign_in(demo_api):
    app = create_app(demo_api.settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test") as client:
        for path in ("/workspace/projects", "/workspace/projects/new", "/workspace/consultations"):
            answer = await Browser(client).get(path)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/workspace/sign-in")
