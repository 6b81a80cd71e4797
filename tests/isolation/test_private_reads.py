"""Every zone-private row, asked for directly, is seen in its own zone and nowhere else.

The random queries of ``test_properties.py`` rarely reach private rows (they need valid
arguments along the way); this test asks for them on purpose, deterministically: every
zone-private Node type's rows of every zone by ``node(id:)``, and the private lists, as each of
the 16 identities and anonymously. It also checks the other side — the staff of a zone do see
their own private rows — so that a test which sees nothing cannot pass.
"""

from __future__ import annotations

import datetime as dt

import graphql
from sqlalchemy import select

from ecozone.governance.models import MemberUnit
from ecozone.settings import PROJECT_ROOT
from ecozone.tenancy.models import Zone
from tests.isolation.leaks import find_leaks, identified, node_models, walk, zone_private_type_names
from tests.support.api import gid

SCHEMA = graphql.build_schema((PROJECT_ROOT / "schema" / "schema.graphql").read_text())
ROWS_PER_TYPE_AND_ZONE = 2
NODE = "query($id: ID!) { node(id: $id) { __typename ... on Node { id } } }"
PRIVATE_LISTS = identified("""{
  roleAssignments(first: 100) { ... on RoleAssignmentConnection { edges { node { id role } } } }
  auditLog(first: 100) { ... on AuditEntryConnection { edges { node { chain seq action } } } }
  councilMemberUnits(first: 100) { ... on CouncilMemberUnitConnection { edges { node { id nameZh } } } }
  councilOfficers(first: 100) { ... on CouncilOfficerConnection { edges { node { id office } } } }
  councilMeetings(first: 100) { ... on CouncilMeetingConnection { edges { node { id titleZh } } } }
}""", SCHEMA)


async def _private_ids(api) -> dict[str, list[tuple[str, int]]]:
    """A council unit in every zone, then up to two rows of every zone-private type per zone."""
    async def work(session):
        zones = (await session.scalars(select(Zone).order_by(Zone.id))).all()
        for n, zone in enumerate(zones):
            uscc = f"9136010000000{n:04d}X"
            if await session.scalar(select(MemberUnit.id).where(MemberUnit.uscc == uscc)):
                continue  # the module's database is shared by both tests
            session.add(MemberUnit(zone_id=zone.id, name_zh=f"隔离测试单位{n}", name_en=f"Isolation unit {n}",
                                   uscc=uscc, unit_type="enterprise",
                                   head_name="负责人", state="active", applied_on=dt.date(2025, 1, 2),
                                   joined_on=dt.date(2025, 1, 2)))
        await session.flush()
        slugs = {z.id: z.slug for z in zones}
        found: dict[str, list[tuple[str, int]]] = {slug: [] for slug in slugs.values()}
        models = node_models()
        for type_name in sorted(zone_private_type_names()):
            model = models[type_name]
            for zone_id, slug in slugs.items():
                rows = (await session.scalars(select(model.id).where(model.zone_id == zone_id)
                                              .order_by(model.id).limit(ROWS_PER_TYPE_AND_ZONE))).all()
                found[slug].extend((type_name, row) for row in rows)
        return found
    return await api.operator(work)


async def test_private_rows_by_id_are_seen_only_in_their_zone(demo_api, identities):
    by_zone = await _private_ids(demo_api)
    assert all(any(t == "CouncilMemberUnit" for t, _ in rows) for rows in by_zone.values())
    for identity in identities:
        for owner, rows in by_zone.items():
            for type_name, row_id in rows:
                response = await demo_api.post(NODE, {"id": gid(type_name, row_id)},
                                               user=identity.username, zone=identity.zone_slug)
                assert response.status_code == 200, response.text
                node = response.json()["data"]["node"]
                if owner != identity.zone_slug:
                    assert node is None, f"{identity.label} read {type_name} {row_id} of {owner}"
                elif identity.label.endswith("/director") and type_name == "CouncilMemberUnit":
                    assert node is not None, f"{identity.label} cannot read its own council unit"


async def test_private_lists_show_the_acting_zone_only_and_staff_see_their_own(demo_api, identities):
    await _private_ids(demo_api)
    own_rows: dict[str, int] = {}
    for identity in identities:
        response = await demo_api.post(PRIVATE_LISTS, user=identity.username, zone=identity.zone_slug)
        assert response.status_code == 200, response.text
        body = response.json()
        assert not [e for e in body.get("errors", []) if e.get("extensions", {}).get("code") != "FORBIDDEN"]
        seen = walk(body["data"])

        async def leaks(session, identity=identity, seen=seen):
            return await find_leaks(session, identity.scope, identity.zone_slug, seen)
        assert await demo_api.operator(leaks) == [], identity.label
        own_rows[identity.label] = len(seen)
    for zone in ("jiangxi", "guizhou", "fujian", "hainan"):
        assert own_rows[f"{zone}/director"] > 0 and own_rows[f"{zone}/secretary"] > 0
    assert own_rows["anonymous"] == 0
