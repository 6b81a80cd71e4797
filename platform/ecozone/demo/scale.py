"""``ecozone demo --scale N``: a large invented data set for the benchmark, loaded in bulk.

Scale 1 is 20,000 expert profiles (fields, categories), 5,000 standards spread over every
stage with their projects, participating zones, numbered drafts, consultations with comments,
review panels, ballots with votes, and published numbers. Rows are written with SQLAlchemy
Core, many rows per statement and in dependency order, with ids given here (then the
PostgreSQL sequences are moved past them): a service call per row would take hours. The
rows are what the services would have written: states consistent with the stage, numbers
unique per kind and the sequence moved on, pinyin and search columns filled by the same
functions the expert service uses. Audit rows and notifications are not made up.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ecozone.auth.models import User
from ecozone.consultation.models import Comment, Consultation
from ecozone.experts import rules as expert_rules
from ecozone.experts.models import ExpertCategory, ExpertField, ExpertProfile
from ecozone.projects.models import Project
from ecozone.standards.models import (
    Ballot,
    NumberSequence,
    PanelMember,
    Standard,
    StandardVersion,
    StandardZone,
    Vote,
)
from ecozone.tenancy.models import Zone

SEED = 20261125
EXPERTS_PER_SCALE = 20_000
STANDARDS_PER_SCALE = 5_000
CHUNK = 1_000
EMAIL_DOMAIN = "example.org"  # reserved for examples (RFC 2606): reaches nobody
USERNAME_PREFIX = "scale"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳司马"
GIVEN = "文斌立新建华志明晓东海燕玉兰春秋国庆红军丽娟俊杰子涵思远雨欣佳怡宇航博文嘉怡浩然梓萱一鸣"
FIELDS = ("土壤修复", "水土保持", "生态农业", "有机种植", "茶叶加工", "柑橘栽培", "水产养殖",
          "畜禽养殖", "中药材种植", "农产品质量安全", "食品检测", "追溯体系", "碳汇计量", "林业经营",
          "湿地保护", "水环境治理", "清洁能源", "标准化管理", "认证认可", "冷链物流", "农业信息化",
          "生物多样性", "面源污染防治", "乡村旅游", "Soil remediation", "Food safety",
          "Traceability", "Carbon accounting", "Aquaculture", "Standardisation")
TITLES = ("研究员", "副研究员", "教授", "副教授", "高级工程师", "正高级工程师", "高级农艺师")
ORGANISATIONS = ("省农业科学院", "农业大学", "林业科学研究院", "生态环境监测中心", "标准化研究院",
                 "质量检验检测研究院", "水产科学研究所", "茶叶研究所", "农产品质量安全中心")
TOPICS = (("茶叶", "tea"), ("脐橙", "navel oranges"), ("猕猴桃", "kiwifruit"), ("生猪", "hogs"),
          ("稻米", "rice"), ("油茶", "camellia oil"), ("大宗淡水鱼", "freshwater fish"),
          ("中药材", "medicinal herbs"), ("水禽", "waterfowl"), ("蔬菜", "vegetables"))
ASPECTS = (("生产技术规程", "Code of practice for production"),
           ("质量追溯规范", "Specification for quality traceability"),
           ("生态种植技术规范", "Technical specification for ecological cultivation"),
           ("绿色生产评价", "Evaluation of green production"),
           ("碳排放核算指南", "Guidelines for carbon emission accounting"),
           ("包装与标识", "Packaging and labelling"))
CLAUSES = ("1", "3.2", "4.1", "4.2.1", "5.1", "5.3", "6.2", "7", "附录A", "附录B")
# Share of standards per stage (out of 100); the pipeline of a busy base.
STAGE_SHARES = (("proposal", 6), ("drafting", 14), ("consultation", 20), ("review", 12),
                ("approval", 8), ("published", 36), ("withdrawn", 4))
PANEL_SIZE = 7


@dataclass
class ScaleReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        rows = ", ".join(f"{n:,} {t}" for t, n in self.counts.items())
        return f"{rows} in {self.seconds:.0f} s"


def _stderr(message: str) -> None:
    try:
        print(message, file=sys.stderr, flush=True)
    except BrokenPipeError:
        pass


@cache
def _pinyin(name_zh: str) -> str:
    return expert_rules.name_pinyin(name_zh)


class _Writer:
    """Inserts rows table by table in chunks, with ids given here, and reports rows/s."""

    def __init__(self, connection: AsyncConnection, progress: Callable[[str], None]):
        self.connection, self.progress = connection, progress
        self.counts: dict[str, int] = {}
        self.next_ids: dict[str, int] = {}

    async def start_ids(self, *tables: Table) -> None:
        for table in tables:
            top = await self.connection.scalar(select(func.max(table.c.id)))
            self.next_ids[table.name] = (top or 0) + 1

    def new_id(self, table: Table) -> int:
        value = self.next_ids[table.name]
        self.next_ids[table.name] = value + 1
        return value

    async def write(self, table: Table, rows: list[dict[str, Any]]) -> None:
        started = time.perf_counter()
        for at in range(0, len(rows), CHUNK):
            await self.connection.execute(insert(table), rows[at:at + CHUNK])
        seconds = time.perf_counter() - started
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        self.progress(f"{table.name:<26} {len(rows):>8,} rows  {len(rows) / max(seconds, 1e-6):>9,.0f} rows/s")

    async def move_sequences(self) -> None:
        """PostgreSQL: the serial sequences continue after the ids given here."""
        if self.connection.dialect.name != "postgresql":
            return
        for name, next_id in self.next_ids.items():
            await self.connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"greatest(:value, (SELECT coalesce(max(id), 1) FROM {name})))"), {"value": next_id})


def _name(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES[:-4]) if rng.random() < 0.97 else rng.choice(("欧阳", "司马"))
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return surname + given


def _stage_list(count: int, rng: random.Random) -> list[str]:
    stages = [s for s, share in STAGE_SHARES for _ in range(share)]
    return [stages[rng.randrange(len(stages))] for _ in range(count)]


def _times(rng: random.Random, now: dt.datetime, max_days: int = 900) -> dt.datetime:
    return now - dt.timedelta(days=rng.randrange(1, max_days), seconds=rng.randrange(86_400))


async def load_scale(engine: AsyncEngine, scale: float, *,
                     progress: Callable[[str], None] = _stderr) -> ScaleReport:
    """Add ``scale`` × (20,000 experts, 5,000 standards, …) to a migrated database with zones."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    started = time.perf_counter()
    rng = random.Random(SEED)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    today = now.date()
    n_experts = max(8, round(EXPERTS_PER_SCALE * scale))
    n_standards = max(7, round(STANDARDS_PER_SCALE * scale))
    async with engine.begin() as connection:
        zones = (await connection.execute(select(Zone.id, Zone.slug).order_by(Zone.id))).all()
        if not zones:
            raise RuntimeError("no zones: run `ecozone tenants sync` first")
        zone_ids = [z.id for z in zones]
        writer = _Writer(connection, progress)
        tables = [m.__table__ for m in (User, ExpertProfile, ExpertField, ExpertCategory, Project,
                                        Standard, StandardZone, StandardVersion, Consultation,
                                        Comment, PanelMember, Ballot, Vote)]
        await writer.start_ids(*tables)
        batch = writer.next_ids["users"]  # usernames stay unique when loading twice

        # ------------------------------------------------------------ users and experts
        users, profiles, fields, categories = [], [], [], []
        expert_user: dict[int, int] = {}
        verified: list[int] = []
        organisation_of: dict[int, str] = {}
        for n in range(n_experts):
            user_id = writer.new_id(User.__table__)
            zone_id = zone_ids[n % len(zone_ids)]
            name_zh = _name(rng)
            pinyin = _pinyin(name_zh)
            surname, _, given = pinyin.partition(" ")
            name_en = f"{given} {surname}".strip()
            chosen = rng.sample(FIELDS, rng.randrange(1, 5))
            organisation = f"{zones[n % len(zones)].slug.capitalize()} {rng.choice(ORGANISATIONS)}"
            users.append({"id": user_id, "username": f"{USERNAME_PREFIX}{batch}-expert-{n}",
                          "display_name": name_zh, "home_zone_id": zone_id, "is_active": True,
                          "created_at": now, "updated_at": now})
            expert_id = writer.new_id(ExpertProfile.__table__)
            state = "verified" if n % 10 else ("pending" if n % 20 else "suspended")
            profiles.append({
                "id": expert_id, "user_id": user_id, "home_zone_id": zone_id, "name_zh": name_zh,
                "name_en": name_en, "name_pinyin": pinyin, "title": rng.choice(TITLES),
                "organisation": organisation,
                "email": f"expert{batch}.{n}@{EMAIL_DOMAIN}", "phone": None, "orcid": None,
                "biography": f"长期从事{chosen[0]}研究与标准化工作。", "standards_authored": [],
                "availability": ("available", "limited", "unavailable")[n % 7 // 3],
                "visibility": {}, "state": state, "is_chief": n % 97 == 0 and state == "verified",
                "state_reason": None, "state_changed_at": now if state != "pending" else None,
                "search_text": expert_rules.search_keys(name_zh, name_en, *chosen),
                "created_at": now, "updated_at": now})
            fields += [{"id": writer.new_id(ExpertField.__table__), "expert_id": expert_id,
                        "name": name, "position": i} for i, name in enumerate(chosen)]
            categories += [{"id": writer.new_id(ExpertCategory.__table__), "expert_id": expert_id,
                            "category": c}
                           for c in sorted(rng.sample(list(expert_rules.PRODUCT_CATEGORIES),
                                                      rng.randrange(1, 4)))]
            expert_user[expert_id] = user_id
            organisation_of[expert_id] = organisation
            if state == "verified":
                verified.append(expert_id)
        await writer.write(User.__table__, users)
        await writer.write(ExpertProfile.__table__, profiles)
        await writer.write(ExpertField.__table__, fields)
        await writer.write(ExpertCategory.__table__, categories)
        del users, profiles, fields, categories

        # ------------------------------------------------------------ standards
        numbers = {kind: (await connection.scalar(select(func.max(Standard.number)).where(
            Standard.kind == kind))) or 0 for kind in ("joint_local", "group")}
        projects, standards, zone_rows, versions = [], [], [], []
        consultations, comments, panel, ballots, votes = [], [], [], [], []
        final_versions: list[dict[str, int]] = []
        for n, stage in enumerate(_stage_list(n_standards, rng)):
            lead = zone_ids[n % len(zone_ids)]
            kind = "group" if n % 4 == 0 else "joint_local"
            others = [z for z in zone_ids if z != lead]
            partners = [] if kind == "group" else rng.sample(others, rng.randrange(1, len(others) + 1)) \
                if others else []
            topic_zh, topic_en = rng.choice(TOPICS)
            aspect_zh, aspect_en = rng.choice(ASPECTS)
            title_zh, title_en = f"{topic_zh}{aspect_zh}", f"{aspect_en} of {topic_en}"
            proposer = expert_user[rng.choice(list(expert_user))] if n % 3 else expert_user[verified[n % len(verified)]]
            created = _times(rng, now)
            project_id = writer.new_id(Project.__table__)
            projects.append({
                "id": project_id, "zone_id": lead, "kind": "standard_development",
                "title_zh": f"{title_zh}标准研制", "title_en": f"Developing the standard: {title_en}",
                "summary": f"研制《{title_zh}》，统一各试验区的做法。", "proposer_id": proposer,
                "proposer_unit": "标准化研究院", "lead_unit": "标准化研究院", "state": "in_progress",
                "year": created.year, "created_at": created, "updated_at": created})
            standard_id = writer.new_id(Standard.__table__)
            row = {"id": standard_id, "project_id": project_id, "kind": kind, "title_zh": title_zh,
                   "title_en": title_en, "scope": f"本文件规定了{title_zh}的要求。", "lead_zone_id": lead,
                   "state": stage, "number": None, "year": None, "release_date": None,
                   "implementation_date": None, "final_version_id": None, "version_no": 1,
                   "revision_of_id": None, "created_by_id": proposer, "created_at": created,
                   "updated_at": created}
            standards.append(row)
            reached = [s for s, _ in STAGE_SHARES].index(stage)  # withdrawn: past published
            signed = stage in ("published", "withdrawn")
            for z in [lead, *partners]:
                decided = signed or (stage == "approval" and rng.random() < 0.5)
                zone_rows.append({"id": writer.new_id(StandardZone.__table__), "standard_id": standard_id,
                                  "zone_id": z, "is_lead": z == lead,
                                  "decision": "signed" if decided else "pending", "reason": None,
                                  "decided_by_id": None, "decided_at": now if decided else None})
            drafts = 0 if stage == "proposal" else rng.randrange(1, 5)
            version_id = None
            for number in range(1, drafts + 1):
                version_id = writer.new_id(StandardVersion.__table__)
                versions.append({"id": version_id, "standard_id": standard_id, "number": number,
                                 "text": f"{title_zh}\n1 范围\n本文件规定了{title_zh}的要求（第 {number} 稿）。\n"
                                         + "4 要求\n" + "应符合相关标准的规定。" * 10,
                                 "change_note": "初稿" if number == 1 else f"根据意见修改（第 {number} 稿）",
                                 "author_id": proposer, "created_at": created})
            if reached >= 2:  # consultation reached: its comments, decided once it closed
                open_now = stage == "consultation"
                consultation_id = writer.new_id(Consultation.__table__)
                count = rng.randrange(0, 16)
                consultations.append({
                    "id": consultation_id, "subject_type": "standard", "subject_id": standard_id,
                    "zone_id": lead, "title_zh": f"《{title_zh}》（征求意见稿）",
                    "title_en": f"{title_en} (draft for comments)",
                    "opened_at": now if open_now else created, "days": 30,
                    "deadline": (today if open_now else created.date()) + dt.timedelta(days=30),
                    "state": "open" if open_now else "closed",
                    "closed_at": None if open_now else created + dt.timedelta(days=31),
                    "opened_by_id": proposer, "closed_by_id": None if open_now else proposer,
                    "last_seq": count, "created_at": created, "updated_at": created})
                for seq in range(1, count + 1):
                    author = rng.choice(verified)
                    decision = None if open_now and rng.random() < 0.7 else rng.choice(
                        ("adopted", "adopted", "partly_adopted", "not_adopted"))
                    comments.append({
                        "id": writer.new_id(Comment.__table__), "consultation_id": consultation_id,
                        "seq": seq, "clause": rng.choice(CLAUSES),
                        "text": "建议补充检测方法及判定规则。", "proposed_change": "增加附录C 检测方法"
                        if seq % 2 else None, "proposer_unit": organisation_of[author],
                        "author_id": expert_user[author], "decision": decision,
                        "decision_reason": None if decision in (None, "adopted") else "与现行国家标准一致，暂不修改",
                        "decided_by_id": proposer if decision else None,
                        "decided_at": now if decision else None, "withdrawn_at": None,
                        "created_at": now, "updated_at": now})
            if reached >= 3:  # technical review: a panel of verified experts and one ballot
                members = rng.sample(verified, min(PANEL_SIZE, len(verified)))
                panel += [{"id": writer.new_id(PanelMember.__table__), "standard_id": standard_id,
                           "expert_id": e, "added_by_id": proposer, "created_at": created} for e in members]
                ballot_id = writer.new_id(Ballot.__table__)
                passed = stage != "review"
                ballots.append({"id": ballot_id, "standard_id": standard_id, "round": 1,
                                "state": "passed" if passed else "open", "panel_size": len(members),
                                "turnout_num": 3, "turnout_den": 4, "approval_num": 3,
                                "approval_den": 4, "opened_at": created,
                                "closed_at": created if passed else None})
                voters = members if passed else members[:rng.randrange(0, len(members) + 1)]
                for i, e in enumerate(voters):
                    choice = "yes" if passed or i % 3 else rng.choice(("no", "abstain", "yes_with_comments"))
                    votes.append({"id": writer.new_id(Vote.__table__), "ballot_id": ballot_id,
                                  "expert_id": e, "choice": choice, "comment":
                                  "检测方法需补充" if choice == "no" else None, "updated_at": created})
            if signed:
                numbers[kind] += 1
                release = created.date() + dt.timedelta(days=120)
                row.update(number=numbers[kind], year=release.year, release_date=release,
                           implementation_date=release + dt.timedelta(days=90))
                if version_id is not None:
                    final_versions.append({"standard_id": standard_id, "version_id": version_id})
        await writer.write(Project.__table__, projects)
        await writer.write(Standard.__table__, standards)
        await writer.write(StandardZone.__table__, zone_rows)
        await writer.write(StandardVersion.__table__, versions)
        await writer.write(Consultation.__table__, consultations)
        await writer.write(Comment.__table__, comments)
        await writer.write(PanelMember.__table__, panel)
        await writer.write(Ballot.__table__, ballots)
        await writer.write(Vote.__table__, votes)
        # The published text: standards and versions reference each other, so set it after.
        await _set_final_versions(connection, final_versions)
        await _move_number_sequences(connection, numbers)
        await writer.move_sequences()
    return ScaleReport(counts=writer.counts, seconds=time.perf_counter() - started)


async def _set_final_versions(connection: AsyncConnection, pairs: Iterable[dict[str, int]]) -> None:
    from sqlalchemy import bindparam
    pairs = list(pairs)
    table = Standard.__table__
    stmt = update(table).where(table.c.id == bindparam("standard_id")).values(
        final_version_id=bindparam("version_id"))
    for at in range(0, len(pairs), CHUNK):
        await connection.execute(stmt, pairs[at:at + CHUNK])


async def _move_number_sequences(connection: AsyncConnection, numbers: dict[str, int]) -> None:
    """The gapless numbering continues after the numbers given here."""
    table = NumberSequence.__table__
    for kind, last in numbers.items():
        found = await connection.scalar(select(table.c.last_value).where(table.c.kind == kind))
        if found is None:
            await connection.execute(insert(table).values(kind=kind, last_value=last))
        elif found < last:
            await connection.execute(update(table).where(table.c.kind == kind).values(last_value=last))


def run_cli(scale: float, database_url: str) -> int:
    """The ``--scale`` part of ``ecozone demo``: as the tables' owner, progress on stderr."""
    import asyncio

    from ecozone.db.engine import create_engine

    async def main() -> ScaleReport:
        engine = create_engine(database_url)
        try:
            return await load_scale(engine, scale)
        finally:
            await engine.dispose()

    report = asyncio.run(main())
    print(f"scale {scale:g} data loaded: {report.summary}")
    return 0
