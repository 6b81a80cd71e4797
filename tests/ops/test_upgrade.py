"""Upgrading a database that holds data (issue 21): stop at an earlier migration, fill the
database with rows written as that revision's schema allows (users, zones, role assignments,
experts, a project and its standard, and audit rows written by the chain code), upgrade to
head, and find every row as it was and every audit chain verifying. On both engines.
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from sqlalchemy import text

from ecozone.audit.service import record
from ecozone.authz.actor import system_actor
from ecozone.db.backup import verify_database
from ecozone.db.migrate import upgrade
from ecozone.web.readiness import code_heads
from tests.support.db import run_as_operator
from tests.support.postgres import APP_ROLE

# Tables filled at the earlier revision, compared column by column after the upgrade.
FILLED = ("zones", "users", "role_assignments", "expert_profiles", "expert_fields", "projects",
          "standards", "audit_log", "audit_chain_heads")


@pytest.fixture
async def empty_url(engine_kind, tmp_path, request) -> str:
    if engine_kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
        return
    cluster = request.getfixturevalue("postgres_cluster")
    name = f"u_{uuid.uuid4().hex[:12]}"
    cluster.create_database(name)
    yield cluster.admin_url(name)
    cluster.drop_database(name)


async def _fill(session) -> int:
    """Rows in SQL valid at revision 0008; an audit row for each write, by the chain code."""
    async def one(sql: str, **params) -> int:
        return (await session.execute(text(sql + " RETURNING id"), params)).scalar_one()

    audited = 0

    async def audit(actor, action, object_type, object_id, after):
        nonlocal audited
        await record(session, actor, action=action, object_type=object_type,
                     object_id=object_id, after=after)
        audited += 1

    zones = {}
    for slug, name_zh, name_en, code, admin, host in (
            ("jiangxi", "江西", "Jiangxi", "DB36/T", "360000", True),
            ("guizhou", "贵州", "Guizhou", "DB52/T", "520000", False)):
        zones[slug] = await one(
            "INSERT INTO zones (slug, name_zh, name_en, standard_code, admin_code, is_host, settings) "
            "VALUES (:slug, :zh, :en, :code, :admin, :host, '{}')",
            slug=slug, zh=name_zh, en=name_en, code=code, admin=admin, host=host)
        await audit(system_actor(), "zone.create", "zone", zones[slug], {"slug": slug})
    users = {}
    for username, zone in (("jx-director", "jiangxi"), ("jx-expert", "jiangxi"),
                           ("gz-secretary", "guizhou")):
        users[username] = await one(
            "INSERT INTO users (username, display_name, home_zone_id, is_active) "
            "VALUES (:u, :d, :z, true)", u=username, d=f"用户 {username}", z=zones[zone])
    for username, role, zone in (("jx-director", "director", "jiangxi"),
                                 ("gz-secretary", "secretary", "guizhou")):
        assignment = await one("INSERT INTO role_assignments (user_id, role, zone_id) "
                               "VALUES (:u, :r, :z)", u=users[username], r=role, z=zones[zone])
        actor = system_actor(zones[zone], zone)
        await audit(actor, f"role.{role}.grant", "role_assignment", assignment,
                    {"user_id": users[username], "role": role})
    expert = await one(
        "INSERT INTO expert_profiles (user_id, home_zone_id, name_zh, name_pinyin, title, "
        "organisation, standards_authored, availability, visibility, state, is_chief, search_text) "
        "VALUES (:u, :z, '曾晓明', 'zeng xiaoming', '研究员', '江西省绿色农产品检测中心', '[]', "
        "'available', '{}', 'verified', false, '曾晓明 zeng xiaoming 茶叶')",
        u=users["jx-expert"], z=zones["jiangxi"])
    for position, field in enumerate(("茶叶质量安全", "标准化管理")):
        await session.execute(text("INSERT INTO expert_fields (expert_id, name, position) "
                                   "VALUES (:e, :n, :p)"), {"e": expert, "n": field, "p": position})
    jiangxi = dataclasses.replace(system_actor(zones["jiangxi"], "jiangxi"),
                                  user_id=users["jx-expert"])
    await audit(jiangxi, "expert.create", "expert", expert, {"nameZh": "曾晓明"})
    project = await one(
        "INSERT INTO projects (zone_id, kind, title_zh, title_en, summary, proposer_id, "
        "proposer_unit, lead_unit, state, year) VALUES (:z, 'standard_development', "
        "'绿色茶园生产技术规程', 'Green tea garden production code', '联合地方标准', :p, "
        "'江西省茶叶研究所', '江西省茶叶研究所', 'in_progress', 2026)",
        z=zones["jiangxi"], p=users["jx-director"])
    await audit(system_actor(zones["jiangxi"], "jiangxi"), "project.create", "project", project,
                {"state": "in_progress"})
    standard = await one(
        "INSERT INTO standards (project_id, kind, title_zh, title_en, scope, lead_zone_id, state, "
        "version_no) VALUES (:p, 'joint_local', '绿色茶园生产技术规程', "
        "'Green tea garden production code', '本文件规定了绿色茶园的生产技术要求。', :z, "
        "'drafting', 1)", p=project, z=zones["jiangxi"])
    await audit(system_actor(zones["jiangxi"], "jiangxi"), "standard.create", "standard",
                standard, {"titleZh": "绿色茶园生产技术规程"})
    return audited


async def _snapshot(session) -> dict[str, list[tuple]]:
    """Every row of the filled tables, in the columns they had at the earlier revision."""
    shot = {}
    for table in FILLED:
        result = await session.execute(text(f"SELECT * FROM {table} ORDER BY 1"))
        shot[table] = (list(result.keys()), [tuple(row) for row in result])
    return shot


async def _columns(session, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    shot = {}
    for table, names in columns.items():
        result = await session.execute(text(f"SELECT {', '.join(names)} FROM {table} ORDER BY 1"))
        shot[table] = (names, [tuple(row) for row in result])
    return shot


@pytest.mark.parametrize("earlier", ["0008", "0009"])
async def test_upgrade_from_an_earlier_revision_keeps_the_data_and_the_chain(
        empty_url, earlier):
    upgrade(url=empty_url, revision=earlier, app_role=APP_ROLE)
    audited = await run_as_operator(empty_url, _fill)
    before = await run_as_operator(empty_url, _snapshot)
    report = await verify_database(empty_url)
    assert report.revision == earlier and report.broken is None
    assert report.audit_entries == audited

    upgrade(url=empty_url, app_role=APP_ROLE)  # `ecozone db upgrade`: every head

    columns = {table: names for table, (names, _rows) in before.items()}
    after = await run_as_operator(empty_url, lambda s: _columns(s, columns))
    assert after == before
    report = await verify_database(empty_url)
    assert report.broken is None, report.broken
    assert report.audit_entries == audited and report.chains == 3
    assert set(report.revision.split(",")) == set(code_heads())
    assert report.at_head
