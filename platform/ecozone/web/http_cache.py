"""HTTP caching of anonymous reads: ETag, Cache-Control, Vary and 304 (RFC 9110, RFC 9111).

An anonymous ``GET /graphql`` answered 200 without errors — by a trusted document's id or by
its text — is public: a strong ``ETag`` computed from the response's bytes, ``Cache-Control:
public, max-age=N, must-revalidate`` (N from ``ECOZONE_HTTP_CACHE_MAX_AGE``, default 0: a cache
may keep the answer but must ask again each time, so nothing is ever served stale) and ``304
Not Modified`` when the request's ``If-None-Match`` names that tag. The tag is the bytes' hash,
so a tag of another zone's or another query's answer matches only if the answers are the same
bytes — and then 304 is the truth. The answer still runs (its bytes make the tag): 304 saves
the transfer, not the work, and spends the client's budget like a 200.
An anonymous answer served by the response cache (web/response_cache.py) brings the tag
stored with its bytes: its 304 runs nothing and hashes nothing.

A signed-in answer is ``private, no-store`` and never 304: it is one user's, and no tag taken
from a public answer can unlock it. ``Vary`` names what changes an answer: Accept (the media
type), Authorization (who asks) and X-Zone (in whose zone).

The portal's pages use ``etag_for`` and ``if_none_match_matches`` for their own HTML.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.requests import Request
from starlette.responses import Response

VARY = "Accept, Authorization, X-Zone"
PRIVATE = "private, no-store"
# RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text
_ENTITY_TAG = re.compile(r'\s*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)')


def etag_for(body: bytes) -> str:
    """A strong entity tag of ``body``: its SHA-256, base64url without padding, quoted."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode("ascii")
    return f'"{digest}"'


def _opaque(tag: str) -> str | None:
    found = _ENTITY_TAG.fullmatch(tag)
    return found.group(2) if found else None


def if_none_match_matches(header: str | None, etag: str) -> bool:
    """Whether ``If-None-Match: header`` matches the current representation tagged ``etag``
    (RFC 9110 §13.1.2: ``*`` matches any; otherwise a list of tags, compared weakly, so
    ``W/"x"`` matches ``"x"``). A header that is not a valid list is ignored: no match."""
    if header is None:
        return False
    value = header.strip()
    if value == "*":
        return True
    current = _opaque(etag)
    if current is None or not value:
        return False
    position, tags = 0, []
    while position < len(value):
        found = _ENTITY_TAG.match(value, position)
        if found is None or found.end() == position:
            return False  # garbage: the condition is not understood, so it is not applied
        tags.append(found.group(2))
        position = found.end()
    return current in tags


def public_headers(etag: str, max_age: int) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": f"public, max-age={max(0, max_age)}, must-revalidate",
            "Vary": VARY}


def anonymous_get_answer(request: Request, response: Response, *, max_age: int,
                         etag: str | None = None) -> Response:
    """``response`` (an anonymous GET's 200 without errors) tagged, or ``304`` if the client's
    copy is the same bytes. ``etag``: the body's tag when known already (the response cache
    keeps it with the bytes, so a 304 from the cache hashes nothing)."""
    headers = public_headers(etag or etag_for(response.body), max_age)
    if if_none_match_matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return response


def uncacheable(response: Response, *, signed_in: bool) -> Response:
    """An answer no cache may reuse as is: a signed-in user's (private, no-store), or an
    anonymous GET's with errors (no-store); Vary still says what would change it."""
    response.headers["Vary"] = VARY
    response.headers["Cache-Control"] = PRIVATE if signed_in else "no-store"
    return response
