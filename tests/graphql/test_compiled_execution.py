"""The compiled execution plans (web/compiled_execution.py) answer byte for byte what the plain
path answers: the bench's Q1–Q4, every document of the portal and variations (aliases, named and
inline fragments, ``__typename`` at every level, ``@skip``/``@include`` driven by variables,
nested pagination, field errors inside lists, a null bubbling through a non-null field), for an
anonymous caller, a signed-in member and the home zone's staff (who see private fields), on
SQLite and PostgreSQL. "Plain" is the same view with the compiled plans off, and again with
graphql-core executing every field itself."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from ecozone.db.engine import create_engine, transaction
from ecozone.db.scoping import Scope
from ecozone.demo import load_demo
from ecozone.demo.scale import load_scale
from ecozone.web.execution import executor_for

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from cpu_profile import bench_documents

Q1, Q2, Q3 = (bench_documents()[name] for name in ("Q1", "Q2", "Q3"))

PORTAL = ROOT / "platform" / "ecozone" / "portal" / "documents"

VARIATIONS = [
    # aliases, the same field twice under two names, __typename at every level
    """query V1 { __typename a: experts(first: 40) { __typename ... on ExpertConnection { __typename
        n: totalCount pageInfo { __typename hasNextPage } edges { __typename c: cursor node { __typename
          id name: nameZh nameZh alias2: nameZh state isChief title email phone availability fields
          cats: categories { __typename code nameEn } homeZone { __typename slug }
          visibility { field visibility } conflicts { unitName relation } } } } }
      b: experts(first: 3, filter: {chief: false}) { ... on ExpertConnection { edges { node { id } } } } }""",
    # named and inline fragments, nested and overlapping; union members through Failure
    """query V2 { standards(first: 12) { ...page ... on Failure { code message messageZh } } }
      fragment page on StandardConnection { totalCount edges { cursor node { ...std ... on Standard {
        titleEn stage { ...stage } } } } }
      fragment std on Standard { id number titleZh designations zones { ...approval } latestVersion { number }
        ballot { round state cast yes no abstain passesNow needsEn needsZh myVote turnout approval }
        commentCount category { code nameZh } leadZone { slug } }
      fragment approval on ZoneApproval { isLead decision reason decidedAt zone { slug nameEn } decidedBy { id } }
      fragment stage on Stage { code state nameZh nameEn }""",
    # @skip / @include by variables, the same document with both values
    """query V3($withZones: Boolean!, $skipCount: Boolean!, $first: Int!) {
      standards(first: $first) { ... on StandardConnection {
        totalCount @skip(if: $skipCount)
        edges { node { id zones @include(if: $withZones) { isLead zone { slug } }
          stage { code } commentCount @skip(if: $skipCount) } } } } }""",
    # nested pagination: every standard's uptake page, every expert's own lists
    """query V4 { standards(first: 8) { ... on StandardConnection { edges { node { id
        uptake(first: 2) { ... on UptakeRecordConnection { totalCount pageInfo { hasNextPage endCursor }
          edges { cursor node { __typename } } } ... on Failure { code } }
        versions { number changeNote createdAt } events { action fromState toState reason } panel { addedAt expert { id nameZh } }
        consultation { id acceptingComments } revisionOf { id } project { id titleZh } } } } } }""",
    # a field error (a diff between drafts that do not exist) bubbling through non-null fields
    # to the response (data: null); one item only: with several, the failing fields' siblings are
    # cancelled mid-statement on the request's one session and the request hangs (plain path too)
    """query V5 { standards(first: 1) { ... on StandardConnection { edges { node { id
        diff(fromVersion: 1, toVersion: 99) titleEn } } } } }""",
    # objects by id (nothing prefetched: the loaders run on their own) and the node interface
    """query V6($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Expert { nameZh fields categories { code } }
        ... on Standard { titleEn zones { zone { slug } } ballot { cast myVote } commentCount } } }""",
]


def _portal_documents() -> list[tuple[str, str]]:
    return sorted((p.stem, p.read_text()) for p in PORTAL.glob("*.graphql"))


@pytest.fixture
async def demo_api(api, database):
    engine = create_engine(database.operator_url, pool_size=2)
    try:
        async with transaction(engine, Scope.system()) as session:
            await load_demo(session)
        await load_scale(engine, 0.005, progress=lambda _line: None)  # 100 experts, 25 standards more
    finally:
        await engine.dispose()
    await api.add_user("compiled-member", "jiangxi", "member")
    await api.add_user("compiled-secretary", "jiangxi", "secretary")
    return api


async def _both_ways(api, query: str, variables: dict | None, user: str | None) -> bytes:
    """The answer with the compiled plans, after asserting the plain paths' bytes are the same."""
    view = api.client._transport.app.state.graphql_view
    compiled_class = view.executor_class
    assert compiled_class.__name__.startswith("Compiled")
    answers = []
    for executor_class in (compiled_class, executor_for(view.schema, compiled=False),
                           executor_for(view.schema, read_plain_leaves=False)):
        view.executor_class = executor_class
        try:
            response = await api.post(query, variables, user=user)
        finally:
            view.executor_class = compiled_class
        assert response.status_code == 200, response.text
        answers.append(response.content)
    assert answers[0] == answers[1] == answers[2], (query[:80], user, answers[0][:300], answers[1][:300])
    return answers[0]


async def _variables_for(api, user: str | None) -> dict[str, dict]:
    """Variables of the portal's documents, taken from the demo's own answers."""
    data = (await api.gql("""{ standards(first: 30) { ... on StandardConnection { edges { node { id
          project { id } category { code } } } } }
        experts(first: 1) { ... on ExpertConnection { edges { node { id } } } }
        councilPublications(first: 1) { ... on CouncilPublicationConnection { edges { node { id } } } } }""",
                          user=user))
    standards = [e["node"] for e in data["standards"]["edges"]]
    project = next((s["project"]["id"] for s in standards if s["project"]), "UHJvamVjdDox")
    category = next((s["category"]["code"] for s in standards if s["category"]), "TEA")
    publications = data["councilPublications"]["edges"]
    return {"standard": {"id": standards[0]["id"]}, "project": {"id": project},
            "catalog": {"category": category}, "certificate": {"code": "NOT-A-CODE-1"},
            "council_publication": {"id": publications[0]["node"]["id"] if publications else standards[0]["id"]},
            "home": {"zone": "jiangxi", "year": 2026}, "council": {"zone": "jiangxi"},
            "notices": {"zone": None}, "statistics": {"year": 2026},
            "experts": {"filter": {"category": category}},
            "standards": {"filter": {}},
            "ids": [standards[0]["id"], standards[-1]["id"], data["experts"]["edges"][0]["node"]["id"]]}


async def test_the_compiled_plans_answer_what_the_plain_path_answers(demo_api):
    for user in (None, "compiled-member", "compiled-secretary"):  # field visibility differs
        await _every_document(demo_api, user)


async def _every_document(api, user: str | None) -> None:
    variables = await _variables_for(api, user)
    q2 = await _both_ways(api, Q2, {}, user)
    assert b'"errors"' not in q2 and q2.count(b'"nameZh"') > 100
    after = json.loads(q2)["data"]["experts"]["pageInfo"]["endCursor"]
    await _both_ways(api, Q2, {"after": after}, user)  # Q4: the next page
    q3 = await _both_ways(api, Q3, {}, user)
    assert b'"errors"' not in q3 and b'"ballot":{' in q3 and b'"zones":[{' in q3
    await _both_ways(api, Q1, {"number": 1}, user)
    for name, text in _portal_documents():
        answer = await _both_ways(api, text, variables.get(name, {}), user)
        assert answer.startswith(b'{"data":{'), (name, answer[:300])
    for query in VARIATIONS:
        if "$withZones" in query:
            for with_zones in (True, False):
                await _both_ways(api, query, {"withZones": with_zones, "skipCount": not with_zones,
                                              "first": 9}, user)
        elif "$ids" in query:
            await _both_ways(api, query, {"ids": variables["ids"]}, user)
        else:
            await _both_ways(api, query, None, user)
    failed = json.loads(await _both_ways(api, VARIATIONS[4], None, user))
    assert failed["data"] is None and failed["errors"][0]["path"][-1] == "diff"
    expert = json.loads(await _both_ways(api, VARIATIONS[0], None, user))["data"]["a"]["edges"]
    # the viewer's visibility reached the answer: only the home zone's staff see the settings
    assert any(e["node"]["visibility"] is not None for e in expert) == (user == "compiled-secretary")
