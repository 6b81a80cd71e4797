"""An online council vote in the workspace, on the demo data, both engines: the secretariat calls
an online meeting, only the sitting chair's approval lets it vote (章程 第二十二条: another
member's click is the API's refusal, shown on the page), and a unit's representative casts the
unit's own vote, which the API then holds."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from ecozone.governance import clock

from tests.workspace.conftest import Browser, signed_in
from tests.workspace.test_council_meeting import form_fields

MOTION = """query($id: ID!) { councilMeeting(id: $id) { ... on CouncilMeeting { votingModeApproved
  motions { id state votes { memberUnitNameZh choice } } } } }"""


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 6, 1))


async def test_an_online_vote_needs_the_chair_and_representatives_cast_their_units_vote(demo_api):
    async with signed_in(demo_api, "jx-secretary") as secretary:
        council = await secretary.get("/workspace/council")
        called = await secretary.post("/workspace/council", {
            "csrf": Browser.csrf(council.text), "kind": "GENERAL", "titleZh": "线上表决会议（测试）",
            "titleEn": "Online vote (test)", "meetsOn": "2026-06-23", "votingMode": "ONLINE"})
        assert called.status_code == 303
        path = called.headers["location"].split("?")[0]
        meeting_id = path.rsplit("/", 1)[1]
    async with signed_in(demo_api, "jx-member2") as member:  # a vice-chair's unit: not the chair
        page = await member.get(path + "?lang=en")
        assert "awaiting the chair" in page.text
        refused = await member.post(path + "?lang=en", {"csrf": Browser.csrf(page.text), "do": "approve_mode"})
        assert refused.status_code == 403 and "only the sitting chair" in refused.text and 'role="alert"' in refused.text
    assert (await demo_api.gql(MOTION, {"id": meeting_id}, user="jx-secretary"))["councilMeeting"]["votingModeApproved"] is False
    async with signed_in(demo_api, "jx-member1") as chair:
        page = await chair.get(path)
        approved = await chair.post(path, {"csrf": Browser.csrf(page.text), "do": "approve_mode"})
        assert approved.status_code == 303 and "理事长已批准" in (await chair.get(approved.headers["location"])).text
    async with signed_in(demo_api, "jx-secretary") as secretary:
        page = await secretary.get(path)
        csrf = Browser.csrf(page.text)
        present = {key: "present" for key in form_fields(page.text, "attendance") if key.startswith("att.")}
        for do, fields in (("attendance", present), ("open", {}),
                           ("motion", {"titleZh": "线上表决议案", "titleEn": "An online motion", "kind": "ORDINARY"})):
            assert (await secretary.post(path, {"csrf": csrf, "do": do, **fields})).status_code == 303, do
        page = await secretary.get(path)
        motion = re.search(r'name="motion" value="([^"]+)"', page.text).group(1)
        assert (await secretary.post(path, {"csrf": csrf, "do": "start_vote", "motion": motion})).status_code == 303
    async with signed_in(demo_api, "jx-member2") as representative:
        page = await representative.get(path)
        made_up = await representative.post(path, {"csrf": Browser.csrf(page.text), "do": "cast", "motion": motion,
                                                   "choice": "MAYBE"})
        assert made_up.status_code == 400 and "不是可选的值" in made_up.text
        cast = await representative.post(path, {"csrf": Browser.csrf(page.text), "do": "cast", "motion": motion,
                                                "choice": "NO"})
        assert cast.status_code == 303 and "已投票" in (await representative.get(cast.headers["location"])).text
        forged = await representative.post(path, {"csrf": "", "do": "cast", "motion": motion, "choice": "YES"})
        assert forged.status_code == 403
    votes = (await demo_api.gql(MOTION, {"id": meeting_id}, user="jx-secretary"))["councilMeeting"]["motions"][0]["votes"]
    assert votes == [{"memberUnitNameZh": "赣北某富硒农业公司", "choice": "NO"}]
