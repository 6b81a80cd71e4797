"""The registry a worker asks: is this document id registered, and what is its text? Is this
client key a registered partner's?

Two sources of documents: built-in ones, registered by code at startup (the portal's files in
``ecozone/portal/documents/*.graphql``, loaded here so that every worker knows their ids, and
any added with ``add_builtin``), and partners' ones, registered by an operator in the database
(``ecozone documents register``), shared by every worker.

Looked-up documents are cached per process. Their text cannot change (the id is its hash), but
a registration can be revoked: a cached answer — found or not found — is trusted for
``recheck_seconds`` (``ECOZONE_TRUSTED_DOCUMENTS_RECHECK_SECONDS``, default 30) and then asked
again, so a revocation (or a new registration) takes effect on every worker within that time.
Client keys are cached the same way.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from ecozone.trusted.models import TrustedClient, TrustedDocument
from ecozone.trusted.rules import document_id, secret_matches, split_client_key

PORTAL_DOCUMENTS = Path(__file__).resolve().parents[1] / "portal" / "documents"
# Bounds of the per-process caches: the ids and keys a hostile client makes up are forgotten first.
CACHE_SIZE = 2048


class _TimedCache:
    """A bounded LRU of values (None too: "not registered") trusted for ``ttl`` seconds."""

    def __init__(self, ttl: float, clock=time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._entries: OrderedDict[str, tuple[object, float]] = OrderedDict()

    def get(self, key: str) -> tuple[bool, object]:
        entry = self._entries.get(key)
        if entry is None or self.clock() - entry[1] >= self.ttl:
            return False, None
        self._entries.move_to_end(key)
        return True, entry[0]

    def put(self, key: str, value: object) -> None:
        self._entries[key] = (value, self.clock())
        self._entries.move_to_end(key)
        while len(self._entries) > CACHE_SIZE:
            self._entries.popitem(last=False)


class TrustedDocuments:
    def __init__(self, engine: AsyncEngine, recheck_seconds: float = 30,
                 directory: Path | None = PORTAL_DOCUMENTS):
        self.engine = engine
        self._builtin: dict[str, tuple[str, str]] = {}  # id -> (client, text)
        self._documents = _TimedCache(recheck_seconds)
        self._keys = _TimedCache(recheck_seconds)
        if directory is not None and directory.is_dir():
            for path in sorted(directory.glob("*.graphql")):
                self.add_builtin("portal", path.read_text(encoding="utf-8"))

    def add_builtin(self, client: str, text: str) -> str:
        """Register ``text`` for ``client`` in this process (by code, at startup); its id."""
        key = document_id(text)
        self._builtin[key] = (client, text)
        return key

    def builtin(self) -> dict[str, tuple[str, str]]:
        """The built-in documents: id -> (client, text)."""
        return dict(self._builtin)

    async def text_of(self, key: str) -> str | None:
        """The text of the registered document ``key`` (a well-formed id), None if it is not
        registered (never, or revoked, or its client revoked)."""
        if key in self._builtin:
            return self._builtin[key][1]
        known, text = self._documents.get(key)
        if known:
            return text  # type: ignore[return-value]
        statement = (select(TrustedDocument.body)
                     .join(TrustedClient, TrustedClient.name == TrustedDocument.client_name)
                     .where(TrustedDocument.document_id == key, TrustedDocument.revoked_at.is_(None),
                            TrustedClient.revoked_at.is_(None))
                     .limit(1))
        async with self.engine.connect() as connection:
            text = await connection.scalar(statement)
        self._documents.put(key, text)
        return text

    async def is_registered(self, text: str) -> bool:
        return await self.text_of(document_id(text)) is not None

    async def client_of_key(self, raw: str) -> str | None:
        """The name of the registered, unrevoked client whose key ``raw`` is; None otherwise."""
        parts = split_client_key(raw)
        if parts is None:
            return None
        name, secret = parts
        known, stored = self._keys.get(name)
        if not known:
            statement = select(TrustedClient.secret_hash).where(TrustedClient.name == name,
                                                                TrustedClient.revoked_at.is_(None))
            async with self.engine.connect() as connection:
                stored = await connection.scalar(statement)
            self._keys.put(name, stored)
        if stored is None or not secret_matches(secret, stored):  # type: ignore[arg-type]
            return None
        return name
