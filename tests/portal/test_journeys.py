"""The portal's journeys in a real browser (Debian's Chromium through Playwright), at a desktop's
and at a phone's width, on the demo data, on SQLite and PostgreSQL (issue 15).

Every element is found as a person or a screen reader finds it: by role, label and text, never by
CSS class. What a page must show is asked of the API itself (anonymously), so the journeys check
that the portal shows the API's truth, not numbers written into the test. Every tab also fails
its test if any request left for a host other than the app, or a script threw (conftest).
"""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.portal.helpers import api, assert_page_basics, en, published_standards, standard_ids, zh


def _as_typed(designation: str) -> str:
    """What a person types: an ASCII hyphen for the printed em dash, no year, no title."""
    return re.sub(r"\s*[—–-]\s*\d{4}.*$", "", designation)


async def test_find_a_standard_by_designation_and_open_it(tab):
    standard = next(s for s in await published_standards(tab.server) if len(s["designations"]) > 1)
    designation = standard["designations"][0]
    page = tab.page
    await page.goto("/standards")
    await assert_page_basics(tab)
    # The page stays: search as you type replaces the results, it does not navigate.
    await page.evaluate("window.stayedOnPage = true")
    search = page.get_by_role("search")
    await search.get_by_role("searchbox", name=zh("search_standards")).press_sequentially(
        _as_typed(designation), delay=30)
    results = page.locator("#results")
    link = results.get_by_role("link", name=re.compile(re.escape(standard["titleZh"])))
    await expect(link).to_have_count(1)
    await expect(results.get_by_role("link")).to_have_count(1)  # that standard, and only it
    assert await page.evaluate("window.stayedOnPage === true"), "typing reloaded the page"
    await expect(page).to_have_url(re.compile(r"[?&]q="))  # the results have their own link
    await link.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(standard["titleZh"])
    await assert_page_basics(tab)
    # its designation under every participating zone's code
    designations = page.get_by_role("table").filter(has_text=zh("designations"))
    for printed in standard["designations"]:
        await expect(designations.get_by_role("rowheader", name=printed, exact=True)).to_be_visible()
    await expect(page.get_by_text(standard["releaseDate"]).first).to_be_visible()


async def test_without_javascript_the_search_form_still_answers(browser, live_server):
    from tests.support.browser import new_page
    context, page, log = await new_page(browser, live_server, javascript=False)
    try:
        standard = (await published_standards(live_server))[0]
        await page.goto("/standards")
        search = page.get_by_role("search")
        await search.get_by_role("searchbox", name=zh("search_standards")).fill(
            _as_typed(standard["designations"][0]))
        await search.get_by_role("button", name=zh("search")).click()
        await expect(page).to_have_url(re.compile(r"/standards\?.*q="))
        await expect(page.locator("#results").get_by_role(
            "link", name=re.compile(re.escape(standard["titleZh"])))).to_be_visible()
    finally:
        await context.close()
    assert not log.foreign()


async def test_filter_by_zone_and_year(tab):
    released = await published_standards(tab.server, zone="fujian")
    assert released, "the demo has a standard published with Fujian"
    year = released[0]["year"]
    expected = await standard_ids(tab.server, zone="fujian", year=year)
    page = tab.page
    await page.goto("/standards")
    search = page.get_by_role("search")
    await search.get_by_role("combobox", name=zh("zone"), exact=True).select_option("fujian")
    await search.get_by_role("textbox", name=zh("year"), exact=True).fill(str(year))
    await search.get_by_role("textbox", name=zh("year"), exact=True).press("Enter")
    await expect(page).to_have_url(re.compile(r"zone=fujian"))
    await expect(page).to_have_url(re.compile(rf"year={year}"))
    results = page.locator("#results")
    await expect(results.get_by_role("status")).to_contain_text(str(len(expected)))
    hrefs = await results.get_by_role("link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    shown = {href.rsplit("/", 1)[-1].split("?")[0] for href in hrefs if "/standards/" in href}
    assert shown == expected, (shown, expected)
    # the filters stay chosen on the answer's page
    await expect(search.get_by_role("combobox", name=zh("zone"), exact=True)).to_have_value("fujian")
    await assert_page_basics(tab)


NOTICES = """{ projects(first: 50, filter: {state: PUBLIC_NOTICE}) { ... on ProjectConnection {
  edges { node { id titleZh titleEn noticeEndsOn zone { nameZh } } } } } }"""


async def test_read_a_notice(tab):
    data = await api(tab.server, NOTICES)
    notices = [edge["node"] for edge in data["projects"]["edges"]]
    assert notices, "the demo has a project on public notice"
    notice = notices[0]
    page = tab.page
    await page.goto("/notices")
    await assert_page_basics(tab)
    await page.get_by_role("main").get_by_role("link", name=notice["titleZh"]).click()
    await expect(page).to_have_url(re.compile(r"/projects/"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(notice["titleZh"])
    main = page.get_by_role("main")
    await expect(main).to_contain_text(notice["noticeEndsOn"])  # the notice period
    await expect(main).to_contain_text(notice["zone"]["nameZh"])
    await assert_page_basics(tab)


CERTIFICATE = """query($code: String!) { verifyCertificate(code: $code) { __typename
  ... on CertificateVerification { code holderName programme { titleZh } } } }"""


async def _a_certificate_code(server) -> str:
    from sqlalchemy import select

    from ecozone.talent.models import Certificate
    from tests.support.db import run_as_operator
    url = server.operator_url

    async def first_code(session):
        return await session.scalar(select(Certificate.code).order_by(Certificate.id).limit(1))
    return await run_as_operator(url, first_code)


async def test_verify_a_certificate_valid_and_invalid(tab):
    code = await _a_certificate_code(tab.server)
    facts = (await api(tab.server, CERTIFICATE, {"code": code}))["verifyCertificate"]
    assert facts["__typename"] == "CertificateVerification"
    page = tab.page
    await page.goto("/certificates")
    await assert_page_basics(tab)
    box = page.get_by_role("main").get_by_role("textbox", name=zh("certificate_code"))
    await box.fill(code)
    await box.press("Enter")
    await expect(page).to_have_url(re.compile(r"[?&]code="))
    status = page.get_by_role("status")
    await expect(status).to_contain_text(facts["programme"]["titleZh"])
    if facts["holderName"]:
        await expect(status).to_contain_text(facts["holderName"])
    # a code that was never issued: said so, in the status region, not an error page
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = await page.goto(f"/certificates?code={forged}")
    assert response.status < 500
    await expect(page.get_by_role("status")).to_contain_text(forged)
    await expect(page.get_by_role("status")).not_to_contain_text(facts["programme"]["titleZh"])
    await assert_page_basics(tab)


async def test_switch_language(tab):
    page = tab.page
    await page.goto("/standards?q=%E8%8C%B6")  # 茶: the switch keeps what is shown
    await assert_page_basics(tab, "zh")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(zh("standards"))
    await page.get_by_role("banner").get_by_role("link", name=zh("switch_language_label")).click()
    await expect(page).to_have_url(re.compile(r"lang=en"))
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(en("standards"))
    await expect(page.get_by_role("searchbox", name=en("search_standards"))).to_have_value("茶")
    # links on an English page stay English
    await page.get_by_role("navigation", name=en("nav")).get_by_role("link", name=en("notices")).click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await assert_page_basics(tab, "en")
    await page.get_by_role("banner").get_by_role("link", name=en("switch_language_label")).click()
    await expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    await expect(page).not_to_have_url(re.compile(r"lang=en"))


COUNCIL = """{ councilPublications(first: 5) { ... on CouncilPublicationConnection { edges { node {
  id titleZh resolutions { titleZh yes no abstain ruleZh } } } } } }"""


async def test_read_a_council_disclosure_with_its_votes_and_rule(tab):
    data = await api(tab.server, COUNCIL)
    disclosure = next(edge["node"] for edge in data["councilPublications"]["edges"]
                      if edge["node"]["resolutions"])
    page = tab.page
    await page.goto("/council")
    await assert_page_basics(tab)
    await page.get_by_role("main").get_by_role("link", name=disclosure["titleZh"], exact=True).first.click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(disclosure["titleZh"])
    await assert_page_basics(tab)
    votes = page.get_by_role("main").get_by_role("table").filter(has_text=zh("votes_caption"))
    for resolution in disclosure["resolutions"]:
        row = votes.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=resolution["titleZh"], exact=True))
        cells = await row.get_by_role("cell").all_inner_texts()
        counts = [int(c) for c in cells if c.strip().isdigit()]
        assert counts[:3] == [resolution["yes"], resolution["no"], resolution["abstain"]], cells
        assert resolution["ruleZh"] in cells


CONSULTING = """{ standards(first: 5, filter: {state: CONSULTATION}) { ... on StandardConnection {
  edges { node { id titleZh consultation { acceptingComments deadline } } } } } }"""


async def test_a_standard_under_consultation_says_how_to_comment(tab):
    data = await api(tab.server, CONSULTING)
    standard = next(edge["node"] for edge in data["standards"]["edges"]
                    if edge["node"]["consultation"] and edge["node"]["consultation"]["acceptingComments"])
    page = tab.page
    await page.goto("/standards?stage=CONSULTATION")
    await page.locator("#results").get_by_role("link", name=re.compile(re.escape(standard["titleZh"]))).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(standard["titleZh"])
    section = page.get_by_role("region", name=zh("under_consultation"))
    await expect(section).to_contain_text(standard["consultation"]["deadline"][:10])
    await expect(section).to_contain_text("postComment")  # the API's own mutation
    await assert_page_basics(tab)
