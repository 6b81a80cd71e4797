"""``ecozone accounts set-password USER``: an operator sets or resets a local account's password
(the embedded sign-in of a base without an identity provider). The password is read from the
terminal without echo, or from standard input with ``--password-stdin`` (never an argument:
arguments show in the process list and the shell's history)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys


def cmd_set_password(args: argparse.Namespace) -> int:
    import ecozone.models  # noqa: F401 - every table, for the audit row's foreign keys
    from ecozone.authz.actor import system_actor
    from ecozone.db.engine import create_engine, new_session
    from ecozone.db.scoping import Scope
    from ecozone.errors import DomainError
    from ecozone.settings import get_settings
    from ecozone.workspace.accounts import set_password

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"新密码 New password for {args.username}: ")
        if getpass.getpass("再输一次 Again: ") != password:
            print("error: the two entries differ / 错误：两次输入不一致", file=sys.stderr)
            return 1

    async def work() -> None:
        settings = get_settings()
        engine = create_engine(settings.migration_database_url,
                               random_page_cost=settings.postgresql_random_page_cost)
        try:
            async with new_session(engine, Scope.system(), write=True) as session:
                async with session.begin():
                    await set_password(session, system_actor(), username=args.username, password=password)
        finally:
            await engine.dispose()
    try:
        asyncio.run(work())
    except DomainError as exc:
        print(f"error: {exc.message_en} / {exc.message_zh}", file=sys.stderr)
        return 1
    print(f"已设置 {args.username} 的密码 / password set for {args.username}")
    return 0


def add_accounts_commands(sub) -> None:
    accounts = sub.add_parser("accounts", help="local accounts of the workspace's sign-in").add_subparsers(
        dest="accounts_command", required=True)
    p = accounts.add_parser("set-password", help="set or reset USER's password (audited)")
    p.add_argument("username", metavar="USER", help="the account's username, e.g. jx-secretary")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.set_defaults(func=cmd_set_password)
