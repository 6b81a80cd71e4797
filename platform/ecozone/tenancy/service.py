"""Zone lookup and the idempotent ``tenants sync``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.errors import NotFound
from ecozone.tenancy.config import load_tenant_dir
from ecozone.tenancy.models import Zone


@dataclass(frozen=True)
class SyncReport:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


async def sync_tenants(session: AsyncSession, directory: Path) -> SyncReport:
    """Create or update one zone per file. Zones are never deleted: rows refer to them."""
    configs = load_tenant_dir(directory)
    existing = {z.slug: z for z in (await session.scalars(select(Zone))).all()}
    report = SyncReport([], [], [])
    for config in configs:
        values = dict(name_zh=config.name_zh, name_en=config.name_en,
                      standard_code=config.standard_code, admin_code=config.admin_code,
                      is_host=config.is_host, settings=config.settings)
        zone = existing.get(config.slug)
        if zone is None:
            session.add(Zone(slug=config.slug, **values))
            report.created.append(config.slug)
        elif any(getattr(zone, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(zone, key, value)
            report.updated.append(config.slug)
        else:
            report.unchanged.append(config.slug)
    await session.flush()
    return report


async def zone_by_slug(session: AsyncSession, slug: str) -> Zone:
    zone = await session.scalar(select(Zone).where(Zone.slug == slug))
    if zone is None:
        known = ", ".join((await session.scalars(select(Zone.slug).order_by(Zone.slug))).all())
        raise NotFound(f"unknown zone {slug!r}; known zones: {known}",
                       f"未知的试验区 {slug!r}；可选：{known}")
    return zone
