"""Zones stay apart against a hostile client (issue 13): every identity × every X-Zone value.

Each of the 16 demo identities and an anonymous visitor sends the private lists, the work in
progress of every zone (standards, projects, consultations) and every zone-private row by
``node(id:)``, with X-Zone set to each of the four zones, an unknown zone, and none. A user
acts only where the app must let them (``acting_as``): elsewhere the answer is a 403 with
ZONE_FORBIDDEN and nothing else; every 200 is checked object by object (``leaks.py``).
"""

from __future__ import annotations

import graphql
from sqlalchemy import select

from ecozone.audit.models import AuditEntry
from ecozone.settings import PROJECT_ROOT
from ecozone.standards.models import Standard
from tests.isolation.conftest import ZONE_HEADERS, acting_as
from tests.isolation.leaks import find_leaks, identified, node_models, walk, zone_private_type_names
from tests.isolation.test_private_reads import PRIVATE_LISTS
from tests.support.api import gid

SCHEMA = graphql.build_schema((PROJECT_ROOT / "schema" / "schema.graphql").read_text())
WORK_IN_PROGRESS = identified("""{
  standards(first: 100) { ... on StandardConnection { edges { node { id titleZh stage { code } } } } }
  projects(first: 100) { ... on ProjectConnection { edges { node { id titleZh state } } } }
}""", SCHEMA)
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Node { id } } }"


async def _ids(api) -> list[str]:
    """Every zone-private row and every standard (all stages, all zones) as global IDs."""
    async def work(session):
        models = node_models()
        ids = []
        for type_name in sorted(zone_private_type_names()):
            rows = (await session.scalars(select(models[type_name].id).order_by(models[type_name].id)
                                          .limit(40))).all()
            ids.extend(gid(type_name, r) for r in rows)
        ids.extend(gid("Standard", r) for r in (await session.scalars(select(Standard.id))).all())
        return ids
    return await api.operator(work)


def _refused_properly(response, status: int) -> str | None:
    if response.status_code != status:
        return f"HTTP {response.status_code} instead of {status}: {response.text[:300]}"
    body = response.json()
    codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors", [])]
    expected = "ZONE_FORBIDDEN" if status == 403 else "UNKNOWN_ZONE"
    if "data" in body or codes != [expected]:
        return f"HTTP {status} with {body}"
    return None


async def test_every_identity_with_every_zone_header(demo_api, identities):
    ids = await _ids(demo_api)
    assert len(ids) > 50
    pages = [(NODES, {"ids": ids[i:i + 100]}) for i in range(0, len(ids), 100)]
    problems: list[str] = []
    seen_private = 0
    for identity in identities:
        for header in ZONE_HEADERS:
            expected = acting_as(identity, header)
            for query, variables in [(PRIVATE_LISTS, None), (WORK_IN_PROGRESS, None), *pages]:
                response = await demo_api.post(query, variables, user=identity.username, zone=header)
                who = f"{identity.label} with X-Zone {header}"
                if isinstance(expected, int):
                    problem = _refused_properly(response, expected)
                    if problem:
                        problems.append(f"{who}: {problem}")
                    continue
                if response.status_code != 200:
                    problems.append(f"{who}: HTTP {response.status_code}: {response.text[:300]}")
                    continue
                seen = walk(response.json().get("data"))
                seen_private += sum(1 for s in seen if s.zone_ref is not None
                                    or s.type_name in zone_private_type_names())
                found = await demo_api.operator(lambda s, seen=seen: find_leaks(
                    s, expected, None if expected.zone_id is None else identity.zone_slug, seen))
                problems.extend(f"{who}: {leak}" for leak in found)
    assert not problems, "\n".join(problems[:30])
    assert seen_private > 0  # the staff saw their own private rows: the check can fail


async def test_every_refusal_of_a_foreign_zone_is_audited(demo_api, identities):
    """The refused zone's chain holds one denied zone.act row per refused request."""
    async def count(session):
        return len((await session.scalars(select(AuditEntry.id).where(
            AuditEntry.action == "zone.act", AuditEntry.outcome == "denied"))).all())
    before = await demo_api.operator(count)
    refused = 0
    for identity in identities:
        for header in ZONE_HEADERS:
            if acting_as(identity, header) == 403:
                response = await demo_api.post("{ viewer { roles } }", user=identity.username,
                                               zone=header)
                assert response.status_code == 403
                refused += 1
    assert refused == 16 * 3
    assert await demo_api.operator(count) - before == refused
