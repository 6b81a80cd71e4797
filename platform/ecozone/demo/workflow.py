"""Demo projects and standards at every stage, made by the real services as the right people.

Runs after ``demo.load_demo`` (users, roles, experts exist). Everything is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.auth.models import User
from ecozone.authz.actor import Actor
from ecozone.authz.models import RoleAssignment
from ecozone.consultation import service as consultation
from ecozone.db.scoping import Scope, apply_scope
from ecozone.experts.models import ExpertProfile
from ecozone.projects import membership
from ecozone.projects import service as projects
from ecozone.standards import consultation_stage, release, review
from ecozone.standards import service as standards
from ecozone.tenancy.models import Zone

PREFIX = {"jiangxi": "jx", "guizhou": "gz", "fujian": "fj", "hainan": "hn"}
STAGE_ORDER = ("proposal", "drafting", "consultation", "review", "approval", "published", "withdrawn")

# (lead zone, partner zones, kind, title zh, title en, lead unit, the stage to reach, category)
STANDARDS = [
    ("jiangxi", ["guizhou"], "joint_local", "富硒茶叶生产技术规程", "Selenium-rich tea production code",
     "江西省绿色农业标准化研究所", "proposal", "tea"),
    ("fujian", [], "group", "大宗淡水鱼养殖尾水处理技术规范", "Freshwater fish farm effluent treatment",
     "福建省水产技术推广中心", "drafting", "freshwater_fish"),
    ("jiangxi", ["guizhou", "hainan"], "joint_local", "柑橘全产业链追溯数据采集规范",
     "Citrus traceability data collection", "江西省农产品质量安全研究中心", "consultation", "citrus"),
    ("guizhou", ["jiangxi"], "joint_local", "生猪养殖废弃物资源化利用技术规范",
     "Hog farm waste reuse", "贵州省畜牧兽医研究所", "review", "hogs"),
    ("jiangxi", ["guizhou", "fujian"], "joint_local", "猕猴桃冷链物流操作规范",
     "Kiwifruit cold-chain logistics", "江西省农业物流工程中心", "approval", "kiwifruit"),
    ("jiangxi", ["guizhou", "fujian"], "joint_local", "绿色食品 茶叶追溯编码规则",
     "Green food: tea traceability coding rules", "江西省标准化研究院生态分院", "published", "tea"),
    ("jiangxi", [], "group", "中药材道地性评价通则", "Authenticity assessment of medicinal herbs",
     "江西省中药材产业技术中心", "published", "medicinal_herbs"),
    ("hainan", ["fujian"], "joint_local", "特种水产品活体运输规范", "Live transport of special aquatic products",
     "海南省热带水产研究所", "withdrawn", "special_aquatic"),
]
# The story's calendar, in days before the load: the project is proposed, approved and put on
# public notice (the zones' notice lasts 7 days), then started; the standard is worked on while
# the project is in progress, published 30 days ago, and the project closed after it.
PROPOSED_DAYS_AGO, NOTICE_DAYS_AGO, STARTED_DAYS_AGO = 120, 110, 100


class People:
    """Actors by username, each with the roles they hold in the zone they act in."""

    def __init__(self, session: AsyncSession):
        self.session = session
        self.zones: dict[str, Zone] = {}

    async def load(self) -> None:
        self.zones = {z.slug: z for z in (await self.session.scalars(select(Zone))).all()}

    async def act(self, username: str, zone_slug: str | None = None) -> Actor:
        await apply_scope(self.session, Scope.system())
        user = await self.session.scalar(select(User).where(User.username == username))
        zone = self.zones[zone_slug] if zone_slug else await self.session.get(Zone, user.home_zone_id)
        roles = frozenset((await self.session.scalars(select(RoleAssignment.role).where(
            RoleAssignment.user_id == user.id, RoleAssignment.zone_id == zone.id))).all())
        actor = Actor(user_id=user.id, username=user.username, home_zone_id=user.home_zone_id,
                      zone_id=zone.id, zone_slug=zone.slug, roles=roles)
        await apply_scope(self.session, actor.scope)
        return actor


async def _panel_experts(session: AsyncSession, zone: Zone, count: int) -> list[int]:
    await apply_scope(session, Scope.system())
    rows = await session.scalars(select(ExpertProfile.id).where(
        ExpertProfile.home_zone_id == zone.id, ExpertProfile.state == "verified")
        .order_by(ExpertProfile.id).limit(count))
    return list(rows.all())


async def _expert_user(session: AsyncSession, expert_id: int) -> str:
    await apply_scope(session, Scope.system())
    return await session.scalar(select(User.username).join(
        ExpertProfile, ExpertProfile.user_id == User.id).where(ExpertProfile.id == expert_id))


async def _walk(people: People, lead: str, partners: list[str], kind: str, title_zh: str,
                title_en: str, lead_unit: str, target: str, category: str, today: dt.date) -> None:
    """One standard-development project and its standard, told in order: the project is
    approved, on public notice and started before its standard is worked on; the project of a
    published (or since withdrawn) standard submits its closure report and is closed."""
    s, p = people.session, PREFIX[lead]
    reach = STAGE_ORDER.index(target)

    def days_ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)
    proposer = await people.act(f"{p}-member1")
    project = await projects.propose(s, proposer, kind="standard_development",
                                     title_zh=f"{title_zh}研制", title_en=f"Developing: {title_en}",
                                     summary=f"研制《{title_zh}》，统一各试验区的技术要求。",
                                     proposer_unit=lead_unit, today=days_ago(PROPOSED_DAYS_AGO))
    await projects.approve(s, await people.act(f"{p}-secretary"), project_id=project.id)
    await projects.open_notice(s, await people.act(f"{p}-secretary"), project_id=project.id,
                               today=days_ago(NOTICE_DAYS_AGO))
    await projects.start(s, await people.act(f"{p}-secretary"), project_id=project.id,
                         today=days_ago(STARTED_DAYS_AGO))
    drafter = await people.act(f"{p}-member2")
    await membership.add_member(s, await people.act(f"{p}-member1"), project_id=project.id,
                                role="drafter", unit_name=lead_unit, user_id=drafter.user_id)
    office = await people.act(f"{p}-secretary")
    standard = await standards.create_standard(s, office, project_id=project.id, kind=kind,
                                               title_zh=title_zh, title_en=title_en,
                                               scope=f"本文件规定了{title_zh[:12]}的技术要求。",
                                               participating_zones=partners, category=category)
    sid = standard.id
    if reach < 1:
        return
    await standards.start_drafting(s, await people.act(f"{p}-secretary"), standard_id=sid)
    for number, note in ((1, "工作组讨论稿"), (2, "根据工作组意见修改术语和数据项")):
        await standards.add_version(s, await people.act(f"{p}-member2"), standard_id=sid,
                                    text=f"{title_zh}\n1 范围\n2 规范性引用文件\n3 术语和定义（第{number}稿）\n",
                                    change_note=note)
    if reach < 2:
        return
    await consultation_stage.open_standard_consultation(s, await people.act(f"{p}-secretary"),
                                                        standard_id=sid)
    current = await consultation.consultation_for(s, "standard", sid)
    comments = []
    for n, commenter in enumerate([f"{PREFIX[z]}-member1" for z in partners] or [f"{p}-member1"]):
        actor = await people.act(commenter)
        comments.append(await consultation.post_comment(
            s, actor, consultation_id=current.id, clause=f"3.{n + 1}",
            text="建议补充该术语的英文对应词。", proposer_unit=f"{people.zones[actor.zone_slug].name_zh}某检测中心",
            proposed_change="增加英文对应词"))
    decide = comments if reach > 2 else comments[:1]
    for comment in decide:
        await consultation.decide_comment(s, await people.act(f"{p}-member2"), comment_id=comment.id,
                                          decision="adopted")
    if reach < 3:
        return
    await consultation_stage.close_standard_consultation(s, await people.act(f"{p}-secretary"),
                                                         standard_id=sid)
    panel = await _panel_experts(s, people.zones[lead], 4)
    for expert_id in panel:
        await review.add_panel_member(s, await people.act(f"{p}-secretary"), standard_id=sid,
                                      expert_id=expert_id)
    await review.open_ballot(s, await people.act(f"{p}-secretary"), standard_id=sid)
    voters = panel[:2] if reach == 3 else panel
    for expert_id in voters:
        await review.cast_vote(s, await people.act(await _expert_user(s, expert_id)), standard_id=sid,
                               choice="yes")
    if reach < 4:
        return
    await review.close_ballot(s, await people.act(f"{p}-secretary"), standard_id=sid)
    await release.sign(s, await people.act(f"{p}-director"), standard_id=sid)
    if reach < 5:
        return
    for zone in partners:
        await release.sign(s, await people.act(f"{PREFIX[zone]}-director", zone), standard_id=sid)
    await release.publish(s, await people.act(f"{p}-secretary"), standard_id=sid,
                          release_date=today - dt.timedelta(days=30), implementation_date=today)
    await projects.submit_closure(s, await people.act(f"{p}-member1"), project_id=project.id,
                                  closure_report=f"《{title_zh}》已发布实施，项目任务完成。")
    await projects.pass_closure(s, await people.act(f"{p}-secretary"), project_id=project.id,
                                reason="结题验收通过")
    if reach < 6:
        return
    await release.review_published(s, await people.act(f"{p}-secretary"), standard_id=sid,
                                   outcome="withdraw", reason="已被国家标准代替")


async def load_workflow_demo(session: AsyncSession, *, today: dt.date | None = None,
                             progress: Callable[[str], None] | None = None) -> str:
    today = today or dt.date.today()
    people = People(session)
    await people.load()
    for lead, partners, kind, title_zh, title_en, unit, target, category in STANDARDS:
        await _walk(people, lead, partners, kind, title_zh, title_en, unit, target, category, today)
        if progress:
            progress(f"standard 《{title_zh}》 ({lead}{'+' + '+'.join(partners) if partners else ''}): {target}")
    # Projects that are not standards, in a few states of their own.
    gz = await people.act("gz-member1")
    await projects.propose(session, gz, kind="research_topic", title_zh="喀斯特山区茶园碳汇核算方法研究",
                                      title_en="Carbon sink accounting for karst tea gardens",
                                      summary="研究茶园碳汇核算方法。", proposer_unit="贵州省生态农业研究院",
                                      today=today)
    fj = await people.act("fj-member1")
    exchange = await projects.propose(session, fj, kind="technical_exchange", title_zh="闽赣标准化技术交流会",
                                      title_en="Fujian–Jiangxi standardisation exchange",
                                      summary="组织两省标准化技术交流。", proposer_unit="福建省标准化研究院生态所",
                                      today=today)
    await projects.approve(session, await people.act("fj-secretary"), project_id=exchange.id)
    await projects.open_notice(session, await people.act("fj-secretary"), project_id=exchange.id, today=today)
    await apply_scope(session, Scope.system())
    return f"{len(STANDARDS)} standards (every stage from 10 to 90), {len(STANDARDS) + 2} projects"
