"""Signing in to the workspace through HTTP on both engines: local accounts (argon2) with their
failure limit, the development picker (refused in production), the session cookie, CSRF on
every form, expiry, sign-out, the acting-zone switch, and the CLI reset."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from sqlalchemy import delete, func, select, update

from ecozone.audit.models import AuditEntry
from ecozone.authz.actor import system_actor
from ecozone.workspace import rules
from ecozone.workspace.accounts import set_password
from ecozone.workspace.models import LocalAccount, SignInFailure, WebSession

PASSWORD = "茶园-Tea-garden-2026"


async def with_password(api, username: str, zone: str = "jiangxi", *roles: str) -> None:
    await api.add_user(username, zone, *roles)
    await api.operator(lambda s: set_password(s, system_actor(), username=username, password=PASSWORD))


async def test_a_local_account_signs_in_and_sees_its_workspace(api, browser_in):
    await with_password(api, "jx-sec", "jiangxi", "secretary")
    browser = await browser_in()
    answer = await browser.sign_in("jx-sec", PASSWORD)
    assert answer.status_code == 303 and answer.headers["location"] == "/workspace/"
    cookie = answer.headers["set-cookie"]
    assert "ecozone_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/workspace" in cookie and "Secure" not in cookie  # test env: plain http
    home = await browser.get("/workspace/")
    assert home.status_code == 200 and home.headers["cache-control"] == "no-store"
    assert "jx-sec" in home.text and "秘书" in home.text and "江西" in home.text
    stored = await api.operator(lambda s: s.scalar(select(LocalAccount.password_hash)))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    tokens = await api.operator(lambda s: s.scalars(select(WebSession.token_hash)))
    assert browser.client.cookies["ecozone_session"] not in list(tokens)  # only its hash is kept


async def test_production_cookies_are_secure(api, browser_in):
    await with_password(api, "jx-sec", "jiangxi", "secretary")
    browser = await browser_in("production", base_url="https://ecozone.test")
    answer = await browser.sign_in("jx-sec", PASSWORD)
    assert answer.status_code == 303 and "Secure" in answer.headers["set-cookie"]


async def test_a_wrong_password_and_an_unknown_user_are_the_same_refusal(api, browser_in):
    await with_password(api, "jx-sec")
    browser = await browser_in()
    for username, password in (("jx-sec", PASSWORD + "x"), ("nobody", PASSWORD), ("jx-sec", "")):
        answer = await browser.sign_in(username, password)
        assert answer.status_code == 401 and "用户名或密码不正确" in answer.text
        assert "ecozone_session" not in answer.headers.get("set-cookie", "")
    english = await browser.client.get("/workspace/sign-in?lang=en")
    assert "Sign in" in english.text
    denied = await api.operator(lambda s: s.scalar(select(func.count()).select_from(AuditEntry)
                                                    .where(AuditEntry.action == "account.sign_in",
                                                           AuditEntry.outcome == "denied")))
    assert denied == 3


async def test_the_sixth_failure_in_a_window_is_refused_until_the_window_ends(api, browser_in, monkeypatch):
    monkeypatch.setattr("ecozone.workspace.accounts.clock", lambda: 1_800_000_100)  # a window's start + 100 s
    await with_password(api, "jx-sec")
    browser = await browser_in()
    for _ in range(rules.MAX_FAILURES_PER_USER):
        assert (await browser.sign_in("jx-sec", "wrong password!")).status_code == 401
    locked = await browser.sign_in("jx-sec", PASSWORD)  # even the right one: nothing is checked
    assert locked.status_code == 429 and "登录失败次数过多" in locked.text
    assert int(locked.headers["retry-after"]) == rules.FAILURE_WINDOW_SECONDS - 100
    other = await browser.sign_in("JX-SEC", PASSWORD)  # the name's case does not dodge it
    assert other.status_code == 429
    # the window passes: the counters of the past window no longer count
    await api.operator(lambda s: s.execute(update(SignInFailure).values(window_start=0)))
    assert (await browser.sign_in("jx-sec", PASSWORD)).status_code == 303


async def test_every_form_refuses_a_missing_or_foreign_csrf_token(api, browser_in):
    await with_password(api, "jx-sec", "jiangxi", "secretary")
    browser = await browser_in()
    for path, data in (("/workspace/sign-in", {"username": "jx-sec", "password": PASSWORD}),
                       ("/workspace/sign-in/development", {"username": "jx-sec"})):
        for csrf in (None, "", "0" * 64, "forged"):
            form = dict(data, **({"csrf": csrf} if csrf is not None else {}))
            answer = await browser.post(path, form)
            assert answer.status_code == 403, (path, csrf)
            assert "表单已过期或来源不明" in answer.text
    # a token from another visitor's page does not fit this visitor's cookie
    other = await browser_in()
    their_page = await other.get("/workspace/sign-in")
    mine = await browser.post("/workspace/sign-in", {"csrf": other.csrf(their_page.text),
                                                      "username": "jx-sec", "password": PASSWORD})
    assert mine.status_code == 403
    # signed in: sign-out and the zone switch need the session's own token
    assert (await browser.sign_in("jx-sec", PASSWORD)).status_code == 303
    for path, data in (("/workspace/sign-out", {}), ("/workspace/zone", {"zone": "jiangxi"})):
        for csrf in (None, "x"):
            answer = await browser.post(path, dict(data, **({"csrf": csrf} if csrf else {})))
            assert answer.status_code == 403, path
    # a JSON body is not a form
    answer = await browser.client.post("/workspace/sign-in", json={"username": "jx-sec"})
    assert answer.status_code == 403
    assert (await browser.get("/workspace/")).status_code == 200  # still signed in


async def test_a_session_ends_at_its_expiry_and_at_sign_out(api, browser_in):
    await with_password(api, "jx-sec", "jiangxi", "secretary")
    browser = await browser_in()
    await browser.sign_in("jx-sec", PASSWORD)
    await api.operator(lambda s: s.execute(update(WebSession).values(
        expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))))
    expired = await browser.get("/workspace/")
    assert expired.status_code == 303 and expired.headers["location"].startswith("/workspace/sign-in")
    assert await api.operator(lambda s: s.scalar(select(func.count()).select_from(WebSession))) == 0
    await browser.sign_in("jx-sec", PASSWORD)
    home = await browser.get("/workspace/")
    out = await browser.post("/workspace/sign-out", {"csrf": browser.csrf(home.text)})
    assert out.status_code == 303
    assert (await browser.get("/workspace/")).status_code == 303
    assert await api.operator(lambda s: s.scalar(select(func.count()).select_from(WebSession))) == 0


async def test_the_development_picker_signs_in_outside_production_only(api, browser_in):
    await api.add_user("gz-dir", "guizhou", "director")
    development = await browser_in("development")
    assert (await development.pick("gz-dir")).status_code == 303
    assert "贵州" in (await development.get("/workspace/")).text
    assert (await development.pick("nobody")).status_code == 400
    production = await browser_in("production", base_url="https://ecozone.test")
    assert (await production.get("/workspace/sign-in/development")).status_code == 404
    page = await production.get("/workspace/sign-in")
    assert "sign-in/development" not in page.text
    forged = await production.post("/workspace/sign-in/development",
                                   {"csrf": production.csrf(page.text), "username": "gz-dir"})
    assert forged.status_code == 404 and "ecozone_session" not in forged.headers.get("set-cookie", "")


async def test_the_zone_switch_offers_and_accepts_only_zones_where_one_may_act(api, browser_in):
    await api.add_user("jx-dir", "jiangxi", "director")
    await api.add_roles("jx-dir", "fujian", "expert")
    browser = await browser_in("development")
    await browser.pick("jx-dir")
    home = (await browser.get("/workspace/")).text
    assert '<option value="jiangxi" selected>' in home and '<option value="fujian">' in home
    assert 'value="guizhou"' not in home and 'value="hainan"' not in home
    csrf = browser.csrf(home)
    assert (await browser.post("/workspace/zone", {"csrf": csrf, "zone": "fujian"})).status_code == 303
    fujian = (await browser.get("/workspace/")).text
    assert '<option value="fujian" selected>' in fujian and "专家" in fujian
    for zone in ("guizhou", "atlantis", "", "jiangxi' OR 1=1"):
        refused = await browser.post("/workspace/zone", {"csrf": csrf, "zone": zone})
        assert refused.status_code == 403, zone
        assert "您在该试验区没有角色" in refused.text
    assert '<option value="fujian" selected>' in (await browser.get("/workspace/")).text
    # the Fujian role is revoked: the next page acts at home again instead of failing
    async def revoke(session):
        from ecozone.authz.models import RoleAssignment
        await session.execute(delete(RoleAssignment).where(RoleAssignment.user_id == api.users["jx-dir"],
                                                           RoleAssignment.role == "expert"))
    await api.operator(revoke)
    home = await browser.get("/workspace/")
    assert home.status_code == 200 and '<option value="jiangxi" selected>' in home.text
    assert 'value="fujian"' not in home.text


async def test_sign_in_returns_only_into_the_workspace(api, browser_in):
    await with_password(api, "jx-sec")
    browser = await browser_in()
    page = await browser.get("/workspace/sign-in?next=https://evil.example/")
    assert 'name="next" value="/workspace/"' in page.text  # the form returns into the workspace only
    answer = await browser.post("/workspace/sign-in", {"csrf": browser.csrf(page.text), "username": "jx-sec",
                                                       "password": PASSWORD, "next": "//evil.example/x"})
    assert answer.headers["location"] == "/workspace/"


async def test_the_operator_resets_a_password_from_the_cli(api, browser_in):
    await with_password(api, "jx-sec")
    env = {**os.environ, "ECOZONE_DATABASE_URL": api.settings.database_url,
           "ECOZONE_MIGRATION_DATABASE_URL": api.operator_url, "ECOZONE_ENV": "test",
           "ECOZONE_SECRET": api.settings.secret}

    def cli(username: str, password: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ecozone.cli", "accounts", "set-password", username,
                               "--password-stdin"], input=password + "\n", env=env, capture_output=True,
                              text=True, timeout=120)
    short = cli("jx-sec", "short")
    assert short.returncode == 1 and "密码至少需要 12 个字符" in short.stderr and "at least 12" in short.stderr
    unknown = cli("nobody", "A-new-tea-garden-9")
    assert unknown.returncode == 1 and "没有用户 nobody" in unknown.stderr
    done = cli("jx-sec", "A-new-tea-garden-9")
    assert done.returncode == 0, done.stderr
    browser = await browser_in()
    assert (await browser.sign_in("jx-sec", PASSWORD)).status_code == 401
    assert (await browser.sign_in("jx-sec", "A-new-tea-garden-9")).status_code == 303
    audited = await api.operator(lambda s: s.scalar(select(func.count()).select_from(AuditEntry)
                                                     .where(AuditEntry.action == "account.set_password")))
    assert audited == 2  # the fixture's and the reset
