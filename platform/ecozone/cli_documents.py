"""The operator's commands for trusted documents and partner clients (``ecozone documents``):
register (a partner's .graphql files or graphql-codegen's persisted-documents JSON manifest),
list, revoke. Every write is audited; refusals in both languages. The work is in
ecozone/trusted/service.py."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from ecozone.settings import get_settings


def _refusal(exc: Exception) -> Exception:
    from ecozone.cli import CliError  # here: ecozone.cli imports this module
    from ecozone.errors import DomainError
    from ecozone.trusted.rules import RuleBroken
    if isinstance(exc, (DomainError, RuleBroken)):
        code = getattr(exc, "code", "error")
        return CliError(f"{exc.message_en} / {exc.message_zh} ({str(code).upper()})")
    return CliError(f"failed: {exc} / 失败：{exc} (FAILED)")


def _entries(files: list[str]):
    from ecozone.cli import CliError
    from ecozone.trusted.rules import RuleBroken, entries_of_file
    entries = []
    for name in files:
        path = Path(name)
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"cannot read {name}: {exc} / 无法读取 {name}：{exc}") from None
        try:
            entries.extend(entries_of_file(path.name, content))
        except RuleBroken as exc:
            raise _refusal(exc) from None
    return entries


def cmd_documents_register(args: argparse.Namespace) -> int:
    """Register documents for a partner's client (created with a new key if it is new)."""
    import ecozone.models  # noqa: F401 - every table, for the flush order
    from ecozone.authz.actor import system_actor
    from ecozone.cli import _in_operator_transaction
    from ecozone.errors import DomainError
    from ecozone.graphql.schema import build_schema
    from ecozone.trusted.service import register

    entries = _entries(args.files)
    schema = build_schema()._schema

    async def work(session):
        return await register(session, system_actor(), client=args.client, entries=entries,
                              schema=schema, limits=get_settings().limits)

    try:
        report = asyncio.run(_in_operator_transaction(work))
    except DomainError as exc:
        raise _refusal(exc) from None
    for key in report.added:
        print(f"registered {key} for {report.client}")
    for key in report.already:
        print(f"already registered {key} for {report.client}")
    if report.new_key:
        print(f"new client {report.client}; its key, shown this once (send it as X-Ecozone-Client-Key):")
        print(f"  {report.new_key}")
    return 0


def cmd_documents_list(args: argparse.Namespace) -> int:
    from ecozone.cli import _in_operator_transaction
    from ecozone.trusted.service import list_clients, list_documents

    async def work(session):
        return (await list_clients(session),
                await list_documents(session, client=args.client, include_revoked=args.all))

    clients, documents = asyncio.run(_in_operator_transaction(work))
    for client in clients:
        if args.client is None or client.name == args.client:
            state = f"revoked {client.revoked_at.isoformat()}" if client.revoked_at else "active"
            print(f"client {client.name}: {state}, since {client.created_at.isoformat()}")
    for row in documents:
        state = f"  revoked {row.revoked_at.isoformat()}" if row.revoked_at else ""
        print(f"{row.document_id}  {row.client_name}  {row.operation_names}  "
              f"{row.registered_at.isoformat()}{state}")
    if not documents:
        print("no registered documents")
    return 0


def cmd_documents_revoke(args: argparse.Namespace) -> int:
    """Revoke documents (of one client if named), or with --client and no ids the client itself."""
    import ecozone.models  # noqa: F401 - every table, for the flush order
    from ecozone.authz.actor import system_actor
    from ecozone.cli import CliError, _in_operator_transaction
    from ecozone.errors import DomainError
    from ecozone.trusted.rules import RuleBroken, parse_document_id
    from ecozone.trusted.service import revoke_client, revoke_documents

    if not args.ids and not args.client:
        raise CliError("name the documents to revoke, or --client to revoke a client / "
                       "请指定要撤销的文档标识，或用 --client 撤销客户端")
    try:
        ids = [parse_document_id(raw) for raw in args.ids]
    except RuleBroken as exc:
        raise _refusal(exc) from None

    async def work(session):
        if ids:
            return await revoke_documents(session, system_actor(), document_ids=ids, client=args.client)
        return await revoke_client(session, system_actor(), client=args.client)

    try:
        outcome = asyncio.run(_in_operator_transaction(work))
    except DomainError as exc:
        raise _refusal(exc) from None
    recheck = get_settings().trusted_documents_recheck_seconds
    if ids:
        for key, client in outcome:
            print(f"revoked {key} of {client}")
    else:
        print(f"revoked client {args.client} and its {outcome} live documents")
    print(f"every worker refuses them within {recheck} s (ECOZONE_TRUSTED_DOCUMENTS_RECHECK_SECONDS)")
    return 0


def add_documents_commands(sub) -> None:
    documents = sub.add_parser("documents", help="trusted documents (persisted operations) of partner clients"
                               ).add_subparsers(dest="documents_command", required=True)
    p = documents.add_parser("register", help="register documents for a partner's client (audited); "
                                              "a new client's key is printed once")
    p.add_argument("--client", required=True, help="the partner client's name (lower-case letters, digits, -)")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="a .graphql document, or a .json manifest of id to document "
                        "(graphql-codegen's persisted-documents.json)")
    p.set_defaults(func=cmd_documents_register)
    p = documents.add_parser("list", help="list the registered documents and clients")
    p.add_argument("--client", default=None, help="only this client's")
    p.add_argument("--all", action="store_true", help="revoked documents too")
    p.set_defaults(func=cmd_documents_list)
    p = documents.add_parser("revoke", help="revoke documents, or a client with its key and documents (audited)")
    p.add_argument("--client", default=None, help="only this client's registrations; alone: the client itself")
    p.add_argument("ids", nargs="*", metavar="ID", help="document ids (sha256:<hex>)")
    p.set_defaults(func=cmd_documents_revoke)
