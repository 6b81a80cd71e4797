"""The council's disclosures through HTTP on both engines with the demo data: every zone's view
in both languages, each resolution's vote counts and rule exactly as the API tells them, and
forged IDs (another type's, none, hostile text) answered 404, never a 5xx."""

from __future__ import annotations

import re

import pytest

from tests.portal.test_pages import ZONES, get, main_of
from tests.support.api import gid

PUBLICATIONS = """query($zone: String) { councilPublications(zone: $zone, first: 100) {
  ... on CouncilPublicationConnection { totalCount edges { node { id titleZh titleEn meetsOn discussion
  attendance { present members }
  resolutions { titleZh titleEn passed yes no abstain base needed ruleZh ruleEn } } } } } }"""


async def publications(api, zone=None) -> list[dict]:
    data = await api.gql(PUBLICATIONS, {"zone": zone})
    return [edge["node"] for edge in data["councilPublications"]["edges"]]


def vote_rows(html: str) -> list[list[str]]:
    """Each resolution's row of the votes tables: title, then the cells' text."""
    rows = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.DOTALL):
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL):
            rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)])
    return rows


@pytest.mark.parametrize("language, html_lang", [(None, "zh-CN"), ("en", "en")])
async def test_council_pages_in_every_zone_and_both_languages(demo_api, language, html_lang):
    suffix = "?lang=en" if language else ""
    published = await publications(demo_api)
    assert published, "the demo has a disclosed meeting"
    for prefix in ("", *(f"/{zone}" for zone in ZONES)):
        for path in ["/council"] + [f"/council/{p['id']}" for p in published]:
            response = await get(demo_api, prefix + path + suffix)
            assert response.status_code == 200, prefix + path
            assert f'<html lang="{html_lang}">' in response.text
            assert len(re.findall(r"<h1[ >]", response.text)) == 1
            links = re.findall(r'href="(/[^"]*)"', main_of(response.text))
            if prefix:
                assert all(link.startswith(prefix + "/") for link in links)
            if language:
                assert all("lang=en" in link for link in links)


async def test_vote_counts_and_the_rule_are_the_apis(demo_api):
    for zone in (None, *ZONES):
        expected = await publications(demo_api, zone)
        for language, index in ((None, "Zh"), ("en", "En")):
            url = (f"/{zone}/council" if zone else "/council") + ("?lang=en" if language else "")
            html = main_of((await get(demo_api, url)).text)
            assert 'id="results"' in html and "<caption>" in html or not expected
            shown = re.findall(r'href="(?:/\w+)?/council/([^"?]+)[?"]', html)
            assert shown == [p["id"] for p in expected], zone
            rows = vote_rows(html[:html.index('id="annual-reports"')])  # the disclosures' tables only
            wanted = [[r["title" + index], str(r["yes"]), str(r["no"]), str(r["abstain"]), str(r["base"]),
                       str(r["needed"]), r["rule" + index]] for p in expected for r in p["resolutions"]]
            assert [[row[0], *row[2:7], row[8]] for row in rows] == wanted, zone
    assert any(p["resolutions"] for p in await publications(demo_api))


RULES = """query($zone: String) {
  councilRuleDocuments(zone: $zone, first: 20) { ... on CouncilRuleDocumentConnection {
    edges { node { titleZh titleEn versions { number effectiveFrom } } } } }
  annualDisclosures(zone: $zone, first: 10) { ... on AnnualReportConnection { edges { node { year kindNameZh } } } }
}"""


async def test_the_rules_in_force_and_the_adopted_reports_are_the_apis(demo_api):
    """章程 第三十二条: the version of each rule in force today; 第十八条(四), 第三十条: the reports the
    general meeting adopted — the same as the API answers anonymously."""
    import datetime as dt
    from zoneinfo import ZoneInfo
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    for zone in (None, *ZONES):
        expected = await demo_api.gql(RULES, {"zone": zone})
        html = main_of((await get(demo_api, f"/{zone}/council" if zone else "/council")).text)
        rules_part = html[html.index('id="rules-in-force"'):]
        documents = [e["node"] for e in expected["councilRuleDocuments"]["edges"]]
        for document in documents:
            assert document["titleZh"] in rules_part, (zone, document["titleZh"])
            in_force = [v for v in document["versions"] if v["effectiveFrom"] <= today]
            if in_force:
                current = max(in_force, key=lambda v: (v["effectiveFrom"], v["number"]))
                assert f'v{current["number"]}' in rules_part
        assert rules_part.count("<tr>") == len(documents) + (1 if documents else 0), zone
        reports = [e["node"] for e in expected["annualDisclosures"]["edges"]]
        reports_part = html[html.index('id="annual-reports"'):html.index('id="rules-in-force"')]
        assert reports_part.count("<details") == len(reports), zone


async def test_one_publication_shows_its_minutes_attendance_and_votes(demo_api):
    for publication in await publications(demo_api):
        html = main_of((await get(demo_api, f"/council/{publication['id']}")).text)
        assert publication["titleZh"] in html and publication["discussion"] in html
        assert f'datetime="{publication["meetsOn"]}"' in html
        if publication["attendance"]["members"] is not None:
            assert f"应到成员单位 {publication['attendance']['members']} 家，实到 {publication['attendance']['present']} 家" in html
        rows = vote_rows(html)
        assert [[r[0], r[2], r[3], r[4]] for r in rows] == [
            [r["titleZh"], str(r["yes"]), str(r["no"]), str(r["abstain"])] for r in publication["resolutions"]]
        for resolution in publication["resolutions"]:
            assert ("通过" if resolution["passed"] else "未通过") in html


async def test_a_forged_id_is_not_a_publication(demo_api):
    paths = ["/council/Q291bmNpbFB1YmxpY2F0aW9uOjk5OTk5", "/council/not-an-id", "/council/" + "Q" * 300,
             f"/council/{gid('Project', 1)}", f"/council/{gid('Zone', 1)}", f"/council/{gid('CouncilMeeting', 1)}",
             f"/council/{gid('CouncilMinutes', 1)}", "/council/%3Cscript%3E", "/hainan/council/x%00"]
    for path in paths:
        for language, words in (("", "没有找到该页面"), ("?lang=en", "Page not found")):
            response = await get(demo_api, path + language)
            assert response.status_code == 404, path
            assert words in response.text


@pytest.mark.parametrize("query", [{"zone": "atlantis"}, {"after": "y" * 300}])
async def test_a_made_up_filter_is_a_400(demo_api, query):
    for language in (None, "en"):
        params = dict(query, **({"lang": language} if language else {}))
        response = await demo_api.client.get("/council", params=params, headers={"Accept": "text/html"})
        assert response.status_code == 400 and 'class="error"' in response.text
    response = await demo_api.client.get("/council", params={"after": "garbage"}, headers={"Accept": "text/html"})
    assert response.status_code < 500
