"""The statistics page through HTTP on both engines with the demo data: every zone's view in both
languages, every table's figures equal to the API's own ``standardStatistics`` and
``projectStatistics`` (办法 第十二条(三)), a caption on every table, ECharts loaded here and
nowhere else, and a made-up year answered 400 in both languages, never a 5xx."""

from __future__ import annotations

import re

import pytest

from tests.portal.test_pages import ZONES, get, main_of

FIGURES = """query($year: Int, $zone: String) {
  standardStatistics(year: $year, zone: $zone) { ... on StandardStatistics {
    published withdrawn superseded inProgress
    byStage { stage { nameZh nameEn } count } byKind { nameZh nameEn count }
    byZone { zone { nameZh nameEn } count } byYear { year count } byCategory { category { nameZh nameEn } count } } }
  projectStatistics(year: $year, zone: $zone) { ... on ProjectStatistics {
    total standardsPublished byKind { nameZh nameEn count } byZone { zone { nameZh nameEn } count }
    byState { nameZh nameEn count } byYear { year count } } } }"""
ECHARTS = "/assets/vendor/echarts/echarts.simple.min.js"


def tables_of(html: str) -> dict[str, tuple[str, list[tuple[str, int]]]]:
    """Each figures table by its id: its caption and its rows (label, count)."""
    found = {}
    for table_id, body in re.findall(r'<table id="([\w-]+)" data-chart="\w+">(.*?)</table>', html, re.DOTALL):
        caption = re.search(r"<caption>(.*?)</caption>", body, re.DOTALL).group(1).strip()
        rows = [(label.strip(), int(value)) for label, value in re.findall(
            r'<tr><th scope="row">(.*?)</th><td class="number" data-value="(\d+)">\2</td></tr>', body, re.DOTALL)]
        found[table_id] = (caption, rows)
    return found


def expected_tables(data: dict, suffix: str) -> dict[str, list[tuple[str, int]]]:
    s, p = data["standardStatistics"], data["projectStatistics"]
    return {
        "standards-summary": [("现行标准" if suffix == "Zh" else "In force", s["published"]),
                              ("在研标准" if suffix == "Zh" else "In progress", s["inProgress"]),
                              ("已废止" if suffix == "Zh" else "Withdrawn", s["withdrawn"]),
                              ("已被代替" if suffix == "Zh" else "Superseded", s["superseded"])],
        "standards-by-stage": [(r["stage"]["name" + suffix], r["count"]) for r in s["byStage"]],
        "standards-by-kind": [(r["name" + suffix], r["count"]) for r in s["byKind"]],
        "standards-by-zone": [(r["zone"]["name" + suffix], r["count"]) for r in s["byZone"]],
        "standards-by-year": [(str(r["year"]), r["count"]) for r in s["byYear"]],
        "standards-by-category": [(r["category"]["name" + suffix], r["count"]) for r in s["byCategory"]],
        "projects-summary": [("公开项目" if suffix == "Zh" else "Public projects", p["total"]),
                             ("已发布标准成果" if suffix == "Zh" else "Standards published from them",
                              p["standardsPublished"])],
        "projects-by-kind": [(r["name" + suffix], r["count"]) for r in p["byKind"]],
        "projects-by-zone": [(r["zone"]["name" + suffix], r["count"]) for r in p["byZone"]],
        "projects-by-state": [(r["name" + suffix], r["count"]) for r in p["byState"]],
        "projects-by-year": [(str(r["year"]), r["count"]) for r in p["byYear"]],
    }


@pytest.mark.parametrize("language, html_lang, suffix", [(None, "zh-CN", "Zh"), ("en", "en", "En")])
async def test_every_table_holds_the_apis_figures_in_every_zone_and_both_languages(
        demo_api, language, html_lang, suffix):
    years = {r["year"] for r in (await demo_api.gql(FIGURES))["projectStatistics"]["byYear"]}
    assert years, "the demo has public projects"
    for zone in (None, *ZONES):
        for year in (None, *sorted(years)):
            url = (f"/{zone}/statistics" if zone else "/statistics") + "?" + "&".join(
                ([f"year={year}"] if year else []) + (["lang=en"] if language else []))
            response = await get(demo_api, url)
            assert response.status_code == 200, url
            html = response.text
            assert f'<html lang="{html_lang}">' in html and len(re.findall(r"<h1[ >]", html)) == 1
            shown = tables_of(main_of(html))
            expected = expected_tables(await demo_api.gql(FIGURES, {"year": year, "zone": zone}), suffix)
            assert {k: rows for k, (_, rows) in shown.items()} == expected, url
            assert all(caption for caption, _ in shown.values())
            assert 'id="results"' in html
            assert html.count(ECHARTS) == 1 and "/assets/statistics.js" in html


async def test_the_figures_are_live_not_written_into_the_page(demo_api):
    """A project put on public notice is counted at once (第十二条(三): shown live)."""
    before = tables_of(main_of((await get(demo_api, "/statistics")).text))
    total_before = dict(before["projects-summary"][1])["公开项目"]

    async def approve_a_proposal(session):
        from ecozone.projects.models import Project
        from sqlalchemy import select, update
        proposal = await session.scalar(select(Project.id).where(Project.state == "proposed").limit(1))
        await session.execute(update(Project).where(Project.id == proposal).values(state="in_progress"))
        return proposal
    assert await demo_api.operator(approve_a_proposal)
    after = tables_of(main_of((await get(demo_api, "/statistics")).text))
    assert dict(after["projects-summary"][1])["公开项目"] == total_before + 1
    expected = expected_tables(await demo_api.gql(FIGURES), "Zh")
    assert {k: rows for k, (_, rows) in after.items()} == expected


async def test_echarts_is_loaded_on_the_statistics_page_only(demo_api):
    for path in ("/", "/standards", "/notices", "/council", "/experts", "/certificates", "/catalogs"):
        assert ECHARTS not in (await get(demo_api, path)).text, path
    script = await demo_api.client.get(ECHARTS)
    assert script.status_code == 200 and len(script.content) > 100_000
    drawer = await demo_api.client.get("/assets/statistics.js")
    assert drawer.status_code == 200 and b"data-chart" in drawer.content and b"fetch(" not in drawer.content


@pytest.mark.parametrize("year", ["abc", "1999", "2101", "²⁰²⁶", "-1", "2026.0", "9" * 30, "2026 OR 1=1"])
async def test_a_made_up_year_is_a_400_in_both_languages(demo_api, year):
    for language, message in ((None, "应为 2000 至 2100 之间的年份"), ("en", "must be a year from 2000 to 2100")):
        params = {"year": year, **({"lang": language} if language else {})}
        for path in ("/statistics", "/fujian/statistics"):
            response = await demo_api.client.get(path, params=params, headers={"Accept": "text/html"})
            assert response.status_code == 400, (year, language)
            assert 'id="year-error"' in response.text and message in response.text
            assert 'aria-invalid="true"' in response.text
