"""One project's page, through HTTP on the demo data, both engines: the working group (add,
remove), requests to join (ask, accept, decline), the adjustment request, the closure report and
the drafts of the project's standard — each through the API's mutation, its effect read back
from the API; refusals beside their fields in both languages with the input kept; every form
refusing a missing token; made-up and foreign IDs answering 404; a form posted by someone the
API does not allow answered with the API's refusal, never a 500."""

from __future__ import annotations

import pytest

from tests.workspace.conftest import signed_in
from tests.workspace.test_member_common import (
    alerted,
    alerts,
    beside,
    forms,
    project_id,
)

EXCHANGE = "闽赣标准化技术交流会"  # Fujian, on public notice: fj-member1 proposed it
FISH = "大宗淡水鱼养殖尾水处理技术规范研制"  # Fujian, its standard in drafting: fj-member2 drafts
TEA = "富硒茶叶生产技术规程研制"  # Jiangxi, in progress: jx-member1 proposed it
KIWI = "猕猴桃冷链物流操作规范研制"  # Jiangxi, in progress
CITRUS = "柑橘全产业链追溯数据采集规范研制"  # Jiangxi, in progress (left so: the token tests use it)
SNAPSHOT = """query($id: ID!) { project(id: $id) { ... on Project { state closureReport
  workingGroup { id unitName role user { id } }
  joinRequests { id status unitName note user { id } }
  standards { id versions { number text changeNote } } } } }"""
ME = "{ viewer { user { id } } }"
FORGED_DRAFT = """mutation($id: ID!) { addDraftVersion(input: {standardId: $id, text: "冒名草案", changeNote: "forged"}) {
  ... on Failure { code message messageZh } } }"""
EMPTY_NOTE = """mutation($id: ID!) { addDraftVersion(input: {standardId: $id, text: "t", changeNote: ""}) {
  ... on ValidationFailed { fieldErrors { field message messageZh } } } }"""


async def snapshot(demo_api, pid: str, user: str) -> dict:
    return (await demo_api.gql(SNAPSHOT, {"id": pid}, user=user))["project"]


async def user_id(demo_api, username: str) -> str:
    return (await demo_api.gql(ME, user=username))["viewer"]["user"]["id"]


def the_form(html: str, form_id: str | None = None, **fields: str) -> dict:
    found = [f for f in forms(html) if (form_id is None or f["id"] == form_id)
             and all(f["fields"].get(k) == v for k, v in fields.items())]
    assert len(found) == 1, (form_id, fields, [(f["id"], f["fields"]) for f in forms(html)])
    return dict(found[0]["fields"])


async def test_asking_to_join_then_the_proposer_accepts_and_declines(demo_api):
    pid = await project_id(demo_api, EXCHANGE)
    path = f"/workspace/projects/{pid}"
    for username, unit in (("jx-member1", "江西某检测中心"), ("gz-member1", "贵州某研究所")):
        async with signed_in(demo_api, username) as browser:
            page = await browser.get(path)
            assert page.status_code == 200
            assert not [f for f in forms(page.text) if f["id"] == "add-member-form"]  # not theirs to manage
            form = the_form(page.text, "request-join-form")
            form.update(unitName=unit, note="希望参与交流会筹备")
            done = await browser.post(path, form)
            assert done.status_code == 303 and done.headers["location"] == path + "?done=request_join"
            assert "已提交加入申请" in (await browser.get(done.headers["location"])).text
    requests = {r["unitName"]: r for r in (await snapshot(demo_api, pid, "fj-member1"))["joinRequests"]}
    assert requests["江西某检测中心"]["status"] == "PENDING" and requests["江西某检测中心"]["note"] == "希望参与交流会筹备"
    jx, gz = requests["江西某检测中心"], requests["贵州某研究所"]
    async with signed_in(demo_api, "fj-member1") as proposer:
        page = await proposer.get(path)
        accept = the_form(page.text, request=jx["id"])
        assert (await proposer.post(path, {**accept, "action": "accept_join"})).status_code == 303
        decline = the_form((await proposer.get(path)).text, request=gz["id"])
        answer = await proposer.post(path, {**decline, "action": "decline_join", "reason": "名额已满"})
        assert answer.status_code == 303
    after = await snapshot(demo_api, pid, "fj-member1")
    statuses = {r["unitName"]: r["status"] for r in after["joinRequests"]}
    assert statuses == {"江西某检测中心": "ACCEPTED", "贵州某研究所": "DECLINED"}
    assert await user_id(demo_api, "jx-member1") in {(m["user"] or {}).get("id") for m in after["workingGroup"]}
    # now in the group: no form offered; posted anyway, the API's Conflict is shown above the page
    async with signed_in(demo_api, "jx-member1") as browser:
        page = await browser.get(path)
        assert not [f for f in forms(page.text) if f["id"] == "request-join-form"]
        again = await browser.post(path, {"csrf": _csrf(page.text), "action": "request_join",
                                          "unitName": "江西某检测中心"})
    assert again.status_code == 409 and alerted(again.text, "您已是该项目工作组成员")


def _csrf(html: str) -> str:
    from tests.workspace.conftest import Browser
    return Browser.csrf(html)


@pytest.mark.parametrize("lang, message", [("", "单位名称不能为空"), ("?lang=en", "the unit name is required")])
async def test_a_request_to_join_refused_beside_its_field(demo_api, lang, message):
    pid = await project_id(demo_api, EXCHANGE)
    async with signed_in(demo_api, "hn-member1") as browser:
        form = the_form((await browser.get(f"/workspace/projects/{pid}{lang}")).text, "request-join-form")
        form.update(unitName="  ", note="留言原样保留")
        refused = await browser.post(f"/workspace/projects/{pid}{lang}", form)
    assert refused.status_code == 400
    assert message in beside(refused.text, "request_join-unitName").lower()
    assert the_form(refused.text, "request-join-form")["note"] == "留言原样保留"


async def test_the_proposer_adds_and_removes_a_unit_and_a_person_needs_an_account(demo_api):
    pid = await project_id(demo_api, EXCHANGE)
    path = f"/workspace/projects/{pid}"
    async with signed_in(demo_api, "fj-member1") as browser:
        form = the_form((await browser.get(path)).text, "add-member-form")
        assert form["role"] == "PARTICIPATING_UNIT" and form["userId"] == ""  # the usual addition
        form.update(role="PARTICIPATING_UNIT", unitName="闽赣测试参与单位")
        assert (await browser.post(path, form)).status_code == 303
        rows = [m for m in (await snapshot(demo_api, pid, "fj-member1"))["workingGroup"]
                if m["unitName"] == "闽赣测试参与单位"]
        assert [m["role"] for m in rows] == ["PARTICIPATING_UNIT"]
        page = await browser.get(path)
        removal = the_form(page.text, member=rows[0]["id"])
        assert (await browser.post(path, removal)).status_code == 303
        assert "闽赣测试参与单位" not in {m["unitName"] for m in (await snapshot(demo_api, pid, "fj-member1"))["workingGroup"]}
        for lang, message in (("", "请指定该人员的用户账户"), ("?lang=en", "name the person's user account")):
            form = the_form((await browser.get(path + lang)).text, "add-member-form")
            form.update(role="DRAFTER", unitName="福建某起草单位", userId="")
            refused = await browser.post(path + lang, form)
            assert refused.status_code == 400 and message in beside(refused.text, "add-member-userId")
            kept = the_form(refused.text, "add-member-form")
            assert kept["unitName"] == "福建某起草单位" and kept["role"] == "DRAFTER"
        # a made-up role is named, not sent; a forged member ID is the API's NotFound: 404
        refused = await browser.post(path, {**form, "role": "KING"})
        assert refused.status_code == 400 and "不是可选的值" in beside(refused.text, "add-member-role")
        forged = await browser.post(path, {**removal, "member": "V29ya2luZ0dyb3VwTWVtYmVyOjk5OTk5"})
        assert forged.status_code == 404 and alerts(forged.text)
        lead = next(m for m in (await snapshot(demo_api, pid, "fj-member1"))["workingGroup"] if m["role"] == "LEAD_UNIT")
        kept_lead = await browser.post(path, {**removal, "member": lead["id"]})  # offered nowhere; the API refuses
        assert kept_lead.status_code in (403, 409) and alerts(kept_lead.text)
    assert lead["id"] in {m["id"] for m in (await snapshot(demo_api, pid, "fj-member1"))["workingGroup"]}


async def test_someone_else_managing_the_working_group_sees_the_apis_refusal(demo_api):
    pid = await project_id(demo_api, EXCHANGE)
    before = await snapshot(demo_api, pid, "fj-member1")
    async with signed_in(demo_api, "gz-member2") as browser:
        page = await browser.get(f"/workspace/projects/{pid}?lang=en")
        answer = await browser.post(f"/workspace/projects/{pid}?lang=en", {
            "csrf": _csrf(page.text), "action": "add_member", "role": "PARTICIPATING_UNIT", "unitName": "冒名单位"})
    assert answer.status_code == 403 and any("proposer" in a or "secretary" in a for a in alerts(answer.text))
    assert (await snapshot(demo_api, pid, "fj-member1"))["workingGroup"] == before["workingGroup"]


async def test_the_proposer_requests_an_adjustment(demo_api):
    pid = await project_id(demo_api, TEA)
    path = f"/workspace/projects/{pid}"
    async with signed_in(demo_api, "jx-member1") as browser:
        for lang, message in (("", "请填写"), ("?lang=en", "say why")):
            form = the_form((await browser.get(path + lang)).text, "request-adjustment-form")
            form["reason"] = ""
            refused = await browser.post(path + lang, form)
            assert refused.status_code == 400 and message in beside(refused.text, "request_adjustment-reason")
        form["reason"] = "增加贵州试验区的茶园样地，进度顺延三个月。"
        assert (await browser.post(path, form)).status_code == 303
        page = await browser.get(path + "?done=request_adjustment")
        assert "已提交调整申请" in page.text
        assert not [f for f in forms(page.text) if f["id"] in ("request-adjustment-form", "submit-closure-form")]
    assert (await snapshot(demo_api, pid, "jx-member1"))["state"] == "ADJUSTMENT_REQUESTED"


async def test_the_proposer_submits_the_closure_report(demo_api):
    pid = await project_id(demo_api, KIWI)
    path = f"/workspace/projects/{pid}"
    async with signed_in(demo_api, "jx-member1") as browser:
        form = the_form((await browser.get(path + "?lang=en")).text, "submit-closure-form")
        form.update(closureReport=" ", reason="附件另行报送")
        refused = await browser.post(path + "?lang=en", form)
        assert refused.status_code == 400 and "closure report" in beside(refused.text, "submit_closure-closureReport")
        assert the_form(refused.text, "submit-closure-form")["reason"] == "附件另行报送"
        form["closureReport"] = "完成冷链操作规范研制，形成标准草案及验证报告。"
        assert (await browser.post(path, form)).status_code == 303
    after = await snapshot(demo_api, pid, "jx-member1")
    assert after["state"] == "CLOSURE_SUBMITTED" and after["closureReport"] == "完成冷链操作规范研制，形成标准草案及验证报告。"


async def test_the_drafting_group_adds_a_draft(demo_api):
    pid = await project_id(demo_api, FISH)
    path = f"/workspace/projects/{pid}"
    before = (await snapshot(demo_api, pid, "fj-secretary"))["standards"][0]
    async with signed_in(demo_api, "fj-member2") as browser:
        page = await browser.get(path)
        draft_forms = [f for f in forms(page.text) if "add-draft" in f["class"]]
        assert len(draft_forms) == 1 and len(draft_forms[0]["buttons"]) == 1  # one plain submit
        form = dict(draft_forms[0]["fields"])
        assert form["text"] == before["versions"][-1]["text"]  # starts from the latest draft
        for label in ("标准文本", "修改说明"):
            assert f">{label}</label>" in page.text
        form["text"] += "3.1 尾水 effluent\n"
        api = (await demo_api.gql(EMPTY_NOTE, {"id": before["id"]}, user="fj-member2"))["addDraftVersion"]
        note = next(e for e in api["fieldErrors"] if e["field"] == "changeNote")  # the API's own words
        for lang, message in (("", note["messageZh"]), ("?lang=en", note["message"])):
            refused = await browser.post(path + lang, {**form, "changeNote": ""})
            assert refused.status_code == 400
            field = f"add_draft-{before['id'].replace('=', '')}-changeNote"
            assert message in beside(refused.text, field)
            kept = next(f for f in forms(refused.text) if "add-draft" in f["class"])
            assert kept["fields"]["text"] == form["text"]
        done = await browser.post(path, {**form, "changeNote": "增加术语“尾水”"})
        assert done.status_code == 303 and done.headers["location"] == path + "?done=add_draft"
        assert "已提交新一稿草案" in (await browser.get(done.headers["location"])).text
    versions = (await snapshot(demo_api, pid, "fj-secretary"))["standards"][0]["versions"]
    assert [v["number"] for v in versions] == [1, 2, 3]
    assert versions[-1]["changeNote"] == "增加术语“尾水”" and versions[-1]["text"].endswith("3.1 尾水 effluent\n")


async def test_only_the_drafting_group_and_the_lead_office_are_offered_the_draft_form(demo_api):
    pid = await project_id(demo_api, FISH)
    path = f"/workspace/projects/{pid}"
    async with signed_in(demo_api, "fj-secretary") as office:
        assert [f for f in forms((await office.get(path)).text) if "add-draft" in f["class"]]
    standard = (await snapshot(demo_api, pid, "fj-secretary"))["standards"][0]
    async with signed_in(demo_api, "jx-member1") as outsider:
        page = await outsider.get(path + "?lang=en")
        assert page.status_code == 200 and not [f for f in forms(page.text) if "add-draft" in f["class"]]
        forged = await outsider.post(path + "?lang=en", {"csrf": _csrf(page.text), "action": "add_draft",
                                                         "standard": standard["id"], "text": "冒名草案",
                                                         "changeNote": "forged"})
    api = (await demo_api.gql(FORGED_DRAFT, {"id": standard["id"]}, user="jx-member1"))["addDraftVersion"]
    assert api["code"] in ("not_found", "permission_denied")  # a draft of another zone's: not even seen
    assert forged.status_code == {"not_found": 404, "permission_denied": 403}[api["code"]]
    assert alerted(forged.text, api["message"])
    assert (await snapshot(demo_api, pid, "fj-secretary"))["standards"][0]["versions"] == standard["versions"]


@pytest.mark.parametrize("made_up", [
    "UHJvamVjdDo5OTk5OQ==",  # Project:99999
    "U3RhbmRhcmQ6MQ==",  # Standard:1, not a project
    "nonsense", "%E4%B8%AD", "x" * 300,
])
async def test_a_made_up_project_is_not_found(demo_api, made_up):
    async with signed_in(demo_api, "jx-member1") as browser:
        page = await browser.get(f"/workspace/projects/{made_up}")
        assert page.status_code == 404 and alerts(page.text)
        posted = await browser.post(f"/workspace/projects/{made_up}", {
            "csrf": _csrf(page.text), "action": "request_join", "unitName": "某单位"})
        assert posted.status_code == 404


async def test_a_project_proposed_in_another_zone_is_not_found_there(demo_api):
    hidden = await project_id(demo_api, "喀斯特山区茶园碳汇核算方法研究", user="gz-secretary")  # still proposed
    async with signed_in(demo_api, "jx-member1") as browser:
        assert (await browser.get(f"/workspace/projects/{hidden}")).status_code == 404
    async with signed_in(demo_api, "gz-member1") as proposer:
        assert (await proposer.get(f"/workspace/projects/{hidden}")).status_code == 200


async def test_an_unknown_action_is_refused(demo_api):
    pid = await project_id(demo_api, TEA)
    async with signed_in(demo_api, "jx-member1") as browser:
        page = await browser.get(f"/workspace/projects/{pid}")
        answer = await browser.post(f"/workspace/projects/{pid}", {"csrf": _csrf(page.text), "action": "launch"})
    assert answer.status_code == 400 and alerted(answer.text, "无法识别的操作")


# (the project, who, the form's id or its distinguishing field, the values to post)
CSRF_CASES = [
    (EXCHANGE, "fj-member1", {"id": "add-member-form"}, {"role": "PARTICIPATING_UNIT", "unitName": "无令牌单位"}),
    (EXCHANGE, "hn-member2", {"id": "request-join-form"}, {"unitName": "无令牌单位"}),
    (FISH, "fj-member2", {"class": "add-draft"}, {"changeNote": "无令牌草案"}),
    (FISH, "fj-member1", {"action": "remove_member"}, {}),
    (CITRUS, "jx-member1", {"id": "submit-closure-form"}, {"closureReport": "无令牌"}),
    (CITRUS, "jx-member1", {"id": "request-adjustment-form"}, {"reason": "无令牌"}),
]


@pytest.mark.parametrize("title, username, which, values", CSRF_CASES)
@pytest.mark.parametrize("csrf", ["", "forged", None])
async def test_every_form_refuses_a_missing_or_forged_token(demo_api, title, username, which, values, csrf):
    pid = await project_id(demo_api, title)
    staff = "fj-secretary" if title in (EXCHANGE, FISH) else "jx-secretary"
    before = await snapshot(demo_api, pid, staff)
    async with signed_in(demo_api, username) as browser:
        page = await browser.get(f"/workspace/projects/{pid}")
        found = [f for f in forms(page.text) if (which.get("id") in (None, f["id"]))
                 and which.get("class", "") in f["class"]
                 and which.get("action", f["fields"].get("action")) == f["fields"].get("action")]
        assert found, which  # the form is on the page for this person
        form = {**found[0]["fields"], **values}
        if csrf is None:
            del form["csrf"]
        else:
            form["csrf"] = csrf
        answer = await browser.post(f"/workspace/projects/{pid}", form)
    assert answer.status_code == 403 and "表单已过期" in answer.text
    assert await snapshot(demo_api, pid, staff) == before


JOIN = """mutation($id: ID!) { requestToJoinProject(input: {projectId: $id, unitName: "贵州某合作社"}) {
  ... on JoinRequest { id status } } }"""
ACCEPT = """mutation($id: ID!) { acceptJoinRequest(input: {id: $id}) { ... on Failure { code message messageZh } } }"""
CLOSE = """mutation($id: ID!) { submitProjectClosure(input: {id: $id, closureReport: "越权结题"}) {
  ... on Failure { code message messageZh } } }"""


async def test_the_zones_office_deciding_a_request_to_join_sees_the_apis_refusal(demo_api):
    pid = await project_id(demo_api, EXCHANGE)
    asked = (await demo_api.gql(JOIN, {"id": pid}, user="gz-member2"))["requestToJoinProject"]
    api = (await demo_api.gql(ACCEPT, {"id": asked["id"]}, user="fj-secretary"))["acceptJoinRequest"]
    async with signed_in(demo_api, "fj-secretary") as office:
        page = await office.get(f"/workspace/projects/{pid}")
        assert "贵州某合作社" in page.text  # the office sees the request, is not offered the decision
        assert not [f for f in forms(page.text) if f["fields"].get("request") == asked["id"]]
        answer = await office.post(f"/workspace/projects/{pid}", {"csrf": _csrf(page.text), "action": "accept_join",
                                                                  "request": asked["id"]})
    assert answer.status_code == 403 and api["code"] == "permission_denied" and alerted(answer.text, api["messageZh"])
    statuses = {r["id"]: r["status"] for r in (await snapshot(demo_api, pid, "fj-member1"))["joinRequests"]}
    assert statuses[asked["id"]] == "PENDING"


async def test_a_drafter_submitting_the_closure_report_sees_the_apis_refusal(demo_api):
    pid = await project_id(demo_api, CITRUS)
    api = (await demo_api.gql(CLOSE, {"id": pid}, user="jx-member2"))["submitProjectClosure"]
    async with signed_in(demo_api, "jx-member2") as drafter:
        page = await drafter.get(f"/workspace/projects/{pid}?lang=en")
        assert not [f for f in forms(page.text) if f["id"] == "submit-closure-form"]
        answer = await drafter.post(f"/workspace/projects/{pid}?lang=en", {
            "csrf": _csrf(page.text), "action": "submit_closure", "closureReport": "越权结题"})
    assert answer.status_code == 403 and api["code"] == "permission_denied" and alerted(answer.text, api["message"])
    assert (await snapshot(demo_api, pid, "jx-secretary"))["state"] == "IN_PROGRESS"
