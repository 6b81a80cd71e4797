"""The expert directory through HTTP on both engines with the demo data: every zone's view in
both languages; search by Chinese name, pinyin and initials, field, category and zone giving the
API's own answer; paging; no field an expert keeps from the public on any page; made-up filters
a 400 in both languages, never a 5xx."""

from __future__ import annotations

import re

import pytest
from pypinyin import lazy_pinyin

from tests.portal.test_pages import ZONES, get, main_of

EXPERTS = """query($filter: ExpertFilterInput, $after: String) { experts(filter: $filter, first: 20, after: $after) {
  ... on ExpertConnection { totalCount pageInfo { hasNextPage endCursor } edges { node { id nameZh namePinyin
  fields categories { code } homeZone { slug } } } } } }"""
EVERYTHING = """{ experts(first: 100) { ... on ExpertConnection { edges { node { id nameZh title organisation
  orcid biography email phone standardsAuthored availability } } } } }"""
PRIVATE_FIELDS = ("title", "organisation", "orcid", "biography", "email", "phone")


async def names_shown(api, path: str, **params) -> list[str]:
    response = await api.client.get(path, params=params, headers={"Accept": "text/html"})
    assert response.status_code == 200, (path, params)
    return re.findall(r'<span lang="zh-CN">([^<]+)</span>', main_of(response.text))


async def expected_names(api, **filter_) -> list[str]:
    data = await api.gql(EXPERTS, {"filter": filter_})
    return [edge["node"]["nameZh"] for edge in data["experts"]["edges"]]


@pytest.mark.parametrize("language, html_lang", [(None, "zh-CN"), ("en", "en")])
async def test_the_directory_in_every_zone_and_both_languages(demo_api, language, html_lang):
    for zone in (None, *ZONES):
        url = (f"/{zone}/experts" if zone else "/experts") + ("?lang=en" if language else "")
        response = await get(demo_api, url)
        assert response.status_code == 200, url
        html = response.text
        assert f'<html lang="{html_lang}">' in html and len(re.findall(r"<h1[ >]", html)) == 1
        assert 'id="results"' in html and 'role="search"' in html and '<label for="q">' in html
        shown = re.findall(r'<span lang="zh-CN">([^<]+)</span>', main_of(html))
        assert shown == await expected_names(demo_api, zone=zone), zone
        links = re.findall(r'href="(/[^"]*)"', main_of(html))
        if zone:
            assert all(link.startswith(f"/{zone}/") for link in links)
        if language:
            assert all("lang=en" in link for link in links)


async def test_search_by_chinese_pinyin_and_initials_is_the_apis(demo_api):
    data = await demo_api.gql(EXPERTS, {"filter": {}})
    expert = data["experts"]["edges"][0]["node"]
    syllables = lazy_pinyin(expert["nameZh"])
    for typed in (expert["nameZh"], expert["nameZh"][1:], expert["namePinyin"].lower(), "".join(syllables),
                  "".join(s[0] for s in syllables), expert["namePinyin"].split()[0].upper()):
        wanted = await expected_names(demo_api, text=typed)
        assert expert["nameZh"] in wanted, typed
        assert await names_shown(demo_api, "/experts", q=typed) == wanted, typed
    assert await names_shown(demo_api, "/experts", q="qqqqzzzz") == []


async def test_field_category_and_zone_filters_are_the_apis(demo_api):
    expert = (await demo_api.gql(EXPERTS, {"filter": {}}))["experts"]["edges"][0]["node"]
    cases = [{"field": expert["fields"][0]}, {"category": expert["categories"][0]["code"]},
             {"zone": expert["homeZone"]["slug"]},
             {"category": expert["categories"][0]["code"], "zone": expert["homeZone"]["slug"]}]
    for filter_ in cases:
        wanted = await expected_names(demo_api, **filter_)
        assert expert["nameZh"] in wanted, filter_
        assert await names_shown(demo_api, "/experts", **filter_) == wanted, filter_
    # a field shown is a link to its experts
    html = main_of((await get(demo_api, "/experts")).text)
    assert re.search(r'href="/experts\?field=[^"]+"', html)


async def test_paging_walks_the_whole_directory(demo_api):
    data = (await demo_api.gql(EXPERTS, {"filter": {}}))["experts"]
    assert data["pageInfo"]["hasNextPage"], "the demo has more than one page of experts"
    seen, url = [], "/experts"
    while url:
        html = main_of((await get(demo_api, url)).text)
        seen += re.findall(r'<span lang="zh-CN">([^<]+)</span>', html)
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = following.group(1).replace("&amp;", "&") if following else None
    assert len(seen) == data["totalCount"] == len(set(seen))


async def test_no_page_shows_what_an_expert_keeps_from_the_public(demo_api):
    """What the zone's staff may read but an anonymous caller may not is on no page."""
    public = {e["node"]["id"]: e["node"] for e in (await demo_api.gql(EVERYTHING))["experts"]["edges"]}
    blocks: dict[str, str] = {}  # each expert's entry on the pages, by Chinese name
    for zone in ZONES:
        url = f"/experts?zone={zone}"
        while url:
            html = main_of((await get(demo_api, url)).text)
            for block in re.findall(r'<li class="expert">(.*?)</li>', html, re.DOTALL):
                name = re.search(r'<span lang="zh-CN">([^<]+)</span>', block).group(1)
                blocks[name] = blocks.get(name, "") + block
            following = re.search(r'<a rel="next" href="([^"]+)"', html)
            url = following.group(1).replace("&amp;", "&") if following else None
    hidden = 0
    for zone, director in (("jiangxi", "jx-director"), ("hainan", "hn-director")):
        staff = await demo_api.gql(EVERYTHING, user=director, zone=zone)
        for edge in staff["experts"]["edges"]:
            seen_by_staff, seen_by_all = edge["node"], public.get(edge["node"]["id"])
            for field in PRIVATE_FIELDS:
                value = seen_by_staff[field]
                if value and (seen_by_all is None or not seen_by_all[field]):
                    hidden += 1
                    shown = blocks.get(seen_by_staff["nameZh"], "")
                    assert f">{value}<" not in shown and str(value) not in re.sub(r"<[^>]+>", "\n", shown).split("\n"), (
                        seen_by_staff["nameZh"], field)
    assert hidden, "the demo has experts with fields kept from the public"
    assert len(blocks) == len(public)


@pytest.mark.parametrize("query, field, zh, en", [
    ({"q": "张" * 101}, "q", "不能超过 100 个字符", "at most 100 characters"),
    ({"field": "x" * 101}, "field", "不能超过 100 个字符", "at most 100 characters"),
    ({"category": "PORK"}, "category", "不是可选的值", "is not one of the choices"),
    ({"category": "tea'--"}, "category", "不是可选的值", "is not one of the choices"),
    ({"zone": "atlantis"}, "zone", "不是可选的值", "is not one of the choices"),
    ({"after": "z" * 300}, "after", "不能超过 200 个字符", "at most 200 characters"),
])
async def test_a_made_up_filter_is_named_back_in_both_languages(demo_api, query, field, zh, en):
    for language, message in ((None, zh), ("en", en)):
        params = dict(query, **({"lang": language} if language else {}))
        response = await demo_api.client.get("/experts", params=params, headers={"Accept": "text/html"})
        assert response.status_code == 400, (query, language)
        assert f'id="{field}-error"' in response.text and message in response.text


async def test_odd_searches_and_cursors_are_never_a_5xx(demo_api):
    for params in ({"q": "%"}, {"q": "_"}, {"q": "\\"}, {"q": "' OR 1=1 --"}, {"after": "garbage"},
                   {"after": "WyJrMSIsWyJ4IiwxXV0"}, {"field": "%"}):
        response = await demo_api.client.get("/experts", params=params, headers={"Accept": "text/html"})
        assert response.status_code < 500, params
    fragment = await demo_api.client.get("/experts", params={"q": "chen"},
                                         headers={"Accept": "text/html", "X-Portal-Fragment": "1"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'role="status"' in fragment.text
