"""Sign-in with the deployment's OpenID Connect provider: the authorization code flow with PKCE
(S256) through Authlib's OAuth 2 client, the ID token verified with PyJWT against the provider's
JWKS (signature, issuer, audience, expiry, nonce), the person matched by the token's subject as
the API matches RS256 tokens (``users.external_subject``)."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client

from ecozone.settings import Settings

CALLBACK_PATH = "/workspace/oidc/callback"
DISCOVERY_TTL_SECONDS = 3600.0
ID_TOKEN_ALGORITHMS = ["RS256", "PS256", "ES256"]  # asymmetric only: never "none" or HS* here


class OIDCFailure(Exception):
    """The provider's answer cannot sign anyone in (bilingual, shown on the sign-in page)."""

    def __init__(self, message_en: str, message_zh: str):
        super().__init__(message_en)
        self.message_en, self.message_zh = message_en, message_zh


@dataclass(frozen=True)
class Authorization:
    url: str
    state: str
    nonce: str
    verifier: str


class OIDCClient:
    def __init__(self, settings: Settings):
        self.issuer = (settings.oidc_issuer or "").rstrip("/")
        self.client_id = settings.oidc_client_id or ""
        self.client_secret = settings.oidc_client_secret or ""
        self.redirect_url = settings.oidc_redirect_url
        self._metadata: tuple[float, dict[str, Any]] | None = None
        self._jwks: dict[str, jwt.PyJWKClient] = {}

    @property
    def configured(self) -> bool:
        return bool(self.issuer and self.client_id)

    def callback_url(self, origin: str) -> str:
        return self.redirect_url or origin.rstrip("/") + CALLBACK_PATH

    async def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, remembered for an hour."""
        loop = asyncio.get_running_loop()
        if self._metadata and loop.time() - self._metadata[0] < DISCOVERY_TTL_SECONDS:
            return self._metadata[1]
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                response = await client.get(self.issuer + "/.well-known/openid-configuration")
                response.raise_for_status()
                document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OIDCFailure(f"the identity provider cannot be reached ({exc.__class__.__name__})",
                              "无法连接身份提供方，请稍后再试") from None
        if document.get("issuer", "").rstrip("/") != self.issuer:  # OpenID Connect Discovery §4.3
            raise OIDCFailure("the identity provider's discovery names another issuer",
                              "身份提供方的发现文档声明了另一个签发者")
        self._metadata = (loop.time(), document)
        return document

    def _client(self, callback_url: str) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(self.client_id, self.client_secret, scope="openid profile",
                                 redirect_uri=callback_url, code_challenge_method="S256",
                                 token_endpoint_auth_method="client_secret_basic", timeout=10)

    async def authorization(self, callback_url: str, login_hint: str | None = None) -> Authorization:
        metadata = await self.metadata()
        verifier, nonce = generate_token(64), secrets.token_urlsafe(24)
        extra = {"nonce": nonce}
        if login_hint:
            extra["login_hint"] = login_hint[:200]
        async with self._client(callback_url) as client:
            url, state = client.create_authorization_url(metadata["authorization_endpoint"],
                                                         code_verifier=verifier, **extra)
        return Authorization(url, state, nonce, verifier)

    async def subject(self, callback_url: str, *, code: str, verifier: str, nonce: str) -> str:
        """Exchange ``code`` (with the PKCE verifier) and return the verified ID token's ``sub``."""
        metadata = await self.metadata()
        try:
            async with self._client(callback_url) as client:
                token = await client.fetch_token(metadata["token_endpoint"], code=code,
                                                 code_verifier=verifier)
        except Exception as exc:  # noqa: BLE001 - authlib raises OAuthError and httpx errors alike
            raise OIDCFailure(f"the identity provider refused the sign-in ({exc.__class__.__name__})",
                              "身份提供方拒绝了此次登录") from None
        id_token = token.get("id_token")
        if not id_token:
            raise OIDCFailure("the identity provider sent no ID token", "身份提供方未返回 ID 令牌")
        jwks = self._jwks.setdefault(metadata["jwks_uri"], jwt.PyJWKClient(metadata["jwks_uri"]))
        try:
            key = await asyncio.to_thread(jwks.get_signing_key_from_jwt, id_token)
            claims = jwt.decode(id_token, key.key, algorithms=ID_TOKEN_ALGORITHMS, audience=self.client_id,
                                issuer=metadata["issuer"], options={"require": ["exp", "iat", "sub", "aud"]})
        except jwt.PyJWTError as exc:
            raise OIDCFailure(f"the ID token is not valid ({exc.__class__.__name__})", "ID 令牌无效") from None
        if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
            raise OIDCFailure("the ID token does not answer this sign-in (nonce)", "ID 令牌与本次登录不符（nonce）")
        return str(claims["sub"])
