"""The traceability catalogs through HTTP on both engines with the demo data: the eleven
categories as the API lists them, each category's indicators, encoding rules and interface, its
JSON Schema download (the API's own route, which the page must not shadow), and unknown or
hostile categories answered 404, never a 5xx."""

from __future__ import annotations

import re

import pytest

from tests.portal.test_pages import ZONES, get, main_of

LIST = """{ catalogVersions(filter: {state: PUBLISHED}, first: 50) { ... on CatalogVersionConnection {
  totalCount edges { node { number category { code nameZh nameEn } } } } } }"""
ONE = """query($category: ProductCategoryCode!) { catalog(category: $category) { ... on CatalogVersion {
  number jsonSchema indicators { code nameZh nameEn } encoding { layout example categoryCode segments { key } }
  interface { name method path } } } }"""


async def published(api) -> list[dict]:
    return [e["node"] for e in (await api.gql(LIST))["catalogVersions"]["edges"]]


@pytest.mark.parametrize("language, html_lang", [(None, "zh-CN"), ("en", "en")])
async def test_every_catalog_page_in_every_zone_and_both_languages(demo_api, language, html_lang):
    catalogs = await published(demo_api)
    assert len(catalogs) == 11
    suffix = "?lang=en" if language else ""
    for prefix in ("", *(f"/{zone}" for zone in ZONES)):
        paths = ["/catalogs"] + [f"/catalogs/{c['category']['code'].lower()}" for c in catalogs]
        for path in paths:
            response = await get(demo_api, prefix + path + suffix)
            assert response.status_code == 200, prefix + path
            html = response.text
            assert f'<html lang="{html_lang}">' in html and len(re.findall(r"<h1[ >]", html)) == 1
            links = [link for link in re.findall(r'href="(/[^"]*)"', main_of(html)) if not link.endswith("schema.json")]
            if prefix:
                assert all(link.startswith(prefix + "/") for link in links), path
            if language:
                assert all("lang=en" in link for link in links), path


async def test_the_list_is_the_apis_eleven_catalogs(demo_api):
    catalogs = await published(demo_api)
    html = main_of((await get(demo_api, "/catalogs")).text)
    assert "共 11 项" in html
    for catalog in catalogs:
        slug = catalog["category"]["code"].lower()
        assert f'href="/catalogs/{slug}"' in html and catalog["category"]["nameZh"] in html
        assert f'href="/catalogs/{slug}/v{catalog["number"]}/schema.json"' in html
    english = main_of((await get(demo_api, "/catalogs?lang=en")).text)
    assert all(c["category"]["nameEn"] in english for c in catalogs)


async def test_a_category_shows_its_indicators_encoding_interface_and_schema(demo_api):
    for catalog in await published(demo_api):
        code = catalog["category"]["code"]
        expected = (await demo_api.gql(ONE, {"category": code}))["catalog"]
        html = main_of((await get(demo_api, f"/catalogs/{code.lower()}")).text)
        rows = re.findall(r'<tr><th scope="row"><code>([^<]+)</code></th><td>([^<]*)</td>', html)
        indicator_rows = rows[:len(expected["indicators"])]
        assert indicator_rows == [(i["code"], i["nameZh"]) for i in expected["indicators"]], code
        assert expected["encoding"]["layout"] in html and expected["encoding"]["example"] in html
        for segment in expected["encoding"]["segments"]:
            assert f"<code>{segment['key']}</code>" in html
        for operation in expected["interface"]:
            assert f"<code>{operation['method']} {operation['path']}</code>" in html
        assert html.count("<caption>") >= 2 + len(expected["interface"])
        link = f'/catalogs/{code.lower()}/v{expected["number"]}/schema.json'
        assert f'href="{link}"' in html
        download = await demo_api.client.get(link)
        assert download.status_code == 200 and download.headers["content-type"].startswith("application/schema+json")
        assert download.json() == expected["jsonSchema"], code


@pytest.mark.parametrize("path", [
    "/catalogs/atlantis", "/catalogs/TEA", "/catalogs/Tea", "/catalogs/tea%00", "/catalogs/tea'%20OR%201=1",
    "/catalogs/" + "a" * 500, "/catalogs/..%2F..%2Fetc", "/jiangxi/catalogs/pork", "/catalogs/tea/v999/schema.json",
])
async def test_an_unknown_category_is_a_404_in_both_languages(demo_api, path):
    for language, words in (("", "没有找到该页面"), ("?lang=en", "Page not found")):
        response = await get(demo_api, path + language)
        assert response.status_code == 404, path
        if "schema.json" not in path:
            assert words in response.text
