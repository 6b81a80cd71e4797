"""Pure rules of resolutions carried out (章程 第九条(二), 第十三条(三), 第十六条(三)) and of a member
unit's yearly performance (第十四条(一)). No database, no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ecozone.errors import FieldError

TASK_STATES = ("open", "done")
RATINGS = ("good", "fair", "poor")
RATING_LABELS: dict[str, tuple[str, str]] = {
    "good": ("表现良好", "Good"),
    "fair": ("表现一般", "Fair"),
    "poor": ("表现较差", "Poor"),
}
MAX_TASK_YEARS = 3  # a task is due within the council's term of three years (第七条)


def task_errors(*, decided_on: dt.date, due_on: dt.date, today: dt.date, unit_given: bool,
                officer_given: bool) -> list[FieldError]:
    """Why a task cannot be assigned as asked: exactly one assignee, due no earlier than today nor the
    meeting that decided it, and within three years of that meeting."""
    errors = []
    if unit_given == officer_given:
        errors.append(FieldError("memberUnitId", "assignee", "give the task to one member unit or to one officer",
                                 "任务须指派给一家成员单位或一名负责人（二者选一）"))
    if due_on < max(today, decided_on):
        errors.append(FieldError("dueOn", "past", f"the due date {due_on} is before {max(today, decided_on)}",
                                 f"完成期限 {due_on} 早于 {max(today, decided_on)}"))
    latest = decided_on.replace(year=decided_on.year + MAX_TASK_YEARS) if (decided_on.month, decided_on.day) != (2, 29) \
        else dt.date(decided_on.year + MAX_TASK_YEARS, 2, 28)
    if due_on > latest:
        errors.append(FieldError("dueOn", "range", f"a task is due within {MAX_TASK_YEARS} years of the decision "
                                 f"(by {latest})", f"任务期限不得超过决议之日起 {MAX_TASK_YEARS} 年（{latest} 前）"))
    return errors


def is_overdue(*, state: str, due_on: dt.date, today: dt.date) -> bool:
    """An open task past its due date; the due date itself is still in time."""
    return state == "open" and due_on < today


def days_overdue(due_on: dt.date, today: dt.date) -> int:
    return max(0, (today - due_on).days)


def rating_errors(*, year: int, rating: str, joined_on: dt.date | None, today: dt.date) -> list[FieldError]:
    """A year's rating is given for a year the unit was a member in, up to the current one."""
    errors = []
    if rating not in RATINGS:
        errors.append(FieldError("rating", "choice", "the rating is good, fair or poor", "评价须为良好、一般或较差"))
    if year > today.year:
        errors.append(FieldError("year", "future", f"{year} has not begun", f"{year} 年尚未开始"))
    elif joined_on is not None and year < joined_on.year:
        errors.append(FieldError("year", "range", f"the unit joined in {joined_on.year}", f"该单位于 {joined_on.year} 年加入"))
    return errors


def poor_two_years_running(ratings: Mapping[int, str], today: dt.date) -> tuple[int, int] | None:
    """第十四条(一) “连续两年表现较差”: the latest two consecutive years rated poor, ending last year or this
    year (older runs are history, since answered), else None."""
    for year in (today.year, today.year - 1):
        if ratings.get(year) == "poor" and ratings.get(year - 1) == "poor":
            return year - 1, year
    return None
