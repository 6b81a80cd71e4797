"""Joint approval refusals, atomic numbering under concurrent publication, group standards."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from ecozone.projects.models import Project
from ecozone.standards.models import Standard, StandardVersion, StandardZone
from ecozone.tenancy.models import Zone
from tests.standards.workflow_support import people, standard_op
from tests.support.api import gid

PUBLISH = {"releaseDate": "2026-12-01", "implementationDate": "2027-01-01"}


async def in_approval(api, *, kind: str = "joint_local", zones=("jiangxi", "guizhou"),
                      signed: bool = False) -> str:
    """A standard already through review, set up directly by the operator."""
    async def work(session):
        ids = dict((await session.execute(select(Zone.slug, Zone.id))).all())
        project = Project(zone_id=ids["jiangxi"], kind="standard_development", title_zh="项目",
                          title_en="Project", summary="-", proposer_id=api.users["jx-member"],
                          proposer_unit="某单位", lead_unit="某单位", state="in_progress", year=2026)
        session.add(project)
        await session.flush()
        standard = Standard(project_id=project.id, kind=kind, title_zh="标准", title_en="Standard",
                            scope="-", lead_zone_id=ids["jiangxi"], state="approval")
        session.add(standard)
        await session.flush()
        session.add(StandardVersion(standard_id=standard.id, number=1, text="正文", change_note="初稿"))
        session.add_all(StandardZone(standard_id=standard.id, zone_id=ids[z], is_lead=(z == "jiangxi"),
                                     decision="signed" if signed else "pending") for z in zones)
        return standard.id
    return gid("Standard", await api.operator(work))


async def test_a_refusal_sends_it_back_to_drafting_and_signatures_restart(api):
    await people(api)
    sid = await in_approval(api)
    await standard_op(api, "signStandard", {"id": sid}, "jx-director", "jiangxi")
    no_reason = await standard_op(api, "refuseStandard", {"id": sid, "reason": " "}, "gz-director", "guizhou")
    assert no_reason["__typename"] == "ValidationFailed"
    refused = await standard_op(api, "refuseStandard", {"id": sid, "reason": "与我省现行标准冲突"},
                                "gz-director", "guizhou")
    assert refused["stage"]["state"] == "DRAFTING"
    assert {z["decision"] for z in refused["zones"]} == {"PENDING"}
    sign_now = await standard_op(api, "signStandard", {"id": sid}, "jx-director", "jiangxi")
    assert sign_now["__typename"] == "Conflict"  # not awaiting approval any more


async def test_secretary_cannot_sign_for_the_director(api):
    await people(api)
    sid = await in_approval(api)
    denied = await standard_op(api, "signStandard", {"id": sid}, "jx-secretary", "jiangxi")
    assert denied["__typename"] == "PermissionDenied"


async def test_racing_publications_get_distinct_gapless_numbers(api):
    await people(api)
    sids = [await in_approval(api, signed=True) for _ in range(4)]
    results = await asyncio.gather(*(standard_op(api, "publishStandard", {"id": sid, **PUBLISH},
                                                 "jx-secretary", "jiangxi") for sid in sids))
    numbers = sorted(int(r["designations"][0].split()[1].split("—")[0]) for r in results)
    assert numbers == [1, 2, 3, 4]
    for result in results:  # one shared number under each zone's code
        number = result["designations"][0].split()[1]
        assert result["designations"] == [f"DB36/T {number}", f"DB52/T {number}"]


async def test_group_standard_is_numbered_in_its_own_sequence(api):
    await people(api)
    joint = await in_approval(api, signed=True)
    group = await in_approval(api, kind="group", zones=("jiangxi",), signed=True)
    await standard_op(api, "publishStandard", {"id": joint, **PUBLISH}, "jx-secretary", "jiangxi")
    published = await standard_op(api, "publishStandard", {"id": group, **PUBLISH}, "jx-director", "jiangxi")
    assert published["designations"] == ["T/NTSIBJGE 001—2026"]


async def test_a_revision_keeps_the_number_and_supersedes_the_old_version(api):
    await people(api)
    sid = await in_approval(api, signed=True)
    first = await standard_op(api, "publishStandard", {"id": sid, **PUBLISH}, "jx-secretary", "jiangxi")
    revision = await standard_op(api, "reviewPublishedStandard",
                                 {"id": sid, "outcome": "REVISE", "reason": "技术更新"}, "jx-secretary", "jiangxi")
    twice = await standard_op(api, "reviewPublishedStandard",
                              {"id": sid, "outcome": "REVISE", "reason": "again"}, "jx-secretary", "jiangxi")
    assert twice["__typename"] == "Conflict"
    # take the revision through approval directly, then publish it a year later
    async def approve(session):
        standard = await session.get(Standard, _db_id(revision["id"]))
        standard.state = "approval"
        for entry in (await session.scalars(select(StandardZone).where(
                StandardZone.standard_id == standard.id))).all():
            entry.decision = "signed"
    await api.operator(approve)
    later = {"releaseDate": "2027-06-01", "implementationDate": "2027-09-01"}
    republished = await standard_op(api, "publishStandard", {"id": revision["id"], **later},
                                    "jx-secretary", "jiangxi")
    number = first["designations"][0].split()[1].split("—")[0]
    assert republished["designations"] == [f"DB36/T {number}—2027", f"DB52/T {number}—2027"]
    old = await api.gql("query($id: ID!) { standard(id: $id) { ... on Standard { stage { state code } } } }",
                        {"id": sid})
    assert old["standard"]["stage"] == {"state": "SUPERSEDED", "code": 90}
    withdrawn = await standard_op(api, "reviewPublishedStandard",
                                  {"id": revision["id"], "outcome": "WITHDRAW", "reason": "被国家标准替代"},
                                  "jx-secretary", "jiangxi")
    assert withdrawn["stage"] == {"code": 90, "state": "WITHDRAWN"}


def _db_id(global_id: str) -> int:
    from strawberry.relay import from_base64
    return int(from_base64(global_id)[1])
