"""``viewer { reviewPanels }``: the standards whose technical review panel holds the signed-in
viewer's expert profile, newest first, through HTTP on both engines.

A Guizhou expert sits on 101 panels (standards led by Jiangxi and by Guizhou, work in progress
and published); a Jiangxi expert sits on three others, two of them work in progress that the
Guizhou expert may not see and one published that they may. The rows are written by the
operator (the test is about reading them); everything is read through the API."""

from __future__ import annotations


import pytest
from ecozone.db.pagination import encode_cursor
from ecozone.experts.models import ExpertProfile
from ecozone.projects.models import Project
from ecozone.standards.models import Ballot, PanelMember, Standard, Vote
from ecozone.tenancy.models import Zone
from sqlalchemy import select

from tests.standards.workflow_support import make_expert, people
from tests.support.api import gid

MINE = 101  # one more than the largest page
PANELS = """query($first: Int!, $after: String, $state: StandardState) { viewer {
  reviewPanels(first: $first, after: $after, state: $state) {
    __typename
    ... on StandardConnection { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { node { id titleZh titleEn designations stage { code state }
                     panel { expert { id } } ballot { round state panelSize cast myVote } } } }
    ... on ValidationFailed { code message messageZh fieldErrors { field code } } } } }"""


async def _seed(api) -> dict:
    """The people, the panels and ballots; returns the standards' ids by whose panel they are on."""
    await people(api)
    await make_expert(api, "gz-expert", "guizhou", "gz-secretary")
    await make_expert(api, "jx-expert", "jiangxi", "jx-secretary")

    async def work(session):
        zones = {z.slug: z.id for z in (await session.scalars(select(Zone))).all()}
        profiles = {p.user_id: p.id for p in (await session.scalars(select(ExpertProfile))).all()}
        gz_expert, jx_expert = profiles[api.users["gz-expert"]], profiles[api.users["jx-expert"]]
        project = Project(zone_id=zones["jiangxi"], kind="standard_development", title_zh="茶叶标准研制",
                          title_en="Tea standards", summary="研制茶叶系列标准。", proposer_id=api.users["jx-member"],
                          proposer_unit="某研究所", lead_unit="某研究所", state="in_progress", year=2026)
        session.add(project)
        await session.flush()

        def standard(n: int, lead: str, state: str) -> Standard:
            return Standard(project_id=project.id, kind="joint_local", title_zh=f"茶叶标准{n}",
                            title_en=f"Tea standard {n}", scope="范围。", lead_zone_id=zones[lead], state=state)
        mine = [standard(n, "jiangxi" if n % 2 else "guizhou", ("review", "drafting", "published")[n % 3])
                for n in range(MINE)]
        theirs = [standard(900 + n, "jiangxi", state) for n, state in enumerate(("review", "drafting", "published"))]
        session.add_all(mine + theirs)
        await session.flush()
        session.add_all([PanelMember(standard_id=s.id, expert_id=gz_expert) for s in mine])
        session.add_all([PanelMember(standard_id=s.id, expert_id=jx_expert) for s in theirs])
        # The Jiangxi expert also sits on a few of the Guizhou expert's panels: not theirs to list twice.
        session.add_all([PanelMember(standard_id=s.id, expert_id=jx_expert) for s in mine[:3]])
        ballots = [Ballot(standard_id=s.id, round=1, state="open", panel_size=2, turnout_num=3, turnout_den=4,
                          approval_num=2, approval_den=3) for s in mine if s.state == "review"]
        session.add_all(ballots)
        await session.flush()
        session.add(Vote(ballot_id=ballots[0].id, expert_id=gz_expert, choice="no", comment="缺少检测方法。"))
        session.add(Vote(ballot_id=ballots[1].id, expert_id=jx_expert, choice="yes"))
        return {"mine": [s.id for s in mine], "theirs": [s.id for s in theirs],
                "voted": ballots[0].standard_id, "other_voted": ballots[1].standard_id,
                "gz_expert": gid("Expert", gz_expert), "states": {s.id: s.state for s in mine}}
    return await api.operator(work)


@pytest.fixture
async def panels(api) -> dict:
    return await _seed(api)


async def _page(api, user: str | None, first: int = 100, after: str | None = None, state: str | None = None,
                zone: str | None = None) -> dict:
    data = await api.gql(PANELS, {"first": first, "after": after, "state": state}, user=user, zone=zone)
    return data["viewer"]["reviewPanels"]


def _ids(page: dict) -> list[str]:
    return [edge["node"]["id"] for edge in page["edges"]]


async def test_an_expert_pages_through_every_panel_newest_first_across_zones(api, panels):
    first = await _page(api, "gz-expert")
    assert first["__typename"] == "StandardConnection" and first["totalCount"] == MINE
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    newest_first = [gid("Standard", i) for i in sorted(panels["mine"], reverse=True)]
    assert _ids(first) == newest_first[:100]
    second = await _page(api, "gz-expert", after=first["pageInfo"]["endCursor"])
    assert _ids(second) == newest_first[100:] == [gid("Standard", min(panels["mine"]))]  # the 101st
    assert second["pageInfo"]["hasNextPage"] is False and second["pageInfo"]["hasPreviousPage"] is True
    assert second["totalCount"] == MINE
    # Standards led by Jiangxi are on the list of a Guizhou expert acting in Guizhou, work in progress too.
    nodes = first["edges"] + second["edges"]
    assert {e["node"]["stage"]["state"] for e in nodes} == {"REVIEW", "DRAFTING", "PUBLISHED"}
    assert all(panels["gz_expert"] in [p["expert"]["id"] for p in e["node"]["panel"]] for e in nodes)
    # Pages of 7 join up to the same list, without a gap or a repeat.
    seen, after = [], None
    while True:
        page = await _page(api, "gz-expert", first=7, after=after)
        seen += _ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == newest_first


async def test_the_latest_ballot_carries_the_experts_own_vote_only(api, panels):
    reviewing = await _page(api, "gz-expert", state="REVIEW")
    expected = sorted((i for i, s in panels["states"].items() if s == "review"), reverse=True)
    assert _ids(reviewing) == [gid("Standard", i) for i in expected]
    votes = {e["node"]["id"]: e["node"]["ballot"] for e in reviewing["edges"]}
    assert votes[gid("Standard", panels["voted"])] == {"round": 1, "state": "OPEN", "panelSize": 2, "cast": 1,
                                                       "myVote": "NO"}
    # The Jiangxi expert's vote counts in the tally but is not the Guizhou expert's.
    assert votes[gid("Standard", panels["other_voted"])]["cast"] == 1
    assert votes[gid("Standard", panels["other_voted"])]["myVote"] is None
    assert (await _page(api, "gz-expert", state="WITHDRAWN"))["totalCount"] == 0


async def test_each_person_sees_only_their_own_panels(api, panels):
    jiangxi = await _page(api, "jx-expert")
    assert _ids(jiangxi) == [gid("Standard", i) for i in sorted(panels["theirs"] + panels["mine"][:3],
                                                                 reverse=True)]
    first = await _page(api, "gz-expert")
    second = await _page(api, "gz-expert", after=first["pageInfo"]["endCursor"])
    assert not set(_ids(first) + _ids(second)) & {gid("Standard", i) for i in panels["theirs"]}
    # Anonymous, a member and a secretary without an expert profile: an empty list, not an error.
    for user in (None, "gz-member", "jx-secretary"):
        empty = await _page(api, user)
        assert empty == {"__typename": "StandardConnection", "totalCount": 0, "edges": [],
                         "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "endCursor": None}}, user
    # Acting in a zone where the expert holds no role is refused before anything runs.
    await api.zone_refused(PANELS, {"first": 5}, user="gz-expert", zone="jiangxi")


@pytest.mark.parametrize("first, after, field", [
    (0, None, "first"), (-1, None, "first"),
    (5, "zzz", "after"), (5, encode_cursor(["not-an-id"]), "after"), (5, encode_cursor([1, 2]), "after"),
])
async def test_a_lying_page_request_is_a_typed_refusal(api, panels, first, after, field):
    for user in ("gz-expert", None):
        refused = await _page(api, user, first=first, after=after)
        assert refused["__typename"] == "ValidationFailed", (user, refused)
        assert refused["fieldErrors"][0]["field"] == field and refused["messageZh"]


async def test_a_page_past_the_limit_is_refused_before_it_runs(api, panels):
    for user in ("gz-expert", None):
        huge = await api.post(PANELS, {"first": 101}, user=user)
        assert huge.json()["errors"][0]["extensions"]["code"] == "PAGE_TOO_LARGE"


async def test_a_page_costs_the_same_statements_whatever_its_size(api, panels):
    await _page(api, "gz-expert", first=1)  # a text's first sight asks whether it is a trusted document
    costs = {}
    for first in (5, 60):
        before = await api.sql_statements()
        page = await _page(api, "gz-expert", first=first)
        costs[first] = await api.sql_statements() - before
        assert len(page["edges"]) == first
    assert costs[5] == costs[60], costs
    # The account with its roles, the viewer's user and zone, the page (its count riding along),
    # zone entries, latest ballots, own votes, panels, profiles; SQLite sends its BEGIN as a statement.
    assert costs[60] <= 9 + (api.settings.database_url.startswith("sqlite")), costs
