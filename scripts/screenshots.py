"""Screenshots of the portal's main pages at a desktop's and a phone's width, into docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--url http://127.0.0.1:8000]

Without ``--url`` it makes its own fresh SQLite database with the demo data (``ecozone db upgrade``,
``tenants sync``, ``demo``, as ``make run`` does) in a temporary folder and serves it with
``ecozone serve`` on a free loopback port; with ``--url`` it photographs a running app instead.
The browser is the one the tests use: Debian's Chromium (``apt-get install chromium``, with
``fonts-noto-cjk`` for the Chinese) driven by Playwright for Python, which downloads nothing.

Each picture is the first screen (the viewport, not the whole page): 1280×800 and 375×812 CSS
pixels at one device pixel per CSS pixel, which keeps the files small enough for the repository.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]

from tests.support.browser import (  # noqa: E402 - after the path is set
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    INSTALL_HINT,
    PHONE,
    chromium_available,
    demo_sqlite,
    start_server,
)

# (file name, path); {standard} and {code} are found on the running app.
PAGES = [
    ("home", "/"),
    ("home-en", "/?lang=en"),
    ("standards", "/standards?q=%E8%8C%B6"),
    ("standard", "/standards/{standard}"),
    ("notices", "/notices"),
    ("statistics", "/statistics"),
    ("council", "/council"),
    ("certificate", "/certificates?code={code}"),
    ("catalogs", "/catalogs"),
    ("zone", "/guizhou/"),
]
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
FIRST = """{ standards(first: 1, filter: {state: PUBLISHED}, orderBy: {field: RELEASE_DATE, direction: DESC}) {
  ... on StandardConnection { edges { node { id } } } } }"""


def _targets(url: str, operator_url: str | None) -> dict[str, str]:
    import httpx
    data = httpx.post(f"{url}/graphql", json={"query": FIRST}, timeout=30).json()["data"]
    targets = {"standard": data["standards"]["edges"][0]["node"]["id"], "code": ""}
    if operator_url:  # a real certificate's code, read as the operator (not on the pages)
        from sqlalchemy import select

        from ecozone.talent.models import Certificate
        from tests.support.db import run_as_operator

        async def first_code(session):
            return await session.scalar(select(Certificate.code).order_by(Certificate.id).limit(1))
        targets["code"] = asyncio.run(run_as_operator(operator_url, first_code)) or ""
    return targets


async def photograph(url: str, out: Path, targets: dict[str, str]) -> list[Path]:
    from playwright.async_api import async_playwright
    out.mkdir(parents=True, exist_ok=True)
    written = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for width, viewport in WIDTHS.items():
                context = await browser.new_context(viewport=viewport, base_url=url, locale="zh-CN",
                                                    device_scale_factor=1, is_mobile=width == "phone",
                                                    has_touch=width == "phone")
                page = await context.new_page()
                for name, path in PAGES:
                    response = await page.goto(path.format(**targets))
                    await page.wait_for_load_state("networkidle")
                    if response is None or response.status != 200:
                        print(f"skipped {name} ({path}): {response.status if response else 'no answer'}")
                        continue
                    await page.wait_for_timeout(300)  # let the charts finish their animation
                    target = out / f"{name}-{width}.png"
                    await page.screenshot(path=str(target), full_page=False)
                    written.append(target)
                await context.close()
        finally:
            await browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--url", help="a running app to photograph (default: start one on demo data)")
    args = parser.parse_args()
    if not chromium_available():
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    if args.url:
        written = asyncio.run(photograph(args.url.rstrip("/"), args.out, _targets(args.url, None)))
    else:
        with tempfile.TemporaryDirectory(prefix="ecozone-screenshots-") as work:
            print("loading the demo data into a fresh SQLite database…")
            database_url = demo_sqlite(Path(work))
            server = start_server(database_url=database_url, operator_url=database_url,
                                  secret=secrets.token_urlsafe(48), directory=Path(work))
            try:
                written = asyncio.run(photograph(server.url, args.out,
                                                 _targets(server.url, database_url)))
            finally:
                server.stop()
    for path in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
