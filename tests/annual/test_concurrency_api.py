"""Two projects approved at the same moment in a zone whose year has no plan yet: both join one
plan, numbered 1 and 2 (PostgreSQL, two transactions really in flight at once: the second
finds no plan, tries to draft it, waits on the first's, and takes it once the first commits)."""

from __future__ import annotations

import asyncio

import pytest
from ecozone.annual.models import AnnualPlan, PlanItem
from ecozone.annual.plans import project_approved
from ecozone.authz.actor import Actor
from ecozone.db.engine import create_engine, new_session
from ecozone.db.scoping import Scope
from ecozone.projects.models import Project
from sqlalchemy import select

from tests.annual.support import proposed_project
from tests.governance.council_client import seed_council, today  # noqa: F401 - the frozen-clock fixture


@pytest.fixture
async def council(api, today):  # noqa: F811
    return await seed_council(api)


async def test_approvals_at_once_draft_one_plan(api, council, settings, engine_kind):
    if engine_kind != "postgresql":
        pytest.skip("SQLite has one writer at a time: two transactions cannot both be writing")
    from strawberry.relay import from_base64
    ids = [int(from_base64(await proposed_project(api, "jiangxi", council.reps[i], f"同时立项{i}"))[1])
           for i in range(2)]
    zone_id = await api.operator(lambda s: s.scalar(select(Project.zone_id).where(Project.id == ids[0])))
    user_id = api.users[council.secretary]
    actor = Actor(user_id=user_id, zone_id=zone_id, zone_slug="jiangxi", home_zone_id=zone_id,
                  roles=frozenset({"secretary"}))
    scope = Scope(zone_id=zone_id, user_id=user_id, zone_staff=True)
    engine = create_engine(settings.database_url)
    try:
        first, second = new_session(engine, scope, write=True), new_session(engine, scope, write=True)
        async with first, second:
            await first.begin()
            await project_approved(first, actor, await first.get(Project, ids[0]))  # drafts the plan, not committed

            async def approve_second():
                await second.begin()
                await project_approved(second, actor, await second.get(Project, ids[1]))
                await second.commit()
            waiting = asyncio.create_task(approve_second())
            await asyncio.sleep(1.0)
            assert not waiting.done()  # it waits on the first transaction's plan
            await first.commit()
            await asyncio.wait_for(waiting, 10)
    finally:
        await engine.dispose()

    async def joined(session):
        plans = (await session.scalars(select(AnnualPlan).where(AnnualPlan.zone_id == zone_id))).all()
        items = (await session.execute(select(PlanItem.seq, PlanItem.project_id).order_by(PlanItem.seq))).all()
        return len(plans), [tuple(i) for i in items]
    assert await api.operator(joined) == (1, [(1, ids[0]), (2, ids[1])])
