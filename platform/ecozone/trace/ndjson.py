"""Reading NDJSON (one JSON object per line) from a byte stream, a line at a time.

The body is never held whole: bytes are split at newlines as they arrive, and a line longer
than :data:`rules.MAX_LINE_BYTES` is skipped to its end (its bytes are not kept) and reported.
A line that is not UTF-8 or not JSON is reported with its number; blank lines are ignored.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import orjson

from ecozone.errors import FieldError
from ecozone.trace.rules import MAX_LINE_BYTES

TOO_LONG = FieldError("$", "too_long", f"the line is longer than {MAX_LINE_BYTES} bytes",
                      f"该行超过 {MAX_LINE_BYTES} 字节")
NOT_UTF8 = FieldError("$", "encoding", "the line is not UTF-8", "该行不是 UTF-8 编码")


def parse_line(data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return FieldError("$", "json", f"the line is not JSON: {exc}", f"该行不是有效的 JSON：{exc}")


async def lines(chunks: AsyncIterator[bytes]) -> AsyncIterator[tuple[int, Any]]:
    """``(line number, parsed value or FieldError)`` for every non-blank line."""
    buffer = bytearray()
    number = 0
    skipping = False
    async for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                if not skipping:
                    buffer += chunk[start:]
                    if len(buffer) > MAX_LINE_BYTES:
                        buffer.clear()
                        skipping = True
                break
            number += 1
            if skipping:
                skipping = False
                yield number, TOO_LONG
            else:
                buffer += chunk[start:end]
                if len(buffer) > MAX_LINE_BYTES:
                    yield number, TOO_LONG
                elif buffer.strip():
                    yield number, parse_line(bytes(buffer))
                buffer.clear()
            start = end + 1
    if skipping:
        yield number + 1, TOO_LONG
    elif buffer.strip():
        yield number + 1, parse_line(bytes(buffer))


async def from_file(path, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
    """A file's bytes in chunks, read in a thread (the event loop keeps serving)."""
    handle = await asyncio.to_thread(open, path, "rb")
    try:
        while chunk := await asyncio.to_thread(handle.read, chunk_size):
            yield chunk
    finally:
        handle.close()
