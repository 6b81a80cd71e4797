"""A joint standard run by the Jiangxi secretary in the workspace, on the demo data, both engines:
a member's project approved and under notice, its standard created (a refused form keeps what
was typed), drafting started, the consultation opened (a made-up number of days named, not sent),
closed only once every comment is decided, the panel formed from the registry and its ballot
opened and closed, the directors' signatures, then publication (a bad date refused beside its
field) — every step read back from the API."""

from __future__ import annotations

import re

from tests.workspace.conftest import Browser, signed_in
from tests.workspace.test_secretary_common import post_form, row_of, shown
from tests.workspace.test_secretary_queues import propose

TITLE = "富硒茶园虚构采摘技术规范"
STANDARD = """query($id: ID!) { standard(id: $id) { ... on Standard { id stage { state } designations
  consultation { id state } panel { expert { id } } ballot { state } } } }"""
STANDARDS = """query($text: String!) { standards(filter: {text: $text}, first: 5) {
  ... on StandardConnection { edges { node { id titleZh } } } } }"""
MY_PROFILE = "{ myExpertProfile { id nameZh } }"


async def standard_state(demo_api, standard_id: str) -> dict:
    return (await demo_api.gql(STANDARD, {"id": standard_id}, user="jx-secretary", zone="jiangxi"))["standard"]


async def ok(demo_api, query: str, variables: dict, user: str, zone: str, field: str) -> dict:
    answer = (await demo_api.gql(query, variables, user=user, zone=zone))[field]
    assert "code" not in answer, answer
    return answer


async def test_a_joint_standard_from_approval_to_publication(demo_api):
    project_id = await propose(demo_api, TITLE + "研制", kind="STANDARD_DEVELOPMENT")
    async with signed_in(demo_api, "jx-secretary") as secretary:
        for action, state in (("approve", "PROPOSED"), ("open-notice", "APPROVED")):
            done = await post_form(secretary, f"/workspace/queues/projects?state={state}",
                                   f"/workspace/queues/projects/{action}", {"id": project_id, "action": action})
            assert done.status_code == 303, done.text[:300]

        # the project under notice links to the creation of its standard
        notice = await secretary.get("/workspace/queues/projects?state=PUBLIC_NOTICE")
        create_link = f"/workspace/queues/standards/new?project={project_id.replace('=', '%3D')}"
        assert create_link in row_of(notice.text, TITLE)
        form = await secretary.get(create_link)
        assert form.status_code == 200 and TITLE in form.text
        typed = {"kind": "JOINT_LOCAL", "titleZh": TITLE, "titleEn": "Invented picking practice", "scope": "",
                 "category": "TEA", "zone.guizhou": "1"}
        refused = await secretary.post(create_link + "&lang=en", {"csrf": Browser.csrf(form.text), **typed})
        assert refused.status_code == 400 and 'id="n-scope-error"' in refused.text
        assert f'value="{TITLE}"' in refused.text and 'name="zone.guizhou" value="1" checked' in refused.text
        assert '<option value="TEA" selected>' in refused.text
        created = await secretary.post(create_link, {"csrf": Browser.csrf(form.text),
                                                     **typed, "scope": "适用于富硒茶园的虚构采摘作业。"})
        assert created.status_code == 303 and "done=created" in created.headers["location"]
        standard_id = (await demo_api.gql(STANDARDS, {"text": TITLE}, user="jx-secretary", zone="jiangxi")
                       )["standards"]["edges"][0]["node"]["id"]
        assert (await standard_state(demo_api, standard_id))["stage"]["state"] == "PROPOSAL"

        started = await post_form(secretary, "/workspace/queues/standards?state=PROPOSAL",
                                  "/workspace/queues/standards/start-drafting", {"id": standard_id, "state": "PROPOSAL"})
        assert started.status_code == 303
        assert (await standard_state(demo_api, standard_id))["stage"]["state"] == "DRAFTING"

        # no draft yet: the API's Conflict, above the row's form; a made-up number of days: named
        early = await post_form(secretary, "/workspace/queues/standards?state=DRAFTING",
                                "/workspace/queues/standards/open-consultation?state=DRAFTING",
                                {"id": standard_id, "state": "DRAFTING", "days": ""})
        assert early.status_code == 409 and "请先提交草案" in shown(row_of(early.text, TITLE))
        await ok(demo_api, """mutation($input: AddDraftVersionInput!) { addDraftVersion(input: $input) {
            __typename ... on Failure { code message } } }""", {"input": {
            "standardId": standard_id, "text": "1 范围\n本文件规定了虚构的采摘要求。", "changeNote": "初稿"}},
            "jx-secretary", "jiangxi", "addDraftVersion")
        wrong_days = await post_form(secretary, "/workspace/queues/standards?state=DRAFTING&lang=en",
                                     "/workspace/queues/standards/open-consultation?state=DRAFTING&lang=en",
                                     {"id": standard_id, "state": "DRAFTING", "days": "thirty"})
        assert wrong_days.status_code == 400 and "must be a whole number" in row_of(wrong_days.text, standard_id)
        assert 'value="thirty"' in wrong_days.text
        opened = await post_form(secretary, "/workspace/queues/standards?state=DRAFTING",
                                 "/workspace/queues/standards/open-consultation",
                                 {"id": standard_id, "state": "DRAFTING", "days": "20"})
        assert opened.status_code == 303
        consultation_id = (await standard_state(demo_api, standard_id))["consultation"]["id"]

        # a Guizhou expert comments; closing waits until the comment is decided
        await ok(demo_api, """mutation($input: PostCommentInput!) { postComment(input: $input) {
            __typename ... on Failure { code message } } }""", {"input": {
            "consultationId": consultation_id, "clause": "1", "text": "建议明确采摘时段。",
            "proposerUnit": "贵州某茶叶研究所", "proposedChange": "增加“晴天上午”"}},
            "gz-expert01", "guizhou", "postComment")
        too_soon = await post_form(secretary, "/workspace/queues/standards?state=CONSULTATION",
                                   "/workspace/queues/standards/close-consultation?state=CONSULTATION",
                                   {"id": standard_id, "state": "CONSULTATION"})
        assert too_soon.status_code == 409 and 'role="alert"' in row_of(too_soon.text, TITLE)
        comments = await secretary.get(f"/workspace/queues/consultations/{consultation_id}")
        comment_id = re.search(r'name="id" value="([^"]+)"', comments.text.split("建议明确采摘时段")[1]).group(1)
        decided = await secretary.post(f"/workspace/queues/consultations/{consultation_id}/decide", {
            "csrf": Browser.csrf(comments.text), "id": comment_id, "decision": "ADOPTED", "reason": ""})
        assert decided.status_code == 303
        closed = await post_form(secretary, "/workspace/queues/standards?state=CONSULTATION",
                                 "/workspace/queues/standards/close-consultation",
                                 {"id": standard_id, "state": "CONSULTATION"})
        assert closed.status_code == 303
        assert (await standard_state(demo_api, standard_id))["stage"]["state"] == "REVIEW"

        # the panel: three verified experts of other zones found in the registry, one removed and added back
        page = f"/workspace/queues/standards/{standard_id}"
        experts = {}
        for user, zone in (("gz-expert01", "guizhou"), ("fj-expert01", "fujian"), ("hn-expert01", "hainan")):
            experts[user] = (await demo_api.gql(MY_PROFILE, user=user))["myExpertProfile"]
        for user, expert in experts.items():
            found = await secretary.get(f"{page}?text={expert['nameZh']}")
            assert expert["id"] in row_of(found.text, f"加入专家组：{expert['nameZh']}")
            added = await secretary.post(f"{page}/add-panel-expert", {"csrf": Browser.csrf(found.text),
                                                                     "id": expert["id"]})
            assert added.status_code == 303, (user, shown(added.text)[-400:])
        panel = (await standard_state(demo_api, standard_id))["panel"]
        assert {member["expert"]["id"] for member in panel} == {e["id"] for e in experts.values()}
        again = await post_form(secretary, page, f"{page}/add-panel-expert", {"id": experts["gz-expert01"]["id"]})
        assert again.status_code == 409  # already on the panel: the API's Conflict
        removed = await post_form(secretary, page, f"{page}/remove-panel-expert", {"id": experts["hn-expert01"]["id"]})
        assert removed.status_code == 303 and len((await standard_state(demo_api, standard_id))["panel"]) == 2
        short = await post_form(secretary, page, f"{page}/open-ballot", {"id": "ballot"})
        assert short.status_code == 409 and "3" in shown(short.text)  # a panel needs three
        await post_form(secretary, page, f"{page}/add-panel-expert", {"id": experts["hn-expert01"]["id"]})
        opened = await post_form(secretary, page, f"{page}/open-ballot", {"id": "ballot"})
        assert opened.status_code == 303
        assert (await standard_state(demo_api, standard_id))["ballot"]["state"] == "OPEN"
        for user, zone in (("gz-expert01", "guizhou"), ("fj-expert01", "fujian"), ("hn-expert01", "hainan")):
            await ok(demo_api, """mutation($input: CastVoteInput!) { castVote(input: $input) {
                __typename ... on Failure { code message } } }""",
                     {"input": {"standardId": standard_id, "choice": "YES"}}, user, zone, "castVote")
        counted = await post_form(secretary, page, f"{page}/close-ballot", {"id": "ballot"})
        assert counted.status_code == 303
        assert (await standard_state(demo_api, standard_id))["stage"]["state"] == "APPROVAL"

        # the directors sign; publication refuses a made-up date beside its field, then publishes
        for director, zone in (("jx-director", "jiangxi"), ("gz-director", "guizhou")):
            await ok(demo_api, """mutation($input: SignStandardInput!) { signStandard(input: $input) {
                __typename ... on Failure { code message } } }""", {"input": {"id": standard_id}},
                director, zone, "signStandard")
        bad = await post_form(secretary, page + "?lang=en", f"{page}/publish?lang=en",
                              {"id": "publish", "releaseDate": "2026-13-01", "implementationDate": "2027-03-01"})
        assert bad.status_code == 400 and 'id="p-releaseDate-error"' in bad.text
        assert 'value="2026-13-01"' in bad.text and 'value="2027-03-01"' in bad.text
        published = await post_form(secretary, page, f"{page}/publish",
                                    {"id": "publish", "releaseDate": "2026-12-03", "implementationDate": "2027-03-01"})
        assert published.status_code == 303
        final = await standard_state(demo_api, standard_id)
        assert final["stage"]["state"] == "PUBLISHED" and len(final["designations"]) == 2
        shown_page = await secretary.get(published.headers["location"])
        assert "标准已发布" in shown_page.text and final["designations"][0] in shown(shown_page.text)
