"""Units with no activity for a year (章程 第十四条(一)), through the HTTP API on both databases."""

from __future__ import annotations

import datetime as dt

from ecozone.governance import units
from ecozone.governance.models import MemberUnit
from ecozone.projects.models import Project

from tests.governance.units_client import (
    INACTIVE,
    add_units,
    frozen_today,  # noqa: F401 - a fixture
    people,  # noqa: F401 - a fixture
    zone_id,
)

# ---------------------------------------------------------------------------- inactivity (第十四条(一))


async def test_inactivity_flag_counts_a_year_to_the_day(people, monkeypatch):
    monkeypatch.setattr("ecozone.governance.clock.today", lambda: dt.date(2026, 6, 1))
    [within] = await add_units(people, "jiangxi", 1, start=1, last_activity_on=dt.date(2025, 6, 1))
    [beyond] = await add_units(people, "jiangxi", 1, start=2, last_activity_on=dt.date(2025, 5, 31))
    [silent] = await add_units(people, "jiangxi", 1, start=3, joined_on=dt.date(2025, 1, 5))
    [new] = await add_units(people, "jiangxi", 1, start=4, joined_on=dt.date(2025, 6, 1))
    [projects] = await add_units(people, "jiangxi", 1, start=5, head_user_id=people.users["jx-head"])
    zid = await zone_id(people, "jiangxi")

    async def project(session):
        session.add(Project(zone_id=zid, kind="research", title_zh="茶园碳汇", title_en="Tea carbon sink",
                            summary="…", proposer_id=people.users["jx-head"], proposer_unit="成员单位5",
                            lead_unit="成员单位5", state="approved", year=2026,
                            created_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)))
    await people.operator(project)

    data = (await people.gql(INACTIVE, {"first": 10}, user="jx-secretary", zone="jiangxi"))["inactiveCouncilUnits"]
    flagged = {e["node"]["unit"]["nameZh"]: e["node"]["lastActivityOn"] for e in data["edges"]}
    assert flagged == {"成员单位2": "2025-05-31", "成员单位3": None}
    assert {within, new, projects}.isdisjoint({beyond, silent})

    page = (await people.gql(INACTIVE, {"first": 1}, user="jx-member", zone="jiangxi"))["inactiveCouncilUnits"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    rest = (await people.gql(INACTIVE, {"first": 1, "after": page["pageInfo"]["endCursor"]},
                             user="jx-member", zone="jiangxi"))["inactiveCouncilUnits"]
    assert [e["node"]["unit"]["nameZh"] for e in rest["edges"]] == ["成员单位3"]
    denied = (await people.gql(INACTIVE, user="jx-applicant", zone="jiangxi"))["inactiveCouncilUnits"]
    assert denied["__typename"] == "PermissionDenied"


async def test_recorded_activity_only_moves_forward(people):
    [unit_id] = await add_units(people, "jiangxi", 1, last_activity_on=dt.date(2025, 3, 1))

    async def bump(on):
        async def work(session):
            await units.record_activity(session, unit_id, on)
            return (await session.get(MemberUnit, unit_id)).last_activity_on
        return await people.operator(work)
    assert await bump(dt.date(2025, 2, 1)) == dt.date(2025, 3, 1)
    assert await bump(dt.date(2025, 4, 1)) == dt.date(2025, 4, 1)


