"""The inbox, live, in Chromium (the portal's browser fixtures: ``ecozone serve`` over this
module's copy of the demo, Debian's Chromium; skipped with one line without it): a pending
expert keeps /workspace/inbox open, the secretary verifies the profile through the API, and the
notification appears at the top of the list without a reload, announced in the live region,
with no request leaving the app and no script error."""

from __future__ import annotations

from tests.portal.conftest import browser, live_server, page  # noqa: F401 (fixtures)

EXPERT = "jx-expert10"  # pending in the demo: verifying the profile notifies them


async def test_a_notification_appears_without_a_reload(page, demo_api):  # noqa: F811
    tab = page.page
    await tab.goto("/workspace/sign-in/development")
    await tab.select_option("#username", EXPERT)
    await tab.click("button[type=submit]")
    await tab.goto("/workspace/inbox")
    await tab.wait_for_selector("#inbox-list", state="attached")
    before = await tab.locator("#inbox-list > li").count()
    loads = []
    tab.on("load", lambda _: loads.append(1))

    expert_id = (await demo_api.gql("{ myExpertProfile { id } }", user=EXPERT))["myExpertProfile"]["id"]
    verified = await demo_api.gql("mutation($id: ID!) { verifyExpert(input: {id: $id}) { __typename } }",
                                  {"id": expert_id}, user="jx-secretary")
    assert verified["verifyExpert"]["__typename"] == "Expert"

    first = tab.locator("#inbox-list > li").first
    await first.filter(has_text="您的专家档案已通过审核").wait_for(timeout=45_000)  # polled every 15 s
    assert await tab.locator("#inbox-list > li").count() == before + 1
    assert "收到 1 条新通知" in await tab.locator("#inbox-live").text_content()
    assert loads == []  # no reload: the item came through the script
    await first.get_by_role("button").click()  # its own form marks it read (POST, then the page again)
    await tab.wait_for_url("**/workspace/inbox?done=read")
    unread = (await demo_api.gql("{ unreadNotificationCount }", user=EXPERT))["unreadNotificationCount"]
    assert unread == 0
