"""``viewer { comments }``: the comments the signed-in viewer wrote, newest first, through HTTP on
both engines.

A Guizhou expert wrote 101 comments: 60 on a Jiangxi standard's consultation that is over (the
standard is work in progress again, seen by its people only, yet its commenters keep their
comments) and 41 on a Guizhou standard's open consultation, three of them withdrawn. A Jiangxi
member commented on both. The rows are written by the operator (the test is about reading
them); everything is read through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.consultation.models import Comment, Consultation
from ecozone.db.pagination import encode_cursor
from ecozone.projects.models import Project
from ecozone.standards.models import Standard
from ecozone.tenancy.models import Zone
from sqlalchemy import select

from tests.support.api import gid

MINE = 101  # one more than the largest page
COMMENTS = """query($first: Int!, $after: String) { viewer { comments(first: $first, after: $after) {
  __typename
  ... on ConsultationCommentConnection { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { node { id seq clause text isMine withdrawnAt decision consultation { id titleZh state } } } }
  ... on ValidationFailed { code message messageZh fieldErrors { field code } } } } }"""


async def _seed(api) -> dict:
    await api.add_user("gz-expert", "guizhou", "expert")
    await api.add_user("jx-member", "jiangxi", "member")
    await api.add_user("gz-member", "guizhou", "member")

    async def work(session):
        zones = {z.slug: z.id for z in (await session.scalars(select(Zone))).all()}
        expert, member = api.users["gz-expert"], api.users["jx-member"]
        project = Project(zone_id=zones["jiangxi"], kind="standard_development", title_zh="茶叶标准研制",
                          title_en="Tea standards", summary="研制茶叶系列标准。", proposer_id=member,
                          proposer_unit="某研究所", lead_unit="某研究所", state="in_progress", year=2026)
        session.add(project)
        await session.flush()
        drafting = Standard(project_id=project.id, kind="joint_local", title_zh="茶叶采摘规范", title_en="Tea picking",
                            scope="范围。", lead_zone_id=zones["jiangxi"], state="drafting")
        consulting = Standard(project_id=project.id, kind="group", title_zh="茶叶储存规范", title_en="Tea storage",
                              scope="范围。", lead_zone_id=zones["guizhou"], state="consultation")
        session.add_all([drafting, consulting])
        await session.flush()
        over = Consultation(subject_type="standard", subject_id=drafting.id, zone_id=zones["jiangxi"],
                            title_zh="《茶叶采摘规范》（征求意见稿）", title_en="Tea picking (draft)", days=30,
                            deadline=dt.date(2026, 4, 1), state="closed")
        running = Consultation(subject_type="standard", subject_id=consulting.id, zone_id=zones["guizhou"],
                               title_zh="《茶叶储存规范》（征求意见稿）", title_en="Tea storage (draft)", days=30,
                               deadline=dt.date(2026, 12, 31), state="open")
        session.add_all([over, running])
        await session.flush()
        mine: list[Comment] = []
        seqs = {over.id: 0, running.id: 0}

        def comment(consultation: Consultation, author: int, n: int) -> Comment:
            seqs[consultation.id] += 1
            return Comment(consultation_id=consultation.id, seq=seqs[consultation.id], clause=f"5.{n}",
                           text=f"意见{n}", proposer_unit="某大学", author_id=author)
        for n in range(MINE):
            if n % 20 == 0:
                session.add(comment(over if n < 60 else running, member, 1000 + n))
            mine.append(comment(over if n < 60 else running, expert, n))
            session.add(mine[-1])
            await session.flush()  # ids in the order written
        for withdrawn in mine[-3:]:
            withdrawn.withdrawn_at = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
        over.last_seq, running.last_seq = seqs[over.id], seqs[running.id]
        return {"mine": [c.id for c in mine], "withdrawn": [c.id for c in mine[-3:]],
                "over": gid("Consultation", over.id), "running": gid("Consultation", running.id)}
    return await api.operator(work)


@pytest.fixture
async def comments(api) -> dict:
    return await _seed(api)


async def _page(api, user: str | None, first: int = 100, after: str | None = None) -> dict:
    return (await api.gql(COMMENTS, {"first": first, "after": after}, user=user))["viewer"]["comments"]


def _ids(page: dict) -> list[str]:
    return [edge["node"]["id"] for edge in page["edges"]]


async def test_the_author_pages_through_every_comment_newest_first(api, comments):
    first = await _page(api, "gz-expert")
    assert first["__typename"] == "ConsultationCommentConnection" and first["totalCount"] == MINE
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    newest_first = [gid("ConsultationComment", i) for i in sorted(comments["mine"], reverse=True)]
    assert _ids(first) == newest_first[:100]
    second = await _page(api, "gz-expert", after=first["pageInfo"]["endCursor"])
    assert _ids(second) == newest_first[100:] == [gid("ConsultationComment", min(comments["mine"]))]
    assert second["pageInfo"]["hasNextPage"] is False and second["totalCount"] == MINE
    nodes = [e["node"] for e in first["edges"] + second["edges"]]
    assert all(n["isMine"] for n in nodes)
    withdrawn = {gid("ConsultationComment", i) for i in comments["withdrawn"]}
    assert {n["id"] for n in nodes if n["withdrawnAt"]} == withdrawn
    # Both consultations, the one whose standard went back to drafting too (seen by its commenters).
    by_consultation = {}
    for n in nodes:
        by_consultation.setdefault(n["consultation"]["id"], []).append(n)
    assert {k: len(v) for k, v in by_consultation.items()} == {comments["over"]: 60, comments["running"]: 41}
    assert by_consultation[comments["over"]][0]["consultation"]["titleZh"] == "《茶叶采摘规范》（征求意见稿）"


async def test_nobody_else_sees_them_in_their_list(api, comments):
    others = await _page(api, "jx-member")
    assert others["totalCount"] == 6 and all(e["node"]["isMine"] for e in others["edges"])
    assert not set(_ids(others)) & {gid("ConsultationComment", i) for i in comments["mine"]}
    for user in (None, "gz-member"):  # anonymous; signed in without a comment
        empty = await _page(api, user)
        assert empty == {"__typename": "ConsultationCommentConnection", "totalCount": 0, "edges": [],
                         "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "endCursor": None}}, user


@pytest.mark.parametrize("first, after, field", [
    (0, None, "first"), (-5, None, "first"),
    (5, "zzz", "after"), (5, encode_cursor(["not-an-id"]), "after"), (5, encode_cursor([1, 2]), "after"),
])
async def test_a_lying_page_request_is_a_typed_refusal(api, comments, first, after, field):
    for user in ("gz-expert", None):
        refused = await _page(api, user, first=first, after=after)
        assert refused["__typename"] == "ValidationFailed", (user, refused)
        assert refused["fieldErrors"][0]["field"] == field and refused["messageZh"]
    huge = await api.post(COMMENTS, {"first": 101}, user="gz-expert")
    assert huge.json()["errors"][0]["extensions"]["code"] == "PAGE_TOO_LARGE"


async def test_a_page_costs_the_same_statements_whatever_its_size(api, comments):
    await _page(api, "gz-expert", first=1)  # a text's first sight asks whether it is a trusted document
    costs = {}
    for first in (5, 80):
        before = await api.sql_statements()
        page = await _page(api, "gz-expert", first=first)
        costs[first] = await api.sql_statements() - before
        assert len(page["edges"]) == first
    assert costs[5] == costs[80], costs
    # The account with its roles, the viewer's user and zone, the page (its count riding along),
    # the consultations; SQLite sends its BEGIN as a statement.
    assert costs[80] <= 5 + (api.settings.database_url.startswith("sqlite")), costs
