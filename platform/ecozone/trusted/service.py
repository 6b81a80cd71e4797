"""The operator's work on trusted documents and partner clients (``ecozone documents``).

Run by the operator at the CLI (the system actor, as ``rate-limit raise``): every write is
audited in the global chain in the same transaction; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from graphql import GraphQLError, GraphQLSchema, parse, specified_rules, validate
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from ecozone.settings import QueryLimits
from ecozone.trusted.models import TrustedClient, TrustedDocument
from ecozone.trusted.rules import (Entry, RuleBroken, check_client_name, client_key, hash_secret,
                                   new_secret)


def _audit_id(key: str) -> str:
    """The audit log's object id of a document: its hex (the log's ids hold 64 characters)."""
    return key.removeprefix("sha256:")


def _operator_only(actor: Actor) -> None:
    if not actor.is_system:
        raise PermissionDenied("only the operator registers or revokes trusted documents",
                               "仅运维人员可登记或撤销可信文档", action="trusted_document.register")


def check_against_schema(entry: Entry, schema: GraphQLSchema, limits: QueryLimits) -> list[str]:
    """Why ``entry`` would be refused at request time (parse, validation, the limits); empty if
    it would run."""
    from ecozone.web.limits import limit_rules
    try:
        document = parse(entry.text, max_tokens=limits.max_tokens)
    except GraphQLError as exc:
        return [exc.message]
    errors = validate(schema, document, [*specified_rules, *limit_rules(limits)], max_errors=10)
    return [e.message for e in errors]


def operations(text: str) -> list[str]:
    document = parse(text)
    return [d.name.value if d.name else "(anonymous)" for d in document.definitions
            if getattr(d, "operation", None) is not None]


@dataclass
class Registration:
    client: str
    new_key: str | None = None  # printed once, when the client was created by this registration
    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)


async def register(session: AsyncSession, actor: Actor, *, client: str, entries: list[Entry],
                   schema: GraphQLSchema, limits: QueryLimits) -> Registration:
    """Register ``entries`` for ``client`` (created, with a new key, if it does not exist); every
    document must pass the schema's validation and the limits, or nothing is registered."""
    _operator_only(actor)
    try:
        check_client_name(client)
    except RuleBroken as exc:
        raise ValidationFailed(errors=[FieldError("client", exc.code, exc.message_en, exc.message_zh)]) from None
    problems = [FieldError(entry.document_id, "invalid_document", message, f"文档无法执行：{message}")
                for entry in entries for message in check_against_schema(entry, schema, limits)]
    if problems:
        raise ValidationFailed(errors=problems[:10])
    report = Registration(client)
    row = await session.get(TrustedClient, client)
    if row is not None and row.revoked_at is not None:
        raise Conflict(f"the client {client} was revoked", f"客户端 {client} 已被撤销")
    if row is None:
        secret = new_secret()
        session.add(TrustedClient(name=client, secret_hash=hash_secret(secret)))
        await session.flush()
        report.new_key = client_key(client, secret)
        await record(session, actor, action="trusted_client.create", object_type="trusted_client",
                     object_id=client, after={"name": client})
    for entry in {e.document_id: e for e in entries}.values():
        existing = await session.get(TrustedDocument, (entry.document_id, client))
        if existing is not None and existing.revoked_at is None:
            report.already.append(entry.document_id)
            continue
        names = ",".join(operations(entry.text))
        if existing is None:
            session.add(TrustedDocument(document_id=entry.document_id, client_name=client,
                                        body=entry.text, operation_names=names))
        else:  # registered again after a revocation
            existing.revoked_at = None
            existing.registered_at = dt.datetime.now(dt.UTC)
        await session.flush()
        report.added.append(entry.document_id)
        await record(session, actor, action="trusted_document.register", object_type="trusted_document",
                     object_id=_audit_id(entry.document_id),
                     after={"documentId": entry.document_id, "client": client, "operations": names})
    return report


async def list_documents(session: AsyncSession, *, client: str | None = None,
                         include_revoked: bool = False) -> list[TrustedDocument]:
    statement = select(TrustedDocument).order_by(TrustedDocument.client_name, TrustedDocument.registered_at,
                                                 TrustedDocument.document_id)
    if client is not None:
        statement = statement.where(TrustedDocument.client_name == client)
    if not include_revoked:
        statement = statement.where(TrustedDocument.revoked_at.is_(None))
    return list(await session.scalars(statement))


async def list_clients(session: AsyncSession) -> list[TrustedClient]:
    return list(await session.scalars(select(TrustedClient).order_by(TrustedClient.name)))


async def revoke_documents(session: AsyncSession, actor: Actor, *, document_ids: list[str],
                           client: str | None = None) -> list[tuple[str, str]]:
    """Revoke the registrations of ``document_ids`` (of ``client`` only if named); the
    (id, client) pairs revoked. An id registered by nobody (or revoked already) is NotFound."""
    _operator_only(actor)
    now = dt.datetime.now(dt.UTC)
    revoked = []
    for key in document_ids:
        statement = select(TrustedDocument).where(TrustedDocument.document_id == key,
                                                  TrustedDocument.revoked_at.is_(None))
        if client is not None:
            statement = statement.where(TrustedDocument.client_name == client)
        rows = list(await session.scalars(statement))
        if not rows:
            raise NotFound(f"no registered document {key}" + (f" of {client}" if client else ""),
                           f"没有已登记的文档 {key}" + (f"（客户端 {client}）" if client else ""))
        for row in rows:
            row.revoked_at = now
            revoked.append((key, row.client_name))
            await record(session, actor, action="trusted_document.revoke", object_type="trusted_document",
                         object_id=_audit_id(key), before={"documentId": key, "client": row.client_name},
                         after={"revoked": True})
    await session.flush()
    return revoked


async def revoke_client(session: AsyncSession, actor: Actor, *, client: str) -> int:
    """Revoke a client: its key stops proving anything and its documents stop being registered
    (its rows are kept for the audit's sake). The number of its documents that were live."""
    _operator_only(actor)
    row = await session.get(TrustedClient, client)
    if row is None or row.revoked_at is not None:
        raise NotFound(f"no registered client {client}", f"没有已登记的客户端 {client}")
    now = dt.datetime.now(dt.UTC)
    row.revoked_at = now
    result = await session.execute(update(TrustedDocument)
                                   .where(TrustedDocument.client_name == client,
                                          TrustedDocument.revoked_at.is_(None))
                                   .values(revoked_at=now))
    await record(session, actor, action="trusted_client.revoke", object_type="trusted_client",
                 object_id=client, before={"revoked": False}, after={"revoked": True})
    return result.rowcount or 0
