"""Types, enums, inputs and result unions of the funds' GraphQL."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.funds import rules
from ecozone.funds.execution import Execution, ItemSpending, Line
from ecozone.funds.models import BudgetLine as BudgetLineModel
from ecozone.funds.models import FundEntry as EntryModel
from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.funds.money import ArticleRefusal, Money
from ecozone.graphql.results import EVERY_FAILURE, PermissionDenied, ValidationFailed, result_union


def _enum(name: str, values, description: str):
    return strawberry.enum(Enum(name, {v.upper(): v for v in values}), description=description)


IncomeSource = _enum("IncomeSource", rules.INCOME_SOURCES, (
    "A source of the base's funds (办法 第十三条): HOST_UNIT 承担单位投入 · MEMBER_UNIT 理事单位投入 · "
    "GOVERNMENT_GRANT 上级部门补助 · OTHER_LAWFUL 其他合法收入. 创新基地经费来源（办法 第十三条）。"))
BusinessArea = _enum("BusinessArea", rules.BUSINESS_AREAS, (
    "A business area of the base (办法 第四条 (一)–(八)), what every payment serves: COORDINATION, INNOVATION, "
    "GROUP_STANDARDS, RESOURCES, TRACEABILITY, PROMOTION, TALENT, REGIONAL_COOPERATION. "
    "创新基地业务范围（办法 第四条（一）至（八）），每笔支出须对应其一。"))
SpendingNature = _enum("SpendingNature", rules.SPENDING_NATURES, (
    "What a payment is: PAYMENT_FOR_WORK (goods, services or project work for the base), OPERATING (running "
    "costs) or DISTRIBUTION (a share-out, always refused by 办法 第十四条). 支出性质：PAYMENT_FOR_WORK 对价支付、"
    "OPERATING 日常运行、DISTRIBUTION 分配（依办法第十四条一律拒绝）。"))
FundDirection = _enum("FundDirection", ("income", "spending"),
                      "Income or spending. 收入或支出。")


@strawberry.type(description=("A receipt or a payment in the zone's books (office only). 本区账目中的一笔收入或支出（仅办公室可见）。"))
class FundEntry(relay.Node):
    id: relay.NodeID[int]
    direction: FundDirection = strawberry.field(description="Income or spending. 收入或支出。")
    booked_on: dt.date = strawberry.field(description="The day it is booked on (China). 记账日期（中国日期）。")
    year: int = strawberry.field(description="The year of the books it is in. 所属会计年度。")
    amount: Money = strawberry.field(description="The amount, positive. 金额（正数）。")
    source: IncomeSource | None = strawberry.field(description="Income: its source; null for spending. 收入来源；支出为 null。")
    payer_name: str | None = strawberry.field(description="Income: who paid. 收入的付款方。")
    payer_member_unit_id: relay.GlobalID | None = strawberry.field(description=(
        "Income from a member unit: the unit (`CouncilMemberUnit.id`). 理事单位投入时为该单位（`CouncilMemberUnit.id`）。"))
    business_area: BusinessArea | None = strawberry.field(description="Spending: the business area it serves. 支出对应的业务范围。")
    nature: SpendingNature | None = strawberry.field(description="Spending: what the payment is. 支出性质。")
    plan_item_id: relay.GlobalID | None = strawberry.field(description=(
        "Spending: the work-plan item it pays for (`AnnualPlanItem.id`); null if none. 支出对应的工作计划事项；无则为 null。"))
    payee_name: str | None = strawberry.field(description="Spending: who is paid. 支出的收款方。")
    payee_member_unit_id: relay.GlobalID | None = strawberry.field(description=(
        "Spending to a member unit: the unit (`CouncilMemberUnit.id`). 向理事单位付款时为该单位。"))
    voucher: str | None = strawberry.field(description="The voucher number (凭证号); null if none. 凭证号；无则为 null。")
    description: str = strawberry.field(description="What it is for. 摘要。")
    reverses_entry_id: relay.GlobalID | None = strawberry.field(description=(
        "A reversal (红字冲销): the entry it undoes; it counts negative in every sum. Null for an ordinary entry. "
        "冲销记录所冲销的原记录；在各项合计中按负数计。普通记录为 null。"))
    recorded_at: dt.datetime = strawberry.field(description="When it was booked. 登记时间。")

    @classmethod
    def from_model(cls, e: EntryModel) -> FundEntry:
        def gid(type_name: str, value: int | None):
            return relay.GlobalID(type_name, str(value)) if value is not None else None
        return cls(id=e.id, direction=FundDirection(e.direction), booked_on=e.booked_on, year=e.year,
                   amount=e.amount_fen, source=IncomeSource(e.source) if e.source else None,
                   payer_name=e.payer_name, payer_member_unit_id=gid("CouncilMemberUnit", e.payer_member_unit_id),
                   business_area=BusinessArea(e.business_area) if e.business_area else None,
                   nature=SpendingNature(e.nature) if e.nature else None,
                   plan_item_id=gid("AnnualPlanItem", e.plan_item_id), payee_name=e.payee_name,
                   payee_member_unit_id=gid("CouncilMemberUnit", e.payee_member_unit_id), voucher=e.voucher,
                   description=e.description, reverses_entry_id=gid("FundEntry", e.reverses_id),
                   recorded_at=e.recorded_at)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        """The office's only: the data layer keeps entries to the acting zone, and within it the
        books are read by those who may (``funds.read``), as ``fundEntries`` is."""
        node_ids = list(node_ids)
        if not info.context.actor.can("funds", "read"):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, EntryModel, node_ids)]


@strawberry.type(description="The budget of one source or business area for a year. 某年某一经费来源或业务范围的预算。")
class FundBudgetLine:
    year: int = strawberry.field(description="The year. 年度。")
    direction: FundDirection = strawberry.field(description="Income or spending. 收入或支出。")
    income_source: IncomeSource | None = strawberry.field(description="For income: the source. 收入预算的来源。")
    business_area: BusinessArea | None = strawberry.field(description="For spending: the business area. 支出预算的业务范围。")
    amount: Money = strawberry.field(description="The budgeted amount. 预算金额。")
    note: str | None = strawberry.field(description="The office's note; null if none. 说明；无则为 null。")

    @classmethod
    def from_model(cls, b: BudgetLineModel) -> FundBudgetLine:
        income = b.direction == "income"
        return cls(year=b.year, direction=FundDirection(b.direction),
                   income_source=IncomeSource(b.category) if income else None,
                   business_area=None if income else BusinessArea(b.category), amount=b.amount_fen, note=b.note)


@strawberry.type(description="Budget against execution for one source or business area. 某一来源或业务范围的预算与执行。")
class FundExecutionLine:
    income_source: IncomeSource | None = strawberry.field(description="The source (income lines). 经费来源（收入行）。")
    business_area: BusinessArea | None = strawberry.field(description="The business area (spending lines). 业务范围（支出行）。")
    name_zh: str = strawberry.field(description="The line's name in Chinese, with its article. 科目中文名称。")
    name_en: str = strawberry.field(description="The line's name in English. 科目英文名称。")
    budget: Money = strawberry.field(description="Budgeted (zero when no budget was set). 预算（未编制时为零）。")
    actual: Money = strawberry.field(description="Booked so far. 已入账金额。")
    per_mille: int | None = strawberry.field(description=(
        "Execution in per mille (‰) of the budget, rounded down; null without a budget. 执行率（‰，向下取整）；无预算时为 null。"))

    @classmethod
    def of(cls, line: Line, income: bool) -> FundExecutionLine:
        zh, en = (rules.INCOME_SOURCES if income else rules.BUSINESS_AREAS)[line.category]
        return cls(income_source=IncomeSource(line.category) if income else None,
                   business_area=None if income else BusinessArea(line.category), name_zh=zh, name_en=en,
                   budget=line.budget_fen, actual=line.actual_fen, per_mille=line.per_mille)


@strawberry.type(description="What was spent on one work-plan item in the year. 当年某一工作计划事项的支出。")
class FundItemSpending:
    plan_item_id: relay.GlobalID = strawberry.field(description="The item (`AnnualPlanItem.id`). 计划事项。")
    seq: int = strawberry.field(description="Its number in its plan. 在计划中的序号。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    budget: Money | None = strawberry.field(description="The item's budget; null if none. 事项预算；无则为 null。")
    spent: Money = strawberry.field(description="Spent on it in the year. 当年支出。")

    @classmethod
    def of(cls, i: ItemSpending) -> FundItemSpending:
        return cls(plan_item_id=relay.GlobalID("AnnualPlanItem", str(i.plan_item_id)), seq=i.seq,
                   title_zh=i.title_zh, title_en=i.title_en, budget=i.budget_fen, spent=i.spent_fen)


@strawberry.type(description=("A year's budget and its execution (办法 第十三、十四条): income by source, spending by business "
                              "area and by plan item. 某年预算及执行情况：收入按来源、支出按业务范围和计划事项。"))
class FundExecution:
    year: int = strawberry.field(description="The year. 年度。")
    entries: int = strawberry.field(description="Entries booked in the year. 当年记账笔数。")
    income: list[FundExecutionLine] = strawberry.field(description="One line per source of 第十三条. 按第十三条来源分列。")
    spending: list[FundExecutionLine] = strawberry.field(description="One line per business area of 第四条. 按第四条业务范围分列。")
    items: list[FundItemSpending] = strawberry.field(description=(
        "The zone's plan items of the year, and earlier ones paid for in it. 当年计划事项及当年有支出的往年事项。"))
    income_total: Money = strawberry.field(description="Income booked. 收入合计。")
    spending_total: Money = strawberry.field(description="Spending booked. 支出合计。")
    income_budget: Money = strawberry.field(description="Income budgeted. 收入预算合计。")
    spending_budget: Money = strawberry.field(description="Spending budgeted. 支出预算合计。")
    balance: Money = strawberry.field(description="Income less spending (may be negative: `\"-12.00\"`). 收支差额（可为负）。")

    @classmethod
    def of(cls, e: Execution) -> FundExecution:
        return cls(year=e.year, entries=e.entries, income=[FundExecutionLine.of(x, True) for x in e.income],
                   spending=[FundExecutionLine.of(x, False) for x in e.spending],
                   items=[FundItemSpending.of(i) for i in e.items], income_total=e.income_fen,
                   spending_total=e.spending_fen, income_budget=e.income_budget_fen,
                   spending_budget=e.spending_budget_fen, balance=e.balance_fen)


FundEntryResult = result_union("FundEntryResult", FundEntry, *EVERY_FAILURE, ArticleRefusal, how_to_select=False)
FundBudgetLineResult = result_union("FundBudgetLineResult", FundBudgetLine, *EVERY_FAILURE, ArticleRefusal,
                                    how_to_select=False)
FundExecutionResult = Annotated[FundExecution | PermissionDenied | ValidationFailed, strawberry.union(
    "FundExecutionResult", description=("FundExecution, or PermissionDenied / ValidationFailed. "
                                        "成功时为 FundExecution，否则为 PermissionDenied 或 ValidationFailed。"))]
FundEntryConnectionResult = Annotated[Connection[FundEntry] | PermissionDenied | ValidationFailed, strawberry.union(
    "FundEntryConnectionResult", description=("A page of entries, or PermissionDenied / ValidationFailed. "
                                              "一页账目，或 PermissionDenied / ValidationFailed。"))]


@strawberry.input(description="A receipt of the acting zone's funds (办法 第十三条). 所操作试验区的一笔经费收入（办法 第十三条）。")
class RecordFundIncomeInput:
    booked_on: dt.date = strawberry.field(description="Booking day, not in the future. 记账日期，不晚于今天。")
    amount: Money = strawberry.field(description="Yuan, e.g. \"50000.00\". 金额（元），如 \"50000.00\"。")
    source: IncomeSource = strawberry.field(description="The source. 经费来源。")
    description: str = strawberry.field(description="What it is. 摘要。")
    payer_name: str | None = strawberry.field(default=None, description="Who paid (required for OTHER_LAWFUL). 付款方（其他合法收入必填）。")
    payer_member_unit_id: relay.GlobalID | None = strawberry.field(default=None, description=(
        "For MEMBER_UNIT: the unit (`CouncilMemberUnit.id`), required. 理事单位投入时必填：该单位。"))
    voucher: str | None = strawberry.field(default=None, description="Voucher number. 凭证号。")


@strawberry.input(description=("A payment of the acting zone's funds: within the business scope, never a distribution "
                               "among member units (办法 第四条, 第十四条). 所操作试验区的一笔经费支出：限于业务范围，"
                               "不得在理事单位中分配（办法 第四条、第十四条）。"))
class RecordFundSpendingInput:
    booked_on: dt.date = strawberry.field(description="Booking day, not in the future. 记账日期，不晚于今天。")
    amount: Money = strawberry.field(description="Yuan. 金额（元）。")
    business_area: BusinessArea = strawberry.field(description="The business area it serves. 对应的业务范围。")
    nature: SpendingNature = strawberry.field(description="What the payment is. 支出性质。")
    description: str = strawberry.field(description="What it is for. 摘要。")
    payee_name: str | None = strawberry.field(default=None, description=(
        "Who is paid (a member unit's name counts as that unit). 收款方（写成员单位名称即视为该单位）。"))
    payee_member_unit_id: relay.GlobalID | None = strawberry.field(default=None, description=(
        "When a member unit is paid: the unit; then PAYMENT_FOR_WORK against a plan item only. "
        "向理事单位付款时填该单位；此时只能是对应计划事项的对价支付。"))
    plan_item_id: relay.GlobalID | None = strawberry.field(default=None, description=(
        "The work-plan item it pays for (`AnnualPlanItem.id`), of this zone. 所支付的本区工作计划事项。"))
    voucher: str | None = strawberry.field(default=None, description="Voucher number. 凭证号。")


@strawberry.input(description=("The year's budget for one source (income) or one business area (spending); exactly one of "
                               "the two. 某年一项经费来源（收入）或一项业务范围（支出）的预算，二者择一。"))
class SetFundBudgetLineInput:
    year: int = strawberry.field(description="The year. 年度。")
    amount: Money = strawberry.field(description="Yuan; \"0\" clears it. 金额（元）；\"0\" 表示清零。")
    income_source: IncomeSource | None = strawberry.field(default=None, description="An income line's source. 收入预算的来源。")
    business_area: BusinessArea | None = strawberry.field(default=None, description="A spending line's area. 支出预算的业务范围。")
    note: str | None = strawberry.field(default=None, description="Note. 说明。")


@strawberry.input(description=("Undo a mistaken entry by a reversal (红字冲销), while its year's books are open. "
                               "以红字冲销撤销一笔错误记录（该年度未结账时）。"))
class ReverseFundEntryInput:
    entry_id: relay.GlobalID = strawberry.field(description="The entry (`FundEntry.id`). 要冲销的记录。")
    reason: str = strawberry.field(description="Why. 冲销原因。")
