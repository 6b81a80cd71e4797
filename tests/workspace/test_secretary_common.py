"""The secretary's pages: the pure parts (复审 due date, numbers, dates and choices typed in a
form, links in the page's language), and helpers the page tests share."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from ecozone.workspace import secretary_common as common

from tests.workspace.conftest import Browser


def row_of(html: str, text: str) -> str:
    """The table row that names ``text``."""
    return next(row for row in re.findall(r"<tr>.*?</tr>", html, re.DOTALL) if text in row)


def shown(html: str) -> str:
    """The page's text without tags, entities decoded (for checking what a person reads)."""
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


async def post_form(browser: Browser, page_path: str, action: str, fields: dict[str, str]):
    """Open ``page_path`` and post ``fields`` with its CSRF token to ``action``."""
    page = await browser.get(page_path)
    assert page.status_code == 200, page.text[:500]
    return await browser.post(action, {"csrf": Browser.csrf(page.text), **fields})


@pytest.mark.parametrize("today, due_before", [
    (dt.date(2026, 12, 3), dt.date(2021, 12, 3)),
    (dt.date(2028, 2, 29), dt.date(2023, 2, 28)),  # no 29 February five years before
    (dt.date(2026, 1, 1), dt.date(2021, 1, 1)),
])
def test_a_standard_is_due_for_review_five_years_after_its_release(today, due_before):
    assert common.review_due_before(today) == due_before


@pytest.mark.parametrize("typed, value, problem", [
    ("", None, None), ("  ", None, None), ("30", 30, None), ("0", 0, None), ("999999", 999999, None),
    ("1000000", None, "secretary.not_a_number"), ("-3", None, "secretary.not_a_number"),
    ("3.5", None, "secretary.not_a_number"), ("三十", None, "secretary.not_a_number"),
])
def test_a_number_typed_in_a_form_is_named_when_it_is_not_one(typed, value, problem):
    problems: dict[str, str] = {}
    assert common.whole_number({"days": typed}, "days", problems) == value
    assert problems.get("days") == problem


@pytest.mark.parametrize("typed, value, problem", [
    ("2026-12-03", "2026-12-03", None), (" 2027-01-01 ", "2027-01-01", None),
    ("", None, "secretary.required"), ("2026-02-30", None, "secretary.not_a_date"),
    ("03/12/2026", None, "secretary.not_a_date"), ("tomorrow", None, "secretary.not_a_date"),
])
def test_a_date_typed_in_a_form_is_checked_before_asking(typed, value, problem):
    problems: dict[str, str] = {}
    assert common.a_date({"d": typed}, "d", problems) == value
    assert problems.get("d") == problem


@pytest.mark.parametrize("typed, problem", [("ADOPTED", None), ("adopted", "secretary.not_a_choice"),
                                            ("", "secretary.not_a_choice"), ("MAYBE", "secretary.not_a_choice")])
def test_a_choice_must_be_one_of_the_listed(typed, problem):
    problems: dict[str, str] = {}
    common.one_of({"decision": typed}, "decision", ("ADOPTED", "NOT_ADOPTED"), problems)
    assert problems.get("decision") == problem


def test_every_word_of_the_secretary_pages_is_in_both_languages():
    from ecozone.workspace.secretary import TEXTS
    for key, (zh, en) in TEXTS.items():
        assert key.startswith("secretary.") and zh.strip() and en.strip(), key


def test_every_secretary_document_is_valid_and_says_what_it_is_for():
    from ecozone.graphql.schema import build_schema
    from ecozone.workspace.page import DOCUMENTS
    from graphql import parse, validate
    schema = build_schema()._schema
    names = [name for name in DOCUMENTS if name.startswith("secretary_")]
    assert len(names) >= 30
    for name in names:
        assert DOCUMENTS[name].startswith("# "), name
        assert validate(schema, parse(DOCUMENTS[name])) == [], name


@pytest.mark.parametrize("typed, kept", [("  理由\x00 ", "理由"), ("\x00", ""), (None, "")])
def test_a_typed_field_is_trimmed_and_loses_its_nul(typed, kept):
    assert common.text({"reason": typed} if typed is not None else {}, "reason") == kept
    assert common.clean_id(typed) == kept
