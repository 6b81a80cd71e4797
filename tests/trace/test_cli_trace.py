"""``ecozone trace load FILE`` with progress, on both databases; ``ecozone trace partitions``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.trace.support import GARDEN_A, enterprises, ndjson, story, trace

ECOZONE = Path(sys.executable).parent / "ecozone"


def run(database, *args: str, expect: int = 0) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOZONE_")}
    env.update(ECOZONE_DATABASE_URL=database.operator_url, ECOZONE_MIGRATION_DATABASE_URL=database.operator_url)
    done = subprocess.run([str(ECOZONE), *args], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == expect, (done.stdout, done.stderr)
    return done


async def test_trace_load_with_progress_and_a_resubmission(api, database, tmp_path):
    await enterprises(api)
    records = story()["garden_a"] + story()["garden_b"] + story()["factory"]
    path = tmp_path / "tea.ndjson"
    path.write_bytes(ndjson(records) + b"{not json\n")
    first = run(database, "trace", "load", str(path), "--zone", "jiangxi", expect=1)  # one line refused
    assert "lines read" in first.stderr
    assert "stored 7, unchanged 0, refused 1" in first.stdout and "入库 7 条" in first.stdout
    assert "line 8" in first.stdout
    again = run(database, "trace", "load", str(path), "--zone", "jiangxi", expect=1)
    assert "stored 0, unchanged 7, refused 1" in again.stdout
    chain = await trace(api, GARDEN_A, field="traceRecall")
    assert len(chain["batches"]) == 5
    # Guizhou's operator cannot load Jiangxi's enterprises' records
    other = run(database, "trace", "load", str(path), "--zone", "guizhou", expect=1)
    assert "stored 0" in other.stdout and "not_your_enterprise" in other.stdout
    missing = run(database, "trace", "load", str(tmp_path / "none.ndjson"), "--zone", "jiangxi", expect=2)
    assert "文件不存在" in missing.stderr + missing.stdout


async def test_trace_partitions(api, database, tmp_path):
    if database.kind == "sqlite":
        done = run(database, "trace", "partitions", "--until", "2028-02", expect=2)
        assert "PostgreSQL" in done.stderr + done.stdout
        return
    done = run(database, "trace", "partitions", "--until", "2028-02")
    assert "created 2 partitions" in done.stdout and "trace_records_y2028m02" in done.stdout
    assert "created 0 partitions" in run(database, "trace", "partitions", "--until", "2028-02").stdout
    run(database, "trace", "partitions", "--until", "2028-13", expect=2)
    # a record of a month without a partition lands in the default one; making the month moves it
    await enterprises(api)
    old = dict(story()["garden_a"][0], id="old-1", time="2023-06-02T09:00:00+08:00")
    path = tmp_path / "old.ndjson"
    path.write_bytes(ndjson([old]))
    run(database, "trace", "load", str(path), "--zone", "jiangxi")
    done = run(database, "trace", "partitions", "--since", "2023-06", "--until", "2023-06")
    assert "trace_records_y2023m06" in done.stdout

    async def where(session):
        from sqlalchemy import text
        return (await session.execute(text("SELECT tableoid::regclass::text, count(*) FROM trace_records "
                                           "GROUP BY 1"))).all()
    assert [tuple(r) for r in await api.operator(where)] == [("trace_records_y2023m06", 1)]
    assert (await trace(api, GARDEN_A))["events"][0]["recordId"] == "old-1"
