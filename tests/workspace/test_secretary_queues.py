"""The secretary's queues of expert profiles and projects in the workspace, on the demo data,
both engines: each action goes through the API (its effect read back from the API), the API's
refusals are shown beside their field in zh and en, a forged CSRF token changes nothing, a
made-up ID answers 404, a member sees a refusal and another zone's secretary the API's own."""

from __future__ import annotations

import pytest

from tests.workspace.conftest import Browser, signed_in
from tests.workspace.test_secretary_common import post_form, row_of, shown

EXPERT = """query($id: ID!) { expert(id: $id) { ... on Expert { id state } } }"""
PENDING = """{ experts(filter: {state: PENDING, zone: "jiangxi"}, first: 50) {
  ... on ExpertConnection { totalCount edges { node { id nameZh } } } } }"""
PROJECT = """query($id: ID!) { project(id: $id) { ... on Project { id state } } }"""
PROPOSE = """mutation($input: ProposeProjectInput!) { proposeProject(input: $input) {
  __typename ... on Project { id } ... on Failure { message } } }"""


async def propose(demo_api, title: str, kind: str = "RESEARCH_TOPIC") -> str:
    answer = await demo_api.gql(PROPOSE, {"input": {
        "kind": kind, "titleZh": title, "titleEn": "Invented project " + title[-2:], "summary": "虚构的测试项目。",
        "proposerUnit": "江西某生态农业合作社"}}, user="jx-member1", zone="jiangxi")
    assert answer["proposeProject"]["__typename"] == "Project", answer
    return answer["proposeProject"]["id"]


async def state_of(demo_api, project_id: str) -> str:
    return (await demo_api.gql(PROJECT, {"id": project_id}, user="jx-secretary", zone="jiangxi"))["project"]["state"]


async def test_the_queues_count_what_waits_in_the_acting_zone(demo_api):
    pending = (await demo_api.gql(PENDING, user="jx-secretary", zone="jiangxi"))["experts"]["totalCount"]
    async with signed_in(demo_api, "jx-secretary") as secretary:
        queues = await secretary.get("/workspace/queues")
        assert queues.status_code == 200 and 'href="/workspace/queues"' in queues.text  # in the navigation
        assert 'href="/workspace/document-consultations"' in queues.text
        row = row_of(queues.text, "待核验的专家档案")
        assert f"<td>{pending}</td>" in row and 'href="/workspace/queues/experts?state=PENDING"' in row
        english = await secretary.get("/workspace/queues?lang=en")
        assert "Expert profiles to verify" in english.text and "state=PENDING&amp;lang=en" in english.text


async def test_the_secretary_verifies_a_pending_profile_and_it_leaves_the_queue(demo_api):
    found = (await demo_api.gql(PENDING, user="jx-secretary", zone="jiangxi"))["experts"]["edges"][0]["node"]
    async with signed_in(demo_api, "jx-secretary") as secretary:
        queue = await secretary.get("/workspace/queues/experts")
        row = row_of(queue.text, found["nameZh"])
        assert f"核验通过：{found['nameZh']}" in row and found["id"] in row
        verified = await secretary.post("/workspace/queues/experts/verify",
                                        {"csrf": Browser.csrf(queue.text), "id": found["id"], "state": "PENDING"})
        assert verified.status_code == 303
        assert verified.headers["location"] == "/workspace/queues/experts?state=PENDING&done=verified"
        assert (await demo_api.gql(EXPERT, {"id": found["id"]}))["expert"]["state"] == "VERIFIED"
        after = await secretary.get(verified.headers["location"])
        assert "专家档案已核验" in after.text and found["nameZh"] not in shown(after.text).split("待核验 姓名")[-1]


@pytest.mark.parametrize("language, words", [("zh", "say why"), ("en", "say why")])
async def test_a_suspension_needs_its_reason_beside_the_field(demo_api, language, words):
    found = (await demo_api.gql(PENDING, user="jx-secretary", zone="jiangxi"))["experts"]["edges"][0]["node"]
    suffix = "?lang=en" if language == "en" else ""
    async with signed_in(demo_api, "jx-secretary") as secretary:
        refused = await post_form(secretary, "/workspace/queues/experts" + suffix,
                                  "/workspace/queues/experts/suspend" + suffix,
                                  {"id": found["id"], "state": "PENDING", "reason": "  "})
        assert refused.status_code == 400
        row = row_of(refused.text, found["nameZh"])
        assert 'aria-invalid="true"' in row and 'role="alert"' in row
        expected = "请说明暂停的理由" if language == "zh" else "say why the expert is suspended"
        assert expected in shown(row) or (language == "zh" and "理由" in shown(row.split('role="alert"')[1]))
        assert (await demo_api.gql(EXPERT, {"id": found["id"]}, user="jx-secretary", zone="jiangxi")
                )["expert"]["state"] == "PENDING"


async def test_the_secretary_suspends_a_verified_expert_with_a_reason(demo_api):
    verified = (await demo_api.gql("""{ experts(filter: {state: VERIFIED, zone: "jiangxi"}, first: 1) {
        ... on ExpertConnection { edges { node { id nameZh } } } } }""", user="jx-secretary", zone="jiangxi"))
    expert = verified["experts"]["edges"][0]["node"]
    async with signed_in(demo_api, "jx-secretary") as secretary:
        done = await post_form(secretary, "/workspace/queues/experts?state=VERIFIED", "/workspace/queues/experts/suspend",
                               {"id": expert["id"], "state": "VERIFIED", "reason": "长期联系不上，暂停参与评审"})
        assert done.status_code == 303 and "done=suspended" in done.headers["location"]
    answer = await demo_api.gql(EXPERT, {"id": expert["id"]}, user="jx-secretary", zone="jiangxi")
    assert answer["expert"]["state"] == "SUSPENDED"


async def test_the_secretary_approves_a_project_and_opens_its_notice(demo_api):
    project_id = await propose(demo_api, "赣南脐橙虚构研究课题甲")
    async with signed_in(demo_api, "jx-secretary") as secretary:
        queue = await secretary.get("/workspace/queues/projects")
        row = row_of(queue.text, "赣南脐橙虚构研究课题甲")
        assert row.count('<button type="submit">') == 2 and "批准立项：赣南脐橙虚构研究课题甲" in row
        approved = await secretary.post("/workspace/queues/projects/approve", {
            "csrf": Browser.csrf(queue.text), "id": project_id, "state": "PROPOSED", "action": "approve", "reason": ""})
        assert approved.status_code == 303 and await state_of(demo_api, project_id) == "APPROVED"
        opened = await post_form(secretary, "/workspace/queues/projects?state=APPROVED",
                                 "/workspace/queues/projects/open-notice",
                                 {"id": project_id, "state": "APPROVED", "action": "open-notice"})
        assert opened.status_code == 303 and await state_of(demo_api, project_id) == "PUBLIC_NOTICE"
        # the notice runs its days: starting now is the API's Conflict, shown above the row's form
        early = await post_form(secretary, "/workspace/queues/projects?state=PUBLIC_NOTICE",
                                "/workspace/queues/projects/start?state=PUBLIC_NOTICE",
                                {"id": project_id, "state": "PUBLIC_NOTICE", "action": "start"})
        assert early.status_code == 409 and 'role="alert"' in row_of(early.text, "赣南脐橙虚构研究课题甲")
        assert await state_of(demo_api, project_id) == "PUBLIC_NOTICE"


async def test_a_rejection_needs_its_reason_in_both_languages_then_rejects(demo_api):
    project_id = await propose(demo_api, "赣南脐橙虚构研究课题乙")
    async with signed_in(demo_api, "jx-secretary") as secretary:
        for suffix in ("", "?lang=en"):
            refused = await post_form(secretary, "/workspace/queues/projects" + suffix,
                                      "/workspace/queues/projects/reject" + suffix,
                                      {"id": project_id, "state": "PROPOSED", "action": "reject", "reason": ""})
            assert refused.status_code == 400
            row = row_of(refused.text, project_id)
            reject_form = row.split('action="/workspace/queues/projects/reject')[1]
            assert 'aria-invalid="true"' in reject_form and 'class="error"' in reject_form
            approve_form = row.split('action="/workspace/queues/projects/approve')[1].split("</form>")[0]
            assert 'aria-invalid' not in approve_form  # the refusal sits beside the form it was for
        assert await state_of(demo_api, project_id) == "PROPOSED"
        done = await post_form(secretary, "/workspace/queues/projects", "/workspace/queues/projects/reject",
                               {"id": project_id, "state": "PROPOSED", "action": "reject", "reason": "与已立项课题重复"})
        assert done.status_code == 303 and await state_of(demo_api, project_id) == "REJECTED"


FORMS = [
    ("/workspace/queues/experts/verify", {"id": "RXhwZXJ0OjEx"}),
    ("/workspace/queues/experts/suspend", {"id": "RXhwZXJ0OjEx", "reason": "x"}),
    ("/workspace/queues/projects/approve", {"id": "UHJvamVjdDox"}),
    ("/workspace/queues/projects/reject", {"id": "UHJvamVjdDox", "reason": "x"}),
    ("/workspace/queues/projects/open-notice", {"id": "UHJvamVjdDox"}),
    ("/workspace/queues/projects/start", {"id": "UHJvamVjdDox"}),
    ("/workspace/queues/standards/start-drafting", {"id": "U3RhbmRhcmQ6MQ=="}),
    ("/workspace/queues/standards/open-consultation", {"id": "U3RhbmRhcmQ6MQ=="}),
    ("/workspace/queues/standards/close-consultation", {"id": "U3RhbmRhcmQ6Mw=="}),
    ("/workspace/queues/standards/new?project=UHJvamVjdDox", {"kind": "GROUP", "titleZh": "x", "titleEn": "x",
                                                              "scope": "x"}),
    ("/workspace/queues/standards/U3RhbmRhcmQ6NA==/add-panel-expert", {"id": "RXhwZXJ0OjE="}),
    ("/workspace/queues/standards/U3RhbmRhcmQ6NQ==/remove-panel-expert", {"id": "RXhwZXJ0OjE="}),
    ("/workspace/queues/standards/U3RhbmRhcmQ6NA==/open-ballot", {}),
    ("/workspace/queues/standards/U3RhbmRhcmQ6NA==/close-ballot", {}),
    ("/workspace/queues/standards/U3RhbmRhcmQ6NQ==/publish", {"releaseDate": "2026-12-03",
                                                            "implementationDate": "2027-03-01"}),
    ("/workspace/queues/consultations/close", {"id": "Q29uc3VsdGF0aW9uOjc=", "subjectType": "document"}),
    ("/workspace/queues/consultations/Q29uc3VsdGF0aW9uOjc=/decide", {"id": "x", "decision": "ADOPTED"}),
    ("/workspace/queues/reviews/review", {"id": "U3RhbmRhcmQ6Ng==", "outcome": "WITHDRAW", "reason": "x"}),
    ("/workspace/document-consultations/open", {"titleZh": "x", "titleEn": "x", "articles": "x"}),
]


async def test_every_secretary_form_refuses_a_missing_or_forged_token_and_changes_nothing(demo_api):
    counts = "{ auditLog(first: 1) { ... on AuditEntryConnection { totalCount } } }"
    before = await demo_api.gql(counts, user="jx-director", zone="jiangxi")
    async with signed_in(demo_api, "jx-secretary") as secretary:
        await secretary.get("/workspace/queues")
        for path, fields in FORMS:
            for token in (None, "", "x" * 43):
                form = dict(fields) if token is None else {**fields, "csrf": token}
                answer = await secretary.post(path, form)
                assert answer.status_code == 403, (path, token, answer.status_code)
                assert "表单已过期" in answer.text
    assert await demo_api.gql(counts, user="jx-director", zone="jiangxi") == before


@pytest.mark.parametrize("path", [
    "/workspace/queues/standards/U3RhbmRhcmQ6OTk5OQ==", "/workspace/queues/standards/not-an-id",
    "/workspace/queues/standards/UHJvamVjdDox",  # a project's ID where a standard's is expected
    "/workspace/queues/standards/new?project=UHJvamVjdDo5OTk5", "/workspace/queues/standards/new",
    "/workspace/queues/consultations/Q29uc3VsdGF0aW9uOjk5OTk=",
    "/workspace/document-consultations/Q29uc3VsdGF0aW9uOjk5OTk=/comments.xlsx",
])
async def test_a_made_up_id_in_a_page_address_answers_404(demo_api, path):
    async with signed_in(demo_api, "jx-secretary") as secretary:
        answer = await secretary.get(path)
        assert answer.status_code == 404 and 'role="alert"' in answer.text


@pytest.mark.parametrize("path, fields", [
    ("/workspace/queues/experts/verify", {"id": "RXhwZXJ0Ojk5OTk="}),
    ("/workspace/queues/projects/approve", {"id": "garbage", "action": "approve"}),
    ("/workspace/queues/standards/start-drafting", {"id": "UHJvamVjdDox"}),
    ("/workspace/queues/standards/U3RhbmRhcmQ6OTk5OQ==/open-ballot", {"id": "ballot"}),
    ("/workspace/queues/consultations/Q29uc3VsdGF0aW9uOjc=/decide", {"id": "Q29uc3VsdGF0aW9uQ29tbWVudDo5OTk=",
                                                                    "decision": "ADOPTED"}),
])
async def test_a_forged_id_posted_answers_404_and_never_500(demo_api, path, fields):
    async with signed_in(demo_api, "jx-secretary") as secretary:
        answer = await post_form(secretary, "/workspace/queues", path, fields)
        assert answer.status_code == 404


async def test_a_member_opening_a_secretary_page_is_refused_never_500(demo_api):
    async with signed_in(demo_api, "jx-member1") as member:
        home = await member.get("/workspace/")
        assert 'href="/workspace/queues"' not in home.text  # no link in their navigation
        for path in ("/workspace/queues", "/workspace/queues/experts", "/workspace/queues/standards/U3RhbmRhcmQ6MQ==",
                     "/workspace/document-consultations?lang=en"):
            answer = await member.get(path)
            assert answer.status_code == 403, path
        assert "secretary and director" in (await member.get("/workspace/queues?lang=en")).text
        posted = await post_form(member, "/workspace/", "/workspace/queues/experts/verify", {"id": "RXhwZXJ0OjEx"})
        assert posted.status_code == 403 and "秘书和主任" in posted.text


async def test_another_zones_secretary_sees_the_apis_refusal(demo_api):
    """Guizhou's secretary posts Jiangxi's proposed standard: the API refuses (the lead office acts)."""
    standard = "U3RhbmRhcmQ6MQ=="  # 富硒茶叶生产技术规程, led by Jiangxi, at stage 10
    async with signed_in(demo_api, "gz-secretary") as secretary:
        queue = await secretary.get("/workspace/queues/standards")
        answer = await secretary.post("/workspace/queues/standards/start-drafting?lang=en",
                                      {"csrf": Browser.csrf(queue.text), "id": standard, "state": "PROPOSAL"})
        assert answer.status_code == 403  # Guizhou takes part: the API's refusal sits in the standard's row
        assert "only the lead zone&#39;s office may do this" in row_of(answer.text, standard)
        elsewhere = await secretary.post("/workspace/queues/standards/start-drafting?state=DRAFTING",
                                         {"csrf": Browser.csrf(queue.text), "id": standard, "state": "PROPOSAL"})
        assert elsewhere.status_code == 403  # a tab that does not list it: the refusal above the list
        assert '<div class="error" role="alert"><p>' in elsewhere.text
    stage = await demo_api.gql("""query($id: ID!) { standard(id: $id) { ... on Standard { stage { state } } } }""",
                               {"id": standard}, user="jx-secretary", zone="jiangxi")
    assert stage["standard"]["stage"]["state"] == "PROPOSAL"


async def test_a_director_sees_the_queues_but_not_document_consultations_in_the_navigation(demo_api):
    async with signed_in(demo_api, "jx-director") as director:
        queues = await director.get("/workspace/queues")
        assert queues.status_code == 200 and 'href="/workspace/document-consultations"' not in queues.text
