"""Pure rules of trusted documents and partner client keys: ids, manifests, names, keys.

A document's id is its content address, ``sha256:<hex>`` of the document's UTF-8 bytes: the
"prefixed document identifier" of the GraphQL-over-HTTP persisted-documents appendix, what
graphql-codegen's client preset (``persistedDocuments: {hashAlgorithm: 'sha256'}``), GraphQL
Yoga and Hive send as ``documentId``. The same text always has the same id, so a looked-up
document never changes; only whether it is still registered does.

A client key is ``<client name>.<secret>``: the name says whose budget a request spends, the
secret (256 random bits) proves it. Only the secret's SHA-256 is stored. A slow password hash
(scrypt, argon2) protects secrets a person chose and could be guessed offline; 256 random bits
cannot be, and a slow hash checked per request would let anyone spend the server's CPU with
made-up keys (GitHub's and Stripe's API keys are stored the same way).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass

PREFIX = "sha256:"
DOCUMENT_ID = re.compile(r"sha256:[0-9a-f]{64}")
HEX_HASH = re.compile(r"[0-9a-f]{64}")
# lower-case letters, digits and hyphens, starting with a letter: safe in a header, a log, a key
CLIENT_NAME = re.compile(r"[a-z][a-z0-9-]{1,63}")
BUILTIN_CLIENTS = frozenset({"portal"})  # registered by code at startup, never by the CLI
SECRET_BYTES = 32
MAX_DOCUMENT_BYTES = 100_000


class RuleBroken(ValueError):
    """A rule refused a value: a message in English and Chinese, and a machine-readable code."""

    def __init__(self, code: str, message_en: str, message_zh: str):
        super().__init__(message_en)
        self.code, self.message_en, self.message_zh = code, message_en, message_zh


def document_id(text: str) -> str:
    """The content address of ``text``: ``sha256:`` and the hex digest of its UTF-8 bytes."""
    return PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_document_id(raw: object) -> str:
    """A client's ``documentId``, or ``RuleBroken`` (the request is malformed: 400)."""
    if not isinstance(raw, str) or not DOCUMENT_ID.fullmatch(raw):
        raise RuleBroken("BAD_REQUEST", "documentId must be sha256: followed by 64 lower-case hex digits",
                         "documentId 必须是 sha256: 加 64 位小写十六进制数字")
    return raw


def parse_apollo_hash(extensions: dict | None) -> str | None:
    """The id named by Apollo's ``extensions.persistedQuery.sha256Hash`` (bare hex), if any; an
    extension without a hash says nothing (ignored, as other extensions are)."""
    persisted = (extensions or {}).get("persistedQuery")
    if not isinstance(persisted, dict) or "sha256Hash" not in persisted:
        return None
    digest = persisted["sha256Hash"]
    if not isinstance(digest, str) or not HEX_HASH.fullmatch(digest):
        raise RuleBroken("BAD_REQUEST", "extensions.persistedQuery.sha256Hash must be 64 lower-case hex digits",
                         "extensions.persistedQuery.sha256Hash 必须是 64 位小写十六进制数字")
    return PREFIX + digest


def check_client_name(name: str) -> str:
    if not CLIENT_NAME.fullmatch(name or ""):
        raise RuleBroken("BAD_CLIENT_NAME", "a client name is 2 to 64 lower-case letters, digits or hyphens, "
                         "starting with a letter", "客户端名称须为 2 到 64 个小写字母、数字或连字符，以字母开头")
    if name in BUILTIN_CLIENTS:
        raise RuleBroken("RESERVED_CLIENT_NAME", f"the client name {name} is the platform's own",
                         f"客户端名称 {name} 为平台自用")
    return name


@dataclass(frozen=True)
class Entry:
    """One document to register: its id (checked against its text) and its text."""

    document_id: str
    text: str


def _checked_entry(key: str | None, text: object, where: str) -> Entry:
    if not isinstance(text, str) or not text.strip():
        raise RuleBroken("BAD_DOCUMENT", f"{where}: the document is not a non-empty string",
                         f"{where}：文档不是非空字符串")
    if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise RuleBroken("BAD_DOCUMENT", f"{where}: the document is larger than {MAX_DOCUMENT_BYTES} bytes",
                         f"{where}：文档超过 {MAX_DOCUMENT_BYTES} 字节")
    actual = document_id(text)
    if key is not None:
        claimed = key if key.startswith(PREFIX) else PREFIX + key
        if claimed != actual:  # content-addressed: an id that is not the text's hash is a lie
            raise RuleBroken("HASH_MISMATCH", f"{where}: the id {key} is not the SHA-256 of its text ({actual})",
                             f"{where}：标识 {key} 不是其文本的 SHA-256（应为 {actual}）")
    return Entry(actual, text)


def entries_of_file(name: str, content: str) -> list[Entry]:
    """The documents of one file: a ``.json`` manifest of id → text (graphql-codegen's
    ``persisted-documents.json``; ids bare hex or ``sha256:``-prefixed), else one document."""
    if not name.endswith(".json"):
        return [_checked_entry(None, content, name)]
    try:
        manifest = json.loads(content)
    except (json.JSONDecodeError, RecursionError):
        raise RuleBroken("BAD_MANIFEST", f"{name}: not valid JSON", f"{name}：不是有效的 JSON") from None
    if not isinstance(manifest, dict) or not manifest:
        raise RuleBroken("BAD_MANIFEST", f"{name}: a manifest is a non-empty JSON object of id to document",
                         f"{name}：清单须为“标识 → 文档”的非空 JSON 对象")
    return [_checked_entry(key, text, f"{name} [{key}]") for key, text in manifest.items()]


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)  # no "." in it: the key splits at the first one


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def client_key(name: str, secret: str) -> str:
    return f"{name}.{secret}"


def split_client_key(raw: str) -> tuple[str, str] | None:
    """``(name, secret)`` of a presented key, or None when it cannot be one."""
    name, dot, secret = raw.strip().partition(".")
    if not dot or not CLIENT_NAME.fullmatch(name) or not 20 <= len(secret) <= 200:
        return None
    return name, secret


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def may_run_unregistered(*, trusted_only: bool, signed_in: bool) -> bool:
    """Whether a document that is not registered may run: always for signed-in users (the
    workspace's own front-ends); for anonymous callers unless the setting says trusted only."""
    return signed_in or not trusted_only
