"""One joint standard of Jiangxi, Guizhou and Fujian, from proposal to three published numbers,
through the HTTP API with the right user at each step — and every refusal on the way."""

from __future__ import annotations

from tests.standards.workflow_support import (LEAD_UNIT, approved_project, make_expert, op, people,
                                              standard_op)

COMMENT = "__typename ... on ConsultationComment { id seq } ... on Failure { code message }"


async def test_joint_standard_from_proposal_to_three_numbers(api):
    await people(api)
    project_id = await approved_project(api)
    create = {"projectId": project_id, "kind": "JOINT_LOCAL", "titleZh": "茶叶追溯数据采集规范",
              "titleEn": "Tea traceability data collection", "scope": "适用于茶叶生产、加工和流通环节。",
              "participatingZones": ["guizhou", "fujian"]}

    # stage 10 — only the project's zone office
    assert (await standard_op(api, "createStandard", create, "jx-member", "jiangxi"))["__typename"] == "PermissionDenied"
    assert (await standard_op(api, "createStandard", create, "gz-director", "guizhou"))["__typename"] == "PermissionDenied"
    bad = await standard_op(api, "createStandard", {**create, "participatingZones": ["atlantis"]},
                            "jx-secretary", "jiangxi")
    assert bad["__typename"] == "ValidationFailed"
    standard = await standard_op(api, "createStandard", create, "jx-secretary", "jiangxi")
    sid = standard["id"]
    assert standard["stage"] == {"code": 10, "state": "PROPOSAL"}
    assert [z["zone"]["slug"] for z in standard["zones"]] == ["jiangxi", "guizhou", "fujian"]

    # stage 20 — drafts by the drafting group
    await standard_op(api, "startDrafting", {"id": sid}, "jx-secretary", "jiangxi")
    draft = {"standardId": sid, "text": "1 范围\n2 术语\n", "changeNote": "初稿"}
    outsider = await op(api, "addDraftVersion", "AddDraftVersionInput", draft,
                        "__typename", "gz-member", "guizhou")
    # a plain member of a participating zone is none of the standard's people: it is not
    # even visible to them in drafting (README "Who sees work in progress")
    assert outsider["__typename"] == "NotFound"
    for text, note in (("1 范围\n2 术语\n", "初稿"), ("1 范围\n2 术语和定义\n", "修改术语")):
        version = await op(api, "addDraftVersion", "AddDraftVersionInput",
                           {**draft, "text": text, "changeNote": note},
                           "... on StandardVersion { number }", "jx-drafter", "jiangxi")
    assert version == {"number": 2}
    diff = await api.gql("query($id: ID!) { standard(id: $id) { ... on Standard { diff(fromVersion: 1, toVersion: 2) } } }",
                         {"id": sid}, user="jx-drafter", zone="jiangxi")
    assert "+2 术语和定义" in diff["standard"]["diff"]
    # work in progress is not public
    hidden = await api.gql("query($id: ID!) { standard(id: $id) { __typename } }", {"id": sid})
    assert hidden["standard"]["__typename"] == "NotFound"

    # stage 30 — consultation: comments, decisions, no closing while one is undecided
    opened = await standard_op(api, "openStandardConsultation", {"id": sid}, "jx-secretary", "jiangxi")
    assert opened["stage"]["code"] == 30
    consultation = await api.gql("query($id: ID!) { standard(id: $id) { ... on Standard { consultation { id deadline } } } }",
                                 {"id": sid})  # anonymous: a draft for comments is public
    cid = consultation["standard"]["consultation"]["id"]
    comment = await op(api, "postComment", "PostCommentInput", {
        "consultationId": cid, "clause": "2", "text": "建议补充“追溯码”的定义。",
        "proposerUnit": "贵州省茶叶研究所", "proposedChange": "增加 2.3 追溯码"}, COMMENT,
        "gz-member", "guizhou")
    assert comment["seq"] == 1
    early = await standard_op(api, "closeStandardConsultation", {"id": sid}, "jx-secretary", "jiangxi")
    assert early["__typename"] == "Conflict" and "1" in early["message"]
    member_decides = await op(api, "decideComment", "DecideCommentInput",
                              {"id": comment["id"], "decision": "ADOPTED"}, COMMENT, "gz-member", "guizhou")
    assert member_decides["__typename"] == "PermissionDenied"
    decided = await op(api, "decideComment", "DecideCommentInput",
                       {"id": comment["id"], "decision": "ADOPTED"}, COMMENT, "jx-drafter", "jiangxi")
    assert decided.get("seq") == 1
    closed = await standard_op(api, "closeStandardConsultation", {"id": sid}, "jx-secretary", "jiangxi")
    assert closed["stage"] == {"code": 40, "state": "REVIEW"}

    # stage 40 — panel from the registry, recusal, ballot
    experts = [await make_expert(api, f"jx-exp{i}", "jiangxi", "jx-secretary") for i in range(1, 4)]
    experts.append(await make_expert(api, "gz-exp4", "guizhou", "gz-secretary"))
    conflicted = await make_expert(api, "jx-exp5", "jiangxi", "jx-secretary", organisation=LEAD_UNIT)
    for expert in experts:
        added = await standard_op(api, "addPanelExpert", {"standardId": sid, "expertId": expert},
                                  "jx-secretary", "jiangxi")
        assert added["__typename"] == "Standard", added
    refused = await standard_op(api, "addPanelExpert", {"standardId": sid, "expertId": conflicted},
                                "jx-secretary", "jiangxi")
    assert refused["code"] == "conflict_of_interest" and LEAD_UNIT in refused["messageZh"]
    await standard_op(api, "openBallot", {"id": sid}, "jx-secretary", "jiangxi")
    vote = {"standardId": sid, "choice": "YES"}
    status = await standard_op(api, "castVote", vote, "jx-exp1", "jiangxi")
    assert status["ballot"]["needsEn"] == ["needs 2 more votes to reach the turnout of 3/4 of 4"]
    no_reason = await standard_op(api, "castVote", {**vote, "choice": "NO"}, "jx-exp2", "jiangxi")
    assert no_reason["__typename"] == "ValidationFailed"
    status = await standard_op(api, "castVote", {**vote, "choice": "NO", "comment": "术语不全"}, "jx-exp2", "jiangxi")
    status = await standard_op(api, "castVote", vote, "gz-exp4", "guizhou")
    assert status["ballot"]["passesNow"] is False
    assert status["ballot"]["needsEn"] == ["needs 1 more yes vote"]
    not_on_panel = await standard_op(api, "castVote", vote, "jx-exp5", "jiangxi")
    # an expert off the panel is none of the standard's people: in review it is not visible
    assert not_on_panel["__typename"] == "NotFound"
    changed = await standard_op(api, "castVote", {**vote, "choice": "YES_WITH_COMMENTS",
                                                  "comment": "已补充"}, "jx-exp2", "jiangxi")
    assert changed["ballot"]["passesNow"] is True and changed["ballot"]["myVote"] == "YES_WITH_COMMENTS"
    closed = await standard_op(api, "closeBallot", {"id": sid}, "jx-secretary", "jiangxi")
    assert closed["stage"]["code"] == 50 and closed["ballot"]["state"] == "PASSED"
    late = await standard_op(api, "castVote", vote, "jx-exp3", "jiangxi")
    assert late["__typename"] == "Conflict"

    # stage 50 — every participating director signs
    publish = {"id": sid, "releaseDate": "2026-12-01", "implementationDate": "2027-03-01"}
    missing = await standard_op(api, "publishStandard", publish, "jx-secretary", "jiangxi")
    assert missing["code"] == "missing_signatures" and "fujian, guizhou, jiangxi" in missing["message"]
    assert (await standard_op(api, "signStandard", {"id": sid}, "gz-member", "guizhou"))["__typename"] == "NotFound"
    # Hainan takes no part: the standard in progress is not even visible there
    assert (await standard_op(api, "signStandard", {"id": sid}, "hn-director", "hainan"))["__typename"] == "NotFound"
    for director, zone in (("jx-director", "jiangxi"), ("gz-director", "guizhou")):
        signed = await standard_op(api, "signStandard", {"id": sid}, director, zone)
        assert signed["__typename"] == "Standard", signed
    assert (await standard_op(api, "signStandard", {"id": sid}, "gz-director", "guizhou"))["__typename"] == "Conflict"
    still = await standard_op(api, "publishStandard", publish, "jx-secretary", "jiangxi")
    assert still["code"] == "missing_signatures" and "fujian" in still["message"]
    await standard_op(api, "signStandard", {"id": sid}, "fj-director", "fujian")

    # stage 60 — three numbers under one shared sequence, public
    bad_dates = await standard_op(api, "publishStandard", {**publish, "implementationDate": "2026-11-30"},
                                  "jx-secretary", "jiangxi")
    assert bad_dates["__typename"] == "ValidationFailed"
    published = await standard_op(api, "publishStandard", publish, "jx-secretary", "jiangxi")
    assert published["stage"] == {"code": 60, "state": "PUBLISHED"}
    assert published["designations"] == ["DB36/T 1—2026", "DB35/T 1—2026", "DB52/T 1—2026"]
    public = await api.gql("query($id: ID!) { standard(id: $id) { ... on Standard { designations finalText releaseDate } } }",
                           {"id": sid})
    assert public["standard"] == {"designations": published["designations"],
                                  "finalText": "1 范围\n2 术语和定义\n", "releaseDate": "2026-12-01"}
    again = await standard_op(api, "publishStandard", publish, "jx-secretary", "jiangxi")
    assert again["__typename"] == "Conflict"

    # stage 90 — review after publication: confirm, then a revision that keeps the history
    await standard_op(api, "reviewPublishedStandard", {"id": sid, "outcome": "CONFIRM"}, "jx-secretary", "jiangxi")
    no_reason = await standard_op(api, "reviewPublishedStandard", {"id": sid, "outcome": "REVISE"},
                                  "jx-secretary", "jiangxi")
    assert no_reason["__typename"] == "ValidationFailed"
    revision = await standard_op(api, "reviewPublishedStandard",
                                 {"id": sid, "outcome": "REVISE", "reason": "补充冷链环节"}, "jx-secretary", "jiangxi")
    assert revision["stage"]["state"] == "DRAFTING" and revision["versionNo"] == 2
    events = await api.gql("query($id: ID!) { standard(id: $id) { ... on Standard { events { action toState } } } }",
                           {"id": sid})
    assert [e["action"] for e in events["standard"]["events"]] == [
        "PROPOSE", "START_DRAFTING", "OPEN_CONSULTATION", "CLOSE_CONSULTATION", "PASS_REVIEW",
        "PUBLISH", "CONFIRM"]

    # everyone concerned was told: the Fujian director has stage notifications in the inbox
    inbox = await api.gql("{ inbox(first: 50) { ... on NotificationConnection { totalCount } } }",
                          user="fj-director", zone="fujian")
    assert inbox["inbox"]["totalCount"] >= 3
