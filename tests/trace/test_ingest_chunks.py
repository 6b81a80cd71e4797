"""A file longer than one chunk (ingest.CHUNK records are checked and stored together): a record
repeated in a later chunk is found among the stored ones, as within a chunk — the ingest keeps
only one chunk's keys in memory, so a file of millions of lines fits."""

from __future__ import annotations

from ecozone.trace.ingest import CHUNK

from tests.trace.support import code, enterprises, ndjson, origin_data, post_ndjson, rec


async def test_a_record_repeated_chunks_later_is_unchanged_or_refused_as_a_conflict(api):
    await enterprises(api)
    lines = [rec(f"A-{n}", "garden_a", code("000101", n), "production", day=3, data=origin_data("婺源某生态茶园", 700))
             for n in range(1, CHUNK + 2)]
    repeated, changed = lines[0], dict(lines[1], place="江西省上饶市婺源县某镇")
    response = await post_ndjson(api, ndjson([*lines, repeated, changed]), "jx-garden-a", "jiangxi")
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["accepted"], report["unchanged"], report["rejectedCount"]) == (CHUNK + 1, 1, 1)
    assert [(r["line"], r["id"], r["errors"][0]["code"]) for r in report["rejected"]] == [
        (CHUNK + 3, "A-2", "conflict")]


async def test_a_chunk_is_stored_while_the_next_is_checked_and_the_report_is_whole(api):
    """Chunk 1 is stored by a task while chunk 2 is checked: an enterprise first seen then (a read
    on the same connection: it waits for the store), a repeat of chunk 1 right after it, a bad line
    before a conflict found only when chunk 2 is stored — every record counted once, lines in order."""
    await enterprises(api)
    lines = [rec(f"A-{n}", "garden_a", code("000101", n), "production", day=3, data=origin_data("婺源某生态茶园", 700))
             for n in range(1, CHUNK + 1)]
    foreign = rec("B-1", "garden_b", code("000102", 1), "production", day=3, data=origin_data("浮梁某高山茶园", 640))
    bad = dict(lines[2], id="A-bad", code=code("000101", 9000)[:-1] + "0")  # a lying check digit
    more = [rec(f"A-{n}", "garden_a", code("000101", n), "production", day=3, data=origin_data("婺源某生态茶园", 700))
            for n in range(CHUNK + 1, CHUNK + 6)]
    body = [*lines, foreign, lines[0], dict(lines[1], place="江西省上饶市婺源县某镇"), bad, *more, *lines[10:12]]
    response = await post_ndjson(api, ndjson(body), "jx-garden-a", "jiangxi")
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["accepted"], report["unchanged"], report["rejectedCount"]) == (CHUNK + 5, 3, 3)
    assert [(r["line"], r["id"], r["errors"][0]["code"]) for r in report["rejected"]] == [
        (CHUNK + 1, "B-1", "not_your_enterprise"), (CHUNK + 3, "A-2", "conflict"),
        (CHUNK + 4, "A-bad", report["rejected"][2]["errors"][0]["code"])]
    assert report["rejected"][2]["errors"][0]["field"].startswith("code")

    async def stored(session):
        from ecozone.trace.models import TraceRecord, TraceRecordKey
        from sqlalchemy import func, select
        return (await session.scalar(select(func.count()).select_from(TraceRecord)),
                await session.scalar(select(func.count()).select_from(TraceRecordKey)))
    assert await api.operator(stored) == (CHUNK + 5, CHUNK + 5)
    # the whole file again: nothing added, the same refusals
    again = (await post_ndjson(api, ndjson(body), "jx-garden-a", "jiangxi")).json()
    assert (again["accepted"], again["unchanged"], again["rejectedCount"]) == (0, CHUNK + 8, 3)
    assert await api.operator(stored) == (CHUNK + 5, CHUNK + 5)
