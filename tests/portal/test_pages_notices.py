"""The notices page and a project's page through HTTP on both engines with the demo data: every
zone's view in both languages, the API's own answer on the page, the notice period counted in
China's days, how to ask to join, and forged or private IDs answered 404, never a 5xx."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from ecozone.portal.i18n import TEXTS
from ecozone.portal.pages_notices import notice_period, today_in_china

from tests.portal.test_pages import ZONES, get, main_of
from tests.support.api import gid

NOTICES = """query($zone: String) { projects(first: 100, filter: {state: PUBLIC_NOTICE, zone: $zone}) {
  ... on ProjectConnection { totalCount edges { node { id titleZh titleEn noticeEndsOn
  zone { slug nameZh nameEn } } } } } }"""
PUBLIC = """{ projects(first: 100) { ... on ProjectConnection { edges { node { id state titleZh titleEn
  proposerUnit leadUnit stateNameZh stateNameEn workingGroup { unitName roleNameZh roleNameEn }
  standards { id titleZh } } } } } }"""


async def notices_of(api, zone=None) -> list[dict]:
    data = await api.gql(NOTICES, {"zone": zone})
    return [edge["node"] for edge in data["projects"]["edges"]]


@pytest.mark.parametrize("language, html_lang", [(None, "zh-CN"), ("en", "en")])
async def test_notices_and_projects_in_every_zone_and_both_languages(demo_api, language, html_lang):
    suffix = "?lang=en" if language else ""
    notices = await notices_of(demo_api)
    assert notices, "the demo has a project on public notice"
    for prefix in ("", *(f"/{zone}" for zone in ZONES)):
        paths = ["/notices"] + [f"/projects/{n['id']}" for n in notices]
        for path in paths:
            response = await get(demo_api, prefix + path + suffix)
            assert response.status_code == 200, prefix + path
            html = response.text
            assert f'<html lang="{html_lang}">' in html
            assert len(re.findall(r"<h1[ >]", html)) == 1, path
            links = re.findall(r'href="(/[^"]*)"', main_of(html))
            if prefix:
                assert all(link.startswith(prefix + "/") for link in links), (prefix, path)
            if language:
                assert all("lang=en" in link for link in links), path


async def test_each_zone_lists_its_own_notices_as_the_api_does(demo_api):
    for zone in (None, *ZONES):
        expected = await notices_of(demo_api, zone)
        html = main_of((await get(demo_api, f"/{zone}/notices" if zone else "/notices")).text)
        assert f"共 {len(expected)} 项" in html, zone
        shown = re.findall(r'href="(?:/\w+)?/projects/([^"?]+)"', html)
        assert shown == [n["id"] for n in expected], zone
        for notice in expected:
            assert notice["titleZh"] in html and notice["zone"]["nameZh"] in html
            assert f'datetime="{notice["noticeEndsOn"]}"' in html
        assert 'id="results"' in html and 'role="status"' in html
        # how to ask to join, in words: sign in first
        assert "requestToJoinProject" in html and "登录" in html


async def test_a_notice_shows_its_days_left_in_china_and_how_to_join(demo_api):
    notice = (await notices_of(demo_api))[0]
    last_day = dt.date.fromisoformat(notice["noticeEndsOn"])
    days = (last_day - today_in_china()).days + 1
    assert days >= 1, "the demo's notice is still running"
    zh = (await get(demo_api, f"/projects/{notice['id']}")).text
    en = (await get(demo_api, f"/projects/{notice['id']}?lang=en")).text
    if days > 1:
        assert f"公示至 {notice['noticeEndsOn']}（含当日），还剩 {days} 天" in zh
        assert f"{days} days left" in en
    assert TEXTS["how_to_join_text"][0] in zh and TEXTS["how_to_join_text"][1] in en
    assert notice["titleEn"] in en and notice["zone"]["nameEn"] in en


@pytest.mark.parametrize("days_after_today, zh, en", [
    (5, "还剩 6 天", "6 days left"),
    (1, "还剩 2 天", "2 days left"),
    (0, "今天是最后一天", "today is the last day"),
    (-1, "公示期已于", "ended on"),
])
def test_the_notice_period_counts_the_last_day(days_after_today, zh, en):
    class FakePage:  # only the translator is used
        def __init__(self, language):
            from ecozone.portal.i18n import Translator
            self.t = Translator(language)
    today = dt.date(2026, 12, 31)
    ends = (today + dt.timedelta(days=days_after_today)).isoformat()
    assert zh in notice_period(FakePage("zh"), ends, today)
    assert en in notice_period(FakePage("en"), ends, today)
    assert notice_period(FakePage("zh"), None, today) == ""


async def test_a_project_page_shows_its_units_working_group_and_standards(demo_api):
    projects = [e["node"] for e in (await demo_api.gql(PUBLIC))["projects"]["edges"]]
    with_standards = [p for p in projects if p["standards"]]
    assert with_standards, "the demo has a project with standards"
    for project in with_standards[:3]:
        html = main_of((await get(demo_api, f"/projects/{project['id']}")).text)
        assert project["titleZh"] in html and project["stateNameZh"] in html
        assert project["proposerUnit"] in html and project["leadUnit"] in html
        for member in project["workingGroup"]:
            assert member["unitName"] in html and member["roleNameZh"] in html
        for standard in project["standards"]:
            assert f'href="/standards/{standard["id"]}"' in html
        assert "<caption>工作组</caption>" in html
        english = main_of((await get(demo_api, f"/projects/{project['id']}?lang=en")).text)
        assert project["titleEn"] in english and project["stateNameEn"] in english


async def test_a_proposal_or_a_forged_id_is_not_a_page(demo_api):
    async def unpublished(session):
        from ecozone.projects.models import Project
        from sqlalchemy import select
        return (await session.scalars(select(Project.id).where(
            Project.state.in_(["proposed", "rejected"])))).all()
    hidden = await demo_api.operator(unpublished)
    assert hidden, "the demo has a proposal not yet approved"
    paths = [f"/projects/{gid('Project', i)}" for i in hidden]
    paths += ["/projects/UHJvamVjdDo5OTk5OTk=", "/projects/not-an-id", "/projects/" + "A" * 500,
              f"/projects/{gid('Standard', 1)}", f"/projects/{gid('User', 1)}", "/projects/%00",
              "/atlantis/notices", "/jiangxi/projects/x%27%3B--"]
    for path in paths:
        for language in ("", "?lang=en"):
            for headers in ({}, demo_api.headers(user="jx-director", zone="jiangxi")):
                response = await get(demo_api, path + language, **headers)
                assert response.status_code == 404, path
                assert ("没有找到该页面" if not language else "Page not found") in response.text


@pytest.mark.parametrize("query", [{"zone": "atlantis"}, {"zone": "jiangxi'--"}, {"after": "x" * 201}])
async def test_a_made_up_filter_is_a_400_in_both_languages(demo_api, query):
    for language, word in ((None, "不"), ("en", "not")):
        params = dict(query, **({"lang": language} if language else {}))
        response = await demo_api.client.get("/notices", params=params, headers={"Accept": "text/html"})
        assert response.status_code == 400, (query, language)
        assert 'class="error"' in response.text


async def test_a_forged_cursor_is_never_a_5xx(demo_api):
    for cursor in ("garbage", "WyJrMSIsWzk5OTldXQ", "%%%", "茶"):
        response = await demo_api.client.get("/notices", params={"after": cursor}, headers={"Accept": "text/html"})
        assert response.status_code < 500, cursor
