"""The tea lot from garden to three shops, through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.trace.support import (
    FACTORY,
    GARDEN_A,
    GARDEN_B,
    PACKED,
    SHOPS,
    load_story,
    story,
    submit,
    trace,
)


async def test_tea_lot_from_garden_to_three_shops_split_and_combined(api):
    await load_story(api)
    chain = await trace(api, PACKED[1])
    assert chain["__typename"] == "TraceChain", chain
    # origin of one packed lot: itself, the factory's combined lot and both gardens
    assert set(chain["batches"]) == {c[:22] for c in (PACKED[1], FACTORY, GARDEN_A, GARDEN_B)}
    assert {(link["parent"], link["child"]) for link in chain["links"]} == {
        (GARDEN_A[:22], FACTORY[:22]), (GARDEN_B[:22], FACTORY[:22]), (FACTORY[:22], PACKED[1][:22])}
    kinds = [e["eventType"] for e in chain["events"]]
    assert kinds == ["PRODUCTION", "PRODUCTION", "PROCESSING", "TESTING", "PROCESSING", "SALE"]
    assert [s["nameZh"] for s in chain["sellers"]] == ["九江某茶叶店"]


async def test_recall_from_contaminated_processing_batch_finds_exactly_the_shops(api):
    await load_story(api)
    recall = await trace(api, FACTORY, field="traceRecall")
    assert recall["__typename"] == "TraceChain", recall
    assert {s["nameZh"] for s in recall["sellers"]} == SHOPS  # one of them in Guizhou
    assert set(recall["batches"]) == {FACTORY[:22], *(p[:22] for p in PACKED)}
    # the gardens are upstream, not recalled
    assert GARDEN_A[:22] not in recall["batches"]
    # a recall from one packed lot finds only its own shop
    one = await trace(api, PACKED[2], field="traceRecall")
    assert [s["nameZh"] for s in one["sellers"]] == ["贵阳某茶叶店"]


async def test_anonymous_lookup_shows_no_private_indicator_zone_staff_see_them(api):
    await load_story(api)
    anonymous = await trace(api, PACKED[0])
    production = next(e for e in anonymous["events"] if e["recordId"] == "A-prod-1")
    assert "garden_altitude" not in production["indicators"] and production["privateShown"] is False
    assert production["indicators"]["cultivar"] == "上梅洲"
    testing = next(e for e in anonymous["events"] if e["eventType"] == "TESTING")
    assert testing["indicators"] == {"pesticide_test": "pass"}  # moisture is private
    staff = await trace(api, PACKED[0], user="jx-secretary", zone="jiangxi")
    production = next(e for e in staff["events"] if e["recordId"] == "A-prod-1")
    assert production["indicators"]["garden_altitude"] == 820 and production["privateShown"] is True
    # Guizhou's staff see Jiangxi's records' public part only, their own shop's in full
    other = await trace(api, PACKED[2], user="gz-secretary", zone="guizhou")
    shown = {e["recordId"]: e["privateShown"] for e in other["events"]}
    assert shown["A-prod-1"] is False and shown["S3-sale-1"] is True

    async def audited(session):
        from ecozone.audit.models import AuditEntry
        from sqlalchemy import select
        return (await session.scalars(select(AuditEntry.object_id).where(
            AuditEntry.action == "trace_record.read_private"))).all()
    assert list(await api.operator(audited)) == [PACKED[0][:22]]  # Jiangxi's staff read; anonymous did not


async def test_resubmitted_records_change_nothing(api):
    await load_story(api)
    again = await submit(api, "jx-factory", "jiangxi", story()["factory"])
    assert (again["accepted"], again["unchanged"], again["rejectedCount"]) == (0, 5, 0)
    changed = dict(story()["factory"][1], data={"pesticide_test": "fail"})
    refused = await submit(api, "jx-factory", "jiangxi", [changed])
    assert refused["rejected"][0]["errors"][0]["code"] == "conflict"
    chain = await trace(api, FACTORY)
    assert len([e for e in chain["events"] if e["eventType"] == "TESTING"]) == 1
