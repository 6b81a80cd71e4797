"""Pure rules of the expert committee: terms and who is a member on a day. No database."""

from __future__ import annotations

import datetime as dt

from ecozone.errors import FieldError

MAX_TERM_YEARS = 3  # as the council's own term (章程 第七条); the committee's charter is the base's to adopt
SUBJECT_TYPES = ("standard", "project")


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)


def term_errors(*, term_start: dt.date, term_end: dt.date, decided_on: dt.date) -> list[FieldError]:
    """A term begins no earlier than the meeting that decided it, ends after it begins, and lasts at most
    three years (the day before the third anniversary)."""
    errors = []
    if term_start < decided_on:
        errors.append(FieldError("termStart", "range", f"the term begins on or after the decision ({decided_on})",
                                 f"聘期不得早于决议之日（{decided_on}）"))
    if term_end < term_start:
        errors.append(FieldError("termEnd", "range", "the term ends after it begins", "聘期结束日期须晚于开始日期"))
    elif term_end >= _years_later(term_start, MAX_TERM_YEARS):
        errors.append(FieldError("termEnd", "range", f"a term lasts at most {MAX_TERM_YEARS} years",
                                 f"聘期最长 {MAX_TERM_YEARS} 年"))
    return errors


def is_member_on(*, state: str, term_start: dt.date, term_end: dt.date, dismissed_on: dt.date | None,
                 day: dt.date) -> bool:
    """On the committee that day: within the term and not yet dismissed (the dismissal day is the last)."""
    if not term_start <= day <= term_end:
        return False
    return not (state == "dismissed" and dismissed_on is not None and day > dismissed_on)
