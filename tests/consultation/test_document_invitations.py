"""Consultations on the base's documents sent to invited council member units (the seed's letter).

Only the invited units' representatives comment (and the secretariat, recording comments that
came by letter); the representative follows the unit's head (章程 第十一条).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ecozone.governance.models import MemberUnit
from ecozone.notifications.models import Notification
from ecozone.tenancy.models import Zone
from tests.consultation.client import COMMENT_INPUT, POST
from tests.support.api import gid

UNIT_HEADS = {"head-a": "jiangxi", "head-b": "jiangxi", "head-c": "jiangxi", "head-gz": "guizhou"}


async def _unit(api, zone_slug: str, name: str, uscc: str, head: str | None, state: str = "active") -> int:
    async def work(session):
        zone = await session.scalar(select(Zone).where(Zone.slug == zone_slug))
        unit = MemberUnit(zone_id=zone.id, name_zh=name, name_en=name, uscc=uscc, unit_type="enterprise",
                          head_name=f"{name}负责人", head_user_id=api.users.get(head), state=state,
                          applied_on=dt.date(2025, 1, 2),
                          joined_on=dt.date(2025, 1, 2) if state == "active" else None)
        session.add(unit)
        await session.flush()
        return unit.id
    return await api.operator(work)


async def _units(api, consultations) -> dict[str, int]:
    for username, zone in UNIT_HEADS.items():
        await api.add_user(username, zone, "member")
    return {"a": await _unit(api, "jiangxi", "甲公司", "91360100000000001A", "head-a"),
            "b": await _unit(api, "jiangxi", "乙中心", "91360100000000002A", "head-b"),
            "applicant": await _unit(api, "jiangxi", "丙协会", "91360100000000003A", "head-c",
                                     state="applicant"),
            "gz": await _unit(api, "guizhou", "丁研究所", "91520100000000004A", "head-gz")}


async def _post(consultations, cid: str, user: str | None) -> str:
    zone = UNIT_HEADS.get(user) or ("jiangxi" if user == "new-head-a" else None)
    if zone:
        return (await consultations.call(POST, {"input": {**COMMENT_INPUT, "consultationId": cid}},
                                         "postComment", user=user, zone=zone))["__typename"]
    return (await consultations.post(cid, user=user))["__typename"]


async def test_only_invited_units_comment(api, consultations):
    units = await _units(api, consultations)
    opened = await consultations.open(invitedUnitIds=[gid("CouncilMemberUnit", units["a"])])
    assert opened["__typename"] == "Consultation" and opened["document"]["id"]
    cid = opened["id"]

    assert await _post(consultations, cid, "head-a") == "ConsultationComment"
    assert await _post(consultations, cid, "jx-secretary") == "ConsultationComment"
    for outsider in ("head-b", "jx-member", "commenter", "head-gz"):
        assert await _post(consultations, cid, outsider) == "PermissionDenied", outsider
    assert await _post(consultations, cid, None) == "PermissionDenied"

    # the invited representative was told, the others were not
    async def inboxes(session):
        rows = await session.scalars(select(Notification.user_id).where(
            Notification.kind == "consultation.invited"))
        return set(rows.all())
    assert await api.operator(inboxes) == {api.users["head-a"]}


async def test_the_representative_follows_the_unit_head(api, consultations):
    units = await _units(api, consultations)
    cid = (await consultations.open(invitedUnitIds=[gid("CouncilMemberUnit", units["a"])]))["id"]
    await api.add_user("new-head-a", "jiangxi")

    async def change_head(session):
        unit = await session.get(MemberUnit, units["a"])
        unit.head_name, unit.head_user_id = "新负责人", api.users["new-head-a"]
    await api.operator(change_head)
    assert await _post(consultations, cid, "head-a") == "PermissionDenied"
    assert await _post(consultations, cid, "new-head-a") == \
        "ConsultationComment"


async def test_invitations_are_checked(api, consultations):
    units = await _units(api, consultations)
    for bad in ([units["applicant"]], [units["gz"]], [units["a"], 999_999], []):
        failed = await consultations.open(invitedUnitIds=[gid("CouncilMemberUnit", i) for i in bad])
        assert failed["__typename"] == "ValidationFailed", bad
        assert failed["fieldErrors"][0]["field"] == "invitedUnitIds"
        assert failed["fieldErrors"][0]["messageZh"]
    wrong_type = await consultations.open(invitedUnitIds=[gid("ExpertProfile", units["a"])])
    assert wrong_type["__typename"] == "NotFound"
    # nothing was published by the refused attempts
    listed = await api.gql("{ consultations(first: 10) { ... on ConsultationConnection { totalCount } } }")
    assert listed["consultations"]["totalCount"] == 0


async def test_without_invitations_anyone_signed_in_comments(api, consultations):
    await _units(api, consultations)
    cid = (await consultations.open())["id"]
    for user in ("head-gz", "commenter", "jx-member"):
        assert await _post(consultations, cid, user) == "ConsultationComment"
