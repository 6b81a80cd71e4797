"""/workspace/inbox and /workspace/certificates on the demo data, both engines, through HTTP:
notifications marked read one by one and all at once through the API's mutation (checked
through the API), CSRF refused, a forged or somebody else's notification 404; live — a
notification made after the page was drawn is answered by /workspace/inbox/new, read through the
API with the session cookie alone; certificates with the portal's working verify link."""

from __future__ import annotations

import re
from urllib.parse import unquote

import httpx
from ecozone.web.app import create_app

from tests.workspace.conftest import Browser

INBOX = """{ inbox(first: 50) { ... on NotificationConnection { edges { node { id titleZh readAt } } } }
  unreadNotificationCount }"""


async def inbox_of(demo_api, user: str) -> tuple[list[dict], int]:
    data = await demo_api.gql(INBOX, user=user)
    return [e["node"] for e in data["inbox"]["edges"]], data["unreadNotificationCount"]


def items(html: str) -> list[str]:
    return re.findall(r'<li data-id="([^"]+)"', html)


async def test_notifications_are_marked_read_one_then_all(demo_api, sign_in):
    nodes, unread = await inbox_of(demo_api, "gz-member1")
    assert unread >= 2
    member = await sign_in("gz-member1")
    page = await member.get("/workspace/inbox")
    assert page.status_code == 200 and items(page.text)[:len(nodes[:20])] == [n["id"] for n in nodes[:20]]
    assert nodes[0]["titleZh"] in page.text and "(UTC+08:00)" in page.text
    first = nodes[0]["id"]
    marked = await member.post("/workspace/inbox", {"csrf": Browser.csrf(page.text), "intent": "read", "id": first})
    assert marked.status_code == 303 and marked.headers["location"] == "/workspace/inbox?done=read"
    after, left = await inbox_of(demo_api, "gz-member1")
    assert left == unread - 1 and next(n for n in after if n["id"] == first)["readAt"] is not None
    unread_page = await member.get("/workspace/inbox?unread=1")
    assert first not in items(unread_page.text) and len(items(unread_page.text)) == min(left, 20)

    marked = await member.post("/workspace/inbox?unread=1&lang=en", {"csrf": Browser.csrf(page.text),
                                                                     "intent": "read_all"})
    assert marked.status_code == 303 and marked.headers["location"] == "/workspace/inbox?done=read&unread=1&lang=en"
    assert (await inbox_of(demo_api, "gz-member1"))[1] == 0
    shown = await member.get("/workspace/inbox?unread=1&lang=en&done=read")
    assert "Marked read." in shown.text and "No notifications." in shown.text


async def test_the_inbox_forms_refuse_a_missing_or_forged_token(demo_api, sign_in):
    nodes, unread = await inbox_of(demo_api, "hn-member1")
    assert unread > 0
    member = await sign_in("hn-member1")
    for form in ({"intent": "read", "id": nodes[0]["id"]}, {"intent": "read_all"}):
        for csrf in (None, "", "q" * 43):
            data = dict(form) if csrf is None else dict(form, csrf=csrf)
            answer = await member.post("/workspace/inbox", data)
            assert answer.status_code == 403 and "表单已过期或来源不明" in answer.text
    assert (await inbox_of(demo_api, "hn-member1"))[1] == unread


async def test_a_forged_or_somebody_elses_notification_answers_404(demo_api, sign_in):
    others, _ = await inbox_of(demo_api, "fj-member1")
    _, unread = await inbox_of(demo_api, "hn-member1")
    member = await sign_in("hn-member1")
    page = await member.get("/workspace/inbox")
    for forged in ("Tm90aWZpY2F0aW9uOjk5OTk5OQ==", "abc", "RXhwZXJ0OjE0", others[0]["id"]):
        answer = await member.post("/workspace/inbox", {"csrf": Browser.csrf(page.text), "intent": "read",
                                                        "id": forged})
        assert answer.status_code == 404 and "没有这一项，或它不属于您。" in answer.text, forged
    assert (await inbox_of(demo_api, "hn-member1"))[1] == unread
    assert (await member.get("/workspace/inbox?after=zzz")).status_code == 400


async def test_a_new_notification_arrives_without_a_reload(demo_api, sign_in):
    expert_id = (await demo_api.gql("{ myExpertProfile { id } }", user="jx-expert10"))["myExpertProfile"]["id"]
    pending = await sign_in("jx-expert10")
    page = await pending.get("/workspace/inbox")
    assert 'data-poll="/workspace/inbox/new"' in page.text and "/ws_expert.js" in page.text
    newest = (items(page.text) or [""])[0]
    quiet = await pending.get("/workspace/inbox/new", params={"since": newest})
    assert quiet.status_code == 200 and items(quiet.text) == [] and quiet.headers["cache-control"] == "no-store"

    verified = await demo_api.gql("""mutation($id: ID!) { verifyExpert(input: {id: $id}) { __typename } }""",
                                  {"id": expert_id}, user="jx-secretary")
    assert verified["verifyExpert"]["__typename"] == "Expert"
    arrived = await pending.get("/workspace/inbox/new", params={"since": newest})
    assert arrived.status_code == 200 and len(items(arrived.text)) == 1
    assert "您的专家档案已通过审核" in arrived.text and 'name="csrf"' in arrived.text
    assert arrived.headers["x-unread-count"] == str((await inbox_of(demo_api, "jx-expert10"))[1])
    english = await pending.get("/workspace/inbox/new", params={"since": newest, "unread": "1", "lang": "en"})
    assert "Your expert profile is verified" in english.text
    assert items((await pending.get("/workspace/inbox/new", params={"since": items(arrived.text)[0]})).text) == []

    script = await pending.get("/assets/ws_expert.js")
    assert script.status_code == 200 and 'getAttribute("data-poll")' in script.text
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(demo_api.settings)),
                                 base_url="http://ecozone.test") as stranger:
        answer = await stranger.get("/workspace/inbox/new")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/workspace/sign-in")


async def test_certificates_are_listed_with_the_portal_verify_link(demo_api, sign_in):
    mine = (await demo_api.gql("{ myCertificates(first: 20) { ... on CertificateConnection { edges { node { code } } } } }",
                               user="gz-member1"))["myCertificates"]["edges"]
    assert mine
    member = await sign_in("gz-member1")
    page = await member.get("/workspace/certificates?lang=en")
    assert page.status_code == 200 and "(UTC+08:00)" in page.text
    links = re.findall(r'href="(/certificates\?code=([^&"]+)&amp;lang=en)"', page.text)
    assert sorted(unquote(code) for _, code in links) == sorted(e["node"]["code"] for e in mine)
    for href, code in links:  # the codes carry characters a URL escapes (a check character may be "$")
        verified = await member.get(href.replace("&amp;", "&"))
        assert verified.status_code == 200 and unquote(code) in verified.text
    expert = await sign_in("gz-expert03")
    assert "您还没有培训证书" in (await expert.get("/workspace/certificates")).text
    assert (await expert.get("/workspace/certificates?after=zzz")).status_code == 400
