"""Pure rules of oversight (章程 第二十五条, 第二十六条). No database."""

from __future__ import annotations

import datetime as dt

from ecozone.errors import FieldError

# 第二十五条: outstanding work is commended (通报表彰和物质奖励); a breach of the integrity code leads to
# the removal of the council office (which itself is voted: 第七条, 第十八条(三)).
OUTCOMES = ("commended", "competent", "basically_competent", "not_competent", "removal_recommended")
OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "commended": ("优秀，予以通报表彰", "Outstanding: commended"),
    "competent": ("称职", "Competent"),
    "basically_competent": ("基本称职", "Basically competent"),
    "not_competent": ("不称职", "Not competent"),
    "removal_recommended": ("违反党风廉政建设守则，建议撤销职务", "Breach of the integrity code: removal recommended"),
}


def evaluation_errors(*, year: int, outcome: str, evaluated_on: dt.date, today: dt.date, term_start: dt.date,
                      last_day: dt.date | None) -> list[FieldError]:
    """A year is evaluated once it has begun, for an officer who held office in it, on a day within or after
    that year and not in the future."""
    errors = []
    if outcome not in OUTCOMES:
        errors.append(FieldError("outcome", "choice", f"the outcome is one of {', '.join(OUTCOMES)}", "考评结果无效"))
    if year > today.year:
        errors.append(FieldError("year", "future", f"{year} has not begun", f"{year} 年尚未开始"))
    elif not term_start.year <= year <= (last_day.year if last_day else year):
        errors.append(FieldError("year", "range", f"the officer did not hold office in {year}", f"该负责人 {year} 年未在任"))
    if evaluated_on > today or evaluated_on.year < year:
        errors.append(FieldError("evaluatedOn", "range", f"the evaluation is dated within or after {year}, not in the "
                                 "future", f"考评日期须在 {year} 年内或之后，且不晚于今天"))
    return errors


def third_party_errors(*, period_start: dt.date, period_end: dt.date, delivered_on: dt.date,
                       today: dt.date) -> list[FieldError]:
    errors = []
    if period_end < period_start:
        errors.append(FieldError("periodEnd", "range", "the period ends after it begins", "评估期间结束日期须晚于开始日期"))
    if delivered_on < period_start or delivered_on > today:
        errors.append(FieldError("deliveredOn", "range", "the report is delivered after the period begins and not in "
                                 "the future", "评估报告交付日期须在评估期间开始之后，且不晚于今天"))
    return errors


def report_errors(*, delivered_on: dt.date, meets_on: dt.date, meeting_state: str) -> list[FieldError]:
    """第二十六条: reported at a council meeting that was held (in session or closed) on or after delivery."""
    errors = []
    if meeting_state not in ("in_session", "closed"):
        errors.append(FieldError("meetingId", "not_held", "the meeting has not been held", "该会议尚未召开"))
    if meets_on < delivered_on:
        errors.append(FieldError("meetingId", "before", f"the meeting ({meets_on}) is before the report's delivery "
                                 f"({delivered_on})", f"会议日期（{meets_on}）早于评估报告交付日期（{delivered_on}）"))
    return errors
