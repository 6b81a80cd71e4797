"""The real app on a loopback port and Debian's Chromium driven by Playwright for Python.

Used by the portal's browser journeys (tests/portal), ``scripts/screenshots.py`` and
``bench/portal.py``. The app runs as ``ecozone serve`` in a subprocess (as in production:
uvicorn, the app's own database login, fair use on), so the browser talks to it over TCP.

Chromium is the operating system's (``apt-get install chromium``): Playwright's own browser
download is not available on these machines and is never attempted (``executable_path``).
The machine's network is closed; without the flags below Chromium stalls trying to reach
Google's services (component updates, sync, QUIC probes).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from ecozone.settings import PROJECT_ROOT

CHROMIUM = Path(os.environ.get("ECOZONE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INSTALL_HINT = (f"no Chromium at {CHROMIUM}: browser tests skipped "
                "(install it with `apt-get install chromium`)")
START_TIMEOUT = 60.0  # seconds for `ecozone serve` to answer /healthz (a loaded CI machine)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}

# Playwright must never fetch a browser of its own (there is no network to fetch it from).
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def chromium_available() -> bool:
    """The system's Chromium is installed and Playwright for Python is importable."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """``ecozone serve`` on a loopback port over a given database."""

    port: int
    process: subprocess.Popen
    log: Path
    operator_url: str  # the tables' owner: test set-up reads facts with it, never the pages

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # uvicorn stops gracefully on SIGTERM
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_server(*, database_url: str, operator_url: str, secret: str, directory: Path,
                 extra_env: dict[str, str] | None = None) -> LiveServer:
    """Start ``ecozone serve`` on a free port and wait until /healthz answers."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = directory / f"server-{port}.log"
    env = {**os.environ,
           "ECOZONE_DATABASE_URL": database_url,
           "ECOZONE_MIGRATION_DATABASE_URL": operator_url,
           "ECOZONE_SECRET": secret,
           "ECOZONE_ENV": "test",
           "ECOZONE_VAR_DIR": str(directory / "var"),
           **(extra_env or {})}
    executable = Path(sys.executable).parent / "ecozone"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(executable), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT)
    server = LiveServer(port, process, log, operator_url)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ecozone serve exited with {process.returncode}:\n{server.log_tail()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return server
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"ecozone serve did not answer within {START_TIMEOUT} s:\n{server.log_tail()}")


@contextlib.asynccontextmanager
async def chromium(playwright) -> AsyncIterator:
    """Debian's Chromium, headless, with a fresh profile (Playwright's async API).

    ``launch`` gives every browser a new temporary user-data-dir of its own (removed on close);
    each test then opens its own context (cookies, storage, viewport), so nothing carries over.
    """
    browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                               args=CHROMIUM_ARGS, timeout=60_000)
    try:
        yield browser
    finally:
        await browser.close()


@dataclass
class RequestLog:
    """Every request a page makes, to check that none leaves for another host."""

    allowed_host: str
    urls: list[str] = field(default_factory=list)

    def record(self, request) -> None:
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        """Requests to anything but the app (data: and blob: URLs stay in the page)."""
        return [url for url in self.urls
                if urlsplit(url).scheme not in {"data", "blob", "about"}
                and urlsplit(url).netloc != self.allowed_host]


async def new_page(browser, server: LiveServer, *, viewport: dict[str, int] = DESKTOP,
                   phone: bool = False, javascript: bool = True):
    """A page in a new context on ``server``, recording its requests; returns (context, page, log)."""
    options = {"viewport": viewport, "base_url": server.url, "java_script_enabled": javascript,
               "locale": "zh-CN", "service_workers": "block"}
    if phone:
        options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
    context = await browser.new_context(**options)
    context.set_default_timeout(15_000)
    log = RequestLog(server.host)
    context.on("request", log.record)
    return context, await context.new_page(), log


def demo_sqlite(directory: Path) -> str:
    """A fresh SQLite database in ``directory`` with the demo data, made as ``make run`` makes
    it (``ecozone db upgrade``, ``tenants sync``, ``demo``); returns its URL. For the scripts
    (screenshots, benchmark): the tests copy a template instead."""
    directory.mkdir(parents=True, exist_ok=True)
    url = f"sqlite+aiosqlite:///{directory / 'ecozone.sqlite3'}"
    env = {**os.environ, "ECOZONE_DATABASE_URL": url, "ECOZONE_VAR_DIR": str(directory / "var")}
    executable = Path(sys.executable).parent / "ecozone"
    for command in (["db", "upgrade"], ["tenants", "sync"], ["demo"]):
        subprocess.run([str(executable), *command], env=env, cwd=PROJECT_ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return url
