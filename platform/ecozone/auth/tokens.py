"""Bearer tokens: HS256 tokens this app issues, or RS256 tokens of an external provider (JWKS)."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import jwt

from ecozone.settings import Settings

ISSUER = "ecozone"


class InvalidToken(Exception):
    """The bearer token cannot be trusted; the request is answered 401."""

    def __init__(self, message_en: str, message_zh: str, *, error: str = "invalid_token"):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh
        self.error = error  # RFC 6750 error code for WWW-Authenticate: invalid_token, invalid_request


@dataclass(frozen=True)
class Claims:
    subject: str
    external: bool  # True when issued by the external identity provider
    # The verified ``exp`` claim (seconds since the epoch): a live connection signed in with
    # the token is closed then (web/subscriptions.py).
    expires_at: float | None = None


def issue_token(settings: Settings, username: str, *, ttl_seconds: int | None = None) -> str:
    now = dt.datetime.now(dt.UTC)
    ttl = settings.token_ttl_seconds if ttl_seconds is None else ttl_seconds
    return jwt.encode({"sub": username, "iss": ISSUER, "iat": now,
                       "exp": now + dt.timedelta(seconds=ttl)},
                      settings.secret, algorithm="HS256")


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=5)


def _decode(settings: Settings, token: str) -> Claims:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise InvalidToken("malformed bearer token", "令牌格式错误") from exc
    options = {"require": ["exp", "sub"]}
    try:
        if header.get("alg") == "HS256":
            payload = jwt.decode(token, settings.secret, algorithms=["HS256"], issuer=ISSUER,
                                 options=options)
            return Claims(subject=payload["sub"], external=False, expires_at=float(payload["exp"]))
        if header.get("alg") == "RS256" and settings.jwks_url:
            key = _jwks_client(settings.jwks_url).get_signing_key_from_jwt(token)
            payload = jwt.decode(token, key.key, algorithms=["RS256"],
                                 issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                                 options={**options, "verify_aud": bool(settings.jwt_audience),
                                          "verify_iss": bool(settings.jwt_issuer)})
            return Claims(subject=payload["sub"], external=True, expires_at=float(payload["exp"]))
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("the token has expired: sign in again", "令牌已过期，请重新登录") from exc
    except jwt.PyJWKClientError as exc:
        raise InvalidToken(f"cannot obtain the identity provider's key: {exc}",
                           "无法获取身份提供方的公钥") from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"invalid token: {exc}", "令牌无效") from exc
    raise InvalidToken(f"unsupported token algorithm {header.get('alg')!r}", "不支持的令牌算法")


async def decode_token(settings: Settings, token: str) -> Claims:
    # PyJWKClient fetches keys with blocking urllib: keep it off the event loop.
    if settings.jwks_url:
        return await asyncio.to_thread(_decode, settings, token)
    return _decode(settings, token)
