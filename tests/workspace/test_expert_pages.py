"""The expert area's pages, as drawn on the demo data in both languages, pass the portal's HTML
audit (one h1, landmarks, a label for every control, unique ids, named navigations) — including a
page showing a refusal — and the navigation offers each page to the roles it is for."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.portal.html_audit import audit
from tests.workspace.conftest import Browser

PAGES = {
    "gz-expert03": ["/workspace/ballots", "/workspace/conflicts", "/workspace/comments",
                    "/workspace/certificates", "/workspace/inbox", "/workspace/inbox?unread=1"],
    "hn-member1": ["/workspace/comments", "/workspace/inbox", "/workspace/certificates"],
}


@pytest.mark.parametrize("lang, html_lang", [("zh", "zh-CN"), ("en", "en")])
async def test_every_expert_page_passes_the_audit(demo_api, sign_in, lang, html_lang):
    hog = next(e["node"]["id"] for e in (await demo_api.gql(
        "{ standards(filter: {state: REVIEW}, first: 5) { ... on StandardConnection { edges { node { id } } } } }",
        user="gz-secretary"))["standards"]["edges"])
    for user, paths in PAGES.items():
        browser = await sign_in(user)
        for path in paths + (["/workspace/ballots/" + quote(hog, safe="")] if user == "gz-expert03" else []):
            url = path + (("&" if "?" in path else "?") + "lang=en" if lang == "en" else "")
            page = await browser.get(url)
            assert page.status_code == 200, url
            assert audit(page.text).problems(html_lang) == [], url
    expert = await sign_in("gz-expert03")
    page = await expert.get("/workspace/conflicts")
    refused = await expert.post("/workspace/conflicts" + ("?lang=en" if lang == "en" else ""), {
        "csrf": Browser.csrf(page.text), "intent": "declare", "unitName": "", "relation": "EMPLOYER"})
    assert refused.status_code == 400 and audit(refused.text).problems(html_lang) == []


async def test_the_navigation_offers_each_page_to_its_roles(sign_in):
    expert = await sign_in("gz-expert03")
    html = (await expert.get("/workspace/")).text
    for path in ("/workspace/ballots", "/workspace/conflicts", "/workspace/comments", "/workspace/certificates",
                 "/workspace/inbox"):
        assert f'href="{path}"' in html, path
    member = await sign_in("hn-member1")
    html = (await member.get("/workspace/")).text
    assert 'href="/workspace/ballots"' not in html and 'href="/workspace/conflicts"' not in html
    assert 'href="/workspace/comments"' in html and 'href="/workspace/inbox"' in html
