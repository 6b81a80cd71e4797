"""A council officer's page in the workspace (issue 16), on the demo data, both engines: the
secretariat records the early end of an office by the passed motion that decided it (章程 第七条),
the office (a director here) records the yearly evaluation (第二十五条); each the API's mutation,
read back through the API; refusals beside their field in zh and en with the input kept; a missing
or forged token, a made-up, foreign or mistyped ID (404); a member's forged POST (403)."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.workspace.conftest import Browser

OFFICERS = """{ councilOfficers(state: null, first: 100) { ... on CouncilOfficerConnection {
  edges { node { id personName office termStatus { state } endedOn memberUnit { id nameZh } } } } } }"""
EVALUATIONS = """{ councilOfficerEvaluations(first: 100) { ... on CouncilOfficerEvaluationConnection {
  edges { node { year outcome summary officer { id } } } } } }"""
MOTIONS = """{ councilMeetings(first: 10) { ... on CouncilMeetingConnection {
  edges { node { motions { id titleZh state } } } } } }"""


async def officers(demo_api) -> list[dict]:
    return [e["node"] for e in (await demo_api.gql(OFFICERS, user="jx-secretary"))["councilOfficers"]["edges"]]


async def officer(demo_api, office: str, index: int = 0) -> dict:
    return [o for o in await officers(demo_api) if o["office"] == office][index]


async def passed_motion(demo_api) -> str:
    meetings = (await demo_api.gql(MOTIONS, user="jx-secretary"))["councilMeetings"]["edges"]
    return next(m["id"] for e in meetings for m in e["node"]["motions"]
                if m["state"] == "PASSED" and "发展规划" in m["titleZh"])


def path_of(officer_id: str) -> str:
    return f"/workspace/council/officers/{officer_id}"


def beside(html: str, form: str, field: str) -> str | None:
    found = re.search(rf'<span class="error" role="alert" id="e-{form}-{field}">([^<]+)</span>', html)
    return html_lib.unescape(found.group(1)) if found else None


@pytest.mark.parametrize("language, index, no_reason", [("zh", 0, "请说明卸任原因"), ("en", 1, "say why the office ends")])
async def test_the_secretariat_records_the_end_of_an_office(demo_api, sign_in, language, index, no_reason):
    suffix = "?lang=en" if language == "en" else ""
    standing = await officer(demo_api, "STANDING_DIRECTOR", index)
    path = path_of(standing["id"])
    motion = await passed_motion(demo_api)
    secretary = await sign_in("jx-secretary")
    page = await secretary.get(path + suffix)
    assert page.status_code == 200 and standing["personName"] in page.text and 'name="do" value="end"' in page.text
    assert f'href="/workspace/council/units/{standing["memberUnit"]["id"]}' in page.text
    form = {"csrf": Browser.csrf(page.text), "do": "end", "endedOn": "2026-11-30", "reason": "", "motionId": motion}
    refused = await secretary.post(path + suffix, form)
    assert refused.status_code == 400 and no_reason in (beside(refused.text, "end", "reason") or "")
    assert 'value="2026-11-30"' in refused.text and f'<option value="{motion}" selected>' in refused.text
    future = await secretary.post(path + suffix, dict(form, reason="工作调动", endedOn="2099-01-01"))
    assert future.status_code == 400 and beside(future.text, "end", "endedOn") and "工作调动</textarea>" in future.text
    for forged in ("", "x" * 43):
        assert (await secretary.post(path, dict(form, csrf=forged, reason="伪造"))).status_code == 403
    forged_motion = await secretary.post(path + suffix, dict(form, reason="工作调动", motionId="Q291bmNpbE1vdGlvbjo5OTk5"))
    assert forged_motion.status_code == 404
    assert (await officer(demo_api, "STANDING_DIRECTOR", index))["termStatus"]["state"] != "ENDED"
    ended = await secretary.post(path + suffix, dict(form, reason="工作调动"))
    assert ended.status_code == 303 and ended.headers["location"].startswith(path + "?done=end")
    shown = await secretary.get(ended.headers["location"])
    assert ("离任已登记" if language == "zh" else "The end of office is recorded") in shown.text
    assert 'name="do" value="end"' not in shown.text  # an ended office is not ended twice
    after = next(o for o in await officers(demo_api) if o["id"] == standing["id"])
    assert after["termStatus"]["state"] == "ENDED" and after["endedOn"] == "2026-11-30"


@pytest.mark.parametrize("language, future, twice", [("zh", "尚未开始", "年度已考评"), ("en", "has not begun", "is already evaluated")])
async def test_the_director_records_an_officers_yearly_evaluation(demo_api, sign_in, language, future, twice):
    suffix = "?lang=en" if language == "en" else ""
    chair = await officer(demo_api, "CHAIR")
    vice = await officer(demo_api, "VICE_CHAIR", 0 if language == "zh" else 1)
    director = await sign_in("jx-director")
    page = await director.get(path_of(vice["id"]) + suffix)
    assert 'name="do" value="evaluate"' in page.text and 'name="do" value="end"' not in page.text  # ending: the secretariat's
    form = {"csrf": Browser.csrf(page.text), "do": "evaluate", "year": "2099", "outcome": "COMPETENT",
            "summary": "保留的考评意见", "evaluatedOn": "2026-12-01"}
    refused = await director.post(path_of(vice["id"]) + suffix, form)
    assert refused.status_code == 400 and future in (beside(refused.text, "evaluate", "year") or "")
    assert "保留的考评意见</textarea>" in refused.text and '<option value="COMPETENT" selected>' in refused.text
    made_up = await director.post(path_of(vice["id"]) + suffix, dict(form, year="2025", outcome="HEROIC"))
    assert made_up.status_code == 400 and beside(made_up.text, "evaluate", "outcome")
    again = await director.post(path_of(chair["id"]) + suffix, dict(form, year="2025"))  # the demo evaluated 2025
    assert again.status_code == 409 and twice in again.text and 'role="alert"' in again.text
    assert "保留的考评意见</textarea>" in again.text
    done = await director.post(path_of(vice["id"]) + suffix, dict(form, year="2025"))
    assert done.status_code == 303 and "done=evaluate" in done.headers["location"]
    evaluations = (await demo_api.gql(EVALUATIONS, user="jx-director"))["councilOfficerEvaluations"]["edges"]
    assert any(e["node"]["officer"]["id"] == vice["id"] and e["node"]["year"] == 2025
               and e["node"]["outcome"] == "COMPETENT" for e in evaluations)


async def test_a_made_up_foreign_or_mistyped_officer_is_a_404(demo_api, sign_in):
    unit_id = (await officer(demo_api, "CHAIR"))["memberUnit"]["id"]
    secretary = await sign_in("jx-secretary")
    for made_up in ("not-an-id", "Q291bmNpbE9mZmljZXI6OTk5OTk=", unit_id):
        answer = await secretary.get(path_of(made_up) + "?lang=en")
        assert answer.status_code == 404 and "No such council officer" in answer.text, made_up
    chair = (await officer(demo_api, "CHAIR"))["id"]
    elsewhere = await sign_in("gz-secretary")
    assert (await elsewhere.get(path_of(chair))).status_code == 404
    page = await elsewhere.get("/workspace/")
    posted = await elsewhere.post(path_of(chair), {"csrf": Browser.csrf(page.text), "do": "end", "endedOn": "2026-11-30",
                                                   "reason": "外区", "motionId": await passed_motion(demo_api)})
    assert posted.status_code == 404
    assert (await officer(demo_api, "CHAIR"))["termStatus"]["state"] != "ENDED"


async def test_a_member_sees_the_officer_without_forms_and_a_forged_post_is_refused(demo_api, sign_in):
    chair = await officer(demo_api, "CHAIR")
    member = await sign_in("jx-member2")
    page = await member.get(path_of(chair["id"]) + "?lang=en")
    assert page.status_code == 200 and chair["personName"] in page.text
    assert 'name="do"' not in page.text.split("</nav>")[1]
    for do, fields in (("end", {"endedOn": "2026-11-30", "reason": "越权", "motionId": await passed_motion(demo_api)}),
                       ("evaluate", {"year": "2026", "outcome": "NOT_COMPETENT", "summary": "越权",
                                     "evaluatedOn": "2026-12-01"})):
        forged = await member.post(path_of(chair["id"]) + "?lang=en",
                                   {"csrf": Browser.csrf(page.text), "do": do, **fields})
        assert forged.status_code == 403 and "not allowed" in forged.text and 'role="alert"' in forged.text, do
    assert (await officer(demo_api, "CHAIR"))["termStatus"]["state"] != "ENDED"
