"""Funds: queries and mutations (thin: parse, one service call, map)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from ecozone.funds import execution, service
from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.funds.money import run_under_articles
from ecozone.graphql.funds.types import (
    FundBudgetLine,
    FundBudgetLineResult,
    FundDirection,
    FundEntry,
    FundEntryConnectionResult,
    FundEntryResult,
    FundExecution,
    FundExecutionResult,
    RecordFundIncomeInput,
    RecordFundSpendingInput,
    ReverseFundEntryInput,
    SetFundBudgetLineInput,
)
from ecozone.graphql.results import read

YEAR = Annotated[int, strawberry.argument(description="The year, 2000–2100. 年度，2000–2100。")]
FIRST = Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")]
AFTER = Annotated[str | None, strawberry.argument(description=(
    "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for the first page. "
    "从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))]
INPUT = "The input; see its type. 输入参数，见其类型说明。"


def _optional_id(value, type_name: str, field: str) -> int | None:
    return None if value is None else decode_id(value, type_name, field)


@strawberry.type
class FundsQuery:
    @strawberry.field(description=("The acting zone's entries of a year, in booking order (director, secretary). "
                                   "所操作试验区某年的账目，按登记顺序（主任、秘书）。"))
    async def fund_entries(self, info: Info, year: YEAR, direction: Annotated[
            FundDirection | None, strawberry.argument(description="Only income or only spending. 仅收入或仅支出。")] = None,
            first: FIRST = 20, after: AFTER = None) -> FundEntryConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.list_entries(
            ctx.session, ctx.actor, year=year, direction=direction.value if direction else None, first=first,
            after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, FundEntry.from_model))

    @strawberry.field(description=("The acting zone's budget and execution of a year (director, secretary); the financial "
                                   "report states the same figures. 所操作试验区某年的预算与执行（主任、秘书）；财务报告所列数字与此相同。"))
    async def fund_execution(self, info: Info, year: YEAR) -> FundExecutionResult:
        ctx = info.context
        return await read(info, lambda: execution.budget_execution(ctx.session, ctx.actor, year=year),
                          FundExecution.of)


@strawberry.type
class FundsMutation:
    @strawberry.mutation(description=("Office: book a receipt by its source (办法 第十三条); audited. 办公室：按来源登记一笔收入（办法 第十三条）；记入审计日志。"))
    async def record_fund_income(self, info: Info, input: Annotated[
            RecordFundIncomeInput, strawberry.argument(description=INPUT)]) -> FundEntryResult:
        ctx = info.context
        return await run_under_articles(info, lambda: service.record_income(
            ctx.session, ctx.actor, booked_on=input.booked_on, amount=input.amount, source=input.source.value,
            description=input.description, payer_name=input.payer_name,
            payer_member_unit_id=_optional_id(input.payer_member_unit_id, "CouncilMemberUnit", "payerMemberUnitId"),
            voucher=input.voucher), FundEntry.from_model)

    @strawberry.mutation(description=("Office: book a payment against a business area (第四条) and, optionally, a plan item; a "
                                      "distribution, or paying a member unit other than for plan work, is refused "
                                      "(ArticleRefusal, 办法 第十四条). 办公室：按业务范围（及计划事项）登记一笔支出；分配经费或非对价向理事单位付款"
                                      "将被拒绝（办法 第十四条）。"))
    async def record_fund_spending(self, info: Info, input: Annotated[
            RecordFundSpendingInput, strawberry.argument(description=INPUT)]) -> FundEntryResult:
        ctx = info.context
        return await run_under_articles(info, lambda: service.record_spending(
            ctx.session, ctx.actor, booked_on=input.booked_on, amount=input.amount,
            business_area=input.business_area.value, nature=input.nature.value, description=input.description,
            payee_name=input.payee_name,
            payee_member_unit_id=_optional_id(input.payee_member_unit_id, "CouncilMemberUnit", "payeeMemberUnitId"),
            plan_item_id=_optional_id(input.plan_item_id, "AnnualPlanItem", "planItemId"), voucher=input.voucher),
            FundEntry.from_model)

    @strawberry.mutation(description=("Office: set one line of a year's budget; refused once the year's financial report "
                                      "was submitted. 办公室：编制某年预算的一项；该年财务报告提交后不可再改。"))
    async def set_fund_budget_line(self, info: Info, input: Annotated[
            SetFundBudgetLineInput, strawberry.argument(description=INPUT)]) -> FundBudgetLineResult:
        ctx = info.context
        return await run_under_articles(info, lambda: service.set_budget_line(
            ctx.session, ctx.actor, year=input.year, amount=input.amount,
            income_source=input.income_source.value if input.income_source else None,
            business_area=input.business_area.value if input.business_area else None, note=input.note),
            FundBudgetLine.from_model)

    @strawberry.mutation(description=("Office: undo a mistaken entry by a reversal (红字冲销): a new entry naming it, counted "
                                      "negative; entries are never changed or deleted. 办公室：以红字冲销撤销错误记录，"
                                      "另记一笔并按负数计；记录从不修改或删除。"))
    async def reverse_fund_entry(self, info: Info, input: Annotated[
            ReverseFundEntryInput, strawberry.argument(description=INPUT)]) -> FundEntryResult:
        ctx = info.context
        return await run_under_articles(info, lambda: service.reverse_entry(
            ctx.session, ctx.actor, entry_id=decode_id(input.entry_id, "FundEntry", "entryId"), reason=input.reason),
            FundEntry.from_model)
