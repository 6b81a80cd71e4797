"""An expert keeps their registry profile in the workspace, on the demo data, both engines:
values and each field's visibility through the API's own mutation, its refusals shown beside the
fields with nothing typed lost, and the anonymous directory following the visibility at once."""

from __future__ import annotations

import re

import httpx
import pytest

from ecozone.web.app import create_app
from tests.workspace.conftest import Browser

EXPERT = "jx-expert01"
PROFILE = """query($id: ID!) { expert(id: $id) { ... on Expert { email organisation } } }"""
MINE = "{ myExpertProfile { id email organisation visibility { field visibility } } }"


@pytest.fixture
async def expert(demo_api):
    app = create_app(demo_api.settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test") as client:
        browser = Browser(client)
        assert (await browser.pick(EXPERT)).status_code == 303
        yield browser


def form_of(html: str) -> dict[str, str]:
    """The profile form as a browser would submit it unchanged."""
    form = {"csrf": Browser.csrf(html)}
    for name, value in re.findall(r'<input id="f-[^"]*" name="([^"]+)" value="([^"]*)"', html):
        form[name] = value.replace("&amp;", "&").replace("&#39;", "'").replace("&#34;", '"')
    for name, body in re.findall(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]+)" selected>', body)
        form[name] = selected.group(1) if selected else ""
    for name, value in re.findall(r'<textarea id="f-[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        form[name] = value
    return form


async def test_an_expert_hides_a_field_and_the_public_no_longer_sees_it(demo_api, expert):
    mine = (await demo_api.gql(MINE, user=EXPERT))["myExpertProfile"]
    page = await expert.get("/workspace/profile")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    form = form_of(page.text)
    for visibility in ("PUBLIC", "PRIVATE"):
        form = form_of((await expert.get("/workspace/profile")).text)
        form["visibility.EMAIL"] = visibility
        saved = await expert.post("/workspace/profile", form)
        assert saved.status_code == 303 and saved.headers["location"] == "/workspace/profile?saved=1"
        anonymous = (await demo_api.gql(PROFILE, {"id": mine["id"]}))["expert"]
        assert (anonymous["email"] == mine["email"]) is (visibility == "PUBLIC"), visibility
    shown = await expert.get("/workspace/profile?saved=1")
    assert "已保存" in shown.text and '<option value="PRIVATE" selected>' in shown.text


async def test_a_refused_value_is_shown_beside_its_field_and_nothing_typed_is_lost(demo_api, expert):
    form = form_of((await expert.get("/workspace/profile?lang=en")).text)
    form.update({"email": "not-an-email", "organisation": "绿色茶叶研究所（新）"})
    refused = await expert.post("/workspace/profile?lang=en", form)
    assert refused.status_code == 400
    assert 'id="e-email"' in refused.text and 'aria-invalid="true"' in refused.text
    assert 'value="not-an-email"' in refused.text and "绿色茶叶研究所（新）" in refused.text
    unchanged = (await demo_api.gql(MINE, user=EXPERT))["myExpertProfile"]
    assert unchanged["organisation"] != "绿色茶叶研究所（新）"  # one mutation: all or nothing


@pytest.mark.parametrize("field, value", [
    ("visibility.EMAIL", "EVERYONE"), ("availability", "SOMETIMES"), ("visibility.PHONE", ""),
])
async def test_a_made_up_choice_is_named_not_sent(expert, field, value):
    form = form_of((await expert.get("/workspace/profile")).text)
    form[field] = value
    answer = await expert.post("/workspace/profile", form)
    assert answer.status_code == 400 and "不是可选的值" in answer.text


async def test_the_profile_form_needs_the_session_and_its_token(demo_api, expert):
    form = form_of((await expert.get("/workspace/profile")).text)
    for csrf in ("", "x" * 43, None):
        bad = dict(form, csrf=csrf) if csrf is not None else {k: v for k, v in form.items() if k != "csrf"}
        assert (await expert.post("/workspace/profile", bad)).status_code == 403
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(demo_api.settings)),
                                 base_url="http://ecozone.test") as stranger:
        answer = await stranger.post("/workspace/profile", data=form)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/workspace/sign-in")


async def test_someone_without_a_profile_is_told_so(demo_api):
    app = create_app(demo_api.settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test") as client:
        browser = Browser(client)
        await browser.pick("jx-member1")
        page = await browser.get("/workspace/profile")
        assert page.status_code == 200 and "您还没有专家档案" in page.text
