"""The year's books as XLSX for the accountants: pure builder, entries and execution in, bytes out.

Two sheets: 明细账 (every entry, in booking order) and 预算执行 (budget against execution by
source and business area). Amounts are written as ``Decimal`` yuan — openpyxl writes their
exact decimal text into the file, never a binary float — with the integer of fen beside them
in the ledger, so the sheet can be checked to the fen. Text typed by people (descriptions,
payees) is written as text: a value starting with ``=`` stays a string, never a formula.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

from ecozone.funds import rules
from ecozone.funds.execution import Execution
from ecozone.funds.models import FundEntry

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEDGER_HEADER = ("序号", "记账日期", "凭证号", "收支", "来源/业务范围", "支出性质", "计划事项", "付款方/收款方",
                 "摘要", "金额（元）", "金额（分）")  # a reversal's amounts negative
EXECUTION_HEADER = ("科目", "预算（元）", "执行（元）", "执行率（‰）")
YUAN_FORMAT = "#,##0.00"


def yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def _text(cell, value) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = TYPE_STRING


def _header(sheet, names) -> None:
    for column, name in enumerate(names, start=1):
        sheet.cell(row=1, column=column, value=name).font = Font(bold=True)
    sheet.freeze_panes = "A2"


def build_xlsx(entries: list[FundEntry], execution: Execution, *, item_seq: dict[int, int]) -> bytes:
    book = Workbook()
    ledger = book.active
    ledger.title = "明细账"
    _header(ledger, LEDGER_HEADER)
    for n, e in enumerate(entries, start=1):
        income = e.direction == "income"
        category = rules.INCOME_SOURCES[e.source][0] if income else rules.BUSINESS_AREAS[e.business_area][0]
        kind = ("收入" if income else "支出") + ("（冲销）" if e.reverses_id else "")
        signed = -e.amount_fen if e.reverses_id else e.amount_fen
        values = (n, e.booked_on, e.voucher or "", kind, category,
                  "" if income else rules.SPENDING_NATURES[e.nature][0],
                  item_seq.get(e.plan_item_id, "") if e.plan_item_id else "",
                  (e.payer_name if income else e.payee_name) or "", e.description)
        for column, value in enumerate(values, start=1):
            _text(ledger.cell(row=n + 1, column=column), value)
        ledger.cell(row=n + 1, column=2).number_format = "yyyy-mm-dd"
        amount = ledger.cell(row=n + 1, column=10, value=yuan(signed))
        amount.number_format = YUAN_FORMAT
        ledger.cell(row=n + 1, column=11, value=signed)
    for column, width in zip("ABCDEFGHIJK", (6, 12, 12, 6, 36, 24, 10, 28, 40, 18, 16), strict=True):
        ledger.column_dimensions[column].width = width

    sheet = book.create_sheet("预算执行")
    _header(sheet, EXECUTION_HEADER)
    row = 2
    for title, lines, names in (("收入", execution.income, rules.INCOME_SOURCES),
                                ("支出", execution.spending, rules.BUSINESS_AREAS)):
        for line in lines:
            sheet.cell(row=row, column=1, value=f"{title}：{names[line.category][0]}")
            for column, fen in ((2, line.budget_fen), (3, line.actual_fen)):
                sheet.cell(row=row, column=column, value=yuan(fen)).number_format = YUAN_FORMAT
            sheet.cell(row=row, column=4, value=line.per_mille)
            row += 1
    for label, fen in (("收入合计", execution.income_fen), ("支出合计", execution.spending_fen),
                       ("收支差额", execution.balance_fen)):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        sheet.cell(row=row, column=3, value=yuan(fen)).number_format = YUAN_FORMAT
        row += 1
    sheet.column_dimensions["A"].width = 48
    for column in "BCD":
        sheet.column_dimensions[column].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
