"""The council and director pages, as drawn on the demo data in both languages, pass the portal's
HTML audit (one h1, landmarks, a label for every control, unique ids, named navigations) — the
meeting page with its secretariat forms, a closed meeting with its minutes, and pages showing a
refusal — and the navigation offers each page to the roles it is for."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.portal.html_audit import audit
from tests.workspace.conftest import Browser, signed_in

MEETINGS = """{ councilMeetings(first: 10) { ... on CouncilMeetingConnection { edges { node { id state } } } } }"""


@pytest.mark.parametrize("lang, html_lang", [("zh", "zh-CN"), ("en", "en")])
async def test_every_council_and_director_page_passes_the_audit(demo_api, lang, html_lang):
    meetings = {e["node"]["state"]: e["node"]["id"] for e in
                (await demo_api.gql(MEETINGS, user="jx-secretary"))["councilMeetings"]["edges"]}
    pages = {
        "jx-secretary": ["/workspace/council", "/workspace/roles"] + [
            f"/workspace/council/meetings/{quote(meetings[state], safe='')}" for state in ("CALLED", "CLOSED")],
        "jx-director": ["/workspace/approvals", "/workspace/roles", "/workspace/audit", "/workspace/council",
                        f"/workspace/council/meetings/{quote(meetings['CLOSED'], safe='')}"],
        "gz-director": ["/workspace/approvals", "/workspace/audit?objectType=standard"],
    }
    suffix = "?lang=en" if lang == "en" else ""
    for user, paths in pages.items():
        async with signed_in(demo_api, user) as browser:
            for path in paths:
                url = path + (("&" if "?" in path else "?") + "lang=en" if lang == "en" else "")
                page = await browser.get(url)
                assert page.status_code == 200, url
                assert audit(page.text).problems(html_lang) == [], url
    async with signed_in(demo_api, "gz-director") as director:  # a refusal beside the reason
        queue = await director.get("/workspace/approvals" + suffix)
        standard = next(part.split('"')[0] for part in queue.text.split('name="standard" value="')[1:])
        refused = await director.post("/workspace/approvals" + suffix, {
            "csrf": Browser.csrf(queue.text), "do": "refuse", "standard": standard, "reason": ""})
        assert refused.status_code == 400 and audit(refused.text).problems(html_lang) == []
    async with signed_in(demo_api, "jx-secretary") as secretary:  # refusals on the meeting page and the call form
        path = f"/workspace/council/meetings/{quote(meetings['CALLED'], safe='')}" + suffix
        page = await secretary.get(path)
        refused = await secretary.post(path, {"csrf": Browser.csrf(page.text), "do": "agenda", "titleZh": "",
                                              "titleEn": ""})
        assert refused.status_code in (400, 409) and audit(refused.text).problems(html_lang) == []
        refused = await secretary.post("/workspace/council" + suffix, {
            "csrf": Browser.csrf(page.text), "kind": "GENERAL", "titleZh": "", "titleEn": "", "meetsOn": "x",
            "votingMode": "IN_PERSON"})
        assert refused.status_code == 400 and audit(refused.text).problems(html_lang) == []


async def test_the_navigation_offers_each_page_to_its_roles(demo_api):
    expected = {
        "jx-director": {"/workspace/approvals", "/workspace/roles", "/workspace/audit", "/workspace/council"},
        "jx-secretary": {"/workspace/roles", "/workspace/council"},
        "jx-member1": {"/workspace/council"},
    }
    every = {"/workspace/approvals", "/workspace/roles", "/workspace/audit", "/workspace/council"}
    for user, offered in expected.items():
        async with signed_in(demo_api, user) as browser:
            nav = (await browser.get("/workspace/")).text.split("</nav>")[0]
            for path in every:
                assert (f'href="{path}"' in nav) is (path in offered), (user, path)
