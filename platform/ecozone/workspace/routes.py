"""The workspace's routes: sign-in (password, development picker, OpenID Connect), sign-out,
the acting-zone switch and the pages, under ``/workspace``.

Forms before sign-in carry a double-submit CSRF token (a random cookie and its HMAC under the
app's secret in the form); forms after sign-in carry the session's own token. Every POST checks
its token before anything else and answers a bilingual 403 page without it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ecozone.auth.models import User
from ecozone.db.engine import new_session, write_turn
from ecozone.db.scoping import ANONYMOUS
from ecozone.portal.rendering import html_answer
from ecozone.workspace import accounts, rules, sessions
from ecozone.workspace.oidc import CALLBACK_PATH, OIDCClient, OIDCFailure
from ecozone.workspace.page import WorkspacePage, render
from ecozone.workspace.registry import modules as page_modules

log = logging.getLogger("ecozone.workspace")
PRE_CSRF_COOKIE = "ecozone_csrf"
MAX_FORM_BYTES = 16 * 1024


class Workspace:
    def __init__(self, view: Any):
        self.view = view  # the app's GraphQLHTTP: every page's data goes through it
        self.state = view.state
        self.settings = self.state.settings
        self.engine = self.state.engine
        self.oidc = OIDCClient(self.settings)

    # ---- cookies and CSRF -------------------------------------------------------------------
    def _cookie(self, response: Response, name: str, value: str, max_age: int | None) -> None:
        response.set_cookie(name, value, max_age=max_age, path="/workspace", httponly=True,
                            secure=self.settings.production, samesite="lax")

    def _pre_csrf(self, request: Request) -> tuple[str, str]:
        """(cookie value, form token): the visitor's double-submit pair, new if absent."""
        cookie = request.cookies.get(PRE_CSRF_COOKIE) or ""
        if not (16 <= len(cookie) <= 64 and cookie.isascii()):
            cookie = secrets.token_urlsafe(24)
        return cookie, self._sign(cookie)

    def _sign(self, value: str) -> str:
        return hmac.new(self.settings.secret.encode(), b"csrf:" + value.encode(), hashlib.sha256).hexdigest()

    def _pre_csrf_valid(self, request: Request, submitted: str | None) -> bool:
        cookie = request.cookies.get(PRE_CSRF_COOKIE)
        return bool(cookie and submitted and hmac.compare_digest(self._sign(cookie), submitted))

    async def _form(self, request: Request, max_bytes: int = MAX_FORM_BYTES) -> dict[str, str] | None:
        """The posted form (url-encoded, at most ``max_bytes``), or None for anything else."""
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            return None
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            return None
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_bytes:
                return None
        from urllib.parse import parse_qsl
        try:
            pairs = parse_qsl(bytes(body).decode("utf-8"), keep_blank_values=True, max_num_fields=50)
        except (UnicodeDecodeError, ValueError):
            return None
        return {key: value for key, value in pairs}

    def _refused(self, request: Request, status: int, key: str) -> Response:
        page = WorkspacePage(request, self)
        return render(page, "ws_message.html", status=status, message=page.t(key))

    # ---- sessions -----------------------------------------------------------------------------
    async def _session_of(self, request: Request):
        async with new_session(self.engine, ANONYMOUS) as db:
            async with db.begin():
                return await sessions.load(db, request.cookies.get(sessions.COOKIE))

    async def _write(self, work: Callable[[Any], Awaitable[Any]]) -> Any:
        async with write_turn(self.engine, True), new_session(self.engine, ANONYMOUS, write=True) as db:
            async with db.begin():
                return await work(db)

    async def _signed_in(self, request: Request, user_id: int, method: str,
                         return_to: str | None) -> Response:
        async def work(db):
            await sessions.end(db, request.cookies.get(sessions.COOKIE))  # never keep a pre-sign-in token
            return await sessions.start(db, user_id=user_id, method=method,
                                        ttl=_ttl(self.settings.session_ttl_seconds))
        token = await self._write(work)
        redirect = RedirectResponse(rules.safe_return_to(return_to), status_code=303)
        self._cookie(redirect, sessions.COOKIE, token, self.settings.session_ttl_seconds)
        return redirect

    # ---- pages --------------------------------------------------------------------------------
    async def sign_in_page(self, request: Request, *, status: int = 200, error: str | None = None,
                           username: str = "") -> Response:
        page = WorkspacePage(request, self)
        cookie, token = self._pre_csrf(request)
        response = render(page, "ws_sign_in.html", status=status, csrf=token, error=error, username=username,
                          oidc=self.oidc.configured, development=not self.settings.production,
                          return_to=rules.safe_return_to(request.query_params.get("next")))
        self._cookie(response, PRE_CSRF_COOKIE, cookie, None)
        return response

    async def sign_in(self, request: Request) -> Response:
        if request.method == "GET":
            return await self.sign_in_page(request)
        form = await self._form(request)
        if form is None or not self._pre_csrf_valid(request, form.get("csrf")):
            return self._refused(request, 403, "csrf_failed")
        username, password = form.get("username", "").strip(), form.get("password", "")
        address = request.client.host if request.client else "unknown"
        signed = await self._write(lambda db: accounts.check_password(
            db, username=username, password=password, address=address))
        if isinstance(signed, accounts.SignInRefused):
            refused = signed
            page = WorkspacePage(request, self)
            message = refused.refusal.message_zh if page.language == "zh" else refused.refusal.message_en
            response = await self.sign_in_page(request, status=429 if refused.retry_after else 401,
                                               error=message, username=username[:64])
            if refused.retry_after:
                response.headers["Retry-After"] = str(refused.retry_after)
            return response
        return await self._signed_in(request, signed.user_id, "password", form.get("next"))

    async def development_picker(self, request: Request) -> Response:
        if self.settings.production:  # refused, not hidden: production never signs in without proof
            return self._refused(request, 404, "development_only")
        if request.method == "POST":
            form = await self._form(request)
            if form is None or not self._pre_csrf_valid(request, form.get("csrf")):
                return self._refused(request, 403, "csrf_failed")
            users = User.__table__
            async with new_session(self.engine, ANONYMOUS) as db:
                async with db.begin():
                    user = (await db.execute(select(users.c.id, users.c.is_active)
                                             .where(users.c.username == form.get("username", "")[:64]))).first()
            if user is None or not user.is_active:
                return await self.sign_in_page(request, status=400, error=accounts.WRONG.message_zh
                                               if WorkspacePage(request, self).language == "zh" else accounts.WRONG.message_en)
            return await self._signed_in(request, user.id, "development", form.get("next"))
        users = User.__table__
        async with new_session(self.engine, ANONYMOUS) as db:
            async with db.begin():
                rows = (await db.execute(select(users.c.username, users.c.display_name)
                                         .where(users.c.is_active).order_by(users.c.username).limit(200))).all()
        page = WorkspacePage(request, self)
        cookie, token = self._pre_csrf(request)
        response = render(page, "ws_development.html", users=rows, csrf=token,
                          return_to=rules.safe_return_to(request.query_params.get("next")))
        self._cookie(response, PRE_CSRF_COOKIE, cookie, None)
        return response

    async def oidc_start(self, request: Request) -> Response:
        if not self.oidc.configured:
            return self._refused(request, 404, "oidc_off")
        try:
            authorization = await self.oidc.authorization(
                self.oidc.callback_url(_origin(request)), request.query_params.get("login_hint"))
        except OIDCFailure as failure:
            return await self._oidc_failed(request, failure)
        token = await self._write(lambda db: sessions.start(
            db, user_id=None, method="pending", ttl=rules.PENDING_TTL, oidc_state=authorization.state,
            oidc_nonce=authorization.nonce, oidc_verifier=authorization.verifier,
            return_to=rules.safe_return_to(request.query_params.get("next"))))
        response = RedirectResponse(authorization.url, status_code=303)
        self._cookie(response, sessions.COOKIE, token, int(rules.PENDING_TTL.total_seconds()))
        return response

    async def oidc_callback(self, request: Request) -> Response:
        pending = await self._session_of(request)
        state, code = request.query_params.get("state", ""), request.query_params.get("code", "")
        if pending is None or pending.user_id is not None or not pending.oidc_state \
                or not hmac.compare_digest(pending.oidc_state, state) or not code or len(code) > 2000:
            return self._refused(request, 403, "csrf_failed")
        try:
            subject = await self.oidc.subject(self.oidc.callback_url(_origin(request)), code=code,
                                              verifier=pending.oidc_verifier or "", nonce=pending.oidc_nonce or "")
        except OIDCFailure as failure:
            return await self._oidc_failed(request, failure)
        users = User.__table__
        async with new_session(self.engine, ANONYMOUS) as db:
            async with db.begin():
                user = (await db.execute(select(users.c.id, users.c.is_active)
                                         .where(users.c.external_subject == subject))).first()
        if user is None or not user.is_active:
            return self._refused(request, 403, "oidc_unknown_person")
        return await self._signed_in(request, user.id, "oidc", pending.return_to)

    async def _oidc_failed(self, request: Request, failure: OIDCFailure) -> Response:
        page = WorkspacePage(request, self)
        log.warning("OpenID Connect sign-in failed: %s", failure.message_en)
        return render(page, "ws_message.html", status=502,
                      message=failure.message_zh if page.language == "zh" else failure.message_en)

    async def sign_out(self, request: Request) -> Response:
        web_session = await self._session_of(request)
        form = await self._form(request)
        if form is None or not sessions.csrf_valid(web_session, form.get("csrf")):
            return self._refused(request, 403, "csrf_failed")
        await self._write(lambda db: sessions.end(db, request.cookies.get(sessions.COOKIE)))
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(sessions.COOKIE, path="/workspace")
        return response

    async def switch_zone(self, request: Request) -> Response:
        web_session = await self._session_of(request)
        if web_session is None or web_session.user_id is None:
            return self._to_sign_in(request)
        form = await self._form(request)
        if form is None or not sessions.csrf_valid(web_session, form.get("csrf")):
            return self._refused(request, 403, "csrf_failed")
        page = await WorkspacePage.signed_in(request, self, web_session)
        wanted = form.get("zone", "")
        if wanted not in {z["slug"] for z in page.me["viewer"]["zonesToActIn"]}:
            return self._refused(request, 403, "zone_refused")

        async def work(db):
            found = await sessions.load(db, request.cookies.get(sessions.COOKIE))
            if found is not None:
                found.zone_slug = wanted
        await self._write(work)
        return RedirectResponse("/workspace/", status_code=303)

    def _to_sign_in(self, request: Request) -> Response:
        return RedirectResponse("/workspace/sign-in?next=" + _quote(request.url.path), status_code=303)

    async def home(self, request: Request) -> Response:
        web_session = await self._session_of(request)
        if web_session is None or web_session.user_id is None:
            return self._to_sign_in(request)
        page = await WorkspacePage.signed_in(request, self, web_session)
        return render(page, "ws_home.html")

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/workspace", lambda request: RedirectResponse("/workspace/", status_code=308)),
            Route("/workspace/", self.home, methods=["GET"]),
            Route("/workspace/sign-in", self.sign_in, methods=["GET", "POST"]),
            Route("/workspace/sign-in/development", self.development_picker, methods=["GET", "POST"]),
            Route("/workspace/sign-in/oidc", self.oidc_start, methods=["GET"]),
            Route(CALLBACK_PATH, self.oidc_callback, methods=["GET"]),
            Route("/workspace/sign-out", self.sign_out, methods=["POST"]),
            Route("/workspace/zone", self.switch_zone, methods=["POST"]),
            *(route for module in page_modules() for route in module.routes(self)),
        ]


def _ttl(seconds: int):
    import datetime as dt
    return dt.timedelta(seconds=seconds)


def _origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def _quote(path: str) -> str:
    from urllib.parse import quote
    return quote(path, safe="/")
