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
