"""The portal's pages through HTTP, without a browser, on both engines and the demo data: every
page in every zone's view and both languages, search and filters, the lies a hostile visitor
tells in a URL (400 or 404 with the reason in both languages, never a 5xx), ETag and 304, and
that the portal is an honest anonymous client of the API."""

from __future__ import annotations

import re

import pytest

from ecozone.portal.client import load_documents

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ZONES = ("jiangxi", "guizhou", "fujian", "hainan")
PAGES = ("/", "/standards")
STANDARDS = """query($filter: StandardFilterInput) { standards(filter: $filter, first: 100) {
  ... on StandardConnection { totalCount edges { node { id titleZh titleEn designations year
  leadZone { slug } zones { zone { slug } } } } } } }"""


async def get(api, path: str, **headers):
    return await api.client.get(path, headers={"Accept": BROWSER, **headers})


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


async def published(api) -> list[dict]:
    data = await api.gql(STANDARDS, {"filter": {"state": "PUBLISHED"}})
    return [edge["node"] for edge in data["standards"]["edges"]]


@pytest.mark.parametrize("language, html_lang, heading", [(None, "zh-CN", "标准"), ("en", "en", "Standards")])
async def test_every_page_in_every_zone_and_both_languages(demo_api, language, html_lang, heading):
    for prefix in ("", *(f"/{zone}" for zone in ZONES)):
        for path in PAGES:
            url = (prefix + path) if path != "/" else (prefix + "/")
            if language:
                url += f"?lang={language}"
            response = await get(demo_api, url)
            assert response.status_code == 200, url
            assert response.headers["content-type"] == "text/html; charset=utf-8"
            assert response.headers["content-language"] == html_lang
            html = response.text
            assert f'<html lang="{html_lang}">' in html, url
            assert len(re.findall(r"<h1[ >]", html)) == 1, url
            for landmark in ("<header", "<nav", "<main", "<footer"):
                assert landmark in html, (url, landmark)
            assert heading in html, url
            # every link stays in the page's language
            links = re.findall(r'href="(/[^"]*)"', main_of(html))
            if language == "en":
                assert all("lang=en" in link for link in links if not link.startswith("/assets")), url


async def test_a_zone_view_shows_its_own_standards_and_keeps_its_links_in_the_zone(demo_api):
    for zone in ZONES:
        expected = await demo_api.gql(STANDARDS, {"filter": {"zone": zone}})
        html = (await get(demo_api, f"/{zone}/standards")).text
        ids = re.findall(r'href="/' + zone + r'/standards/([^"?]+)"', main_of(html))
        assert ids == [edge["node"]["id"] for edge in expected["standards"]["edges"][:20]], zone
        assert f"共 {expected['standards']['totalCount']} 项" in html
        links = [link for link in re.findall(r'href="(/[^"]*)"', main_of(html)) if not link.startswith("/assets")]
        assert links and all(link.startswith(f"/{zone}/") for link in links), zone


async def test_find_a_standard_by_its_designation_as_typed_and_open_it(demo_api):
    standard = (await published(demo_api))[0]
    designation = standard["designations"][0]
    for typed in (designation, designation.replace("—", "-"), designation.lower()):
        html = (await demo_api.client.get("/standards", params={"q": typed}, headers={"Accept": BROWSER})).text
        assert f'href="/standards/{standard["id"]}"' in html, typed
    page = await get(demo_api, f"/standards/{standard['id']}")
    assert page.status_code == 200
    html = page.text
    assert standard["titleZh"] in html and designation in html
    for other in standard["designations"]:  # under every participating zone's code
        assert other in html
    english = (await get(demo_api, f"/standards/{standard['id']}?lang=en")).text
    assert standard["titleEn"] in english and '<html lang="en">' in english


async def test_filters_by_zone_and_year_match_the_api(demo_api):
    standards = await published(demo_api)
    year = standards[0]["year"]
    for zone in ZONES:
        expected = await demo_api.gql(STANDARDS, {"filter": {"zone": zone, "year": year}})
        response = await demo_api.client.get("/standards", params={"zone": zone, "year": str(year)},
                                             headers={"Accept": BROWSER})
        assert response.status_code == 200
        count = expected["standards"]["totalCount"]
        assert f"共 {count} 项" in response.text, zone
        ids = set(re.findall(r'href="/standards/([^"?]+)"', main_of(response.text)))
        assert ids == {edge["node"]["id"] for edge in expected["standards"]["edges"][:20]}, zone


async def test_search_as_you_type_gets_the_results_region_alone(demo_api):
    response = await demo_api.client.get("/standards", params={"q": "茶"},
                                         headers={"Accept": BROWSER, "X-Portal-Fragment": "1"})
    assert response.status_code == 200
    assert "<html" not in response.text and 'role="status"' in response.text


@pytest.mark.parametrize("query, field, zh, en", [
    ({"year": "abc"}, "year", "应为 1949 至 2100 之间的年份", "must be a year from 1949 to 2100"),
    ({"year": "²⁰²⁶"}, "year", "应为 1949 至 2100 之间的年份", "must be a year from 1949 to 2100"),
    ({"year": "99999999999999999999"}, "year", "应为", "must be a year"),
    ({"zone": "atlantis"}, "zone", "不是可选的值", "is not one of the choices"),
    ({"kind": "'; DROP TABLE standards; --"}, "kind", "不是可选的值", "is not one of the choices"),
    ({"stage": "published"}, "stage", "不是可选的值", "is not one of the choices"),
    ({"sort": "id"}, "sort", "不是可选的值", "is not one of the choices"),
    ({"q": "茶" * 201}, "q", "不能超过 200 个字符", "at most 200 characters"),
    ({"q": "tea\x00"}, "q", "不能超过", "at most"),
])
async def test_a_made_up_filter_is_named_back_in_both_languages(demo_api, query, field, zh, en):
    for language, message in ((None, zh), ("en", en)):
        params = dict(query, **({"lang": language} if language else {}))
        response = await demo_api.client.get("/standards", params=params, headers={"Accept": BROWSER})
        assert response.status_code == 400, (query, language)
        assert f'id="{field}-error"' in response.text and message in response.text
        assert 'aria-invalid="true"' in response.text


@pytest.mark.parametrize("path", [
    "/standards/U3RhbmRhcmQ6OTk5OTk5", "/standards/not-an-id", "/standards/" + "A" * 500,
    "/standards/VXNlcjox",  # a User's ID where a Standard's is expected
    "/atlantis/", "/atlantis/standards", "/jiangxi/nowhere", "/standards/%00",
])
async def test_what_is_not_there_is_a_404_page_not_an_error(demo_api, path):
    response = await get(demo_api, path)
    assert response.status_code == 404, path
    assert "没有找到该页面" in response.text


async def test_a_draft_of_one_zone_is_not_a_page(demo_api):
    """Work in progress is not public: its page is a 404 for everyone, a token changes nothing."""
    async def drafts(session):
        from sqlalchemy import select
        from ecozone.standards.models import Standard
        return [s.id for s in (await session.scalars(select(Standard).where(
            Standard.state.in_(["proposal", "drafting", "review", "approval"])))).all()]
    from tests.support.api import gid
    ids = await demo_api.operator(drafts)
    assert ids
    for standard_id in ids[:3]:
        for headers in ({}, demo_api.headers(user="jx-secretary", zone="jiangxi")):
            response = await get(demo_api, f"/standards/{gid('Standard', standard_id)}", **headers)
            assert response.status_code == 404


async def test_the_portal_is_anonymous_whatever_the_visitor_sends(demo_api):
    """Credentials sent to a page are dropped: a staff token or a zone header shows nothing more,
    and a forged token is not an error (the page never looks at it)."""
    plain = (await get(demo_api, "/standards")).text
    for headers in (demo_api.headers(user="jx-director", zone="jiangxi"), {"X-Zone": "guizhou"},
                    {"Authorization": "Bearer forged.token.here"}, {"Authorization": "Basic eDp5"}):
        response = await get(demo_api, "/standards", **headers)
        assert response.status_code == 200, headers
        assert main_of(response.text) == main_of(plain), headers


async def test_pages_carry_an_etag_and_answer_304(demo_api):
    first = await get(demo_api, "/standards?lang=en")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, no-cache"
    again = await get(demo_api, "/standards?lang=en", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    for header in ('W/' + etag, f'"x", {etag}', "*"):
        assert (await get(demo_api, "/standards?lang=en", **{"If-None-Match": header})).status_code == 304
    for header in ('"other"', "garbage", etag[:-2] + '"', ""):
        assert (await get(demo_api, "/standards?lang=en", **{"If-None-Match": header})).status_code == 200
    zh = await get(demo_api, "/standards", **{"If-None-Match": etag})  # another language: another tag
    assert zh.status_code == 200 and zh.headers["etag"] != etag
    error = await get(demo_api, "/standards?year=x")
    assert error.status_code == 400 and "etag" not in error.headers
    assert error.headers["cache-control"] == "no-store"


async def test_browsers_get_the_portal_at_the_root_and_programs_the_api_links(demo_api):
    html = await get(demo_api, "/")
    assert html.status_code == 200 and "最新发布标准" in html.text
    program = await demo_api.client.get("/", headers={"Accept": "application/json"})
    assert program.json()["name"] == "ecozone"
    developers = await get(demo_api, "/api")
    assert developers.status_code == 200 and "GraphiQL" in developers.text


async def test_every_document_of_the_portal_is_valid_against_the_schema(demo_api):
    from graphql import parse, validate
    from ecozone.graphql.schema import build_schema
    schema = build_schema()._schema
    documents = load_documents()
    assert {"zones", "home", "standards", "standard"} <= set(documents)
    for name, document in documents.items():
        assert validate(schema, parse(document.text)) == [], name
        assert document.document_id.startswith("sha256:") and len(document.document_id) == 71
