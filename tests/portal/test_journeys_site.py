"""More journeys in Chromium: a chart's figures read in its table, the keyboard alone reaching the
search box, a zone's own view, the expert directory and the catalogs, and — on every page — no
request for anything but the app (partner intranets are offline: no CDN, no web font, no tracker).
"""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.portal.helpers import api, assert_page_basics, number_in, standard_ids, table_rows, zh

STATISTICS = """{ standardStatistics { ... on StandardStatistics { published
  byZone { zone { slug nameZh } count } byYear { year count } } }
  projectStatistics { ... on ProjectStatistics { total byZone { zone { slug nameZh } count } } } }"""


def _rows_with(rows: list[list[str]], label: str) -> list[list[int]]:
    return [number_in(row) for row in rows if any(cell == label for cell in row)]


async def test_read_a_charts_figures_in_its_table(tab):
    figures = await api(tab.server, STATISTICS)
    page = tab.page
    await page.goto("/statistics")
    await page.wait_for_load_state("networkidle")
    await assert_page_basics(tab)
    tables = page.get_by_role("main").get_by_role("table")
    assert await tables.count() >= 1
    captions = await tables.evaluate_all(
        "ts => ts.map(t => t.caption ? t.caption.textContent.trim() : '')")
    assert all(captions), f"every table has a caption: {captions}"
    # the charts are drawn by the vendored ECharts, from the app itself
    assert any("echarts" in url for url in tab.requests.urls), "no chart library loaded"
    await expect(page.get_by_role("main").locator("canvas").first).to_be_visible()
    # every zone's count of standards in force is in a table, in the zone's row
    rows = [row for i in range(await tables.count()) for row in await table_rows(tables.nth(i))]
    for entry in figures["standardStatistics"]["byZone"]:
        found = _rows_with(rows, entry["zone"]["nameZh"])
        assert any(entry["count"] in numbers for numbers in found), (entry, found)
    for entry in figures["projectStatistics"]["byZone"]:
        found = _rows_with(rows, entry["zone"]["nameZh"])
        assert any(entry["count"] in numbers for numbers in found), (entry, found)


async def test_the_keyboard_alone_reaches_the_search_box(page):
    tab = page
    page = tab.page
    await page.goto("/standards")
    # the first Tab lands on the skip link, which takes the focus past the header
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=zh("skip"))
    await expect(skip).to_be_focused()
    await expect(skip).to_be_visible()  # shown when focused, not kept off-screen
    await page.keyboard.press("Enter")
    search_box = page.get_by_role("searchbox", name=zh("search_standards"))
    for _presses in range(10):
        if await search_box.evaluate("box => box === document.activeElement"):
            break
        await page.keyboard.press("Tab")
    await expect(search_box).to_be_focused()
    outline = await search_box.evaluate(
        "box => { const s = getComputedStyle(box); return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }")
    assert outline[0] != "none" or outline[2] != "none", f"focus is not visible: {outline}"
    # and the search runs from the keyboard too
    await page.keyboard.type("茶")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"q=%E8%8C%B6|q=茶"))
    await expect(page.locator("#results").get_by_role("link").first).to_be_visible()


async def test_from_the_header_to_the_search_box_by_tab_only(page):
    """Without the skip link: every header link is reachable and so is the search, in order."""
    tab = page
    page = tab.page
    await page.goto("/standards")
    search_box = page.get_by_role("searchbox", name=zh("search_standards"))
    visited = []
    for _presses in range(60):
        await page.keyboard.press("Tab")
        visited.append(await page.evaluate(
            "() => (document.activeElement.getAttribute('href') || document.activeElement.name || '')"))
        if await search_box.evaluate("box => box === document.activeElement"):
            break
    await expect(search_box).to_be_focused()
    assert "/notices" in visited and "/statistics" in visited, visited


async def test_a_zones_own_view(tab):
    expected = await standard_ids(tab.server, zone="guizhou")
    page = tab.page
    await page.goto("/standards")
    zones = page.get_by_role("navigation", name=zh("zones"), exact=True)
    await zones.get_by_role("link", name="贵州", exact=False).first.click()
    await expect(page).to_have_url(re.compile(r"/guizhou/standards"))
    await assert_page_basics(tab)
    await expect(page.get_by_role("heading", level=1)).to_contain_text("贵州")
    hrefs = await page.locator("#results").get_by_role("link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    shown = {h.rsplit("/", 1)[-1].split("?")[0] for h in hrefs if "/standards/" in h}
    assert shown == expected
    # a standard opened from the zone's view stays in it
    assert all(h.startswith("/guizhou/") for h in hrefs if "/standards/" in h), hrefs


EXPERT = """{ experts(first: 5, filter: {zone: "fujian", chief: true}) { ... on ExpertConnection {
  edges { node { id nameZh namePinyin } } } } }"""


async def test_find_an_expert_by_pinyin_initials(tab):
    data = await api(tab.server, EXPERT)
    expert = data["experts"]["edges"][0]["node"]
    initials = "".join(word[0] for word in expert["namePinyin"].split()).lower()
    page = tab.page
    await page.goto("/experts")
    await assert_page_basics(tab)
    box = page.get_by_role("search").get_by_role("searchbox", name=zh("search_experts"))
    await box.press_sequentially(initials, delay=30)  # found as it is typed
    results = page.locator("#results")
    await expect(results.get_by_text(expert["nameZh"]).first).to_be_visible()
    await box.press("Enter")  # and by the form itself
    await expect(page).to_have_url(re.compile(rf"q={initials}"))
    await expect(results.get_by_text(expert["nameZh"]).first).to_be_visible()


CATALOG = """{ catalog(category: TEA) { ... on CatalogVersion { number nameZh: category { nameZh }
  indicators { code } encoding { example } } } }"""


async def test_a_catalog_its_indicators_and_its_json_schema(tab):
    catalog = (await api(tab.server, CATALOG))["catalog"]
    page = tab.page
    await page.goto("/catalogs")
    await assert_page_basics(tab)
    await page.get_by_role("main").get_by_role("link", name=catalog["nameZh"]["nameZh"], exact=True).click()
    await expect(page).to_have_url(re.compile(r"/catalogs/tea"))
    await assert_page_basics(tab)
    indicators = page.get_by_role("region", name=zh("indicators"), exact=True)
    for indicator in catalog["indicators"]:
        await expect(indicators.get_by_role("rowheader", name=indicator["code"], exact=True)).to_have_count(1)
    await expect(page.get_by_role("main")).to_contain_text(catalog["encoding"]["example"])
    name = zh("download_schema").format(number=catalog["number"])
    href = await page.get_by_role("main").get_by_role("link", name=name).first.get_attribute("href")
    response = await page.request.get(href)
    assert response.status == 200
    schema = await response.json()
    assert "$schema" in schema


# Every page the portal has, as a visitor reaches it; {standard}, {project} are filled from the API.
PAGES = ["/", "/standards", "/standards/{standard}", "/notices", "/projects/{project}", "/statistics",
         "/council", "/experts", "/certificates", "/catalogs", "/jiangxi/", "/jiangxi/standards",
         "/hainan/notices", "/?lang=en", "/statistics?lang=en"]
FIRST = """{ standards(first: 1, filter: {state: PUBLISHED}) { ... on StandardConnection { edges { node { id } } } }
  projects(first: 1) { ... on ProjectConnection { edges { node { id } } } } }"""


async def test_no_request_leaves_for_another_host(page):
    tab = page
    data = await api(tab.server, FIRST)
    ids = {"standard": data["standards"]["edges"][0]["node"]["id"],
           "project": data["projects"]["edges"][0]["node"]["id"]}
    answers = {}
    for path in PAGES:
        response = await tab.page.goto(path.format(**ids))
        await tab.page.wait_for_load_state("networkidle")
        answers[path] = response.status
    assert tab.requests.foreign() == []
    assert all(status == 200 for status in answers.values()), answers
    # and the pages did load their own assets (the check above is not vacuous)
    assert any("/assets/" in url for url in tab.requests.urls)
