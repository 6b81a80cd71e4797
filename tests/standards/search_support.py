"""A small catalogue of standards for the search and statistics tests.

Each standard is set up by the operator up to joint approval with every zone signed (the
workflow itself is tested elsewhere), then published through the API, so the publication
writes the final text exactly as in real use (and, on SQLite, the search index through its
triggers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ecozone.projects.models import Project
from ecozone.standards.models import Standard, StandardVersion, StandardZone
from ecozone.tenancy.models import Zone
from tests.standards.workflow_support import people, standard_op
from tests.support.api import gid


@dataclass(frozen=True)
class Seed:
    key: str
    kind: str
    zones: tuple[str, ...]  # lead first
    title_zh: str
    title_en: str
    scope: str
    text: str
    category: str | None
    release: str | None  # None: left in drafting (work in progress)


SEEDS = [
    Seed("tea", "joint_local", ("jiangxi", "guizhou"), "富硒茶叶生产技术规程",
         "Selenium-rich tea production code", "本文件规定了富硒茶叶的产地环境和加工要求。",
         "采摘标准与杀青工艺。", "tea", "2026-03-01"),
    Seed("herbs", "group", ("jiangxi",), "中药材道地性评价通则",
         "Authenticity assessment of medicinal herbs", "本文件适用于中药材的道地性评价。",
         "本文件不适用于茶叶和100%纯度检测。", "medicinal_herbs", "2025-06-15"),
    Seed("kiwi", "joint_local", ("jiangxi", "fujian"), "猕猴桃冷链物流操作规范",
         "Kiwifruit cold-chain logistics", "本文件规定了猕猴桃冷链运输的温度要求。",
         "预冷、装载与运输温度记录。", "kiwifruit", "2024-11-20"),
    Seed("secret", "joint_local", ("jiangxi", "guizhou"), "茶叶秘密工作草案",
         "Tea working draft", "起草中的茶叶加工要求。", "杀青温度待定。", "tea", None),
]


async def catalogue(api) -> dict[str, str]:
    """The seeds as global IDs by key; the people of workflow_support exist afterwards."""
    await people(api)
    ids: dict[str, str] = {}
    for seed in SEEDS:
        ids[seed.key] = gid("Standard", await api.operator(lambda s, seed=seed: _add(s, api, seed)))
        if seed.release:
            released = dt.date.fromisoformat(seed.release)
            published = await standard_op(api, "publishStandard", {
                "id": ids[seed.key], "releaseDate": seed.release,
                "implementationDate": (released + dt.timedelta(days=90)).isoformat()},
                "jx-secretary", "jiangxi")
            assert published["__typename"] == "Standard", published
    return ids


async def _add(session, api, seed: Seed) -> int:
    zone_ids = dict((await session.execute(select(Zone.slug, Zone.id))).all())
    project = Project(zone_id=zone_ids[seed.zones[0]], kind="standard_development",
                      title_zh=f"{seed.title_zh}研制", title_en=f"Developing: {seed.title_en}",
                      summary="-", proposer_id=api.users["jx-member"], proposer_unit="某单位",
                      lead_unit="某单位", state="in_progress", year=2024)
    session.add(project)
    await session.flush()
    standard = Standard(project_id=project.id, kind=seed.kind, category=seed.category,
                        title_zh=seed.title_zh, title_en=seed.title_en, scope=seed.scope,
                        lead_zone_id=zone_ids[seed.zones[0]],
                        state="approval" if seed.release else "drafting")
    session.add(standard)
    await session.flush()
    session.add(StandardVersion(standard_id=standard.id, number=1, text=seed.text, change_note="定稿"))
    session.add_all(StandardZone(standard_id=standard.id, zone_id=zone_ids[z], is_lead=(i == 0),
                                 decision="signed" if seed.release else "pending")
                    for i, z in enumerate(seed.zones))
    return standard.id


async def many_published(api, count: int, *, year: int = 2023) -> None:
    """``count`` published group standards straight into the tables (numbers 101, 102, …)."""
    async def work(session):
        jiangxi = await session.scalar(select(Zone.id).where(Zone.slug == "jiangxi"))
        project = Project(zone_id=jiangxi, kind="standard_development", title_zh="批量", title_en="Bulk",
                          summary="-", proposer_id=api.users["jx-member"], proposer_unit="某单位",
                          lead_unit="某单位", state="in_progress", year=year)
        session.add(project)
        await session.flush()
        for n in range(count):
            standard = Standard(project_id=project.id, kind="group", title_zh=f"水稻栽培规程第{n}部分",
                                title_en=f"Rice growing part {n}", scope="水稻", lead_zone_id=jiangxi,
                                state="published", number=101 + n, year=year,
                                release_date=dt.date(year, 1, 1) + dt.timedelta(days=n % 300))
            session.add(standard)
            await session.flush()
            version = StandardVersion(standard_id=standard.id, number=1, text="水稻正文",
                                      change_note="定稿")
            session.add(version)
            await session.flush()
            standard.final_version_id = version.id
            session.add(StandardZone(standard_id=standard.id, zone_id=jiangxi, is_lead=True,
                                     decision="signed"))
        await session.flush()
    await api.operator(work)
