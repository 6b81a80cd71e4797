"""Bearer tokens through the API: the app's own HS256 tokens and an identity provider's RS256 (JWKS)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import update

from ecozone.auth.models import User
from ecozone.auth.tokens import ISSUER, issue_token
from ecozone.web.app import create_app

GQL = "application/graphql-response+json"
WHO = "{ viewer { roles user { username } zone { slug } } }"


async def ask(client: httpx.AsyncClient, authorization: str | None) -> httpx.Response:
    headers = {"Accept": GQL}
    if authorization is not None:
        headers["Authorization"] = authorization
    return await client.post("/graphql", json={"query": WHO}, headers=headers)


def assert_401(response: httpx.Response, *, error: str = "invalid_token") -> str:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == f'Bearer error="{error}"'
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["errors"][0]["extensions"]["messageZh"]
    return body["errors"][0]["message"]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- HS256: the app's own tokens ------------------------------------------------------------

async def test_issued_token_is_accepted(api):
    await api.add_user("li", "guizhou", "secretary")
    response = await ask(api.client, f"Bearer {api.token('li')}")
    assert response.json() == {"data": {"viewer": {
        "roles": ["SECRETARY"], "user": {"username": "li"}, "zone": {"slug": "guizhou"}}}}
    lower = await ask(api.client, f"bearer {api.token('li')}")  # the scheme is case-insensitive
    assert lower.json()["data"]["viewer"]["user"]["username"] == "li"


async def test_anonymous_without_header(api):
    response = await ask(api.client, None)
    assert response.json()["data"]["viewer"] == {"roles": [], "user": None, "zone": None}


async def test_expired_token_is_refused(api):
    await api.add_user("li", "guizhou")
    message = assert_401(await ask(api.client, f"Bearer {api.token('li', ttl_seconds=-1)}"))
    assert "expired" in message


def _hs256(claims: dict, secret: str) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


async def test_forged_or_incomplete_hs256_tokens_are_refused(api):
    await api.add_user("li", "guizhou")
    exp = now() + dt.timedelta(hours=1)
    other = dataclasses.replace(api.settings, secret="another-secret-of-enough-length-0123456789")
    forged = [
        issue_token(other, "li"),                                            # wrong signature
        _hs256({"sub": "li", "iss": ISSUER}, api.settings.secret),           # no exp
        _hs256({"iss": ISSUER, "exp": exp}, api.settings.secret),            # no sub
        _hs256({"sub": "li", "iss": "someone-else", "exp": exp}, api.settings.secret),
        _hs256({"sub": "li", "exp": exp}, api.settings.secret),              # no iss
        api.token("li")[:-3] + "AAA",                                        # tampered signature
    ]
    for token in forged:
        assert_401(await ask(api.client, f"Bearer {token}"))


async def test_token_of_unknown_or_inactive_user_is_refused(api):
    assert "unknown" in assert_401(await ask(api.client, f"Bearer {api.token('ghost')}"))
    user_id = await api.add_user("gone", "hainan")
    await api.operator(lambda s: s.execute(update(User).where(User.id == user_id).values(is_active=False)))
    assert_401(await ask(api.client, f"Bearer {api.token('gone')}"))


async def test_alg_none_is_refused(api):
    await api.add_user("li", "guizhou", "director")
    token = jwt.encode({"sub": "li", "iss": ISSUER, "exp": now() + dt.timedelta(hours=1)},
                       None, algorithm="none")
    assert "algorithm" in assert_401(await ask(api.client, f"Bearer {token}"))


@pytest.mark.parametrize("authorization", ["Basic x", "Basic bGk6c2VjcmV0", "Token abc", "Bearer"])
async def test_other_authorization_schemes_are_refused(api, authorization):
    message = assert_401(await ask(api.client, authorization), error="invalid_request")
    assert "Bearer" in message


async def test_rs256_token_without_jwks_is_refused(api):
    await api.add_user("li", "guizhou")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode({"sub": "li", "iss": ISSUER, "exp": now() + dt.timedelta(hours=1)},
                       key, algorithm="RS256")
    assert "algorithm" in assert_401(await ask(api.client, f"Bearer {token}"))


# --- RS256 from an identity provider's JWKS -------------------------------------------------

class JwksServer:
    """Serves ``{"keys": [...]}`` at /jwks.json from a real HTTP server on 127.0.0.1."""

    def __init__(self):
        self.keys: list[dict] = []
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                outer.requests += 1
                if self.path != "/jwks.json":
                    self.send_error(404)
                    return
                body = json.dumps({"keys": outer.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, key: rsa.RSAPrivateKey, kid: str) -> None:
        jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        self.keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def idp_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def jwks(idp_key):
    server = JwksServer()
    server.publish(idp_key, "key-1")
    yield server
    server.close()


@pytest.fixture
async def external_user(api):
    user_id = await api.add_user("wang", "fujian", "expert")
    await api.operator(lambda s: s.execute(
        update(User).where(User.id == user_id).values(external_subject="idp|8f3a2c")))
    return user_id


def client_for(settings, app_engine, **changes) -> httpx.AsyncClient:
    app = create_app(dataclasses.replace(settings, **changes), engine=app_engine)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test")


def rs256(key: rsa.RSAPrivateKey, kid: str | None = "key-1", **claims) -> str:
    payload = {"sub": "idp|8f3a2c", "exp": now() + dt.timedelta(minutes=5), "iat": now(), **claims}
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid} if kid else None)


def hmac_with_public_key(key: rsa.RSAPrivateKey) -> str:
    """The algorithm-confusion attack: HS256 keyed with the provider's public key (PyJWT refuses
    to make one, so it is made by hand)."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "key-1"}).encode())
    claims = b64(json.dumps({"sub": "idp|8f3a2c", "iss": ISSUER,
                             "exp": int((now() + dt.timedelta(minutes=5)).timestamp())}).encode())
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    signature = hmac.new(pem, f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(signature)}"


async def test_jwks_token_is_accepted(settings, app_engine, api, jwks, idp_key, external_user):
    async with client_for(settings, app_engine, jwks_url=jwks.url) as client:
        response = await ask(client, f"Bearer {rs256(idp_key)}")
        assert response.status_code == 200, response.text
        assert response.json()["data"]["viewer"] == {
            "roles": ["EXPERT"], "user": {"username": "wang"}, "zone": {"slug": "fujian"}}
        # the app's own HS256 tokens keep working beside the provider's
        own = await ask(client, f"Bearer {issue_token(settings, 'wang')}")
        assert own.json()["data"]["viewer"]["user"] == {"username": "wang"}
    assert jwks.requests >= 1


async def test_jwks_tokens_that_must_be_refused(settings, app_engine, api, jwks, idp_key,
                                                other_key, external_user):
    await api.add_user("idp|8f3a2c-username", "fujian")
    refused = {
        "signed by another key": rs256(other_key),
        "another key under a published kid": rs256(other_key, kid="key-1"),
        "unknown kid": rs256(idp_key, kid="key-2"),
        "no kid": rs256(idp_key, kid=None),
        "expired": rs256(idp_key, exp=now() - dt.timedelta(minutes=1)),
        "no exp": rs256(idp_key, exp=None),
        "unknown subject": rs256(idp_key, sub="idp|nobody"),
        "a username is not an external subject": rs256(idp_key, sub="wang"),
        "HS256 signed with the public key": hmac_with_public_key(idp_key),
    }
    async with client_for(settings, app_engine, jwks_url=jwks.url) as client:
        for what, token in refused.items():
            response = await ask(client, f"Bearer {token}")
            assert response.status_code == 401, (what, response.text)
            assert "data" not in response.json()


async def test_jwks_issuer_and_audience(settings, app_engine, api, jwks, idp_key, external_user):
    issuer, audience = "https://id.example.org/", "ecozone-api"
    async with client_for(settings, app_engine, jwks_url=jwks.url, jwt_issuer=issuer,
                          jwt_audience=audience) as client:
        good = await ask(client, f"Bearer {rs256(idp_key, iss=issuer, aud=audience)}")
        assert good.json()["data"]["viewer"]["user"] == {"username": "wang"}
        listed = await ask(client, f"Bearer {rs256(idp_key, iss=issuer, aud=['other', audience])}")
        assert listed.status_code == 200, listed.text
        for claims in ({"iss": "https://evil.example.org/", "aud": audience},
                       {"aud": audience},
                       {"iss": issuer, "aud": "another-api"},
                       {"iss": issuer}):
            response = await ask(client, f"Bearer {rs256(idp_key, **claims)}")
            assert_401(response)


async def test_unreachable_jwks_is_401_not_500(settings, app_engine, api, idp_key, external_user):
    server = JwksServer()
    url = server.url.replace("/jwks.json", "/missing.json")
    server.close()
    async with client_for(settings, app_engine, jwks_url=url) as client:
        message = assert_401(await ask(client, f"Bearer {rs256(idp_key)}"))
        assert "key" in message
