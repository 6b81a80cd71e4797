"""``ecozone calendar load FILE``: an operator loads the official holiday arrangement of a year the
installed calendar lacks (章程 第二十一条 counts working days), validated and audited; ``ecozone calendar
list`` shows what is loaded. The work itself is in ecozone/governance/calendar.py."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path


def cmd_calendar_load(args: argparse.Namespace) -> int:
    import ecozone.models  # noqa: F401 - every table, for the flush order
    from ecozone.authz.actor import system_actor
    from ecozone.cli import CliError, _in_operator_transaction
    from ecozone.governance import calendar, clock
    from ecozone.governance.calendar_file import CalendarFileInvalid

    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror} / 无法读取 {path}：{exc.strerror}") from None

    async def work(session):
        return await calendar.load_year(session, system_actor(), raw=raw, filename=path.name, today=clock.today())

    try:
        row, replaced = asyncio.run(_in_operator_transaction(work))
    except CalendarFileInvalid as exc:
        lines = "\n".join(f"  {p}" for p in exc.problems)
        raise CliError(f"{path.name} is not loaded ({len(exc.problems)} problems) / {path.name} 未导入"
                       f"（{len(exc.problems)} 处问题）:\n{lines}") from None
    days_off = sum(len(h["days"]) for h in row.holidays)
    verb = ("replaced", "已替换") if replaced else ("loaded", "已导入")
    print(f"{row.year}: {verb[0]} ({days_off} days off, {len(row.workdays)} make-up working days; "
          f"{row.source}, {row.published_on}) / {row.year} 年节假日安排{verb[1]}（假日 {days_off} 天，调休上班 "
          f"{len(row.workdays)} 天）")
    return 0


def cmd_calendar_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from ecozone.cli import _in_operator_transaction
    from ecozone.governance.models import CalendarYear
    from ecozone.governance.working_days import FIRST_KNOWN_YEAR, LAST_KNOWN_YEAR

    async def work(session):
        return [(r.year, r.published_on, r.source, r.sha256[:12]) for r in
                (await session.scalars(select(CalendarYear).order_by(CalendarYear.year))).all()]

    print(f"installed calendar / 已安装日历: {FIRST_KNOWN_YEAR}–{LAST_KNOWN_YEAR}")
    for year, published_on, source, digest in asyncio.run(_in_operator_transaction(work)):
        print(f"  {year}  {published_on}  {digest}  {source}")
    return 0


def add_calendar_commands(sub) -> None:
    calendar = sub.add_parser("calendar", help="official holiday arrangements for counting working days").add_subparsers(
        dest="calendar_command", required=True)
    p = calendar.add_parser("load", help="load one year's holiday arrangement (a JSON file per year), validated "
                                         "and audited; a year the installed calendar covers is refused")
    p.add_argument("file", help="the year's file, e.g. holidays-2027.json (format: README, Working days)")
    p.set_defaults(func=cmd_calendar_load)
    p = calendar.add_parser("list", help="the years loaded, beside the installed calendar's range")
    p.set_defaults(func=cmd_calendar_list)
