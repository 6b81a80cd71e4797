"""Every portal page, fetched as a browser without JavaScript would (no browser needed), in both
languages: ``lang``, one ``h1``, the landmarks (header, nav, main, footer), a label for every form
control, named navigations, unique ids (html_audit.py); and its weight — the HTML with the CSS and
JavaScript it references — under 300 KB before fonts and images (issue 15).

Weight is counted as the bytes a browser downloads: the answer as sent for
``Accept-Encoding: gzip, br`` (compressed if the app compresses, whole otherwise).
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from tests.portal.html_audit import audit

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
           "Accept-Encoding": "gzip, br"}
BUDGET = 300 * 1024  # bytes: HTML + CSS + JS, before fonts and images
# Every page of the portal's contract; {standard}, {project}, {category} come from the API.
PAGES = ("/", "/standards", "/standards?q=%E8%8C%B6&stage=PUBLISHED", "/standards/{standard}",
         "/notices", "/projects/{project}", "/statistics", "/council", "/experts",
         "/certificates", "/certificates?code=AAAAA-BBBBB-CCCCC-D", "/catalogs",
         "/catalogs/{category}", "/jiangxi/", "/guizhou/standards", "/fujian/notices",
         "/hainan/statistics")
FIRST = """{ standards(first: 1, filter: {state: PUBLISHED}) { ... on StandardConnection { edges { node { id } } } }
  projects(first: 1) { ... on ProjectConnection { edges { node { id } } } }
  catalogVersions(first: 1) { ... on CatalogVersionConnection { edges { node { category { code } } } } } }"""


async def _targets(demo_api) -> dict[str, str]:
    data = await demo_api.gql(FIRST)
    return {"standard": data["standards"]["edges"][0]["node"]["id"],
            "project": data["projects"]["edges"][0]["node"]["id"],
            "category": data["catalogVersions"]["edges"][0]["node"]["category"]["code"].lower()}


async def _fetch(demo_api, path: str):
    response = await demo_api.client.get(path, headers=BROWSER)
    await response.aread()
    return response


@pytest.mark.parametrize("language, html_lang", [("zh", "zh-CN"), ("en", "en")])
async def test_every_page_has_its_language_one_heading_landmarks_and_labels(demo_api, language, html_lang):
    targets = await _targets(demo_api)
    problems = {}
    for template in PAGES:
        path = template.format(**targets)
        if language == "en":
            path += ("&" if "?" in path else "?") + "lang=en"
        response = await _fetch(demo_api, path)
        if response.status_code != 200:
            problems[path] = [f"status {response.status_code}"]
            continue
        found = audit(response.text).problems(html_lang)
        if found:
            problems[path] = found
    assert not problems, "\n".join(f"{path}: {'; '.join(found)}" for path, found in problems.items())


async def test_every_page_weighs_under_300_kb_with_its_css_and_javascript(demo_api):
    targets = await _targets(demo_api)
    weights, missing = {}, {}
    for template in PAGES:
        path = template.format(**targets)
        page = await _fetch(demo_api, path)
        if page.status_code != 200:
            missing[path] = page.status_code
            continue
        found = audit(page.text)
        total, whole = page.num_bytes_downloaded, len(page.content)
        for asset in found.stylesheets + found.scripts:
            assert not asset.startswith(("http:", "https:", "//")), f"{path} loads {asset} from elsewhere"
            response = await _fetch(demo_api, urljoin(path, asset))
            if response.status_code != 200:
                missing[asset] = response.status_code
            total += response.num_bytes_downloaded
            whole += len(response.content)
        weights[path] = (total, whole)
    assert not missing, f"pages or their assets not served: {missing}"
    heavy = {path: f"{sent / 1024:.0f} KB sent ({whole / 1024:.0f} KB uncompressed)"
             for path, (sent, whole) in weights.items() if sent > BUDGET}
    assert not heavy, f"pages over {BUDGET // 1024} KB: {heavy}"


GOOD = """<!doctype html><html lang="zh-CN"><body><header><nav aria-label="主导航"></nav>
<nav aria-label="试验区"></nav></header><main><h1>标准</h1><form role="search">
<label for="q">搜索</label><input id="q" name="q"><label>年份 <input name="year"></label>
<select name="sort" aria-label="排序"></select><input type="hidden" name="lang"><button>搜索</button>
</form><img src="a.png" alt=""></main><footer></footer></body></html>"""


@pytest.mark.parametrize("damage, problem", [
    (("lang=\"zh-CN\"", "lang=\"en\""), 'expected "zh-CN"'),
    (("<h1>标准</h1>", ""), "0 h1"),
    (("<h1>标准</h1>", "<h1>标准</h1><h1>又一个</h1>"), "2 h1"),
    (("<main>", "<div>"), "no <main>"),
    (("<footer></footer>", ""), "no <footer>"),
    (("<header>", "<div>"), "no <header>"),
    (("<label for=\"q\">搜索</label>", ""), "name='q'> has no label"),
    (("<label>年份 <input name=\"year\"></label>", "<input name=\"year\">"), "name='year'> has no label"),
    ((" aria-label=\"排序\"", ""), "name='sort'> has no label"),
    ((" aria-label=\"试验区\"", ""), "navigation without a name"),
    (("alt=\"\"", ""), "without alt"),
    (("name=\"year\"", "name=\"year\" id=\"q\""), "duplicate ids"),
])
def test_the_audit_finds_each_problem(damage, problem):
    assert audit(GOOD).problems("zh-CN") == []
    found = audit(GOOD.replace(*damage)).problems("zh-CN")
    assert any(problem in line for line in found), found
