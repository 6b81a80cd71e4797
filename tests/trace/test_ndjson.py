"""The NDJSON reader: lines split as bytes arrive, long lines skipped without being kept."""

from __future__ import annotations

from ecozone.errors import FieldError
from ecozone.trace import ndjson
from ecozone.trace.rules import MAX_LINE_BYTES


async def _read(chunks):
    async def stream():
        for chunk in chunks:
            yield chunk
    return [(n, v if not isinstance(v, FieldError) else v.code) async for n, v in ndjson.lines(stream())]


async def test_lines_across_chunk_boundaries():
    assert await _read([b'{"a"', b': 1}\n{"b": 2', b"}\n\n", b'{"c": 3}']) == [(1, {"a": 1}), (2, {"b": 2}), (4, {"c": 3})]


async def test_long_line_split_in_chunks_is_skipped_and_numbered():
    long = [b"x" * (MAX_LINE_BYTES // 2)] * 3
    assert await _read([b"{}\n", *long, b"\n[1]\n"]) == [(1, {}), (2, "too_long"), (3, [1])]


async def test_exact_limit_is_kept_one_more_is_not():
    at_limit = b'"' + b"a" * (MAX_LINE_BYTES - 2) + b'"'
    assert (await _read([at_limit + b"\n"]))[0][1] == "a" * (MAX_LINE_BYTES - 2)
    assert (await _read([at_limit + b"a\n"])) == [(1, "too_long")]


async def test_encoding_and_json_errors():
    assert await _read([b"\xff\n", b"{x}\n", "{\"名\": \"茶\"}\n".encode()]) == [(1, "encoding"), (2, "json"), (3, {"名": "茶"})]
