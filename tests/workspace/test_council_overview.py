"""The council's page in the workspace, on the demo data, both engines: Jiangxi's member units,
officers and meetings, each list paginated; the secretariat's form calling a meeting with its
refusals beside the fields in zh and en and nothing typed lost; someone outside the council
gets the API's refusal, not a 500."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.workspace.conftest import Browser, signed_in

MEETINGS = """{ councilMeetings(first: 50) { ... on CouncilMeetingConnection { totalCount } } }"""


async def meeting_count(demo_api) -> int:
    return (await demo_api.gql(MEETINGS, user="jx-secretary"))["councilMeetings"]["totalCount"]


async def test_the_council_shows_units_officers_and_meetings_a_page_at_a_time(demo_api):
    async with signed_in(demo_api, "jx-director") as director:
        page = await director.get("/workspace/council")
        assert page.status_code == 200 and 'href="/workspace/council"' in page.text
        assert "2026年度理事大会" in page.text and "江西某绿色生态标准化研究中心" in page.text
        assert "共 22 条" in page.text  # the 21 founders and the unit admitted in 2025
        assert '<h2 id="call">' not in page.text  # calling meetings is the secretariat's
        units_next = html_lib.unescape(re.search(r'<a rel="next" href="(/workspace/council\?units=[^"]+)"',
                                                 page.text).group(1))
        second = await director.get(units_next)
        def unit_names(html: str) -> set[str]:
            units = html.split('<h2 id="units">')[1].split('<h2 id="officers">')[0]
            return set(re.findall(r'<tr><th scope="row"><a href="/workspace/council/units/[^"]+">([^<]+)</a></th><td>', units))
        first_names, second_names = unit_names(page.text), unit_names(second.text)
        assert len(first_names) == 20 and len(second_names) == 2 and not first_names & second_names
        english = await director.get("/workspace/council?lang=en")
        assert "General meeting 2026" in english.text and "Jiangxi Green Ecology Standardisation" in english.text


@pytest.mark.parametrize("language, date_message, past_message", [
    ("zh", "请填写日期（年-月-日）", "已过"), ("en", "give a date (YYYY-MM-DD)", "has passed")])
async def test_calling_a_meeting_refuses_beside_the_field_and_keeps_the_input(demo_api, language, date_message,
                                                                              past_message):
    suffix = "?lang=en" if language == "en" else ""
    before = await meeting_count(demo_api)
    async with signed_in(demo_api, "jx-secretary") as secretary:
        page = await secretary.get("/workspace/council" + suffix)
        form = {"csrf": Browser.csrf(page.text), "kind": "GENERAL", "titleZh": "保留的标题", "titleEn": "Kept title",
                "meetsOn": "next tuesday", "venue": "九江", "votingMode": "IN_PERSON"}
        answer = await secretary.post("/workspace/council" + suffix, form)
        assert answer.status_code == 400
        assert f'<span class="error" role="alert" id="e-call-meetsOn">{date_message}</span>' in answer.text
        assert 'value="保留的标题"' in answer.text and 'value="九江"' in answer.text
        answer = await secretary.post("/workspace/council" + suffix, dict(form, meetsOn="2020-01-07"))
        assert answer.status_code == 400
        beside = re.search(r'<span class="error" role="alert" id="e-call-meetsOn">([^<]+)</span>', answer.text)
        assert beside and past_message in beside.group(1) and 'value="2020-01-07"' in answer.text
        made_up = await secretary.post("/workspace/council" + suffix, dict(form, kind="SECRET", meetsOn="2099-01-06"))
        assert made_up.status_code == 400 and 'id="e-call-kind"' in made_up.text
    assert await meeting_count(demo_api) == before


async def test_someone_outside_the_council_gets_the_apis_refusal(demo_api):
    async with signed_in(demo_api, "jx-expert01") as expert:
        page = await expert.get("/workspace/council?lang=en")
        assert page.status_code == 403 and "not allowed" in page.text and 'role="alert"' in page.text
        refused = await expert.post("/workspace/council", {"csrf": Browser.csrf(page.text), "kind": "GENERAL",
                                                           "titleZh": "越权", "titleEn": "Not mine",
                                                           "meetsOn": "2099-01-06", "votingMode": "IN_PERSON"})
        assert refused.status_code == 403


async def test_a_bad_cursor_is_the_apis_to_refuse_never_a_500(demo_api):
    async with signed_in(demo_api, "jx-secretary") as secretary:
        for param in ("units", "officers", "meetings"):
            answer = await secretary.get(f"/workspace/council?{param}=not-a-cursor")
            assert answer.status_code in (200, 400), param
