"""The one decoder of identifiers from outside: global IDs and numeric path parameters.

A database id is a canonical decimal integer — ASCII digits, no sign, no leading zero, no
space — within the range of the primary keys (SQLAlchemy ``Integer``: PostgreSQL ``int4``).
Anything else (``²``, ``١``, ``01``, ``+1``, 20 digits, a malformed base64, a global ID of
another type) names nothing, so it is answered as not found, never as a server error.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from ecozone.errors import NotFound

MIN_ID = 1
MAX_ID = 2**31 - 1  # PostgreSQL int4, the type of every primary key
_CANONICAL = re.compile(r"[1-9][0-9]{0,9}")  # ASCII only: \d would accept other scripts' digits
_MAX_GLOBAL_ID = 200  # characters: a type name and 10 digits, base64-encoded, fit in far less


def parse_id(text: Any) -> int | None:
    """The id written as ``text``, or None when it is not a canonical id in range."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if MIN_ID <= text <= MAX_ID else None
    if not isinstance(text, str) or not _CANONICAL.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def split_global_id(global_id: Any) -> tuple[str, str] | None:
    """``(type name, node id)`` of a global ID — its base64 text or an object with
    ``type_name`` and ``node_id`` (Strawberry's GlobalID) — or None when it is malformed."""
    type_name, node_id = getattr(global_id, "type_name", None), getattr(global_id, "node_id", None)
    if isinstance(type_name, str) and isinstance(node_id, str):
        return type_name, node_id
    if not isinstance(global_id, str) or len(global_id) > _MAX_GLOBAL_ID:
        return None
    try:
        text = base64.b64decode(global_id.encode("ascii"), validate=True).decode("utf-8")
    except (UnicodeError, binascii.Error, ValueError):
        return None
    type_name, colon, node_id = text.partition(":")
    return (type_name, node_id) if colon and type_name else None


def not_found(type_name: str, field: str = "id") -> NotFound:
    """The failure for an identifier that names nothing (the same for every malformed one)."""
    return NotFound(f"{field}: no {type_name} with this ID", f"{field}：没有此 ID 的 {type_name}")


def decode_global_id(global_id: Any, expected_type_name: str, field: str = "id") -> int:
    """The database id behind a global ID of ``expected_type_name``; NotFound for anything else."""
    parts = split_global_id(global_id)
    if parts is None or parts[0] != expected_type_name:
        raise not_found(expected_type_name, field)
    value = parse_id(parts[1])
    if value is None:
        raise not_found(expected_type_name, field)
    return value
