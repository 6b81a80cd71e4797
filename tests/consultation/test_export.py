"""The comment summary table: rows → XLSX / CSV bytes, read back with openpyxl and csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import unquote

import openpyxl
import pytest

from ecozone.consultation.export import (
    HEADER,
    SummaryRow,
    build_csv,
    build_xlsx,
    content_disposition,
    download_filename,
    summary_row,
)

ROWS = [
    summary_row(seq=1, clause="5.2.1", text="抽样数量不明确。", proposer_unit="某县茶叶协会",
                proposed_change="每批次抽取不少于 3 个样品", decision="adopted"),
    summary_row(seq=2, clause="第十二条", text="建议删除“原则上”。", proposer_unit="某市标准化研究院",
                decision="not_adopted", reason="保留弹性，便于各试验区执行"),
    summary_row(seq=3, clause="附录A", text="=HYPERLINK(\"http://example.invalid\")",
                proposer_unit="+某单位", decision="partly_adopted", reason="采纳前半部分"),
    summary_row(seq=4, clause="3", text="已撤回的意见", proposer_unit="某单位", withdrawn=True),
    summary_row(seq=5, clause="4.1", text="尚未处理的意见", proposer_unit="某单位"),
]


def test_summary_row_layout():
    assert HEADER == ("序号", "章条编号", "意见内容", "提出单位", "处理意见")
    assert ROWS[0] == SummaryRow(1, "5.2.1", "抽样数量不明确。\n建议修改为：每批次抽取不少于 3 个样品",
                                 "某县茶叶协会", "采纳")
    assert ROWS[1].handling == "不采纳：保留弹性，便于各试验区执行"
    assert ROWS[2].handling == "部分采纳：采纳前半部分"
    assert ROWS[3].handling == "（提出单位已撤回）"
    assert ROWS[4].handling == "（待处理）"


def test_xlsx_round_trip_keeps_chinese_and_the_annex_3_columns():
    data = build_xlsx(ROWS, title="国家技术标准创新基地管理办法（征求意见稿）", deadline=dt.date(2026, 3, 31))
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "意见汇总表"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "管理办法（征求意见稿）" in values[0][0] and "2026-03-31" in values[0][0]
    assert tuple(values[1]) == HEADER
    assert [tuple(v) for v in values[2:]] == [r.cells() for r in ROWS]
    assert sheet.freeze_panes == "A3"
    assert all(sheet.cell(row=2, column=c).font.b for c in range(1, 6))
    assert sheet.cell(row=3, column=3).alignment.wrap_text
    assert [sheet.column_dimensions[c].width for c in "ABCDE"] == [8, 14, 60, 26, 40]


def test_xlsx_never_writes_a_commenters_text_as_a_formula():
    sheet = openpyxl.load_workbook(io.BytesIO(build_xlsx(ROWS))).active
    cell = sheet.cell(row=4, column=3)  # no title row: header on row 1
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert sheet.freeze_panes == "A2"
    assert tuple(c.value for c in sheet[1]) == HEADER


def test_xlsx_of_an_empty_table_has_the_header():
    sheet = openpyxl.load_workbook(io.BytesIO(build_xlsx([], title="文件"))).active
    assert tuple(c.value for c in sheet[2]) == HEADER
    assert sheet.max_row == 2


def test_csv_round_trip_is_utf8_with_bom():
    data = build_csv(ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(lines[0]) == HEADER
    assert lines[1] == ["1", "5.2.1", "抽样数量不明确。\n建议修改为：每批次抽取不少于 3 个样品", "某县茶叶协会", "采纳"]
    assert lines[2][1] == "第十二条" and lines[2][4] == "不采纳：保留弹性，便于各试验区执行"
    assert len(lines) == 1 + len(ROWS)


def test_csv_defuses_formulas():
    lines = list(csv.reader(io.StringIO(build_csv(ROWS).decode("utf-8-sig"), newline="")))
    assert lines[3][2] == "'=HYPERLINK(\"http://example.invalid\")"
    assert lines[3][3] == "'+某单位"


@pytest.mark.parametrize(("title", "name"), [
    ("管理办法（征求意见稿）", "意见汇总表-管理办法（征求意见稿）.xlsx"),
    ("a/b\\c:d*e?f\"g<h>i|j", "意见汇总表-a_b_c_d_e_f_g_h_i_j.xlsx"),
    ("  ..  ", "意见汇总表.xlsx"),
    ("长" * 100, "意见汇总表-" + "长" * 80 + ".xlsx"),
])
def test_download_filename(title, name):
    assert download_filename(title, "xlsx") == name


def test_content_disposition_has_ascii_fallback_and_rfc5987_utf8_name():
    header = content_disposition("意见汇总表-办法 (草案).csv", "comment-summary-7.csv")
    assert header.startswith('attachment; filename="comment-summary-7.csv"; filename*=UTF-8\'\'')
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert all(ch.isascii() and ch not in ' ()"' for ch in encoded)
    assert unquote(encoded) == "意见汇总表-办法 (草案).csv"
