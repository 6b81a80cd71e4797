"""The operator's fair-use commands (``ecozone rate-limit raise|show``, issue 22): one client's
budget raised (audited in the global chain) and its recent windows. The work is in
ecozone/fairuse/budget.py (SQLite's copy of the raises: fairuse/sqlite_counters.py)."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3

from ecozone.settings import get_settings


def _cli():
    from ecozone import cli  # here: ecozone.cli imports this module
    return cli


CLIENT_KINDS = ("ip:", "user:", "sub:", "client:")
INT_MAX = 2**31 - 1  # GraphQL's Int: viewer { rateLimit { limit } }
MOST_HOURS = 365 * 24  # a raise for longer is a typo: without --hours it lasts until changed


def cmd_rate_limit_raise(args: argparse.Namespace) -> int:
    """Set one client's fair-use budget per window (issue 22), audited in the global chain."""
    import time

    cli = _cli()
    import ecozone.models  # noqa: F401 - every table, for the flush order
    from ecozone.audit.service import record
    from ecozone.authz.actor import system_actor
    from ecozone.fairuse.budget import raise_budget
    from ecozone.fairuse.sqlite_counters import mirror_raises

    kinds = ", ".join(k + "…" for k in CLIENT_KINDS)
    if not args.client.startswith(CLIENT_KINDS) or len(args.client) > 200:
        raise cli.CliError(f"name the client as one of {kinds}, at most 200 characters (what "
                           "`ecozone rate-limit show` and the 429 answers name) / "
                           f"客户端须写作 {kinds} 之一，不超过 200 个字符（即 `ecozone rate-limit show` 与 429 应答中的名称）")
    if not 1 <= args.budget <= INT_MAX:
        raise cli.CliError(f"the budget must be between 1 and {INT_MAX}, got {args.budget} / "
                           f"额度须在 1 到 {INT_MAX} 之间，实际为 {args.budget}")
    if not args.reason.strip():
        raise cli.CliError("say why (--reason): it is kept in the audit log / "
                           "请用 --reason 说明原因：原因记入审计日志")
    if args.hours is not None and not 0 < args.hours <= MOST_HOURS:  # also NaN (every comparison false)
        raise cli.CliError(f"--hours must be more than 0 and at most {MOST_HOURS} (a year), got {args.hours} / "
                           f"--hours 须大于 0 且不超过 {MOST_HOURS}（一年），实际为 {args.hours}")
    expires_at = int(time.time() + args.hours * 3600) if args.hours else None

    async def work(session):
        before, after = await raise_budget(session, args.client, args.budget, expires_at=expires_at,
                                           reason=args.reason.strip())
        await record(session, system_actor(), action="rate_limit.raise", object_type="rate_limit",
                     object_id=args.client, before=before, after=after)

    asyncio.run(cli._in_operator_transaction(work))
    try:  # committed: SQLite's counters' file gets it now
        mirror_raises(get_settings().migration_database_url)
    except (OSError, sqlite3.Error) as exc:
        raise cli.CliError(
            f"the raise is saved and audited, but the running app's counters could not be told ({exc}): "
            "it applies when a worker next opens them (a restart); run this command again to apply it now / "
            f"额度调整已保存并记入审计日志，但未能写入运行中应用的计数文件（{exc}）：将在工作进程下次打开该文件时"
            "（重启后）生效；再次运行本命令可立即生效") from exc
    window = get_settings().rate_limits.window_seconds
    until = f" for {args.hours} h" if args.hours else ""
    print(f"{args.client}: {args.budget} points per {window} s{until}, from its next request")
    return 0


def cmd_rate_limit_show(args: argparse.Namespace) -> int:
    import datetime as dt

    from ecozone.fairuse.budget import windows_of
    cli = _cli()
    from ecozone.fairuse.models import RateLimitRaise

    async def work(session):
        return await session.get(RateLimitRaise, args.client), await windows_of(session, args.client)

    raised, windows = asyncio.run(cli._in_operator_transaction(work))
    if raised is None:
        print(f"{args.client}: the default budget of its kind")
    else:
        until = (f" until {dt.datetime.fromtimestamp(raised.expires_at, dt.UTC).isoformat()}"
                 if raised.expires_at else "")
        print(f"{args.client}: raised to {raised.budget}{until} ({raised.reason})")
    for w in windows:
        start = dt.datetime.fromtimestamp(w.window_start, dt.UTC).isoformat()
        print(f"  window {start}: {w.spent} of {w.budget} spent, {w.refused} refused")
    return 0


def add_rate_limit_commands(sub) -> None:
    limits = sub.add_parser("rate-limit", help="fair-use budgets of query cost").add_subparsers(
        dest="rate_limit_command", required=True)
    p = limits.add_parser("raise", help="set one client's budget per window (audited)")
    p.add_argument("client", help="ip:ADDRESS (an IPv6 /64: ip:2001:db8::/64), user:USERNAME, "
                                  "sub:SUBJECT (external sign-in) or client:KEY")
    p.add_argument("budget", type=int, help="points per window (ECOZONE_RATE_LIMIT_WINDOW)")
    p.add_argument("--reason", required=True, help="why: kept in the audit log")
    p.add_argument("--hours", type=float, default=None, help="for this long (default: until changed)")
    p.set_defaults(func=cmd_rate_limit_raise)
    p = limits.add_parser("show", help="a client's budget and its recent windows")
    p.add_argument("client", help="ip:ADDRESS, user:USERNAME, sub:SUBJECT or client:KEY")
    p.set_defaults(func=cmd_rate_limit_show)
