"""The comment summary table (意见汇总表, Annex 3 layout) as XLSX and CSV bytes.

Pure builders: rows in, bytes out. Columns, in this order: 序号 · 章条编号 · 意见内容 ·
提出单位 · 处理意见. Comment text comes from the public: nothing in a cell may turn into a
spreadsheet formula (XLSX cells are written as strings; CSV cells that a spreadsheet would
read as a formula get a leading apostrophe, as OWASP advises).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Border, Font, Side

from ecozone.consultation.rules import handling_text

HEADER = ("序号", "章条编号", "意见内容", "提出单位", "处理意见")
COLUMN_WIDTHS = (8, 14, 60, 26, 40)  # in characters; CJK text wraps within these
WITHDRAWN = "（提出单位已撤回）"
UNDECIDED = "（待处理）"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class SummaryRow:
    seq: int            # 序号
    clause: str         # 章条编号
    content: str        # 意见内容 (with the proposed change appended)
    proposer_unit: str  # 提出单位
    handling: str       # 处理意见

    def cells(self) -> tuple[object, ...]:
        return (self.seq, self.clause, self.content, self.proposer_unit, self.handling)


def summary_row(*, seq: int, clause: str, text: str, proposer_unit: str,
                proposed_change: str | None = None, decision: str | None = None,
                reason: str | None = None, withdrawn: bool = False) -> SummaryRow:
    content = f"{text}\n建议修改为：{proposed_change}" if proposed_change else text
    if withdrawn:
        handling = WITHDRAWN
    else:
        handling = handling_text(decision, reason) or UNDECIDED
    return SummaryRow(seq, clause, content, proposer_unit, handling)


def _title_line(title: str | None, deadline: dt.date | None) -> str | None:
    if not title:
        return None
    line = f"《{title}》征求意见汇总表"
    return f"{line}（截止日期：{deadline.isoformat()}）" if deadline else line


def build_xlsx(rows: Iterable[SummaryRow], *, title: str | None = None,
               deadline: dt.date | None = None) -> bytes:
    """One sheet: an optional title row, the bold header (frozen), then a row per comment."""
    book = Workbook()
    sheet = book.active
    sheet.title = "意见汇总表"
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    line = _title_line(title, deadline)
    header_row = 1
    if line:
        sheet.cell(row=1, column=1, value=line).font = Font(bold=True, size=14)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center",
                                                          wrap_text=True)
        sheet.row_dimensions[1].height = 30
        header_row = 2
    for column, name in enumerate(HEADER, start=1):
        cell = sheet.cell(row=header_row, column=column, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for row_number, row in enumerate(rows, start=header_row + 1):
        for column, value in enumerate(row.cells(), start=1):
            cell = sheet.cell(row=row_number, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = TYPE_STRING  # "=1+1" from a commenter stays text
            cell.alignment = wrap
            cell.border = border
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[chr(ord("A") + column - 1)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def build_csv(rows: Iterable[SummaryRow]) -> bytes:
    """The header and a line per comment, UTF-8 with a BOM so that Excel reads Chinese right."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([_csv_safe(v) for v in row.cells()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def download_filename(title_zh: str, extension: str, *, max_title: int = 80) -> str:
    """意见汇总表-<title>.<ext>, without characters that file systems refuse."""
    title = _UNSAFE_IN_NAME.sub("_", title_zh).strip(" ._")[:max_title]
    return f"意见汇总表-{title}.{extension}" if title else f"意见汇总表.{extension}"


def content_disposition(filename: str, fallback: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name of RFC 6266 / RFC 5987."""
    ascii_fallback = re.sub(r'[^A-Za-z0-9._-]', "_", fallback)
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
