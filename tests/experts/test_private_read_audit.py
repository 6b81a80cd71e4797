"""Reads of private fields are recorded (DESIGN §3.7, issue 13): a staff read of an expert's
contact field that the expert keeps private writes one audit row per request and object type,
listing the profiles read; nothing is written for public pages, partners or the expert."""

from __future__ import annotations

from sqlalchemy import select

from ecozone.audit.models import AuditEntry
from ecozone.audit.service import verify as verify_chain
from tests.experts.test_experts_api import create, people, verify  # noqa: F401

LIST = """query($fields: Boolean!) { experts(first: 10) { ... on ExpertConnection {
  edges { node { nameZh phone @include(if: $fields) email @include(if: $fields) } } } } }"""
PRIVATE_EMAIL = [{"field": "PHONE", "visibility": "PRIVATE"}, {"field": "EMAIL", "visibility": "PRIVATE"}]


async def _reads(api) -> list[AuditEntry]:
    async def work(s):
        return list((await s.scalars(select(AuditEntry).where(
            AuditEntry.action == "expert_profile.read_private").order_by(AuditEntry.id))).all())
    return await api.operator(work)


async def _two_private_profiles(api) -> list[int]:
    await api.add_user("jx-expert2", "jiangxi")
    ids = []
    for user, name in (("jx-expert", "曾晓明"), ("jx-expert2", "王立新")):
        mine = await create(api, user, "jiangxi", nameZh=name, visibility=PRIVATE_EMAIL)
        await verify(api, mine["id"])
        ids.append(mine["id"])
    return ids


async def test_a_staff_read_of_private_contact_fields_is_one_row_listing_the_profiles(people):
    await _two_private_profiles(people)
    before = len(await _reads(people))
    data = await people.gql(LIST, {"fields": True}, user="jx-secretary", zone="jiangxi")
    nodes = [e["node"] for e in data["experts"]["edges"]]
    assert all(n["phone"] and n["email"] for n in nodes) and len(nodes) == 2
    rows = (await _reads(people))[before:]
    assert len(rows) == 1  # one per request and object type, not one per field or profile
    [row] = rows
    assert (row.chain, row.object_type, row.outcome, row.actor_id) == (
        "jiangxi", "expert_profile", "ok", people.users["jx-secretary"])
    profile_ids = {str(p) for p in await people.operator(lambda s: _profile_ids(s))}
    assert set(row.after["ids"]) == profile_ids
    assert (await people.operator(verify_chain)).broken is None


async def _profile_ids(session):
    from ecozone.experts.models import ExpertProfile
    return (await session.scalars(select(ExpertProfile.id))).all()


async def test_no_row_when_nothing_private_is_read(people):
    await _two_private_profiles(people)
    before = len(await _reads(people))
    # staff listing without the contact fields; anonymous, a partner and the expert with them
    await people.gql(LIST, {"fields": False}, user="jx-secretary", zone="jiangxi")
    anonymous = await people.gql(LIST, {"fields": True})
    assert {e["node"]["phone"] for e in anonymous["experts"]["edges"]} == {None}
    partner = await people.gql(LIST, {"fields": True}, user="gz-secretary", zone="guizhou")
    assert {e["node"]["phone"] for e in partner["experts"]["edges"]} == {None}
    own = await people.gql("{ viewer { expertProfile { phone email } } }", user="jx-expert")
    assert own["viewer"]["expertProfile"]["phone"]
    assert len(await _reads(people)) == before


async def test_a_field_the_expert_shares_with_partners_is_not_a_private_read(people):
    await people.add_user("jx-expert2", "jiangxi")
    mine = await create(people, "jx-expert2", "jiangxi", nameZh="王立新",
                        visibility=[{"field": "PHONE", "visibility": "PARTNERS"}])
    await verify(people, mine["id"])
    before = len(await _reads(people))
    data = await people.gql(LIST, {"fields": True}, user="jx-secretary", zone="jiangxi")
    assert data["experts"]["edges"][0]["node"]["phone"]
    rows = (await _reads(people))[before:]
    assert rows == []  # email is partners-visible by default, phone now too


async def test_a_mutation_that_shows_private_fields_records_the_read_in_its_transaction(people):
    mine = await create(people, "jx-expert", "jiangxi", visibility=PRIVATE_EMAIL)
    before = len(await _reads(people))
    verified = (await people.gql("""mutation($id: ID!) { verifyExpert(input: {id: $id}) {
        ... on Expert { state phone } } }""", {"id": mine["id"]}, user="jx-secretary",
                                  zone="jiangxi"))["verifyExpert"]
    assert verified["state"] == "VERIFIED" and verified["phone"]
    rows = (await _reads(people))[before:]
    assert [r.action for r in rows] == ["expert_profile.read_private"]
    write = await people.operator(lambda s: s.scalar(select(AuditEntry).where(
        AuditEntry.action == "expert.verify")))
    assert write is not None and rows[0].seq == write.seq + 1  # same request, after the write
