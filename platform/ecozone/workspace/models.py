"""Browser sessions, local accounts and failed sign-ins: shared tables (a person's, not a
zone's), written only by the sign-in code, never through GraphQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base


class WebSession(Base):
    """A browser's session. The cookie holds a random token; the table only its SHA-256, so a
    copy of the table signs nobody in. A session without a user is a sign-in under way (the
    OpenID Connect state, nonce and PKCE verifier wait here for the provider's answer)."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    zone_slug: Mapped[str | None] = mapped_column(String(32))  # the acting zone chosen in the header
    csrf_token: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(16))  # password | development | oidc | pending
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    oidc_state: Mapped[str | None] = mapped_column(String(128))
    oidc_nonce: Mapped[str | None] = mapped_column(String(128))
    oidc_verifier: Mapped[str | None] = mapped_column(String(128))
    return_to: Mapped[str | None] = mapped_column(String(500))


class LocalAccount(Base):
    """A password for a base without an identity provider, hashed with argon2id."""

    __tablename__ = "local_accounts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    changed_at: Mapped[dt.datetime]


class SignInFailure(Base):
    """Failed password sign-ins per key (a username, an address) and window, for the limit."""

    __tablename__ = "sign_in_failures"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    failures: Mapped[int] = mapped_column(Integer, default=0)
