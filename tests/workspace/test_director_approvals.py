"""The director's joint-approval queue in the workspace, on the demo data, both engines: the
Guizhou director signs the kiwifruit standard with one button (the API then shows Guizhou signed),
a refusal needs its reason (shown beside the field in zh and en, what was typed kept), a forged
CSRF token changes nothing, and a director cannot act where they hold no role — neither by the
acting-zone switch nor by posting another zone's standard."""

from __future__ import annotations

import re

import pytest

from tests.workspace.conftest import Browser, signed_in

STANDARD = """query($id: ID!) { standard(id: $id) { ... on Standard { id titleZh stage { state }
  zones { decision reason zone { slug } } } } }"""
KIWIFRUIT = "猕猴桃冷链物流操作规范"


async def kiwifruit_id(demo_api) -> str:
    found = await demo_api.gql("""query { standards(filter: {state: APPROVAL, text: "猕猴桃"}, first: 5) {
        ... on StandardConnection { edges { node { id titleZh } } } } }""", user="jx-director")
    return next(e["node"]["id"] for e in found["standards"]["edges"] if e["node"]["titleZh"] == KIWIFRUIT)


async def decisions(demo_api, standard_id: str, user: str = "jx-director") -> dict[str, str]:
    standard = (await demo_api.gql(STANDARD, {"id": standard_id}, user=user))["standard"]
    return {z["zone"]["slug"]: z["decision"] for z in standard["zones"]}


def row_of(html: str, title: str) -> str:
    """The table row of the standard titled ``title``."""
    return next(row for row in re.findall(r"<tr>.*?</tr>", html, re.DOTALL) if title in row)


async def test_the_guizhou_director_signs_the_joint_standard_with_one_button(demo_api):
    standard_id = await kiwifruit_id(demo_api)
    assert (await decisions(demo_api, standard_id))["guizhou"] == "PENDING"
    async with signed_in(demo_api, "gz-director") as director:
        queue = await director.get("/workspace/approvals")
        assert queue.status_code == 200 and 'href="/workspace/approvals"' in queue.text  # in the navigation
        row = row_of(queue.text, KIWIFRUIT)
        assert row.count('<button type="submit">签署</button>') == 1 and standard_id in row
        signed = await director.post("/workspace/approvals", {"csrf": Browser.csrf(queue.text), "do": "sign",
                                                              "standard": standard_id})
        assert signed.status_code == 303 and signed.headers["location"] == "/workspace/approvals?done=signed"
        assert (await decisions(demo_api, standard_id))["guizhou"] == "SIGNED"
        after = await director.get(signed.headers["location"])
        assert "已签署。" in after.text and "签署</button>" not in row_of(after.text, KIWIFRUIT)
        # signing twice: the API's Conflict, in the row, never a 500
        again = await director.post("/workspace/approvals?lang=en", {"csrf": Browser.csrf(queue.text),
                                                                      "do": "sign", "standard": standard_id})
        assert again.status_code == 409 and "already decided" in again.text and 'role="alert"' in again.text


async def test_the_queue_shows_times_in_beijing_time_with_their_offset(demo_api):
    async with signed_in(demo_api, "fj-director") as director:
        queue = await director.get("/workspace/approvals?lang=en")
        assert queue.status_code == 200 and 'lang="en"' in queue.text
        row = row_of(queue.text, "Kiwifruit cold-chain logistics")
        assert re.search(r"<time datetime=\"[^\"]+\">\d{4}-\d\d-\d\d \d\d:\d\d \+08:00</time>", row)


@pytest.mark.parametrize("language, message", [("zh", "请说明拒绝理由"), ("en", "say why the zone refuses")])
async def test_a_refusal_without_a_reason_is_refused_beside_the_reason(demo_api, language, message):
    standard_id = await kiwifruit_id(demo_api)
    suffix = "?lang=en" if language == "en" else ""
    async with signed_in(demo_api, "fj-director") as director:
        queue = await director.get("/workspace/approvals" + suffix)
        answer = await director.post("/workspace/approvals" + suffix, {
            "csrf": Browser.csrf(queue.text), "do": "refuse", "standard": standard_id, "reason": "   "})
        assert answer.status_code == 400
        row = row_of(answer.text, KIWIFRUIT if language == "zh" else "Kiwifruit cold-chain logistics")
        assert re.search(r'<textarea id="reason-\d+" name="reason" rows="2" aria-invalid="true" '
                         r'aria-describedby="e-reason-\d+">   </textarea>', row)
        assert re.search(rf'<p class="error" role="alert" id="e-reason-\d+">{message}</p>', row)
    assert (await decisions(demo_api, standard_id))["fujian"] == "PENDING"


async def test_every_approval_form_refuses_a_missing_or_forged_csrf_token(demo_api):
    standard_id = await kiwifruit_id(demo_api)
    async with signed_in(demo_api, "fj-director") as director:
        for do in ("sign", "refuse"):
            for csrf in ("", "x" * 43, None):
                form = {"do": do, "standard": standard_id, "reason": "不符合本区要求"}
                if csrf is not None:
                    form["csrf"] = csrf
                assert (await director.post("/workspace/approvals", form)).status_code == 403
    assert (await decisions(demo_api, standard_id))["fujian"] == "PENDING"


async def test_a_director_cannot_act_in_a_zone_where_they_hold_no_role(demo_api):
    standard_id = await kiwifruit_id(demo_api)
    async with signed_in(demo_api, "hn-director") as director:
        home = await director.get("/workspace/approvals")
        assert KIWIFRUIT not in home.text  # Hainan takes no part in it
        switched = await director.post("/workspace/zone", {"csrf": Browser.csrf(home.text), "zone": "jiangxi"})
        assert switched.status_code == 403 and "没有角色" in switched.text
        forged = await director.post("/workspace/approvals?lang=en", {"csrf": Browser.csrf(home.text), "do": "sign",
                                                                      "standard": standard_id})
        assert forged.status_code == 404 and "not found" in forged.text  # the API's own NotFound
        refused = await director.post("/workspace/approvals", {"csrf": Browser.csrf(home.text), "do": "refuse",
                                                               "standard": standard_id, "reason": "伪造"})
        assert refused.status_code == 404
    assert set((await decisions(demo_api, standard_id)).values()) <= {"SIGNED", "PENDING"}
    assert "hainan" not in await decisions(demo_api, standard_id)


@pytest.mark.parametrize("forged", ["U3RhbmRhcmQ6OTk5OTk5", "not-an-id", "", "Q291bmNpbE1lZXRpbmc6MQ=="])
async def test_a_made_up_standard_id_answers_404_never_500(demo_api, forged):
    async with signed_in(demo_api, "fj-director") as director:
        queue = await director.get("/workspace/approvals")
        answer = await director.post("/workspace/approvals", {"csrf": Browser.csrf(queue.text), "do": "sign",
                                                              "standard": forged})
        assert answer.status_code == 404


async def test_a_member_sees_the_apis_refusal_not_a_500(demo_api):
    standard_id = await kiwifruit_id(demo_api)
    async with signed_in(demo_api, "fj-member1") as member:
        home = await member.get("/workspace/approvals")
        assert home.status_code == 200 and 'href="/workspace/approvals"' not in home.text.split("<main")[0]
        answer = await member.post("/workspace/approvals", {"csrf": Browser.csrf(home.text), "do": "sign",
                                                            "standard": standard_id})
        assert answer.status_code in (403, 404) and 'role="alert"' in answer.text
    assert (await decisions(demo_api, standard_id))["fujian"] == "PENDING"


async def test_the_fujian_director_refuses_with_a_reason_and_the_standard_goes_back_to_drafting(demo_api):
    standard_id = await kiwifruit_id(demo_api)
    async with signed_in(demo_api, "fj-director") as director:
        queue = await director.get("/workspace/approvals")
        answer = await director.post("/workspace/approvals", {"csrf": Browser.csrf(queue.text), "do": "refuse",
                                                              "standard": standard_id, "reason": "冷链温度指标需与本省规定一致"})
        assert answer.status_code == 303 and answer.headers["location"] == "/workspace/approvals?done=refused"
        shown = await director.get(answer.headers["location"])
        assert "已拒绝" in shown.text and KIWIFRUIT not in shown.text  # no longer awaiting approval
    standard = (await demo_api.gql(STANDARD, {"id": standard_id}, user="jx-director"))["standard"]
    assert standard["stage"]["state"] == "DRAFTING"
