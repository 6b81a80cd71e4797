"""``ecozone trace load FILE --zone Z`` (an NDJSON file of trace records, with progress) and
``ecozone trace partitions --until YYYY-MM`` (PostgreSQL: monthly partitions made ahead)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
from pathlib import Path


def _progress(started: float):
    def show(lines: int, report) -> None:
        rate = lines / max(time.perf_counter() - started, 1e-9)
        try:
            print(f"  {lines} lines read · {report.accepted} stored · {report.unchanged} unchanged · "
                  f"{report.rejected_count} refused · {rate:,.0f} lines/s", file=sys.stderr, flush=True)
        except BrokenPipeError:
            pass
    return show


def cmd_trace_load(args: argparse.Namespace) -> int:
    """Every record of FILE submitted as the zone's operator (any enterprise of the zone), in one
    transaction; valid records kept, the rest listed (the same promise as the API's)."""
    from ecozone.authz.actor import Actor
    from ecozone.cli import CliError, _in_operator_transaction
    from ecozone.errors import DomainError
    from ecozone.tenancy.service import zone_by_slug
    from ecozone.trace import ndjson, service

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no such file: {path} / 文件不存在：{path} (NOT_FOUND)")
    started = time.perf_counter()

    async def work(session):
        try:
            zone = await zone_by_slug(session, args.zone)
        except DomainError as exc:
            raise CliError(f"{exc.message_en} / {exc.message_zh} (NOT_FOUND)") from exc
        actor = Actor(username="system", zone_id=zone.id, zone_slug=zone.slug, roles=frozenset({"enterprise"}),
                      is_system=True)
        return await service.submit_stream(session, actor, ndjson.lines(ndjson.from_file(path)), via="cli",
                                           progress=_progress(started))

    report = asyncio.run(_in_operator_transaction(work))
    elapsed = time.perf_counter() - started
    print(f"stored {report.accepted}, unchanged {report.unchanged}, refused {report.rejected_count} "
          f"in {elapsed:.1f} s / 入库 {report.accepted} 条，未变 {report.unchanged} 条，拒收 {report.rejected_count} 条")
    for rejected in report.rejected[:args.show]:
        for error in rejected.errors:
            print(f"  line {rejected.line} {rejected.record_key or ''} {error.field}: {error.message_en} / "
                  f"{error.message_zh} ({error.code})")
    if args.report:
        Path(args.report).write_text(json.dumps(report.as_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if report.rejected_count else 0


def cmd_trace_partitions(args: argparse.Namespace) -> int:
    from sqlalchemy import text  # noqa: F401 - the statements are in ecozone.trace.partitions

    from ecozone.cli import CliError, _in_operator_transaction
    from ecozone.trace.partitions import FIRST_MONTH, ensure_partitions

    def month(option: str, text: str) -> dt.date:
        try:
            return dt.datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            raise CliError(f"{option} takes a month as YYYY-MM, not {text!r} / "
                           f"{option} 的月份应为 YYYY-MM，而不是 {text!r} (FORMAT)") from None

    until = month("--until", args.until)
    first = month("--since", args.since) if args.since else FIRST_MONTH

    async def work(session):
        connection = await session.connection()
        if connection.dialect.name != "postgresql":
            raise CliError("partitions are PostgreSQL's; SQLite keeps one table / "
                           "分区仅适用于 PostgreSQL；SQLite 只用一张表 (NOT_POSTGRESQL)")
        return await ensure_partitions(connection, first, until)

    created = asyncio.run(_in_operator_transaction(work))
    print(f"created {len(created)} partitions / 新建分区 {len(created)} 个: {', '.join(created) or '-'}")
    return 0


def cmd_trace_sample(args: argparse.Namespace) -> int:
    """The demo's tea lot as NDJSON (the records `ecozone demo` loads today), to try the ingest."""
    from ecozone.demo.trace import ENTERPRISES, records
    for key, batch in records(dt.date.today()).items():
        if args.zone and ENTERPRISES[key][0] != args.zone:
            continue
        for record in batch:
            print(json.dumps(record, ensure_ascii=False))
    return 0


def add_trace_commands(sub) -> None:
    trace = sub.add_parser("trace", help="the traceability platform: load trace records, make partitions")
    commands = trace.add_subparsers(dest="trace_command", required=True)
    p = commands.add_parser("load", help="load an NDJSON file of trace records for the enterprises of a zone")
    p.add_argument("file", help="NDJSON: one trace record (README, Traceability platform) per line")
    p.add_argument("--zone", required=True, help="the zone whose enterprises the records are (slug)")
    p.add_argument("--show", type=int, default=20, help="refused lines to print (default 20)")
    p.add_argument("--report", help="write the whole report (JSON) to this file")
    p.set_defaults(func=cmd_trace_load)
    p = commands.add_parser("sample", help="print the demo's tea lot as NDJSON trace records")
    p.add_argument("--zone", help="only the records of this zone's enterprises (slug)")
    p.set_defaults(func=cmd_trace_sample)
    p = commands.add_parser("partitions", help="PostgreSQL: create the monthly partitions of trace records "
                            "up to a month (moving its rows out of the default partition)")
    p.add_argument("--until", required=True, help="last month to create, YYYY-MM")
    p.add_argument("--since", help="first month to create, YYYY-MM (default 2024-01)")
    p.set_defaults(func=cmd_trace_partitions)
