"""The annual work report and financial report (办法 第六条(三)): drafted by the office with its
text (zh/en) over the platform's own figures, reviewed by the general meeting (章程 第十八条(四)),
disclosed once adopted (第三十条: the rows become public, ``AnnualReport.visible_to``).

While a draft, the figures are assembled live; submission freezes them into the report (what
the members vote on is what is published) and, for the financial report, closes the year's books.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.annual import motions, rules
from ecozone.annual.figures import work_figures
from ecozone.annual.models import AnnualReport
from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import Conflict, FieldError, NotFound, raise_if_invalid
from ecozone.funds.execution import execution
from ecozone.governance import clock
from ecozone.tenancy.models import Zone

REPORT = "annual_report"


def _snapshot(r: AnnualReport) -> dict:
    return {"year": r.year, "kind": r.kind, "state": r.state, "motionId": r.motion_id,
            "textZh": r.text_zh, "textEn": r.text_en}


async def get_report(session: AsyncSession, report_id: int, *, lock: bool = False) -> AnnualReport:
    stmt = select(AnnualReport).where(AnnualReport.id == report_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    report = await session.scalar(stmt)
    if report is None:
        raise NotFound(f"reportId: no annual report {report_id}", f"reportId：没有年度报告 {report_id}")
    return report


async def _own_report(session: AsyncSession, actor: Actor, report_id: int) -> AnnualReport:
    report = await get_report(session, report_id, lock=True)
    if report.zone_id != actor.zone_id:
        raise NotFound(f"reportId: no annual report {report_id} in this zone",
                       f"reportId：本试验区没有年度报告 {report_id}")
    return report


async def figures(session: AsyncSession, report: AnnualReport) -> dict:
    """The frozen figures once submitted; while a draft, assembled now (the office's view)."""
    if report.figures is not None:
        return report.figures
    if report.kind == "work":
        return await work_figures(session, report.zone_id, report.year)
    return (await execution(session, report.zone_id, report.year)).as_json()


async def list_reports(session: AsyncSession, *, zone: str | None, year: int | None, kind: str | None,
                       adopted_only: bool, first: int, after: str | None, max_page_size: int = 100) -> Page:
    """Reports the viewer may see; ``adopted_only``: the disclosures, as the portal lists them."""
    errors = [] if year is None else rules.year_errors(year)
    if kind is not None and kind not in rules.REPORT_KINDS:
        errors.append(FieldError("kind", "choice", "work or financial", "须为工作报告或财务报告"))
    raise_if_invalid(errors)
    stmt = select(AnnualReport)
    if zone is not None:
        stmt = stmt.join(Zone, Zone.id == AnnualReport.zone_id).where(Zone.slug == zone)
    if year is not None:
        stmt = stmt.where(AnnualReport.year == year)
    if kind is not None:
        stmt = stmt.where(AnnualReport.kind == kind)
    if adopted_only:
        stmt = stmt.where(AnnualReport.state == "adopted")
    return await paginate(session, stmt, order=(AnnualReport.id,), first=first, after=after,
                          max_page_size=max_page_size)


async def draft_report(session: AsyncSession, actor: Actor, *, year: int, kind: str, text_zh: str,
                       text_en: str) -> AnnualReport:
    require(actor, REPORT, "manage")
    errors = rules.report_year_errors(year, clock.today()) + rules.text_errors(
        {"textZh": (text_zh, 50000, True), "textEn": (text_en, 80000, True)})
    if kind not in rules.REPORT_KINDS:
        errors.append(FieldError("kind", "choice", "work or financial", "须为工作报告或财务报告"))
    raise_if_invalid(errors)
    if await session.scalar(select(AnnualReport.id).where(
            AnnualReport.zone_id == actor.zone_id, AnnualReport.year == year, AnnualReport.kind == kind)):
        raise Conflict(f"the zone already has a {kind} report for {year}",
                       f"本试验区已有 {year} 年度{rules.REPORT_KINDS[kind][0]}")
    report = AnnualReport(zone_id=actor.zone_id, year=year, kind=kind, text_zh=text_zh.strip(),
                          text_en=text_en.strip(), state="draft", drafted_by_id=actor.user_id)
    try:  # drafted at the same moment by another request: the same answer as above
        async with session.begin_nested():
            session.add(report)
            await session.flush()
    except IntegrityError:
        raise Conflict(f"the zone already has a {kind} report for {year}",
                       f"本试验区已有 {year} 年度{rules.REPORT_KINDS[kind][0]}") from None
    await record(session, actor, action="annual_report.draft", object_type=REPORT, object_id=report.id,
                 after=_snapshot(report))
    return report


async def revise_report(session: AsyncSession, actor: Actor, *, report_id: int, text_zh: str,
                        text_en: str) -> AnnualReport:
    require(actor, REPORT, "manage", object_id=report_id)
    raise_if_invalid(rules.text_errors({"textZh": (text_zh, 50000, True), "textEn": (text_en, 80000, True)}))
    report = await _own_report(session, actor, report_id)
    if report.state != "draft":
        raise Conflict(f"the report is {report.state}: only a draft is revised",
                       f"报告{rules.DOCUMENT_STATES[report.state][0]}：只能修改草稿")
    before = _snapshot(report)
    report.text_zh, report.text_en = text_zh.strip(), text_en.strip()
    await session.flush()
    await record(session, actor, action="annual_report.revise", object_type=REPORT, object_id=report.id,
                 before=before, after=_snapshot(report))
    return report


async def submit_report(session: AsyncSession, actor: Actor, *, report_id: int, motion_id: int) -> AnnualReport:
    require(actor, REPORT, "manage", object_id=report_id)
    report = await _own_report(session, actor, report_id)
    state = rules.DOCUMENT_MACHINE.advance(report.state, "submit")
    await motions.motion_to_submit_to(session, motion_id)
    before = _snapshot(report)
    report.figures = await figures(session, report)
    report.state, report.motion_id, report.submitted_at = state, motion_id, utcnow()
    await session.flush()
    await record(session, actor, action="annual_report.submit", object_type=REPORT, object_id=report.id,
                 before=before, after={**_snapshot(report), "figures": report.figures})
    return report


async def adopt_report(session: AsyncSession, actor: Actor, *, report_id: int) -> AnnualReport:
    """The general meeting reviewed and passed it (章程 第十八条(四)): from now on it is public (第三十条)."""
    require(actor, REPORT, "adopt", object_id=report_id)
    report = await _own_report(session, actor, report_id)
    state = rules.DOCUMENT_MACHINE.advance(report.state, "adopt")
    await motions.passed(session, report.motion_id)
    before = _snapshot(report)
    report.state, report.adopted_at = state, utcnow()
    await session.flush()
    await record(session, actor, action="annual_report.adopt", object_type=REPORT, object_id=report.id,
                 before=before, after=_snapshot(report))
    return report


async def withdraw_report(session: AsyncSession, actor: Actor, *, report_id: int) -> AnnualReport:
    """Back to draft when its motion did not pass (or before the vote); the figures thaw and the
    year's books reopen."""
    require(actor, REPORT, "manage", object_id=report_id)
    report = await _own_report(session, actor, report_id)
    state = rules.DOCUMENT_MACHINE.advance(report.state, "withdraw")
    motion, _meeting = await motions.motion_and_meeting(session, report.motion_id)
    if motion.state == "passed":
        raise Conflict("the report's motion passed: record the adoption instead",
                       "该报告的议案已通过：请确认通过，而非撤回")
    before = _snapshot(report)
    report.state, report.motion_id, report.submitted_at, report.figures = state, None, None, None
    await session.flush()
    await record(session, actor, action="annual_report.withdraw", object_type=REPORT, object_id=report.id,
                 before=before, after=_snapshot(report))
    return report
