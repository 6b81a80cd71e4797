"""The workspace's journeys in Chromium (issue 16): the real app (``ecozone serve`` over this
module's copy of the demo data, on SQLite and PostgreSQL), Debian's Chromium through Playwright,
skipped with one line without it. Each person signs in through the development picker in a
context of their own and finds everything by role, label and text; what a page did is read back
from the API. The three journeys share one server, so each uses people and records of its own.

1. An expert hides a field of their profile; an anonymous visitor no longer sees it.
2. A director cannot act in a zone where they hold no role.
3. One joint standard from proposal to publication through the workspace only.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.support.browser import INSTALL_HINT, chromium_available

if not chromium_available():  # one skip line for the module, before the demo is loaded
    pytest.skip(INSTALL_HINT, allow_module_level=True)

from playwright.async_api import expect

from tests.portal.conftest import browser, live_server  # noqa: F401 (fixtures)
from tests.portal.helpers import zh as portal_zh
from tests.workspace.journey_helpers import ok, person, submit, zh

MINE = "{ myExpertProfile { id nameZh email visibility { field visibility } } }"
PUBLIC_EXPERT = "query($id: ID!) { expert(id: $id) { ... on Expert { id nameZh email } } }"


async def test_an_expert_hides_their_email_and_a_visitor_no_longer_sees_it(browser, live_server, demo_api):  # noqa: F811
    username = "jx-expert02"
    mine = (await ok(demo_api, MINE, None, username))["myExpertProfile"]
    assert mine["email"], "the demo expert has an e-mail address"
    who_sees_email = f"{zh('who_sees')}: {zh('field.email')}"

    async def set_email_visibility(visibility: str) -> None:
        async with person(browser, live_server, username) as expert:
            page = expert.page
            await page.get_by_role("link", name=zh("my_profile")).first.click()
            await expect(page.get_by_role("heading", level=1)).to_have_text(zh("my_profile"))
            await page.get_by_label(who_sees_email).select_option(label=zh(f"visibility.{visibility}"))
            await submit(page, page.get_by_role("button", name=zh("save")))
            await expect(page.get_by_role("status")).to_have_text(zh("saved"))
            await expect(page.get_by_label(who_sees_email)).to_have_value(visibility)

    async def visitor_sees_email() -> bool:
        async with person(browser, live_server) as visitor:
            page = visitor.page
            await page.goto("/experts")
            search = page.get_by_role("search")
            await search.get_by_role("searchbox", name=portal_zh("search_experts")).fill(mine["nameZh"])
            await search.get_by_role("button", name=portal_zh("search")).click()
            card = page.locator("#results")
            await expect(card.get_by_text(mine["nameZh"]).first).to_be_visible()
            shown = await card.get_by_role("link", name=mine["email"]).count() > 0
        anonymous = (await ok(demo_api, PUBLIC_EXPERT, {"id": mine["id"]}, None))["expert"]
        assert (anonymous["email"] == mine["email"]) is shown, "the portal shows what the API says"
        return shown

    await set_email_visibility("PUBLIC")
    assert await visitor_sees_email()
    await set_email_visibility("PRIVATE")
    assert not await visitor_sees_email()
    # the expert still has it, and it is theirs to show again
    assert (await ok(demo_api, MINE, None, username))["myExpertProfile"]["email"] == mine["email"]


ZONES_TO_ACT_IN = "{ viewer { zonesToActIn { slug } } }"
ALL_ZONES = "{ zones(first: 50) { edges { node { slug } } } }"
# the demo's kiwifruit standard waits for its zones' signatures; Hainan takes no part in it
KIWIFRUIT = "猕猴桃冷链物流操作规范"
AT_APPROVAL = """{ standards(filter: {state: APPROVAL}, first: 20) { ... on StandardConnection {
  edges { node { id titleZh zones { zone { slug } decision } } } } } }"""


async def forge_post(page, action: str, fields: dict[str, str]) -> None:
    """What a hostile person does with the developer tools: a form of their own, posted with the
    page's CSRF token (so only the forged values are wrong)."""
    await page.evaluate("""([action, fields]) => {
        const form = document.createElement("form");
        form.method = "post"; form.action = action;
        const token = document.querySelector("input[name=csrf]").value;
        for (const [name, value] of Object.entries({csrf: token, ...fields})) {
            const input = document.createElement("input");
            input.type = "hidden"; input.name = name; input.value = value;
            form.appendChild(input);
        }
        document.body.appendChild(form);
        form.submit();
    }""", [action, fields])


async def test_a_director_cannot_act_in_a_zone_where_they_hold_no_role(browser, live_server, demo_api):  # noqa: F811
    username = "hn-director"
    theirs = {z["slug"] for z in (await ok(demo_api, ZONES_TO_ACT_IN, None, username))["viewer"]["zonesToActIn"]}
    every = {e["node"]["slug"] for e in (await ok(demo_api, ALL_ZONES, None, None))["zones"]["edges"]}
    foreign = sorted(every - theirs)
    assert theirs and foreign, (theirs, every)
    edges = (await ok(demo_api, AT_APPROVAL, None, "gz-director", "guizhou"))["standards"]["edges"]
    kiwifruit = next(e["node"] for e in edges if e["node"]["titleZh"] == KIWIFRUIT)
    decisions = {z["zone"]["slug"]: z["decision"] for z in kiwifruit["zones"]}
    assert "hainan" not in decisions and not decisions.keys() <= theirs
    async with person(browser, live_server, username) as director:
        page = director.page
        switch = page.get_by_label(zh("acting_zone"))
        offered = set(await switch.locator("option").evaluate_all("options => options.map(o => o.value)"))
        assert offered == theirs  # only the zones where they hold a role

        # the switch's own form, its option rewritten to a zone it never offered
        await switch.evaluate("(select, zone) => { select.options[0].value = zone; select.selectedIndex = 0; }",
                              foreign[0])
        async with page.expect_response("**/workspace/zone") as answered:
            await page.get_by_role("button", name=zh("switch_zone")).click()
        assert (await answered.value).status == 403
        await expect(page.get_by_role("alert")).to_have_text(zh("zone_refused"))

        # the approvals queue does not list a standard Hainan takes no part in; a forged
        # signature of it is the API's own NotFound, shown as a page, never a 500
        await page.goto("/workspace/approvals")
        await expect(page.get_by_role("heading", level=1)).to_have_text(zh("director.approvals"))
        await expect(page.get_by_text(KIWIFRUIT)).to_have_count(0)
        for do in ("sign", "refuse"):
            await page.goto("/workspace/approvals")
            async with page.expect_response(lambda r: r.url.endswith("/workspace/approvals")
                                            and r.request.method == "POST") as answered:
                await forge_post(page, "/workspace/approvals", {"do": do, "standard": kiwifruit["id"],
                                                                "reason": "伪造"})
            assert (await answered.value).status == 404
            await expect(page.get_by_role("alert").first).to_be_visible()

        # nothing changed: still acting in their own zone, offered only theirs, no decision recorded
        await page.goto("/workspace/")
        switch = page.get_by_label(zh("acting_zone"))
        assert await switch.input_value() in theirs
        offered = set(await switch.locator("option").evaluate_all("options => options.map(o => o.value)"))
        assert offered == theirs
    edges = (await ok(demo_api, AT_APPROVAL, None, "gz-director", "guizhou"))["standards"]["edges"]
    after = next(e["node"] for e in edges if e["node"]["titleZh"] == KIWIFRUIT)
    assert {z["zone"]["slug"]: z["decision"] for z in after["zones"]} == decisions

TITLE = "富硒茶园虚构修剪技术规范"
PROJECT_TITLE = TITLE + "研制"
PROJECTS = """query($text: String!) { projects(filter: {text: $text}) { ... on ProjectConnection {
  edges { node { id titleZh state } } } } }"""
STANDARDS = """query($text: String!) { standards(filter: {text: $text}, first: 5) {
  ... on StandardConnection { edges { node { id titleZh } } } } }"""
STANDARD = """query($id: ID!) { standard(id: $id) { ... on Standard { id titleZh stage { state } designations
  versions { number } consultation { id state commentCount undecidedCount }
  panel { expert { id } } ballot { state yes no abstain cast } zones { zone { slug } decision } } } }"""
ZONE_NAME = "query($slug: String!) { zone(slug: $slug) { ... on Zone { nameZh } } }"
# the panel: four verified experts of other zones than the lead (3/4 of the votes cast must be
# yes, so one NO among four still passes); gz-expert01 also comments in the consultation
PANEL = ("gz-expert01", "fj-expert01", "hn-expert01", "fj-expert02")
COMMENT = "建议明确修剪时段。"


async def standard_state(demo_api, standard_id: str) -> dict:
    return (await ok(demo_api, STANDARD, {"id": standard_id}, "jx-secretary", "jiangxi"))["standard"]


def standard_page(standard_id: str) -> str:
    return f"/workspace/queues/standards/{quote(standard_id, safe='')}"


async def propose(browser, server, demo_api) -> str:  # noqa: F811
    """A Jiangxi member proposes a standard-development project; returns its ID."""
    async with person(browser, server, "jx-member1") as member:
        page = member.page
        await page.get_by_role("link", name=zh("member.projects")).click()
        await page.get_by_role("link", name=zh("member.propose")).click()
        await page.get_by_label(zh("member.field.kind")).select_option(label=zh("member.kind.STANDARD_DEVELOPMENT"))
        await page.get_by_label(zh("member.field.titleZh")).fill(PROJECT_TITLE)
        await page.get_by_label(zh("member.field.titleEn")).fill("Invented pruning practice for selenium-rich tea")
        await page.get_by_label(zh("member.field.summary")).fill("研制富硒茶园修剪作业的联合地方标准（虚构）。")
        await page.get_by_label(zh("member.field.proposerUnit")).fill("江西某虚构茶叶研究所")
        await submit(page, page.get_by_role("button", name=zh("member.propose_submit")))
        await expect(page.get_by_role("status")).to_contain_text(zh("member.done.proposed"))
    found = (await ok(demo_api, PROJECTS, {"text": PROJECT_TITLE}, "jx-secretary", "jiangxi"))["projects"]["edges"]
    assert [e["node"]["state"] for e in found] == ["PROPOSED"]
    return found[0]["node"]["id"]


async def approve_and_create_the_standard(browser, server, demo_api) -> str:  # noqa: F811
    """The Jiangxi secretary approves the project, opens its notice, creates its joint standard
    with Guizhou participating and starts drafting; returns the standard's ID."""
    guizhou = (await ok(demo_api, ZONE_NAME, {"slug": "guizhou"}, None))["zone"]["nameZh"]
    async with person(browser, server, "jx-secretary") as secretary:
        page = secretary.page
        await page.goto("/workspace/queues/projects?state=PROPOSED")
        await submit(page, page.get_by_role("button", name=f"{zh('secretary.approve')}：{PROJECT_TITLE}"))
        await expect(page.get_by_role("status")).to_be_visible()
        await page.goto("/workspace/queues/projects?state=APPROVED")
        await submit(page, page.get_by_role("button", name=f"{zh('secretary.open_notice')}：{PROJECT_TITLE}"))
        await expect(page.get_by_role("status")).to_be_visible()
        await page.goto("/workspace/queues/projects?state=PUBLIC_NOTICE")
        # starting the project waits for the notice's days (办法 第十一条): the API's refusal, shown
        async with page.expect_response(lambda r: "/projects/start" in r.url) as answered:
            await page.get_by_role("button", name=f"{zh('secretary.start')}：{PROJECT_TITLE}").click()
        assert (await answered.value).status == 409
        await expect(page.get_by_role("alert").first).to_be_visible()
        assert (await ok(demo_api, PROJECTS, {"text": PROJECT_TITLE}, "jx-secretary", "jiangxi")
                )["projects"]["edges"][0]["node"]["state"] == "PUBLIC_NOTICE"
        await page.get_by_role("link", name=f"{zh('secretary.create_standard')}：{PROJECT_TITLE}").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(zh("secretary.new_standard"))
        await page.get_by_label(zh("secretary.kind.JOINT_LOCAL")).check()
        await page.get_by_label(zh("secretary.title_zh")).fill(TITLE)
        await page.get_by_label(zh("secretary.title_en")).fill("Invented pruning practice")
        await page.get_by_label(zh("secretary.scope")).fill("适用于富硒茶园的虚构修剪作业。")
        await page.get_by_label(zh("secretary.category")).select_option(label=zh("secretary.category.TEA"))
        await page.get_by_label(guizhou, exact=True).check()
        await submit(page, page.get_by_role("button", name=zh("secretary.create")))
        await expect(page.get_by_role("status")).to_be_visible()
        edges = (await ok(demo_api, STANDARDS, {"text": TITLE}, "jx-secretary", "jiangxi"))["standards"]["edges"]
        standard_id = next(e["node"]["id"] for e in edges if e["node"]["titleZh"] == TITLE)
        created = await standard_state(demo_api, standard_id)
        assert created["stage"]["state"] == "PROPOSAL"
        assert {z["zone"]["slug"] for z in created["zones"]} == {"jiangxi", "guizhou"}

        await page.goto("/workspace/queues/standards?state=PROPOSAL")
        await submit(page, page.get_by_role("button", name=f"{zh('secretary.start_drafting')}：{TITLE}"))
        await expect(page.get_by_role("status")).to_be_visible()
    assert (await standard_state(demo_api, standard_id))["stage"]["state"] == "DRAFTING"
    return standard_id


async def add_drafts(browser, server, demo_api, project_id: str, standard_id: str) -> None:  # noqa: F811
    """The drafting group (here the proposer) adds two drafts on the project's page."""
    async with person(browser, server, "jx-member1") as member:
        page = member.page
        await page.goto("/workspace/projects")
        await page.get_by_role("link", name=PROJECT_TITLE).first.click()
        await expect(page).to_have_url(re.compile(re.escape(quote(project_id, safe="")) + "|"
                                                  + re.escape(project_id)))
        drafts = (("1 范围\n本文件规定了虚构的修剪要求。", "初稿"),
                  ("1 范围\n本文件规定了富硒茶园虚构的修剪要求。", "明确适用对象"))
        for number, (text, note) in enumerate(drafts, 1):
            form = page.get_by_role("form", name=zh("member.add_draft"))
            await form.get_by_label(zh("member.field.text")).fill(text)
            await form.get_by_label(zh("member.field.changeNote")).fill(note)
            await submit(page, form.get_by_role("button", name=zh("member.add_draft_submit")))
            await expect(page.get_by_role("status")).to_contain_text(zh("member.done.add_draft"))
            assert [v["number"] for v in (await standard_state(demo_api, standard_id))["versions"]][-1] == number


async def open_the_consultation(browser, server, demo_api, standard_id: str) -> str:  # noqa: F811
    async with person(browser, server, "jx-secretary") as secretary:
        page = secretary.page
        await page.goto("/workspace/queues/standards?state=DRAFTING")
        row = page.get_by_role("row").filter(has_text=TITLE)
        await row.get_by_label(zh("secretary.standard.days")).fill("20")
        await submit(page, row.get_by_role("button", name=f"{zh('secretary.open_consultation')}：{TITLE}"))
        await expect(page.get_by_role("status")).to_be_visible()
    consultation = (await standard_state(demo_api, standard_id))["consultation"]
    assert consultation["state"] == "OPEN"
    return consultation["id"]


async def comment(browser, server, demo_api, standard_id: str) -> None:  # noqa: F811
    """A Guizhou expert comments by clause, with the proposed change."""
    async with person(browser, server, "gz-expert01") as expert:
        page = expert.page
        await page.get_by_role("link", name=zh("member.consultations")).click()
        await page.get_by_role("link", name=TITLE).first.click()
        form = page.locator("#post-comment-form")
        await form.get_by_label(zh("member.cfield.clause")).fill("1")
        await form.get_by_label(zh("member.cfield.text")).fill(COMMENT)
        await form.get_by_label(zh("member.cfield.proposedChange")).fill("增加“春茶采摘后”")
        await form.get_by_label(zh("member.cfield.proposerUnit")).fill("贵州某虚构茶叶研究所")
        await submit(page, form.get_by_role("button", name=zh("member.comment_submit")))
        await expect(page.get_by_role("status")).to_contain_text(zh("member.done.commented"))
    assert (await standard_state(demo_api, standard_id))["consultation"]["undecidedCount"] == 1


async def decide_close_and_open_the_ballot(browser, server, demo_api, standard_id: str,  # noqa: F811
                                           consultation_id: str) -> None:
    """The secretary decides the comment, closes the consultation, forms the panel from the
    registry and opens the ballot."""
    experts = [(await ok(demo_api, "{ myExpertProfile { id nameZh } }", None, user))["myExpertProfile"]
               for user in PANEL]
    async with person(browser, server, "jx-secretary") as secretary:
        page = secretary.page
        await page.goto(f"/workspace/queues/consultations/{quote(consultation_id, safe='')}")
        row = page.get_by_role("row").filter(has_text=COMMENT)
        await row.get_by_label(zh("secretary.decision")).select_option(label=zh("secretary.decision.ADOPTED"))
        await submit(page, row.get_by_role("button", name=re.compile("^" + re.escape(zh("secretary.decide")))))
        await expect(page.get_by_role("status")).to_be_visible()
        assert (await standard_state(demo_api, standard_id))["consultation"]["undecidedCount"] == 0

        await page.goto("/workspace/queues/standards?state=CONSULTATION")
        await submit(page, page.get_by_role("button", name=f"{zh('secretary.close_consultation')}：{TITLE}"))
        await expect(page.get_by_role("status")).to_be_visible()
        assert (await standard_state(demo_api, standard_id))["stage"]["state"] == "REVIEW"

        await page.goto(standard_page(standard_id))
        for expert in experts:
            await page.get_by_label(zh("secretary.panel.search")).fill(expert["nameZh"])
            await page.get_by_role("button", name=zh("secretary.panel.find"), exact=True).click()
            await submit(page, page.get_by_role("button", name=f"{zh('secretary.panel.add')}：{expert['nameZh']}"))
            await expect(page.get_by_role("status")).to_be_visible()
        panel = (await standard_state(demo_api, standard_id))["panel"]
        assert {m["expert"]["id"] for m in panel} == {e["id"] for e in experts}
        await submit(page, page.get_by_role("button", name=f"{zh('secretary.open_ballot')}：{TITLE}"))
        await expect(page.get_by_role("status")).to_be_visible()
    assert (await standard_state(demo_api, standard_id))["ballot"]["state"] == "OPEN"


async def vote(browser, server, user: str, choice: str, reason: str = "") -> None:  # noqa: F811
    async with person(browser, server, user) as expert:
        page = expert.page
        await page.get_by_role("link", name=zh("expert.ballots")).click()
        await page.get_by_role("link", name=TITLE).first.click()
        await page.get_by_label(zh(f"expert.vote.{choice}"), exact=True).check()
        if reason:
            await page.get_by_label(zh("expert.vote_comment")).fill(reason)
        await submit(page, page.get_by_role("button", name=re.compile(
            f"^({re.escape(zh('expert.vote'))}|{re.escape(zh('expert.change_vote'))})$")))
        await expect(page.get_by_role("status")).to_have_text(zh("expert.voted"))
        await expect(page.locator("#my-vote")).to_have_text(zh(f"expert.vote.{choice}"))


async def close_sign_and_publish(browser, server, demo_api, standard_id: str) -> dict:  # noqa: F811
    """The ballot is counted, the Jiangxi and Guizhou directors sign, the secretary publishes."""
    async with person(browser, server, "jx-secretary") as secretary:
        page = secretary.page
        await page.goto(standard_page(standard_id))
        await submit(page, page.get_by_role("button", name=f"{zh('secretary.close_ballot')}：{TITLE}"))
        await expect(page.get_by_role("status")).to_be_visible()
    assert (await standard_state(demo_api, standard_id))["stage"]["state"] == "APPROVAL"
    for director in ("jx-director", "gz-director"):
        async with person(browser, server, director) as signer:
            page = signer.page
            await page.get_by_role("link", name=zh("director.approvals")).click()
            await submit(page, page.get_by_role("row").filter(has_text=TITLE).get_by_role(
                "button", name=zh("director.sign"), exact=True))
            await expect(page.get_by_role("status")).to_be_visible()
    assert {z["decision"] for z in (await standard_state(demo_api, standard_id))["zones"]} == {"SIGNED"}
    async with person(browser, server, "jx-secretary") as secretary:
        page = secretary.page
        await page.goto(standard_page(standard_id))
        await page.get_by_label(zh("secretary.release_date")).fill("2026-12-03")
        await page.get_by_label(zh("secretary.implementation_date")).fill("2027-03-01")
        await submit(page, page.get_by_role("button", name=f"{zh('secretary.publish')}：{TITLE}"))
        await expect(page.get_by_role("status")).to_be_visible()
    final = await standard_state(demo_api, standard_id)
    assert final["stage"]["state"] == "PUBLISHED" and len(final["designations"]) == 2
    return final


async def test_a_joint_standard_from_proposal_to_publication(browser, live_server, demo_api):  # noqa: F811
    project_id = await propose(browser, live_server, demo_api)
    standard_id = await approve_and_create_the_standard(browser, live_server, demo_api)
    await add_drafts(browser, live_server, demo_api, project_id, standard_id)
    consultation_id = await open_the_consultation(browser, live_server, demo_api, standard_id)
    await comment(browser, live_server, demo_api, standard_id)
    await decide_close_and_open_the_ballot(browser, live_server, demo_api, standard_id, consultation_id)

    # the panel votes: one NO with its reason, one vote changed while the ballot is open
    await vote(browser, live_server, "gz-expert01", "YES")
    await vote(browser, live_server, "fj-expert01", "NO", "修剪高度的要求缺少试验依据。")
    await vote(browser, live_server, "hn-expert01", "ABSTAIN")
    await vote(browser, live_server, "hn-expert01", "YES")
    await vote(browser, live_server, "fj-expert02", "YES")
    ballot = (await standard_state(demo_api, standard_id))["ballot"]
    assert (ballot["yes"], ballot["no"], ballot["abstain"], ballot["cast"]) == (3, 1, 0, 4)

    final = await close_sign_and_publish(browser, live_server, demo_api, standard_id)
    # the portal, anonymously, shows it under both designations
    async with person(browser, live_server) as visitor:
        page = visitor.page
        await page.goto(f"/standards/{quote(standard_id, safe='')}")
        await expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        designations = page.get_by_role("table").filter(has_text=portal_zh("designations"))
        for printed in final["designations"]:
            await expect(designations.get_by_role("rowheader", name=printed, exact=True)).to_be_visible()
