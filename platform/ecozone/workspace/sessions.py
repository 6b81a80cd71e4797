"""Browser sessions: a random token in an HttpOnly cookie, its SHA-256 in ``web_sessions``, a
CSRF token per session (the synchronizer-token pattern: every form carries it, every POST is
checked against it), expiry, and the acting zone the person chose."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.workspace import rules
from ecozone.workspace.models import WebSession

COOKIE = "ecozone_session"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def start(session: AsyncSession, *, user_id: int | None, method: str, zone_slug: str | None = None,
                ttl: dt.timedelta = rules.SESSION_TTL, **oidc: str | None) -> str:
    """A new session (a new token: never reuse a pre-sign-in one, against session fixation)."""
    token, started = new_token(), now()
    session.add(WebSession(token_hash=token_hash(token), user_id=user_id, zone_slug=zone_slug,
                           csrf_token=secrets.token_urlsafe(32), method=method, created_at=started,
                           expires_at=started + ttl, **oidc))
    await session.flush()
    return token


async def load(session: AsyncSession, token: str | None) -> WebSession | None:
    """The cookie's live session, or None (unknown, malformed or expired: an expired one is
    deleted on the way)."""
    if not token or len(token) > 100:
        return None
    found = await session.get(WebSession, token_hash(token))
    if found is None:
        return None
    if rules.expired(found.expires_at, now()):
        await session.delete(found)
        return None
    return found


async def end(session: AsyncSession, token: str | None) -> None:
    if token and len(token) <= 100:
        await session.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))


async def purge_expired(session: AsyncSession) -> int:
    result = await session.execute(delete(WebSession).where(WebSession.expires_at <= now()))
    return result.rowcount or 0


def csrf_valid(web_session: WebSession | None, submitted: str | None) -> bool:
    """The form's token is the session's (compared in constant time)."""
    if web_session is None or not submitted:
        return False
    return hmac.compare_digest(web_session.csrf_token.encode(), submitted.encode("utf-8", "surrogatepass"))
