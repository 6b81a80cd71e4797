"""A council meeting run in the workspace by the Jiangxi secretariat, on the demo data, both
engines: called, an agenda item submitted before its deadline, attendance recorded, opened on
the quorum, a motion proposed, voted, recorded and counted, the meeting closed, the minutes
written and published — each step checked through the API. The clock the council's rules read is
set to a fixed day so the deadline arithmetic is the same whenever the test runs."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from ecozone.governance import clock

from tests.workspace.conftest import Browser, signed_in

TODAY = dt.date(2026, 6, 1)
MEETS_ON = "2026-06-30"
MEETING = """query($id: ID!) { councilMeeting(id: $id) { ... on CouncilMeeting { state lastAgendaSubmissionOn
  agendaItems { titleZh } attendance { present } motions { titleZh state tally { passed yes } }
  minutes { state discussion } } } }"""
PUBLICATIONS = """{ councilPublications(zone: "jiangxi", first: 50) { ... on CouncilPublicationConnection {
  edges { node { titleZh } } } } }"""


@pytest.fixture
def fixed_day(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def form_fields(html: str, do: str, motion: str | None = None) -> dict[str, str]:
    """The hidden fields and selects of the form posting ``do`` (for ``motion``), as a browser sends it."""
    for form in re.findall(r"<form method=\"post\".*?</form>", html, re.DOTALL):
        if f'name="do" value="{do}"' not in form or (motion and f'name="motion" value="{motion}"' not in form):
            continue
        fields = {name: html_lib.unescape(value) for name, value in
                  re.findall(r'<input(?: id="[^"]*")? (?:type="hidden" )?name="([^"]+)" value="([^"]*)"', form)}
        for name, body in re.findall(r'<select id="[^"]*" name="([^"]+)">(.*?)</select>', form, re.DOTALL):
            chosen = re.search(r'<option value="([^"]*)" selected>', body)
            fields[html_lib.unescape(name)] = chosen.group(1) if chosen else ""
        return fields
    raise AssertionError(f"no form for {do}")


async def meeting_state(demo_api, meeting_id: str) -> dict:
    return (await demo_api.gql(MEETING, {"id": meeting_id}, user="jx-secretary"))["councilMeeting"]


async def test_the_secretary_runs_a_meeting_from_calling_to_published_minutes(demo_api, fixed_day):
    async with signed_in(demo_api, "jx-secretary") as secretary:
        council = await secretary.get("/workspace/council")
        assert council.status_code == 200
        called = await secretary.post("/workspace/council", {
            "csrf": Browser.csrf(council.text), "kind": "GENERAL", "titleZh": "2026年度第二次理事大会（测试）",
            "titleEn": "Second general meeting 2026 (test)", "meetsOn": MEETS_ON, "venue": "南昌",
            "votingMode": "IN_PERSON"})
        assert called.status_code == 303
        path = called.headers["location"].split("?")[0]
        meeting_id = path.rsplit("/", 1)[1]
        page = await secretary.get(called.headers["location"])
        assert page.status_code == 200 and "会议已召集" in page.text
        deadline = (await meeting_state(demo_api, meeting_id))["lastAgendaSubmissionOn"]
        assert deadline and f'<time datetime="{deadline}">{deadline}</time>' in page.text
        csrf = Browser.csrf(page.text)

        async def step(do: str, expected: str, **fields) -> str:
            answer = await secretary.post(path, {"csrf": csrf, "do": do, **fields})
            assert answer.status_code == 303, (do, re.findall(r'role="alert"[^>]*>([^<]*)', answer.text))
            assert answer.headers["location"] == f"{path}?done={do}"
            shown = await secretary.get(answer.headers["location"])
            assert expected in shown.text
            return shown.text

        text = await step("agenda", "议题已提交", titleZh="审议2027年度工作计划", titleEn="The work plan for 2027",
                          summary="秘书处提请审议。")
        assert "审议2027年度工作计划" in text
        attendance = form_fields(text, "attendance")
        units = [key for key in attendance if key.startswith("att.")]
        assert len(units) == 20  # a page of the zone's 22 active units
        marked = {key: "present" for key in units}
        text = await step("attendance", "出席情况已登记", **marked)
        assert "已达到法定人数" in text and "出席 20/22 家" in text
        text = await step("open", "会议已开始")
        assert (await meeting_state(demo_api, meeting_id))["state"] == "IN_SESSION"
        agenda_item = re.search(r'<option value="([^"]+)">审议2027年度工作计划</option>', text).group(1)
        text = await step("motion", "议案已提出", titleZh="通过2027年度工作计划", titleEn="Adopt the 2027 work plan",
                          kind="ORDINARY", agendaItemId=agenda_item, text="")
        motion = re.search(r'name="motion" value="([^"]+)"', text).group(1)
        text = await step("start_vote", "表决已开始", motion=motion)
        votes = {key: "YES" for key in form_fields(text, "votes", motion) if key.startswith("vote.")}
        assert len(votes) == 20
        votes[next(iter(votes))] = "NO"
        text = await step("votes", "表决已登记", motion=motion, **votes)
        assert "已登记：赞成 19，反对 1，弃权 0" in text
        text = await step("count", "已计票", motion=motion)
        assert "计票结果：赞成 19，反对 1" in text
        await step("close", "会议已结束")
        await step("minutes", "纪要已保存", discussion="会议审议通过2027年度工作计划。")
    async with signed_in(demo_api, "jx-director") as director:
        page = await director.get(path)
        published = await director.post(path, {"csrf": Browser.csrf(page.text), "do": "publish"})
        assert published.status_code == 303
    state = await meeting_state(demo_api, meeting_id)
    assert state["state"] == "CLOSED" and state["agendaItems"] == [{"titleZh": "审议2027年度工作计划"}]
    assert len([a for a in state["attendance"] if a["present"]]) == 20
    assert state["motions"] == [{"titleZh": "通过2027年度工作计划", "state": "PASSED", "tally": {"passed": True, "yes": 19}}]
    assert state["minutes"] == {"state": "PUBLISHED", "discussion": "会议审议通过2027年度工作计划。"}
    titles = [e["node"]["titleZh"] for e in (await demo_api.gql(PUBLICATIONS))["councilPublications"]["edges"]]
    assert "2026年度第二次理事大会（测试）" in titles


async def called_meeting(demo_api) -> str:
    found = await demo_api.gql("""{ councilMeetings(state: CALLED, first: 10) { ... on CouncilMeetingConnection {
        edges { node { id titleZh } } } } }""", user="jx-secretary")
    return next(e["node"]["id"] for e in found["councilMeetings"]["edges"] if e["node"]["titleZh"] == "2026年度理事大会")


@pytest.mark.parametrize("language, message", [("zh", "必须填写 titleZh"), ("en", "titleZh is required")])
async def test_an_agenda_item_without_a_title_is_refused_beside_it_with_input_kept(demo_api, fixed_day, language,
                                                                                    message):
    meeting_id = await called_meeting(demo_api)
    path = f"/workspace/council/meetings/{meeting_id}" + ("?lang=en" if language == "en" else "")
    async with signed_in(demo_api, "jx-secretary") as secretary:
        page = await secretary.get(path)
        answer = await secretary.post(path, {"csrf": Browser.csrf(page.text), "do": "agenda", "titleZh": "",
                                             "titleEn": "Kept English title", "summary": "保留的说明"})
        assert answer.status_code == 400
        assert re.search(rf'<span class="error" role="alert" id="e-agenda-titleZh">{message}</span>', answer.text)
        assert 'value="Kept English title"' in answer.text and ">保留的说明</textarea>" in answer.text
    assert (await meeting_state(demo_api, meeting_id))["agendaItems"] == []


async def test_a_late_agenda_item_is_refused_naming_the_last_day(demo_api, monkeypatch):
    meeting_id = await called_meeting(demo_api)  # meets on 2026-12-15
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 14))
    async with signed_in(demo_api, "jx-secretary") as secretary:
        page = await secretary.get(f"/workspace/council/meetings/{meeting_id}")
        deadline = (await meeting_state(demo_api, meeting_id))["lastAgendaSubmissionOn"]
        assert f'<time datetime="{deadline}">{deadline}</time>' in page.text
        answer = await secretary.post(f"/workspace/council/meetings/{meeting_id}", {
            "csrf": Browser.csrf(page.text), "do": "agenda", "titleZh": "迟到的议题", "titleEn": "A late item"})
        assert answer.status_code == 409 and deadline in re.search(r'<p class="error" role="alert">([^<]*)</p>',
                                                                    answer.text).group(1)
        assert 'value="迟到的议题"' in answer.text


async def test_the_live_fragment_follows_attendance(demo_api, fixed_day):
    meeting_id = await called_meeting(demo_api)
    path = f"/workspace/council/meetings/{meeting_id}"
    async with signed_in(demo_api, "jx-secretary") as secretary:
        page = await secretary.get(path)
        assert f'data-live="{path}/live"' in page.text and "/ws_council.js" in page.text
        before = await secretary.get(path + "/live")
        assert before.status_code == 200 and "<html" not in before.text and "未达到法定人数" in before.text
        fields = form_fields(page.text, "attendance")
        first_three = {key: "present" for key in [k for k in fields if k.startswith("att.")][:3]}
        posted = await secretary.post(path, {"csrf": Browser.csrf(page.text), "do": "attendance", **first_three})
        assert posted.status_code == 303, re.findall(r'role="alert"[^>]*>([^<]*)', posted.text)
        after = await secretary.get(path + "/live?lang=en")
        assert "3 of 22 units present" in after.text and "Quorum not met" in after.text
        refused = await secretary.post(path, {"csrf": Browser.csrf(page.text), "do": "open"})
        assert refused.status_code == 409 and "未达到法定人数，会议不能开始" in refused.text
    assert (await meeting_state(demo_api, meeting_id))["state"] == "CALLED"


@pytest.mark.parametrize("do", ["agenda", "attendance", "open", "close", "cancel", "motion", "start_vote",
                                "votes", "count", "minutes", "publish"])
async def test_every_meeting_form_refuses_a_missing_or_forged_csrf_token(demo_api, do):
    meeting_id = await called_meeting(demo_api)
    before = await meeting_state(demo_api, meeting_id)
    async with signed_in(demo_api, "jx-secretary") as secretary:
        for csrf in ("", "z" * 43, None):
            form = {"do": do, "titleZh": "伪造", "titleEn": "Forged", "kind": "ORDINARY", "discussion": "伪造"}
            if csrf is not None:
                form["csrf"] = csrf
            answer = await secretary.post(f"/workspace/council/meetings/{meeting_id}", form)
            assert answer.status_code == 403
        page = await secretary.get("/workspace/council")
        for csrf in ("", "z" * 43):
            answer = await secretary.post("/workspace/council", {"csrf": csrf, "kind": "GENERAL", "titleZh": "伪造",
                                                                  "titleEn": "Forged", "meetsOn": "2027-01-05",
                                                                  "votingMode": "IN_PERSON"})
            assert answer.status_code == 403
        assert "伪造" not in page.text
    assert await meeting_state(demo_api, meeting_id) == before


@pytest.mark.parametrize("forged", ["Q291bmNpbE1lZXRpbmc6OTk5OTk5", "nonsense", "U3RhbmRhcmQ6MQ=="])
async def test_a_made_up_meeting_or_motion_answers_404(demo_api, forged):
    meeting_id = await called_meeting(demo_api)
    async with signed_in(demo_api, "jx-secretary") as secretary:
        assert (await secretary.get(f"/workspace/council/meetings/{forged}")).status_code == 404
        assert (await secretary.get(f"/workspace/council/meetings/{forged}/live")).status_code == 404
        page = await secretary.get(f"/workspace/council/meetings/{meeting_id}")
        for do, extra in (("open", {}), ("minutes", {"discussion": "x"})):
            answer = await secretary.post(f"/workspace/council/meetings/{forged}",
                                          {"csrf": Browser.csrf(page.text), "do": do, **extra})
            assert answer.status_code == 404
        for do in ("start_vote", "count", "votes"):
            answer = await secretary.post(f"/workspace/council/meetings/{meeting_id}",
                                          {"csrf": Browser.csrf(page.text), "do": do, "motion": forged})
            assert answer.status_code == 404, do


async def test_another_zones_secretary_cannot_see_or_run_the_meeting(demo_api):
    meeting_id = await called_meeting(demo_api)
    async with signed_in(demo_api, "gz-secretary") as stranger:
        assert (await stranger.get(f"/workspace/council/meetings/{meeting_id}")).status_code == 404
        home = await stranger.get("/workspace/council")
        answer = await stranger.post(f"/workspace/council/meetings/{meeting_id}",
                                     {"csrf": Browser.csrf(home.text), "do": "cancel"})
        assert answer.status_code == 404
    assert (await meeting_state(demo_api, meeting_id))["state"] == "CALLED"


async def test_a_member_reads_the_meeting_and_sees_the_apis_refusal_when_running_it(demo_api):
    meeting_id = await called_meeting(demo_api)
    async with signed_in(demo_api, "jx-member2") as member:
        page = await member.get(f"/workspace/council/meetings/{meeting_id}?lang=en")
        assert page.status_code == 200 and 'value="open"' not in page.text
        answer = await member.post(f"/workspace/council/meetings/{meeting_id}?lang=en",
                                   {"csrf": Browser.csrf(page.text), "do": "cancel"})
        assert answer.status_code == 403 and "not allowed" in answer.text and 'role="alert"' in answer.text
    assert (await meeting_state(demo_api, meeting_id))["state"] == "CALLED"
