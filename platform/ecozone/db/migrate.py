"""``ecozone db upgrade``: Alembic configured in code, so it runs from any directory."""

from __future__ import annotations

import asyncio
import threading

from alembic import command
from alembic.config import Config

from ecozone.settings import PROJECT_ROOT, get_settings


def alembic_config(url: str | None = None, app_role: str | None = None) -> Config:
    settings = get_settings()
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", (url or settings.migration_database_url)
                           .replace("%", "%%"))
    config.set_main_option("app_role", app_role or settings.app_db_role)
    return config


def upgrade(url: str | None = None, revision: str = "heads", app_role: str | None = None) -> None:
    """Upgrade the database; safe to call from inside a running event loop (tests)."""
    config = alembic_config(url, app_role)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        command.upgrade(config, revision)
        return
    # env.py uses asyncio.run, which cannot nest: run it on a thread of its own.
    errors: list[BaseException] = []

    def run() -> None:
        try:
            command.upgrade(config, revision)
        except BaseException as exc:  # noqa: BLE001 - re-raised below in the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
