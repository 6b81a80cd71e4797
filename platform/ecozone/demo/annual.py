"""Demo data for the base's year in Jiangxi: the 2026 work plan with the office's tasks beside
the approved projects, the 2026 budget and books (a member unit paid for a task of the plan),
both 2026 reports in draft, and the 2027 plan put to a motion of the 2026 general meeting.

Through the real services as the office (``jx-secretary``), on fixed dates (the clock the
services read is pinned, as the council demo does). The 2026 general meeting stays as the
council demo leaves it (called, not yet held), so nothing here is adopted yet: the office's
year in December, before the meeting. Invented names only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.annual import plans, reports
from ecozone.annual.models import AnnualPlan
from ecozone.db.scoping import Scope, apply_scope
from ecozone.demo.workflow import People
from ecozone.funds import service as funds
from ecozone.governance import clock, motions
from ecozone.governance.models import Meeting, MemberUnit

DAY = dt.date(2026, 12, 1)

# (title zh, title en, business area, budget)
OFFICE_ITEMS = (
    ("召开生态文明标准化工作专题会议", "Thematic meeting on ecological standardisation", "coordination", "200000.00"),
    ("举办绿色生态标准化人才培训班", "Green-ecology standardisation training course", "talent", "350000.00"),
    ("建设绿色生态标准文化展示平台（一期）", "Standards culture exhibition platform, phase 1", "promotion", "1200000.00"),
)
BUDGET = (("income", "host_unit", "3000000.00"), ("income", "member_unit", "800000.00"),
          ("income", "government_grant", "1500000.00"), ("spending", "coordination", "500000.00"),
          ("spending", "talent", "800000.00"), ("spending", "promotion", "1500000.00"),
          ("spending", "traceability", "1200000.00"))


async def load_annual_demo(session: AsyncSession, progress: Callable[[str], None] | None = None) -> str:
    people = People(session)
    await people.load()
    real_today = clock.today
    clock.today = lambda: DAY
    try:
        office = await people.act("jx-secretary")
        plan = await session.scalar(select(AnnualPlan).where(AnnualPlan.zone_id == office.zone_id,
                                                             AnnualPlan.year == 2026))
        if plan is None:  # the projects approved by the workflow demo drafted it when the year is 2026
            plan = await plans.draft_plan(session, office, year=2026)
        items = []
        for title_zh, title_en, area, budget in OFFICE_ITEMS:
            items.append(await plans.add_item(session, await people.act("jx-secretary"), plan_id=plan.id,
                                              title_zh=title_zh, title_en=title_en, business_area=area,
                                              budget=budget))
        await plans.record_progress(session, await people.act("jx-secretary"), item_id=items[0].id,
                                    progress="done", note="11月在南昌召开，四个试验区参加")
        await plans.record_progress(session, await people.act("jx-secretary"), item_id=items[1].id,
                                    progress="in_progress", note="第一期已结业，第二期报名中")
        for direction, category, amount in BUDGET:
            await funds.set_budget_line(session, await people.act("jx-secretary"), year=2026, amount=amount,
                                        income_source=category if direction == "income" else None,
                                        business_area=category if direction == "spending" else None)
        await apply_scope(session, office.scope)
        units = (await session.scalars(select(MemberUnit).where(MemberUnit.state == "active")
                                       .order_by(MemberUnit.id).limit(5))).all()
        await funds.record_income(session, await people.act("jx-secretary"), booked_on=dt.date(2026, 2, 10),
                                  amount="3000000.00", source="host_unit", voucher="记-2026-001",
                                  description="创新基地承担单位2026年度投入")
        await funds.record_income(session, await people.act("jx-secretary"), booked_on=dt.date(2026, 4, 15),
                                  amount="1500000.00", source="government_grant", payer_name="省级主管部门（演示）",
                                  voucher="记-2026-014", description="标准化专项补助资金")
        await funds.record_income(session, await people.act("jx-secretary"), booked_on=dt.date(2026, 5, 8),
                                  amount="50000.00", source="member_unit", payer_member_unit_id=units[1].id,
                                  voucher="记-2026-021", description="理事单位年度投入")
        await funds.record_spending(session, await people.act("jx-secretary"), booked_on=dt.date(2026, 11, 20),
                                    amount="123456.78", business_area="coordination", nature="payment_for_work",
                                    payee_member_unit_id=units[4].id, plan_item_id=items[0].id,
                                    voucher="记-2026-088", description="专题会议会务服务（成员单位承办，按合同结算）")
        await funds.record_spending(session, await people.act("jx-secretary"), booked_on=dt.date(2026, 10, 9),
                                    amount="86000.00", business_area="talent", nature="payment_for_work",
                                    payee_name="某培训中心（演示）", plan_item_id=items[1].id,
                                    voucher="记-2026-071", description="第一期培训班场地与教材")
        for kind, text_zh, text_en in (
                ("work", "2026年，创新基地围绕八项业务范围推进各项工作，创新项目、标准研制和人才培养稳步推进。",
                 "In 2026 the base worked across its eight business areas; projects, standards and training advanced."),
                ("financial", "2026年经费收支情况如下，经费全部用于《管理办法》规定的业务范围。",
                 "The base's income and spending in 2026; all funds served the business scope of the Measures.")):
            await reports.draft_report(session, await people.act("jx-secretary"), year=2026, kind=kind,
                                       text_zh=text_zh, text_en=text_en)
        next_plan = await plans.draft_plan(session, await people.act("jx-secretary"), year=2027,
                                           summary="提请2026年度理事大会审议。")
        await plans.add_item(session, await people.act("jx-secretary"), plan_id=next_plan.id,
                             title_zh="开展江西省农产品可追溯标准体系创制（二期）",
                             title_en="Traceability standards for Jiangxi farm products, phase 2",
                             business_area="traceability", budget="1500000.00")
        await apply_scope(session, office.scope)
        meeting = await session.scalar(select(Meeting).where(Meeting.kind == "general", Meeting.state == "called")
                                       .order_by(Meeting.meets_on.desc()).limit(1))
        submitted = False
        if meeting is not None:
            motion = await motions.propose_motion(session, await people.act("jx-secretary"), meeting_id=meeting.id,
                                                  title_zh="审议2027年度工作计划", title_en="The work plan 2027",
                                                  kind="ordinary")
            await plans.submit_plan(session, await people.act("jx-secretary"), plan_id=next_plan.id,
                                    motion_id=motion.id)
            submitted = True
    finally:
        clock.today = real_today
    await apply_scope(session, Scope.system())
    summary = (f"annual: 2026 plan with {len(OFFICE_ITEMS)} office tasks, 2026 books (3 receipts, 2 payments), "
               f"2 reports drafted, 2027 plan {'submitted to the general meeting' if submitted else 'drafted'}")
    if progress:
        progress(summary)
    return summary
