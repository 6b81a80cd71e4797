"""The annual work plan (办法 第六条(二)): drafted by the office, adopted by the general meeting
(章程 第十八条(二)), joined by every project the office approves (办法 第十条(二)(三)).

Approved projects join by a call from ``projects.service.approve`` (:func:`project_approved`),
in the approval's transaction: the Measures make approval the act that puts a project in the
plan (经办公室报备批准后纳入工作计划), so it is recorded then, audited, and gets an item that
spending can be booked against. Deriving the list from the projects table would leave no
record of the act and nothing stable to book against.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.annual import motions, rules
from ecozone.annual.models import AnnualPlan, PlanItem
from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import Conflict, FieldError, NotFound, raise_if_invalid
from ecozone.funds.rules import BUSINESS_AREAS, parse_amount
from ecozone.governance import clock
from ecozone.tenancy.models import Zone

PLAN = "annual_plan"


def _snapshot(plan: AnnualPlan) -> dict:
    return {"year": plan.year, "titleZh": plan.title_zh, "titleEn": plan.title_en, "state": plan.state,
            "motionId": plan.motion_id}


async def get_plan(session: AsyncSession, plan_id: int, *, lock: bool = False) -> AnnualPlan:
    stmt = select(AnnualPlan).where(AnnualPlan.id == plan_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    plan = await session.scalar(stmt)
    if plan is None:
        raise NotFound(f"planId: no work plan {plan_id}", f"planId：没有工作计划 {plan_id}")
    return plan


async def _own_plan(session: AsyncSession, actor: Actor, plan_id: int) -> AnnualPlan:
    """A plan of the acting zone (another zone's adopted plan is readable, never writable)."""
    plan = await get_plan(session, plan_id, lock=True)
    if plan.zone_id != actor.zone_id:
        raise NotFound(f"planId: no work plan {plan_id} in this zone", f"planId：本试验区没有工作计划 {plan_id}")
    return plan


async def list_plans(session: AsyncSession, *, zone: str | None, year: int | None, first: int,
                     after: str | None, max_page_size: int = 100) -> Page:
    """Plans the viewer may see (adopted ones of every zone; the office's own drafts), newest year first."""
    stmt = select(AnnualPlan)
    if zone is not None:
        stmt = stmt.join(Zone, Zone.id == AnnualPlan.zone_id).where(Zone.slug == zone)
    if year is not None:
        raise_if_invalid(rules.year_errors(year))
        stmt = stmt.where(AnnualPlan.year == year)
    return await paginate(session, stmt, order=(AnnualPlan.id,), first=first, after=after,
                          max_page_size=max_page_size)


async def draft_plan(session: AsyncSession, actor: Actor, *, year: int, title_zh: str | None = None,
                     title_en: str | None = None, summary: str | None = None) -> AnnualPlan:
    require(actor, PLAN, "manage")
    today = clock.today()
    raise_if_invalid(rules.plan_year_errors(year, today) + rules.text_errors({
        "titleZh": (title_zh, 200, False), "titleEn": (title_en, 300, False), "summary": (summary, 20000, False)}))
    if await session.scalar(select(AnnualPlan.id).where(AnnualPlan.zone_id == actor.zone_id,
                                                        AnnualPlan.year == year)) is not None:
        raise Conflict(f"the zone already has a work plan for {year}", f"本试验区已有 {year} 年度工作计划")
    try:  # drafted at the same moment by another request (or by an approval): the same answer
        async with session.begin_nested():
            return await _new_plan(session, actor, year, title_zh=title_zh, title_en=title_en, summary=summary)
    except IntegrityError:
        raise Conflict(f"the zone already has a work plan for {year}", f"本试验区已有 {year} 年度工作计划") from None


async def _new_plan(session: AsyncSession, actor: Actor, year: int, *, title_zh: str | None = None,
                    title_en: str | None = None, summary: str | None = None) -> AnnualPlan:
    plan = AnnualPlan(zone_id=actor.zone_id, year=year, state="draft", drafted_by_id=actor.user_id,
                      title_zh=(title_zh or "").strip() or f"{year}年度工作计划",
                      title_en=(title_en or "").strip() or f"Work plan {year}",
                      summary=(summary or "").strip() or None)
    session.add(plan)
    await session.flush()
    await record(session, actor, action="annual_plan.draft", object_type=PLAN, object_id=plan.id,
                 after=_snapshot(plan))
    return plan


async def _next_seq(session: AsyncSession, plan_id: int) -> int:
    return (await session.scalar(select(func.max(PlanItem.seq)).where(PlanItem.plan_id == plan_id)) or 0) + 1


def _area_errors(business_area: str | None) -> list[FieldError]:
    if business_area is None or business_area in BUSINESS_AREAS:
        return []
    return [FieldError("businessArea", "choice", "unknown business area (Measures, Article 4)",
                       "未知的业务范围（《管理办法》第四条）")]


async def add_item(session: AsyncSession, actor: Actor, *, plan_id: int, title_zh: str, title_en: str,
                   business_area: str | None = None, budget: object = None) -> PlanItem:
    """An item of the office's own, while the plan is a draft (once submitted, it is what is voted on).
    ``budget``: yuan as a decimal string (the ``Money`` scalar), parsed to fen here."""
    require(actor, PLAN, "manage", object_id=plan_id)
    budget_fen, budget_errors = (None, []) if budget is None else parse_amount(budget, "budget")
    raise_if_invalid(rules.text_errors({"titleZh": (title_zh, 200, True), "titleEn": (title_en, 300, True)})
                     + _area_errors(business_area) + budget_errors)
    plan = await _own_plan(session, actor, plan_id)
    rules.check_plan_writable(plan.year, clock.today())
    if plan.state != "draft":
        raise Conflict(f"the plan is {plan.state}: the office adds its items while it is a draft",
                       f"计划{rules.DOCUMENT_STATES[plan.state][0]}：办公室只能在草稿阶段增加事项")
    item = PlanItem(zone_id=plan.zone_id, plan_id=plan.id, seq=await _next_seq(session, plan.id),
                    source="office", title_zh=title_zh.strip(), title_en=title_en.strip(),
                    business_area=business_area, budget_fen=budget_fen, progress="not_started",
                    joined_on=clock.today(), created_by_id=actor.user_id)
    session.add(item)
    await session.flush()
    await record(session, actor, action="annual_plan.add_item", object_type="annual_plan_item",
                 object_id=item.id, after={"planId": plan.id, "seq": item.seq, "titleZh": item.title_zh,
                                           "businessArea": business_area, "budgetFen": budget_fen})
    return item


async def record_progress(session: AsyncSession, actor: Actor, *, item_id: int, progress: str,
                          note: str | None = None) -> PlanItem:
    """The office records how an item of its own stands (a project's item follows the project)."""
    require(actor, PLAN, "manage", object_id=item_id)
    raise_if_invalid(([] if progress in rules.PROGRESS else [FieldError(
        "progress", "choice", "unknown progress", "未知的进展状态")])
        + rules.text_errors({"note": (note, 2000, False)}))
    item = await session.scalar(select(PlanItem).where(PlanItem.id == item_id))
    if item is None or item.zone_id != actor.zone_id:
        raise NotFound(f"itemId: no plan item {item_id} in this zone", f"itemId：本试验区没有计划事项 {item_id}")
    plan = await get_plan(session, item.plan_id)
    rules.check_plan_writable(plan.year, clock.today())
    if item.project_id is not None:
        raise Conflict("this item is a project: its progress is the project's state",
                       "该事项为创新项目：其进展即项目状态，随项目流程更新")
    before = {"progress": item.progress, "note": item.progress_note}
    item.progress, item.progress_note, item.progress_updated_at = progress, (note or "").strip() or None, utcnow()
    await session.flush()
    await record(session, actor, action="annual_plan.record_progress", object_type="annual_plan_item",
                 object_id=item.id, before=before, after={"progress": progress, "note": item.progress_note})
    return item


async def submit_plan(session: AsyncSession, actor: Actor, *, plan_id: int, motion_id: int) -> AnnualPlan:
    require(actor, PLAN, "manage", object_id=plan_id)
    plan = await _own_plan(session, actor, plan_id)
    rules.check_plan_writable(plan.year, clock.today())
    state = rules.DOCUMENT_MACHINE.advance(plan.state, "submit")
    await motions.motion_to_submit_to(session, motion_id)
    before = _snapshot(plan)
    plan.state, plan.motion_id, plan.submitted_at = state, motion_id, utcnow()
    await session.flush()
    await record(session, actor, action="annual_plan.submit", object_type=PLAN, object_id=plan.id,
                 before=before, after=_snapshot(plan))
    return plan


async def adopt_plan(session: AsyncSession, actor: Actor, *, plan_id: int) -> AnnualPlan:
    """Record the general meeting's decision (章程 第十八条(二)): the plan's motion passed."""
    require(actor, PLAN, "adopt", object_id=plan_id)
    plan = await _own_plan(session, actor, plan_id)
    rules.check_plan_writable(plan.year, clock.today())
    state = rules.DOCUMENT_MACHINE.advance(plan.state, "adopt")
    await motions.passed(session, plan.motion_id)
    before = _snapshot(plan)
    plan.state, plan.adopted_at = state, utcnow()
    await session.flush()
    await record(session, actor, action="annual_plan.adopt", object_type=PLAN, object_id=plan.id,
                 before=before, after=_snapshot(plan))
    return plan


async def withdraw_plan(session: AsyncSession, actor: Actor, *, plan_id: int) -> AnnualPlan:
    """Back to draft when its motion did not pass (or before the vote): the office revises it."""
    require(actor, PLAN, "manage", object_id=plan_id)
    plan = await _own_plan(session, actor, plan_id)
    rules.check_plan_writable(plan.year, clock.today())
    state = rules.DOCUMENT_MACHINE.advance(plan.state, "withdraw")
    motion, _meeting = await motions.motion_and_meeting(session, plan.motion_id)
    if motion.state == "passed":
        raise Conflict("the plan's motion passed: record the adoption instead",
                       "该计划的议案已通过：请确认通过，而非撤回")
    before = _snapshot(plan)
    plan.state, plan.motion_id, plan.submitted_at = state, None, None
    await session.flush()
    await record(session, actor, action="annual_plan.withdraw", object_type=PLAN, object_id=plan.id,
                 before=before, after=_snapshot(plan))
    return plan


async def _locked_plan_of(session: AsyncSession, zone_id: int, year: int) -> AnnualPlan | None:
    """The zone's plan of ``year``, its row locked: items get their numbers one at a time."""
    return await session.scalar(select(AnnualPlan).where(AnnualPlan.zone_id == zone_id, AnnualPlan.year == year)
                                .with_for_update().execution_options(populate_existing=True))


async def project_approved(session: AsyncSession, actor: Actor, project) -> PlanItem:
    """办法 第十条(二)(三): the approved project joins the work plan of the year of its approval (in
    China), which is created as a draft if the office has not drawn one up yet. Called by
    ``projects.service.approve`` (whose permission check covers this write)."""
    today = clock.today()
    plan = await _locked_plan_of(session, project.zone_id, today.year)
    if plan is None:
        try:  # two approvals at once may both find no plan: the second takes the first's
            async with session.begin_nested():
                plan = await _new_plan(session, actor, today.year)
        except IntegrityError:
            plan = await _locked_plan_of(session, project.zone_id, today.year)
    item = PlanItem(zone_id=plan.zone_id, plan_id=plan.id, seq=await _next_seq(session, plan.id),
                    source="project", project_id=project.id, title_zh=project.title_zh,
                    title_en=project.title_en, progress="not_started", joined_on=today,
                    created_by_id=actor.user_id)
    session.add(item)
    await session.flush()
    await record(session, actor, action="annual_plan.project_joined", object_type="annual_plan_item",
                 object_id=item.id, after={"planId": plan.id, "seq": item.seq, "projectId": project.id,
                                           "joinedOn": today})
    return item
