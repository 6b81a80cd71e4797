"""Catalog services: read, draft, edit, publish, load the starter catalogs, validate.

Who edits: the secretary of ANY zone (not only the host zone's secretariat), because a catalog
unifies every province's traceability system and each zone's office maintains its part;
publishing needs a director (of any zone). Catalogs are shared rows, not zone-private.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.catalogs import codes, rules
from ecozone.catalogs.models import CatalogVersion
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import Conflict, FieldError, NotFound, raise_if_invalid
from ecozone.experts.rules import PRODUCT_CATEGORIES
from ecozone.notifications.service import Message, notify

DATA_DIR = Path(__file__).parent / "data"
SYSTEM = Actor(username="system", is_system=True)


def category_names(category: str) -> tuple[str, str]:
    return PRODUCT_CATEGORIES[category]


def _check_category(category: str) -> None:
    raise_if_invalid([] if category in PRODUCT_CATEGORIES else [FieldError(
        "category", "choice", f"unknown category {category!r}; allowed: {', '.join(PRODUCT_CATEGORIES)}",
        f"未知的产品类别“{category}”，可选：{'、'.join(PRODUCT_CATEGORIES)}")])


async def search(session: AsyncSession, *, category: str | None = None, state: str | None = None,
                 first: int = 20, after: str | None = None, max_page_size: int = 100) -> Page:
    stmt = select(CatalogVersion)
    if category is not None:
        _check_category(category)
        stmt = stmt.where(CatalogVersion.category == category)
    if state is not None:
        stmt = stmt.where(CatalogVersion.state == state)
    return await paginate(session, stmt, order=(CatalogVersion.category, CatalogVersion.number),
                          first=first, after=after, max_page_size=max_page_size)


async def get_version(session: AsyncSession, category: str, number: int | None = None) -> CatalogVersion:
    """Version ``number`` of a category, or its current published version when None."""
    _check_category(category)
    stmt = select(CatalogVersion).where(CatalogVersion.category == category)
    stmt = stmt.where(CatalogVersion.number == number) if number is not None else stmt.where(
        CatalogVersion.state == "published")
    version = await session.scalar(stmt)
    if version is None:
        what_en = f"version {number}" if number is not None else "a published version"
        what_zh = f"第 {number} 版" if number is not None else "已发布版本"
        raise NotFound(f"catalog {category} has no {what_en} you may see",
                       f"{category_names(category)[0]}目录没有您可查看的{what_zh}")
    return version


async def get_version_by_id(session: AsyncSession, version_id: int) -> CatalogVersion:
    version = await session.get(CatalogVersion, version_id)
    if version is None:
        raise NotFound(f"catalog version {version_id} not found", f"目录版本 {version_id} 不存在")
    return version


def _snapshot(v: CatalogVersion) -> dict[str, Any]:
    return {"category": v.category, "number": v.number, "state": v.state,
            "indicators": [i["code"] for i in v.indicators]}


async def create_draft(session: AsyncSession, actor: Actor, *, category: str, change_note: str
                       ) -> CatalogVersion:
    """A new draft version: a copy of the category's latest version (published ones never change)."""
    require(actor, "catalog", "edit", object_id=category)
    _check_category(category)
    latest = await session.scalar(select(CatalogVersion).where(CatalogVersion.category == category)
                                  .order_by(CatalogVersion.number.desc()).limit(1))
    if latest is not None and latest.state == "draft":
        raise Conflict(f"catalog {category} already has a draft (version {latest.number})",
                       f"{category_names(category)[0]}目录已有草案（第 {latest.number} 版）")
    indicators = [dict(i) for i in latest.indicators] if latest is not None else []
    version = CatalogVersion(category=category, number=(latest.number + 1) if latest else 1,
                             state="draft", indicators=indicators, change_note=change_note[:2000],
                             created_by_id=actor.user_id)
    session.add(version)
    await session.flush()
    await record(session, actor, action="catalog.create_draft", object_type="catalog_version",
                 object_id=version.id, after=_snapshot(version))
    return version


async def update_draft(session: AsyncSession, actor: Actor, *, version_id: int,
                       indicators: list[dict[str, Any]], change_note: str | None = None
                       ) -> CatalogVersion:
    """Replace a draft's indicators (all of them, checked together)."""
    require(actor, "catalog", "edit", object_id=version_id)
    version = await get_version_by_id(session, version_id)
    rules.CATALOG_VERSION.advance(version.state, "edit")
    normalised = [rules.normalise_indicator(i) for i in indicators]
    raise_if_invalid(rules.check_indicators(normalised))
    before = _snapshot(version)
    version.indicators = normalised
    if change_note is not None:
        version.change_note = change_note[:2000]
    await session.flush()
    await record(session, actor, action="catalog.edit", object_type="catalog_version",
                 object_id=version.id, before=before, after=_snapshot(version))
    return version


async def publish(session: AsyncSession, actor: Actor, *, version_id: int) -> CatalogVersion:
    """Publish a draft; the category's previously published version becomes superseded."""
    require(actor, "catalog", "publish", object_id=version_id)
    version = await get_version_by_id(session, version_id)
    new_state = rules.CATALOG_VERSION.advance(version.state, "publish")
    raise_if_invalid(rules.check_indicators(version.indicators))
    previous = await session.scalar(select(CatalogVersion).where(
        CatalogVersion.category == version.category, CatalogVersion.state == "published"))
    if previous is not None:
        previous.state = rules.CATALOG_VERSION.advance(previous.state, "supersede")
    version.state, version.published_by_id, version.published_at = new_state, actor.user_id, utcnow()
    await session.flush()
    await record(session, actor, action="catalog.publish", object_type="catalog_version",
                 object_id=version.id, after=_snapshot(version))
    zh, en = category_names(version.category)
    await notify(session, actor, [version.created_by_id], Message(
        kind="catalog.published", subject_type="catalog_version", subject_id=version.id,
        title_en=f"{en} catalog version {version.number} published",
        title_zh=f"{zh}追溯标准目录第 {version.number} 版已发布"))
    return version


# --- starter catalogs ------------------------------------------------------------------------

def starter_catalog(category: str) -> dict[str, Any]:
    data = json.loads((DATA_DIR / f"{category}.json").read_text(encoding="utf-8"))
    data["indicators"] = [rules.normalise_indicator(i) for i in data["indicators"]]
    return data


async def load_catalogs(session: AsyncSession) -> dict[str, str]:
    """Publish version 1 of every category that has no version yet (idempotent; operator only).

    Returns category -> "loaded" or "present".
    """
    outcome: dict[str, str] = {}
    for category in PRODUCT_CATEGORIES:
        if await session.scalar(select(func.count()).select_from(CatalogVersion)
                                .where(CatalogVersion.category == category)):
            outcome[category] = "present"
            continue
        data = starter_catalog(category)
        raise_if_invalid(rules.check_indicators(data["indicators"]))
        version = CatalogVersion(category=category, number=1, state="published",
                                 indicators=data["indicators"],
                                 change_note=f"{data['change_note_zh']} / {data['change_note_en']}",
                                 published_at=utcnow())
        session.add(version)
        await session.flush()
        await record(session, SYSTEM, action="catalog.load", object_type="catalog_version",
                     object_id=version.id, after=_snapshot(version))
        outcome[category] = "loaded"
    return outcome


# --- derived documents and validation ---------------------------------------------------------

def schema_of(version: CatalogVersion) -> dict[str, Any]:
    zh, en = category_names(version.category)
    return rules.json_schema(version.category, version.number, zh, en, version.indicators)


def interface_of(version: CatalogVersion) -> list[dict[str, Any]]:
    return rules.interface_spec(version.category, version.number, version.indicators)


def encoding_of(version: CatalogVersion) -> dict[str, Any]:
    return codes.encoding_rules(version.category)


@lru_cache(maxsize=64)
def _published_validator(version_id: int, indicators_json: str) -> rules.RecordValidator:
    return rules.RecordValidator(json.loads(indicators_json))


def validator_of(version: CatalogVersion) -> rules.RecordValidator:
    if version.state == "draft":  # drafts change: compile each time
        return rules.RecordValidator(version.indicators)
    return _published_validator(version.id, json.dumps(version.indicators, sort_keys=True))


async def validate_records(session: AsyncSession, *, category: str, number: int | None,
                           records: list[Any]) -> tuple[CatalogVersion, list[list[rules.Violation]]]:
    """Every violation of every record (≤ rules.MAX_BATCH) against a version."""
    raise_if_invalid(rules.batch_size_errors(len(records)))
    version = await get_version(session, category, number)
    validate = validator_of(version).validate
    return version, [validate(r) for r in records]


async def diff_versions(session: AsyncSession, *, category: str, from_number: int, to_number: int
                        ) -> rules.CatalogDiff:
    old = await get_version(session, category, from_number)
    new = await get_version(session, category, to_number)
    return rules.diff(old.indicators, new.indicators)
