"""Budget and execution of a year: what the financial report states and the accountants export.

Two GROUP BY statements and the plan's items; every sum an integer of fen.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.annual.models import AnnualPlan, PlanItem
from ecozone.annual.rules import year_errors
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.errors import raise_if_invalid
from ecozone.funds import rules
from ecozone.funds.models import BudgetLine, FundEntry


@dataclass(frozen=True)
class Line:
    category: str      # a source (income) or a business area (spending)
    budget_fen: int
    actual_fen: int

    @property
    def per_mille(self) -> int | None:
        return rules.per_mille(self.actual_fen, self.budget_fen)


@dataclass(frozen=True)
class ItemSpending:
    plan_item_id: int
    seq: int
    title_zh: str
    title_en: str
    budget_fen: int | None
    spent_fen: int


@dataclass(frozen=True)
class Execution:
    year: int
    income: list[Line] = field(default_factory=list)
    spending: list[Line] = field(default_factory=list)
    items: list[ItemSpending] = field(default_factory=list)
    entries: int = 0

    @property
    def income_fen(self) -> int:
        return rules.sum_fen(line.actual_fen for line in self.income)

    @property
    def spending_fen(self) -> int:
        return rules.sum_fen(line.actual_fen for line in self.spending)

    @property
    def income_budget_fen(self) -> int:
        return rules.sum_fen(line.budget_fen for line in self.income)

    @property
    def spending_budget_fen(self) -> int:
        return rules.sum_fen(line.budget_fen for line in self.spending)

    @property
    def balance_fen(self) -> int:
        return self.income_fen - self.spending_fen

    def as_json(self) -> dict:
        """Frozen into the financial report at submission (ints of fen: JSON keeps them exact)."""
        return {"year": self.year, "entries": self.entries,
                "income": [asdict(line) for line in self.income],
                "spending": [asdict(line) for line in self.spending],
                "items": [asdict(item) for item in self.items]}

    @classmethod
    def from_json(cls, data: dict) -> Execution:
        return cls(year=data["year"], entries=data["entries"],
                   income=[Line(**line) for line in data["income"]],
                   spending=[Line(**line) for line in data["spending"]],
                   items=[ItemSpending(**item) for item in data["items"]])


# A reversal counts negative in every sum (its own amount is positive, like every entry's).
SIGNED_FEN = case((FundEntry.reverses_id.is_(None), FundEntry.amount_fen), else_=-FundEntry.amount_fen)


async def execution(session: AsyncSession, zone_id: int, year: int) -> Execution:
    """The acting zone's budget against its books (the data layer keeps both to the zone); plan
    items are the zone's own plan's (adopted plans of other zones are public, hence ``zone_id``)."""
    budget = {(d, c): a for d, c, a in (await session.execute(
        select(BudgetLine.direction, BudgetLine.category, BudgetLine.amount_fen)
        .where(BudgetLine.year == year))).all()}
    actual = {(d, c): int(a) for d, c, a in (await session.execute(
        select(FundEntry.direction, func.coalesce(FundEntry.source, FundEntry.business_area),
               func.sum(SIGNED_FEN))
        .where(FundEntry.year == year)
        .group_by(FundEntry.direction, func.coalesce(FundEntry.source, FundEntry.business_area)))).all()}
    entries = await session.scalar(select(func.count(FundEntry.id)).where(FundEntry.year == year)) or 0
    spent = dict((await session.execute(
        select(FundEntry.plan_item_id, func.sum(SIGNED_FEN))
        .where(FundEntry.year == year, FundEntry.plan_item_id.is_not(None))
        .group_by(FundEntry.plan_item_id))).all())
    item_rows = (await session.scalars(
        select(PlanItem).join(AnnualPlan, AnnualPlan.id == PlanItem.plan_id)
        .where(AnnualPlan.zone_id == zone_id, AnnualPlan.year <= year,
               (AnnualPlan.year == year) | PlanItem.id.in_(list(spent) or [0]))
        .order_by(AnnualPlan.year, PlanItem.seq))).all()

    def lines(direction: str, names: dict) -> list[Line]:
        return [Line(category=c, budget_fen=int(budget.get((direction, c), 0)),
                     actual_fen=actual.get((direction, c), 0)) for c in names]
    return Execution(year=year, entries=int(entries),
                     income=lines("income", rules.INCOME_SOURCES),
                     spending=lines("spending", rules.BUSINESS_AREAS),
                     items=[ItemSpending(plan_item_id=i.id, seq=i.seq, title_zh=i.title_zh, title_en=i.title_en,
                                         budget_fen=i.budget_fen, spent_fen=int(spent.get(i.id, 0)))
                            for i in item_rows])


async def budget_execution(session: AsyncSession, actor: Actor, *, year: int) -> Execution:
    require(actor, "funds", "read")
    raise_if_invalid(year_errors(year))
    return await execution(session, actor.zone_id, year)
