"""Sign-in with OpenID Connect against a real provider on loopback — the certified npm package
``oidc-provider`` (pinned in oidc_provider/package-lock.json), started by the test — through the
whole authorization code flow with PKCE, on both engines. Skipped with one line without node."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import update

from ecozone.auth.models import User
from tests.support.npm import ensure_node_packages

PROVIDER_DIR = Path(__file__).parent / "oidc_provider"
CLIENT_ID, CLIENT_SECRET = "ecozone-workspace", "a-test-only-client-secret-of-32-bytes"
CALLBACK = "http://ecozone.test/workspace/oidc/callback"
ACCOUNTS = ("oidc-jx-secretary", "oidc-stranger")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    node = ensure_node_packages(PROVIDER_DIR, ("oidc-provider",), "the OpenID Connect sign-in test")
    port = _free_port()
    process = subprocess.Popen([node, str(PROVIDER_DIR / "provider.mjs"), str(port), CLIENT_ID, CLIENT_SECRET,
                                CALLBACK, ",".join(ACCOUNTS)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("ready"), f"the provider did not start: {line}{process.stderr.read()[-2000:]}"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def _through_provider(authorization_url: str) -> str:
    """Follow the provider's own redirects (its cookies kept) until it sends the browser back
    to the workspace's callback; return that URL."""
    async with httpx.AsyncClient(timeout=10) as client:
        url = authorization_url
        for _ in range(10):
            response = await client.get(url)
            assert response.status_code in (302, 303), (response.status_code, response.text[:500])
            url = str(response.url.join(response.headers["location"]))
            if url.startswith(CALLBACK):
                return url
    raise AssertionError("the provider never redirected back")


async def _start(browser, login_hint: str) -> str:
    start = await browser.get("/workspace/sign-in/oidc", params={"login_hint": login_hint})
    assert start.status_code == 303, start.text
    location = start.headers["location"]
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["response_type"] == ["code"] and "openid" in query["scope"][0] and query["nonce"]
    return location


async def _callback(browser, url: str):
    parts = urlsplit(url)
    return await browser.get(parts.path + "?" + parts.query)


async def test_a_person_signs_in_with_the_provider_and_is_matched_by_subject(api, browser_in, provider):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.operator(lambda s: s.execute(update(User).where(User.username == "jx-secretary")
                                           .values(external_subject="oidc-jx-secretary")))
    browser = await browser_in("test", oidc_issuer=provider, oidc_client_id=CLIENT_ID,
                               oidc_client_secret=CLIENT_SECRET, oidc_redirect_url=CALLBACK)
    sign_in_page = await browser.get("/workspace/sign-in")
    assert "/workspace/sign-in/oidc" in sign_in_page.text
    back = await _through_provider(await _start(browser, "oidc-jx-secretary"))
    signed_in = await _callback(browser, back)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/workspace/"
    home = await browser.get("/workspace/")
    assert home.status_code == 200 and "jx-secretary" in home.text and "秘书" in home.text
    # the same code again: the pending sign-in is gone, the code spent
    replay = await _callback(browser, back)
    assert replay.status_code == 403


async def test_an_identity_without_an_account_is_refused(api, browser_in, provider):
    browser = await browser_in("test", oidc_issuer=provider, oidc_client_id=CLIENT_ID,
                               oidc_client_secret=CLIENT_SECRET, oidc_redirect_url=CALLBACK)
    back = await _through_provider(await _start(browser, "oidc-stranger"))
    refused = await _callback(browser, back)
    assert refused.status_code == 403 and "此身份尚未关联平台账户" in refused.text
    assert (await browser.get("/workspace/")).status_code == 303


async def test_the_callback_refuses_what_this_browser_did_not_start(api, browser_in, provider):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.operator(lambda s: s.execute(update(User).where(User.username == "jx-secretary")
                                           .values(external_subject="oidc-jx-secretary")))
    settings = {"oidc_issuer": provider, "oidc_client_id": CLIENT_ID, "oidc_client_secret": CLIENT_SECRET,
                "oidc_redirect_url": CALLBACK}
    victim, attacker = await browser_in("test", **settings), await browser_in("test", **settings)
    back = await _through_provider(await _start(attacker, "oidc-jx-secretary"))
    # login CSRF: the attacker's callback URL opened in the victim's browser signs nobody in
    assert (await _callback(victim, back)).status_code == 403
    # a forged state in the attacker's own browser
    forged = back.replace("state=", "state=x")
    assert (await _callback(attacker, forged)).status_code == 403
    # no code, an oversized code, a made-up code with the right state
    parts = parse_qs(urlsplit(back).query)
    state = parts["state"][0]
    for query in (f"state={state}", f"state={state}&code=" + "A" * 3000):
        assert (await attacker.get("/workspace/oidc/callback?" + query)).status_code == 403
    made_up = await attacker.get(f"/workspace/oidc/callback?state={state}&code=not-a-code")
    assert made_up.status_code == 502 and "身份提供方拒绝了此次登录" in made_up.text
    assert (await attacker.get("/workspace/")).status_code == 303


async def test_without_a_provider_there_is_no_such_sign_in(api, browser_in):
    browser = await browser_in("test")
    assert (await browser.get("/workspace/sign-in/oidc")).status_code == 404
    assert "/workspace/sign-in/oidc" not in (await browser.get("/workspace/sign-in")).text
    unreachable = await browser_in("test", oidc_issuer="http://127.0.0.1:9", oidc_client_id=CLIENT_ID,
                                   oidc_client_secret=CLIENT_SECRET)
    answer = await unreachable.get("/workspace/sign-in/oidc")
    assert answer.status_code == 502 and "无法连接身份提供方" in answer.text
