"""The office's books (办法 第十三至十五条): budget lines, receipts and payments, execution.

Zone-private: the data layer scopes every query to the acting zone and PostgreSQL row-level
security does it again. Every write is audited in its transaction. A year's books close when
its financial report is submitted to the general meeting (the figures it reports are final):
from then on nothing is booked or budgeted in that year.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.annual.models import AnnualReport, PlanItem
from ecozone.annual.rules import year_errors
from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.pagination import Page, paginate
from ecozone.errors import Conflict, FieldError, NotFound, raise_if_invalid
from ecozone.funds import rules
from ecozone.funds.models import BudgetLine, FundEntry
from ecozone.governance import clock
from ecozone.governance.models import MemberUnit

FUNDS = "funds"
DIRECTIONS = ("income", "spending")


def _text(name: str, value: str | None, limit: int, required: bool = False) -> tuple[str | None, list[FieldError]]:
    value = (value or "").strip() or None
    if value is None and required:
        return None, [FieldError(name, "required", f"{name} is required", f"必须填写 {name}")]
    if value is not None and len(value) > limit:
        return None, [FieldError(name, "length", f"{name}: at most {limit} characters", f"{name} 最多 {limit} 个字符")]
    return value, []


async def check_books_open(session: AsyncSession, zone_id: int, year: int) -> None:
    """Refused once the zone's financial report of ``year`` is submitted. The zone is named because
    adopted reports of every zone are public: another zone's report closes nothing here."""
    closed = await session.scalar(select(AnnualReport.id).where(
        AnnualReport.zone_id == zone_id, AnnualReport.year == year,
        AnnualReport.kind == "financial", AnnualReport.state.in_(("submitted", "adopted"))))
    if closed is not None:
        raise Conflict(f"the books of {year} are closed: its financial report went to the general meeting",
                       f"{year} 年度账目已结账：该年度财务报告已提交理事大会审议")


def _booking_date_errors(booked_on: dt.date, today: dt.date) -> list[FieldError]:
    errors = year_errors(booked_on.year, "bookedOn")
    if not errors and booked_on > today:
        errors.append(FieldError("bookedOn", "future", "an entry is booked on a day that has come",
                                 "记账日期不能晚于今天"))
    return errors


async def _member_unit(session: AsyncSession, unit_id: int | None, field: str) -> MemberUnit | None:
    if unit_id is None:
        return None
    unit = await session.scalar(select(MemberUnit).where(MemberUnit.id == unit_id))
    if unit is None:
        raise NotFound(f"{field}: no member unit {unit_id} in this zone", f"{field}：本试验区没有成员单位 {unit_id}")
    return unit


async def _member_unit_named(session: AsyncSession, name: str | None) -> MemberUnit | None:
    """A payee written by name that is a member unit of the zone is still a member unit (第十四条
    is not escaped by leaving the id out)."""
    if not name:
        return None
    return await session.scalar(select(MemberUnit).where(
        or_(MemberUnit.name_zh == name, func.lower(MemberUnit.name_en) == name.lower()),
        MemberUnit.state.in_(("active", "exited"))).limit(1))


def _entry_snapshot(e: FundEntry) -> dict:
    return {"direction": e.direction, "bookedOn": e.booked_on, "amountFen": e.amount_fen, "source": e.source,
            "payerName": e.payer_name, "payerMemberUnitId": e.payer_member_unit_id,
            "businessArea": e.business_area, "nature": e.nature, "planItemId": e.plan_item_id,
            "payeeName": e.payee_name, "payeeMemberUnitId": e.payee_member_unit_id, "voucher": e.voucher,
            "description": e.description, "reversesId": e.reverses_id}


async def record_income(session: AsyncSession, actor: Actor, *, booked_on: dt.date, amount: object,
                        source: str, description: str, payer_name: str | None = None,
                        payer_member_unit_id: int | None = None, voucher: str | None = None) -> FundEntry:
    """A receipt from one of the four sources of 第十三条."""
    require(actor, FUNDS, "record")
    fen, errors = rules.parse_amount(amount)
    description, e1 = _text("description", description, 2000, required=True)
    payer_name, e2 = _text("payerName", payer_name, 200)
    voucher, e3 = _text("voucher", voucher, 64)
    errors += e1 + e2 + e3 + _booking_date_errors(booked_on, clock.today())
    unit = await _member_unit(session, payer_member_unit_id, "payerMemberUnitId")
    errors += rules.check_income(source=source, payer_is_member_unit=unit is not None,
                                 payer_name=payer_name or (unit.name_zh if unit else None))
    raise_if_invalid(errors)
    await check_books_open(session, actor.zone_id, booked_on.year)
    entry = FundEntry(year=booked_on.year, booked_on=booked_on, direction="income", amount_fen=fen,
                      source=source, payer_name=payer_name or (unit.name_zh if unit else None),
                      payer_member_unit_id=unit.id if unit else None, voucher=voucher, description=description,
                      recorded_by_id=actor.user_id)
    session.add(entry)
    await session.flush()
    await record(session, actor, action="funds.record_income", object_type="fund_entry", object_id=entry.id,
                 after=_entry_snapshot(entry))
    return entry


async def record_spending(session: AsyncSession, actor: Actor, *, booked_on: dt.date, amount: object,
                          business_area: str | None, nature: str, description: str,
                          payee_name: str | None = None, payee_member_unit_id: int | None = None,
                          plan_item_id: int | None = None, voucher: str | None = None) -> FundEntry:
    """A payment within the business scope (第四条), never a distribution among members (第十四条)."""
    require(actor, FUNDS, "record")
    fen, errors = rules.parse_amount(amount)
    description, e1 = _text("description", description, 2000, required=True)
    payee_name, e2 = _text("payeeName", payee_name, 200)
    voucher, e3 = _text("voucher", voucher, 64)
    errors += e1 + e2 + e3 + _booking_date_errors(booked_on, clock.today())
    if payee_name is None and payee_member_unit_id is None:
        errors.append(FieldError("payeeName", "required", "name the payee", "须注明收款方"))
    unit = await _member_unit(session, payee_member_unit_id, "payeeMemberUnitId") \
        or await _member_unit_named(session, payee_name)
    item = None
    if plan_item_id is not None:
        item = await session.scalar(select(PlanItem).where(PlanItem.id == plan_item_id))
        # another zone's adopted plan is public, but its items are not this zone's to pay for
        if item is None or item.zone_id != actor.zone_id:
            raise NotFound(f"planItemId: no plan item {plan_item_id} in this zone",
                           f"planItemId：本试验区没有计划事项 {plan_item_id}")
    errors += rules.check_spending(rules.Spending(nature=nature, business_area=business_area,
                                                  payee_is_member_unit=unit is not None,
                                                  plan_item_given=item is not None))
    if item is not None and not errors:
        from ecozone.annual.models import AnnualPlan
        plan_year = await session.scalar(select(AnnualPlan.year).where(AnnualPlan.id == item.plan_id))
        if plan_year is not None and plan_year > booked_on.year:
            errors.append(FieldError("planItemId", "year", "the plan item belongs to a later year's plan",
                                     "该计划事项属于以后年度的工作计划"))
    raise_if_invalid(errors)
    await check_books_open(session, actor.zone_id, booked_on.year)
    entry = FundEntry(year=booked_on.year, booked_on=booked_on, direction="spending", amount_fen=fen,
                      business_area=business_area, nature=nature, plan_item_id=item.id if item else None,
                      payee_name=payee_name or (unit.name_zh if unit else None),
                      payee_member_unit_id=unit.id if unit else None, voucher=voucher,
                      description=description, recorded_by_id=actor.user_id)
    session.add(entry)
    await session.flush()
    await record(session, actor, action="funds.record_spending", object_type="fund_entry", object_id=entry.id,
                 after=_entry_snapshot(entry))
    return entry


async def set_budget_line(session: AsyncSession, actor: Actor, *, year: int, amount: object,
                          income_source: str | None = None, business_area: str | None = None,
                          note: str | None = None) -> BudgetLine:
    """The year's budget for one source (income, 第十三条) or one business area (spending, 第四条);
    set again to change it."""
    require(actor, FUNDS, "budget")
    errors = year_errors(year)
    direction, category = ("income", income_source) if income_source is not None else ("spending", business_area)
    if (income_source is None) == (business_area is None):
        errors.append(FieldError("incomeSource", "one_of",
                                 "a budget line is either a source of income or a business area",
                                 "预算科目须为一项经费来源或一项业务范围，二者择一"))
    elif category not in (rules.INCOME_SOURCES if direction == "income" else rules.BUSINESS_AREAS):
        errors.append(FieldError("incomeSource" if direction == "income" else "businessArea", "choice",
                                 "unknown budget line", "未知的预算科目"))
    fen, amount_errors = (0, []) if amount in ("0", "0.00", "0.0") else rules.parse_amount(amount)
    note, note_errors = _text("note", note, 2000)
    raise_if_invalid(errors + amount_errors + note_errors)
    await check_books_open(session, actor.zone_id, year)
    line = await session.scalar(select(BudgetLine).where(BudgetLine.year == year, BudgetLine.direction == direction,
                                                         BudgetLine.category == category))
    before = None if line is None else {"amountFen": line.amount_fen, "note": line.note}
    if line is None:
        line = BudgetLine(year=year, direction=direction, category=category, amount_fen=fen, note=note,
                          set_by_id=actor.user_id)
        try:
            async with session.begin_nested():
                session.add(line)
                await session.flush()
        except IntegrityError:
            raise Conflict("this budget line was set at the same moment by someone else: read it and set it again",
                           "该预算科目刚被他人同时编制：请刷新后重新设置") from None
    else:
        line.amount_fen, line.note, line.set_by_id = fen, note, actor.user_id
        await session.flush()
    await record(session, actor, action="funds.set_budget", object_type="fund_budget_line", object_id=line.id,
                 before=before, after={"year": year, "direction": direction, "category": category,
                                       "amountFen": fen, "note": note})
    return line


async def reverse_entry(session: AsyncSession, actor: Actor, *, entry_id: int, reason: str) -> FundEntry:
    """Undo a mistaken entry (红字冲销): a new entry naming it, on the same lines of the same year,
    counted negative; booked today. The original stays as it was, like every entry."""
    require(actor, FUNDS, "record", object_id=entry_id)
    reason, errors = _text("reason", reason, 2000, required=True)
    raise_if_invalid(errors)
    entry = await session.scalar(select(FundEntry).where(FundEntry.id == entry_id).with_for_update()
                                 .execution_options(populate_existing=True))
    if entry is None:
        raise NotFound(f"entryId: no entry {entry_id} in this zone's books", f"entryId：本区账目中没有第 {entry_id} 笔")
    if entry.reverses_id is not None:
        raise Conflict("a reversal is not reversed: book the entry again instead", "冲销记录不能再冲销：请重新登记原业务")
    if await session.scalar(select(FundEntry.id).where(FundEntry.reverses_id == entry.id)) is not None:
        raise Conflict(f"entry {entry.id} is already reversed", f"第 {entry.id} 笔已冲销")
    await check_books_open(session, actor.zone_id, entry.year)
    reversal = FundEntry(year=entry.year, booked_on=clock.today(), direction=entry.direction,
                         amount_fen=entry.amount_fen, source=entry.source, payer_name=entry.payer_name,
                         payer_member_unit_id=entry.payer_member_unit_id, business_area=entry.business_area,
                         nature=entry.nature, plan_item_id=entry.plan_item_id, payee_name=entry.payee_name,
                         payee_member_unit_id=entry.payee_member_unit_id, reverses_id=entry.id,
                         voucher=entry.voucher, description=f"冲销第 {entry.id} 笔：{reason}",
                         recorded_by_id=actor.user_id)
    session.add(reversal)
    await session.flush()
    await record(session, actor, action="funds.reverse", object_type="fund_entry", object_id=reversal.id,
                 after={**_entry_snapshot(reversal), "reason": reason})
    return reversal


async def list_entries(session: AsyncSession, actor: Actor, *, year: int, direction: str | None = None,
                       first: int = 20, after: str | None = None, max_page_size: int = 100) -> Page:
    require(actor, FUNDS, "read")
    errors = year_errors(year)
    if direction is not None and direction not in DIRECTIONS:
        errors.append(FieldError("direction", "choice", "income or spending", "须为收入或支出"))
    raise_if_invalid(errors)
    stmt = select(FundEntry).where(FundEntry.year == year)
    if direction is not None:
        stmt = stmt.where(FundEntry.direction == direction)
    return await paginate(session, stmt, order=(FundEntry.id,), first=first, after=after,
                          max_page_size=max_page_size)


async def all_entries(session: AsyncSession, actor: Actor, *, year: int) -> list[FundEntry]:
    """Every entry of the year, in booking order: for the accountants' export."""
    require(actor, FUNDS, "read")
    raise_if_invalid(year_errors(year))
    return list((await session.scalars(select(FundEntry).where(FundEntry.year == year)
                                       .order_by(FundEntry.booked_on, FundEntry.id))).all())
