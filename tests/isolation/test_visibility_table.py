"""README "Who sees work in progress", cell by cell, through HTTP, on SQLite and PostgreSQL.

The test reads the table from README.md (rows: objects at a stage; columns: identities) and
checks every cell against the API: one joint standard of Jiangxi (lead), Guizhou and Fujian is
taken from proposal to publication with the existing workflow helpers, and at each stage every
identity asks for what the row names — by id, in lists, through nested fields, by ``node(id:)``
and as a download. A viewer who sees must see all of it; one who does not must see none of it
(``NotFound``, absent from lists, ``null`` nodes, 404). "own": only their own rows.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tests.standards.workflow_support import (
    LEAD_UNIT,
    make_expert,
    op,
    people,
    standard_op,
)
from tests.support.api import Api, gid
from tests.support.readme_tables import NO, OWN, YES, Identity, check_table_shape
from tests.support.readme_tables import readme_table as read_table

HEADING = "### Who sees work in progress"


# README column → who asks, acting in their home zone (the acting zone is earned: DESIGN §2).
IDENTITIES = [
    Identity("anonymous", None, None),
    Identity("signed-in outsider (Hainan)", "hn-outsider", "hainan"),
    Identity("member of a participating zone", "gz-member", "guizhou"),
    Identity("lead-zone staff", "jx-secretary", "jiangxi"),
    Identity("participating-zone staff", "gz-director", "guizhou"),
    Identity("drafting group", "jx-drafter", "jiangxi"),
    Identity("panel expert", "hn-expert", "hainan"),
    Identity("comment author", "hn-author", "hainan"),
]


def readme_table() -> tuple[list[str], dict[str, dict[str, str]]]:
    return read_table(HEADING, "object")


def test_the_table_names_every_identity_and_object():
    check_table_shape(*readme_table(), IDENTITIES, PROBES)


# ------------------------------------------------------------------------------ the story

@dataclass
class Story:
    api: Api
    proposed_project: str = ""
    project: str = ""
    join_request: str = ""
    standard: str = ""
    versions: tuple[str, ...] = ()
    consultation: str = ""
    comments: int = 0
    stage: int = 0


STANDARD = """query($id: ID!) {
  standard(id: $id) { __typename ... on Standard {
    id stage { code } zones { zone { slug } decision } events { action }
    versions { id number } panel { addedAt } ballot { round cast }
    consultation { id } DIFF } }
  standards(first: 100) { ... on StandardConnection { edges { node { id } } } }
}"""
NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
CONSULTATION = """query($id: ID!) {
  consultation(id: $id) { __typename ... on Consultation {
    comments(first: 50) { ... on ConsultationCommentConnection { totalCount edges { node { id isMine } } } }
    summaryRows(first: 50) { ... on CommentSummaryRowConnection { totalCount } } } }
}"""
PROJECT = """query($id: ID!) {
  project(id: $id) { __typename ... on Project { id workingGroup { role } events { action } } }
  projects(first: 100) { ... on ProjectConnection { edges { node { id } } } }
}"""


async def ask(api: Api, who: Identity, query: str, variables: dict) -> dict:
    return await api.gql(query, variables, user=who.user, zone=who.zone)


def verdict(seen: list[bool], *, own: bool = False) -> str:
    """✓ when every probe saw, ✗ when none did; anything in between is a partial leak."""
    if own:
        return OWN
    if all(seen):
        return YES
    if not any(seen):
        return NO
    return f"partly ({seen})"


async def probe_project(story: Story, who: Identity, project_id: str) -> str:
    data = await ask(story.api, who, PROJECT, {"id": project_id})
    found = data["project"]["__typename"] == "Project"
    listed = project_id in {e["node"]["id"] for e in data["projects"]["edges"]}
    node = (await ask(story.api, who, NODE, {"id": project_id}))["node"] is not None
    return verdict([found, listed, node] + ([bool(data["project"]["workingGroup"]),
                                             bool(data["project"]["events"])] if found else []))


async def probe_proposed_project(story: Story, who: Identity) -> str:
    return await probe_project(story, who, story.proposed_project)


async def probe_approved_project(story: Story, who: Identity) -> str:
    return await probe_project(story, who, story.project)


async def probe_join_request(story: Story, who: Identity) -> str:
    node = (await ask(story.api, who, NODE, {"id": story.join_request}))["node"]
    if node is not None and who.user == "hn-author":
        return OWN  # the requester: their own request
    return verdict([node is not None])


async def probe_standard(story: Story, who: Identity) -> str:
    """The standard by id, in the list, its child rows by nested fields and drafts by node."""
    diff = "diff(fromVersion: 1, toVersion: 2)" if story.stage >= 20 else ""
    data = await ask(story.api, who, STANDARD.replace("DIFF", diff), {"id": story.standard})
    standard = data["standard"]
    seen = [standard["__typename"] == "Standard",
            story.standard in {e["node"]["id"] for e in data["standards"]["edges"]}]
    if standard["__typename"] == "Standard":
        assert standard["stage"]["code"] == story.stage
        seen += [len(standard["zones"]) == 3, bool(standard["events"])]
        if story.stage >= 20:
            seen += [len(standard["versions"]) == 2, "+2 术语和定义" in standard["diff"]]
        if story.stage >= 40:
            seen += [bool(standard["panel"]), (standard["ballot"] or {}).get("cast") == 3]
    elif story.stage >= 20:
        seen += [False]  # nothing nested to read: the drafts by id below must be hidden too
    for version in story.versions:
        seen.append((await ask(story.api, who, NODE, {"id": version}))["node"] is not None)
    return verdict(seen)


async def probe_consultation(story: Story, who: Identity) -> str:
    """The consultation by id with its comments and summary rows, and the CSV download."""
    consultation = (await ask(story.api, who, CONSULTATION, {"id": story.consultation}))["consultation"]
    number = int(base64.b64decode(story.consultation).decode().split(":")[1])
    response = await story.api.client.get(f"/exports/consultations/{number}/comments.csv",
                                          headers=story.api.headers(who.user, who.zone))
    if consultation["__typename"] != "Consultation":
        assert consultation["__typename"] == "NotFound", consultation
        return verdict([False, response.status_code == 200])
    assert response.status_code == 200, response.text
    csv_rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    comments = consultation["comments"]["edges"]
    counts = {consultation["comments"]["totalCount"], consultation["summaryRows"]["totalCount"],
              len(csv_rows)}
    if counts == {story.comments}:
        return YES
    if counts == {1} and all(e["node"]["isMine"] for e in comments):
        return OWN
    return f"partly ({counts} of {story.comments} comments)"


PROBES: dict[str, tuple[Callable[[Story, Identity], Awaitable[str]], str]] = {
    # README row → (probe, the stage at which it is asked: see the story below)
    "project, proposed (before approval)": (probe_proposed_project, "proposal"),
    "project, approved onwards": (probe_approved_project, "proposal"),
    "join request to a project": (probe_join_request, "proposal"),
    "standard in 10 proposal: title, zones, events": (probe_standard, "proposal"),
    "standard in 20 drafting, with its drafts and diff": (probe_standard, "drafting"),
    "standard in 30 consultation, with its drafts": (probe_standard, "consultation"),
    "consultation in 30, its comments and summary export": (probe_consultation, "consultation"),
    "standard in 40 technical review: panel, ballot, votes": (probe_standard, "review"),
    "consultation after it closed, its comments and summary export": (probe_consultation, "review"),
    "standard in 50 joint approval: each zone's decision": (probe_standard, "approval"),
    "standard in 60 published, with its drafts, decisions, panel, ballot": (probe_standard, "published"),
}


async def check(story: Story, moment: str, rows: dict[str, dict[str, str]], wrong: list[str]) -> None:
    for row, (probe, at) in PROBES.items():
        if at != moment:
            continue
        for who in IDENTITIES:
            expected, got = rows[row][who.column], await probe(story, who)
            if got != expected:
                wrong.append(f"{row} × {who.column}: README says {expected}, the API answers {got}")


async def test_every_cell_of_the_readme_table(api):
    _, rows = readme_table()
    wrong: list[str] = []
    story = Story(api)
    await people(api)
    for username, zone in (("hn-outsider", "hainan"), ("hn-author", "hainan"),
                           ("fj-commenter", "fujian")):
        await api.add_user(username, zone)
    panel = [await make_expert(api, "hn-expert", "hainan", "hn-director"),
             await make_expert(api, "fj-expert2", "fujian", "fj-director"),
             await make_expert(api, "fj-expert3", "fujian", "fj-director")]

    # A project still proposed (its proposer and a drafter in its working group), and a
    # standard-development project approved, on notice, with a join request of the author.
    project_fields = "__typename ... on Project { id } ... on Failure { code message }"
    proposal = {"kind": "STANDARD_DEVELOPMENT", "summary": "研制茶叶全链条追溯数据采集规范。",
                "proposerUnit": LEAD_UNIT}
    story.proposed_project = (await op(api, "proposeProject", "ProposeProjectInput",
                                       {**proposal, "titleZh": "尚在申报的项目", "titleEn": "Still proposed"},
                                       project_fields, "jx-member", "jiangxi"))["id"]
    story.project = (await op(api, "proposeProject", "ProposeProjectInput",
                              {**proposal, "titleZh": "茶叶追溯联合标准研制", "titleEn": "Joint tea standard"},
                              project_fields, "jx-member", "jiangxi"))["id"]
    for project_id in (story.proposed_project, story.project):
        added = await op(api, "addWorkingGroupMember", "AddWorkingGroupMemberInput", {
            "projectId": project_id, "role": "DRAFTER", "unitName": LEAD_UNIT,
            "userId": gid("User", api.users["jx-drafter"])}, "__typename", "jx-member", "jiangxi")
        assert added["__typename"] == "WorkingGroupMember", added
    for action in ("approveProject", "openProjectNotice"):
        done = await op(api, action, action[0].upper() + action[1:] + "Input", {"id": story.project},
                        project_fields, "jx-secretary", "jiangxi")
        assert done["__typename"] == "Project", done
    joined = await op(api, "requestToJoinProject", "RequestToJoinProjectInput",
                      {"projectId": story.project, "unitName": "海南省某研究院"},
                      "__typename ... on JoinRequest { id } ... on Failure { message }",
                      "hn-author", "hainan")
    story.join_request = joined["id"]

    # 10 proposal
    created = await standard_op(api, "createStandard", {
        "projectId": story.project, "kind": "JOINT_LOCAL", "titleZh": "茶叶追溯数据采集规范",
        "titleEn": "Tea traceability data collection", "scope": "适用于茶叶生产、加工和流通环节。",
        "participatingZones": ["guizhou", "fujian"]}, "jx-secretary", "jiangxi")
    story.standard, story.stage = created["id"], 10
    await check(story, "proposal", rows, wrong)

    # 20 drafting: two drafts by the drafting group
    await standard_op(api, "startDrafting", {"id": story.standard}, "jx-secretary", "jiangxi")
    versions = []
    for text, note in (("1 范围\n2 术语\n", "初稿"), ("1 范围\n2 术语和定义\n", "修改术语")):
        version = await op(api, "addDraftVersion", "AddDraftVersionInput",
                           {"standardId": story.standard, "text": text, "changeNote": note},
                           "__typename ... on StandardVersion { id }", "jx-drafter", "jiangxi")
        versions.append(version["id"])
    story.versions, story.stage = tuple(versions), 20
    await check(story, "drafting", rows, wrong)

    # 30 consultation: two comments, one of them by the comment author
    opened = await api.gql("""mutation($id: ID!) { openStandardConsultation(input: {id: $id}) {
        ... on Standard { consultation { id } } } }""", {"id": story.standard},
                           user="jx-secretary", zone="jiangxi")
    story.consultation = opened["openStandardConsultation"]["consultation"]["id"]
    comment_ids = []
    for author, zone in (("hn-author", "hainan"), ("fj-commenter", "fujian")):
        posted = await op(api, "postComment", "PostCommentInput", {
            "consultationId": story.consultation, "clause": "2", "text": "建议补充“追溯码”的定义。",
            "proposerUnit": "某研究所"}, "__typename ... on ConsultationComment { id }", author, zone)
        comment_ids.append(posted["id"])
    story.comments, story.stage = 2, 30
    await check(story, "consultation", rows, wrong)

    # 40 technical review: every comment decided, a panel of three, three votes
    for comment_id in comment_ids:
        await op(api, "decideComment", "DecideCommentInput", {"id": comment_id, "decision": "ADOPTED"},
                 "__typename", "jx-drafter", "jiangxi")
    closed = await standard_op(api, "closeStandardConsultation", {"id": story.standard},
                               "jx-secretary", "jiangxi")
    assert closed["stage"]["code"] == 40, closed
    for expert in panel:
        added = await standard_op(api, "addPanelExpert", {"standardId": story.standard, "expertId": expert},
                                  "jx-secretary", "jiangxi")
        assert added["__typename"] == "Standard", added
    await standard_op(api, "openBallot", {"id": story.standard}, "jx-secretary", "jiangxi")
    for voter, zone in (("hn-expert", "hainan"), ("fj-expert2", "fujian"), ("fj-expert3", "fujian")):
        voted = await standard_op(api, "castVote", {"standardId": story.standard, "choice": "YES"},
                                  voter, zone)
        assert voted["__typename"] == "Standard", voted
    story.stage = 40
    await check(story, "review", rows, wrong)

    # 50 joint approval: one zone signed so far
    passed = await standard_op(api, "closeBallot", {"id": story.standard}, "jx-secretary", "jiangxi")
    assert passed["stage"]["code"] == 50, passed
    await standard_op(api, "signStandard", {"id": story.standard}, "jx-director", "jiangxi")
    story.stage = 50
    await check(story, "approval", rows, wrong)

    # 60 published
    for director, zone in (("gz-director", "guizhou"), ("fj-director", "fujian")):
        signed = await standard_op(api, "signStandard", {"id": story.standard}, director, zone)
        assert signed["__typename"] == "Standard", signed
    published = await standard_op(api, "publishStandard", {
        "id": story.standard, "releaseDate": "2026-12-01", "implementationDate": "2027-03-01"},
        "jx-secretary", "jiangxi")
    assert published["stage"]["code"] == 60, published
    story.stage = 60
    await check(story, "published", rows, wrong)

    assert not wrong, "README “Who sees work in progress” and the API disagree:\n" + "\n".join(wrong)


def test_the_table_parser_reads_the_cells():
    _, rows = readme_table()
    cell = rows["standard in 20 drafting, with its drafts and diff"]
    assert cell["member of a participating zone"] == NO and cell["drafting group"] == YES
    assert re.fullmatch(r"[✓✗]|own", rows["join request to a project"]["comment author"])
