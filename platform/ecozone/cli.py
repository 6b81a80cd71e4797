"""The ``ecozone`` command: serve, migrate, sync tenants, demo data, roles, tokens, audit."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sqlalchemy import func, select

from ecozone.cli_accounts import add_accounts_commands
from ecozone.cli_backup import add_backup_commands
from ecozone.cli_trace import add_trace_commands
from ecozone.cli_documents import add_documents_commands
from ecozone.cli_calendar import add_calendar_commands
from ecozone.cli_catalogs import add_catalogs_commands
from ecozone.cli_rate_limit import add_rate_limit_commands
from ecozone.settings import get_settings


class CliError(Exception):
    """A refusal explained to the operator: printed without a traceback, exit status 2.

    Its text says it in English and Chinese: ``English / 中文``.
    """


def _argparse_zh(message: str) -> str:
    """argparse's usage errors in Chinese, naming the same argument and value."""
    import re
    patterns = [
        (r"the following arguments are required: (.+)", "缺少必填参数：{0}"),
        (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", "参数 {0} 的值 {1} 无效，可选：{2}"),
        (r"argument (\S+): invalid int value: (.+)", "参数 {0} 的值 {1} 不是整数"),
        (r"argument (\S+): invalid float value: (.+)", "参数 {0} 的值 {1} 不是数字"),
        (r"argument (\S+): invalid (\w+) value: (.+)", "参数 {0} 的值 {2} 不是有效的 {1}"),
        (r"argument (\S+): expected one argument", "参数 {0} 需要一个值"),
        (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
        (r"argument (\S+): (.+)", "参数 {0}：{1}"),
    ]
    for pattern, template in patterns:
        found = re.fullmatch(pattern, message)
        if found:
            return template.format(*found.groups())
    return message


class _Parser(argparse.ArgumentParser):
    """Usage errors in both languages (exit status 2, as argparse's)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n"
                     f"{self.prog}: 错误：{_argparse_zh(message)}（用 --help 查看用法）\n")


def _operator_engine():
    from ecozone.db.engine import create_engine
    settings = get_settings()
    return create_engine(settings.migration_database_url,
                         random_page_cost=settings.postgresql_random_page_cost)


async def _in_operator_transaction(work):
    """Run ``work(session)`` as the operator (tables' owner), sees all zones, commits."""
    from ecozone.db.engine import transaction
    from ecozone.db.scoping import Scope
    engine = _operator_engine()
    try:
        async with transaction(engine, Scope.system()) as session:
            return await work(session)
    finally:
        await engine.dispose()


def cmd_serve(args: argparse.Namespace) -> int:
    # uvicorn, stopping gracefully on SIGTERM (web/serving.py): in-flight requests finish within
    # ECOZONE_SHUTDOWN_TIMEOUT, subscriptions close with 1001, exit status 0.
    from ecozone.web.serving import serve
    return serve(args.host, args.port, args.workers, get_settings().shutdown_timeout_seconds)


def cmd_idempotency_purge(args: argparse.Namespace) -> int:
    from ecozone.idempotency.store import purge
    ttl = args.older_than if args.older_than is not None else get_settings().idempotency_ttl_seconds
    deleted = asyncio.run(_in_operator_transaction(lambda s: purge(s, ttl)))
    print(f"deleted {deleted} idempotency keys older than {ttl} s / 已删除 {deleted} 个超过 {ttl} 秒的幂等键")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from ecozone.db.migrate import upgrade
    settings = get_settings()
    if settings.database_url.startswith("sqlite"):
        Path(settings.database_url.split("///", 1)[-1]).parent.mkdir(parents=True, exist_ok=True)
    upgrade(revision=args.revision)
    print(f"database upgraded to {args.revision}")
    return 0


def cmd_tenants_sync(args: argparse.Namespace) -> int:
    from ecozone.tenancy.config import TenantConfigError
    from ecozone.tenancy.service import sync_tenants
    directory = Path(args.dir) if args.dir else get_settings().tenants_dir
    print(f"tenant files: {directory}", flush=True)
    try:
        report = asyncio.run(_in_operator_transaction(lambda s: sync_tenants(s, directory)))
    except TenantConfigError as exc:
        print(f"error: {exc.english} / 租户文件有误：{exc.chinese}", file=sys.stderr)
        return 2
    outcome = {**{z: "created" for z in report.created}, **{z: "updated" for z in report.updated},
               **{z: "unchanged" for z in report.unchanged}}
    for slug in sorted(outcome):
        print(f"  {slug:<16} {outcome[slug]}")
    print(f"{len(outcome)} zones: {len(report.created)} created, {len(report.updated)} updated, "
          f"{len(report.unchanged)} unchanged")
    return 0


def _say(message: str) -> None:
    """Progress for the operator; a closed pipe (``| head``) must not undo the work."""
    try:
        print(f"  {message}", flush=True)
    except BrokenPipeError:
        pass


def cmd_demo(args: argparse.Namespace) -> int:
    from ecozone.auth.models import User
    from ecozone.demo import load_demo

    async def work(session):
        if args.if_empty and await session.scalar(select(func.count()).select_from(User)):
            return None
        return await load_demo(session, progress=_say)

    from ecozone.errors import DomainError
    if args.scale is not None:  # the benchmark's bulk data, on top of the demo when it is empty
        from ecozone.demo.scale import run_cli as load_scale
        args.if_empty = True
        code = cmd_demo(argparse.Namespace(**{**vars(args), "scale": None}))
        return code or load_scale(args.scale, get_settings().migration_database_url)
    try:
        report = asyncio.run(_in_operator_transaction(work))
    except DomainError as exc:
        print(f"error: {exc.message_en} / {exc.message_zh}", file=sys.stderr)
        return 2
    if report is None:
        print("demo data not loaded: the database already has users")
        return 0
    settings = get_settings()
    from ecozone.auth.tokens import issue_token
    print(f"demo data loaded: {report.summary}")
    print("development tokens (valid "
          f"{settings.token_ttl_seconds // 3600} h; `ecozone token USER` makes more):")
    for username, what in report.try_users:
        print(f"  {username:<22} {what}\n    {issue_token(settings, username)}")
    return 0


def cmd_grant(args: argparse.Namespace) -> int:
    from ecozone.auth.models import User
    from ecozone.authz.actor import system_actor
    from ecozone.authz.service import grant_role
    from ecozone.db.scoping import Scope, apply_scope
    from ecozone.errors import DomainError
    from ecozone.tenancy.service import zone_by_slug

    async def work(session):
        zone = await zone_by_slug(session, args.zone)
        user = await session.scalar(select(User).where(User.username == args.user))
        if user is None:
            if not args.create:
                raise CliError(f"no user {args.user!r} (add --create to create it) / "
                               f"没有用户 {args.user!r}（加 --create 可创建）")
            user = User(username=args.user, display_name=args.display_name or args.user,
                        home_zone_id=zone.id)
            session.add(user)
            await session.flush()
        actor = system_actor(zone.id, zone.slug)
        await apply_scope(session, Scope(zone_id=zone.id, zone_staff=True))
        await grant_role(session, actor, user_id=user.id, role=args.role)

    try:
        asyncio.run(_in_operator_transaction(work))
    except DomainError as exc:
        print(f"error: {exc.message_en} / {exc.message_zh}", file=sys.stderr)
        return 2
    print(f"granted {args.role} in {args.zone} to {args.user}")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from ecozone.auth.models import User
    from ecozone.auth.tokens import issue_token

    async def work(session):
        return await session.scalar(select(User).where(User.username == args.user))

    if asyncio.run(_in_operator_transaction(work)) is None:
        print(f"error: no user {args.user!r} (`ecozone users` lists them) / "
              f"没有用户 {args.user!r}（`ecozone users` 可列出所有用户）", file=sys.stderr)
        return 2
    print(issue_token(get_settings(), args.user, ttl_seconds=args.ttl))
    return 0


def cmd_export_schema(args: argparse.Namespace) -> int:
    from ecozone.graphql.schema import sdl
    text = sdl()
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from ecozone.audit.service import verify

    def progress(chain: str, count: int) -> None:
        print(f"  chain {chain}: {count} entries checked", flush=True)

    report = asyncio.run(_in_operator_transaction(lambda s: verify(s, progress=progress)))
    if report.broken:
        b = report.broken
        print(f"BROKEN: chain {b.chain}, entry {b.seq}"
              f"{f' (row id {b.entry_id})' if b.entry_id else ''}: {b.reason} / "
              f"审计链 {b.chain} 第 {b.seq} 条{f'（行 id {b.entry_id}）' if b.entry_id else ''}断裂：{b.reason_zh}")
        return 1
    print(f"audit log intact: {report.entries} entries in {report.chains} chains")
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    """The accounts with their home zone and roles, a page at a time (streams: ``| head`` works)."""
    from sqlalchemy import or_

    from ecozone.auth.models import User
    from ecozone.authz.models import RoleAssignment
    from ecozone.tenancy.models import Zone

    async def work(session):
        slugs = {z.id: z.slug for z in (await session.scalars(select(Zone))).all()}
        zone_id = next((i for i, slug in slugs.items() if slug == args.zone), None)
        if args.zone and zone_id is None:
            raise CliError(f"unknown zone {args.zone!r} (known: {', '.join(sorted(slugs.values()))}) / "
                           f"未知的试验区 {args.zone!r}（已有：{'、'.join(sorted(slugs.values()))}）")
        print(f"{'USER':<24} {'HOME ZONE':<10} {'ROLES':<40} NAME", flush=True)
        last, count = 0, 0
        while True:
            stmt = select(User).where(User.id > last).order_by(User.id).limit(args.page_size)
            if zone_id is not None:
                stmt = stmt.where(or_(User.home_zone_id == zone_id, User.id.in_(
                    select(RoleAssignment.user_id).where(RoleAssignment.zone_id == zone_id))))
            users = (await session.scalars(stmt)).all()
            if not users:
                break
            held: dict[int, dict[str, list[str]]] = {}
            for user_id, zone, role in (await session.execute(
                    select(RoleAssignment.user_id, RoleAssignment.zone_id, RoleAssignment.role)
                    .where(RoleAssignment.user_id.in_([u.id for u in users]))
                    .order_by(RoleAssignment.zone_id, RoleAssignment.role))).all():
                held.setdefault(user_id, {}).setdefault(slugs.get(zone, str(zone)), []).append(role)
            for user in users:
                roles = "; ".join(f"{slug}: {', '.join(names)}" for slug, names in held.get(user.id, {}).items())
                print(f"{user.username:<24} {slugs.get(user.home_zone_id, '?'):<10} {roles or '-':<40} "
                      f"{user.display_name}{'' if user.is_active else ' (inactive / 已停用)'}")
            sys.stdout.flush()
            count += len(users)
            last = users[-1].id
        print(f"{count} users{f' in {args.zone}' if args.zone else ''} / 共 {count} 个用户")

    asyncio.run(_in_operator_transaction(work))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ecozone", description=__doc__,
                     epilog="Settings come from ECOZONE_* environment variables (README, Configuration). "
                            "Each command has --help.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="serve the API on HOST:PORT")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="processes; they share nothing but the database")
    p.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="database commands").add_subparsers(dest="db_command", required=True)
    p = db.add_parser("upgrade", help="apply the Alembic migrations (as ECOZONE_MIGRATION_DATABASE_URL)")
    p.add_argument("revision", nargs="?", default="heads",
                   help="target revision (default: heads, every migration branch)")
    p.set_defaults(func=cmd_db_upgrade)

    tenants = sub.add_parser("tenants", help="zone commands").add_subparsers(dest="tenants_command", required=True)
    p = tenants.add_parser("sync", help="create or update one zone per tenants/*.toml (idempotent)")
    p.add_argument("--dir", help="directory of tenant files (default: ECOZONE_TENANTS_DIR or ./tenants)")
    p.set_defaults(func=cmd_tenants_sync)

    p = sub.add_parser("demo", help="load invented demo data for all zones and print tokens to try")
    p.add_argument("--if-empty", action="store_true", help="do nothing when users already exist")
    p.add_argument("--scale", type=float, default=None,
                   help="then bulk-load N x (20,000 experts, 5,000 standards, ...) for the benchmark")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("grant", help="grant ROLE in ZONE to USER (e.g. the first director)")
    p.add_argument("user", help="the account's sign-in name")
    p.add_argument("role", choices=["director", "secretary", "expert", "member"], help="the role to grant")
    p.add_argument("zone", help="the zone's slug (a tenants/*.toml file: jiangxi, guizhou, fujian, hainan, ...)")
    p.add_argument("--create", action="store_true", help="create the user (home zone ZONE) if missing")
    p.add_argument("--display-name", help="the new user's display name (default: USER)")
    p.set_defaults(func=cmd_grant)

    p = sub.add_parser("token", help="print a development token for USER")
    p.add_argument("user", help="the account's sign-in name (`ecozone users` lists them)")
    p.add_argument("--ttl", type=int, default=None, help="lifetime in seconds (default ECOZONE_TOKEN_TTL_SECONDS)")
    p.set_defaults(func=cmd_token)

    p = sub.add_parser("users", help="list the users with their home zone and roles, page by page")
    p.add_argument("--zone", help="only users of this zone (home zone or a role in it), by slug")
    p.add_argument("--page-size", type=int, default=500, help="users read per query (default 500)")
    p.set_defaults(func=cmd_users)

    p = sub.add_parser("export-schema", help="write the GraphQL SDL")
    p.add_argument("--output", "-o", default="schema/schema.graphql", help="file, or - for stdout")
    p.set_defaults(func=cmd_export_schema)

    audit = sub.add_parser("audit", help="audit log commands").add_subparsers(dest="audit_command", required=True)
    p = audit.add_parser("verify", help="check the hash chains; exit 1 at the first broken link")
    p.set_defaults(func=cmd_audit_verify)

    keys = sub.add_parser("idempotency", help="stored answers of Idempotency-Key mutations").add_subparsers(
        dest="idempotency_command", required=True)
    p = keys.add_parser("purge", help="delete the keys older than their lifetime "
                                      "(ECOZONE_IDEMPOTENCY_TTL_SECONDS, 24 h); keyed mutations do it too")
    p.add_argument("--older-than", type=int, default=None, metavar="SECONDS",
                   help="delete keys stored more than SECONDS ago (default: the lifetime)")
    p.set_defaults(func=cmd_idempotency_purge)

    add_rate_limit_commands(sub)
    add_catalogs_commands(sub)
    add_backup_commands(sub)
    add_accounts_commands(sub)
    add_trace_commands(sub)
    add_documents_commands(sub)
    add_calendar_commands(sub)
    _describe(parser)
    return parser


def _describe(parser: argparse.ArgumentParser) -> None:
    """Each subcommand's help page opens with its one-line help, as its description."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                command = action.choices[choice.dest]
                if command.description is None:
                    command.description = choice.help
                _describe(command)


def _database_hint(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return (f"the database has no tables yet ({text}): run `ecozone db upgrade` first / "
                f"数据库中还没有表（{text}）：请先运行 `ecozone db upgrade`")
    return f"database: {text} / 数据库错误：{text}"


def main(argv: list[str] | None = None) -> int:
    from sqlalchemy.exc import DBAPIError
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DBAPIError as exc:
        print(f"error: {_database_hint(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `ecozone export-schema -o - | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    # `python -m ecozone.cli` runs this file as __main__, a second copy of the module: the subcommands
    # raise ecozone.cli's CliError, which only ecozone.cli's main() prints as a refusal (no traceback).
    from ecozone.cli import main as main_of_the_module
    sys.exit(main_of_the_module())
