"""Pure rules of a consultation: period and deadline, comment fields, decisions, closing.

No database and no I/O. Dates are calendar dates in China time; comparisons are on whole
days, the deadline day itself included (“截止日期当天仍可提出意见”).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

from ecozone.errors import Conflict, DomainError, FieldError
from ecozone.workflow import StateMachine

STATES = ("open", "closed")
MACHINE = StateMachine(
    name_en="consultation", name_zh="征求意见",
    transitions={("open", "close"): "closed"},
    state_names_zh={"open": "征求意见中", "closed": "已结束"},
    action_names_zh={"close": "结束征求意见"})

MIN_DAYS, MAX_DAYS = 1, 180
DEFAULT_DAYS = 30

# decision -> (Chinese, English): the handling decisions of the comment summary table
DECISIONS: dict[str, tuple[str, str]] = {
    "adopted": ("采纳", "adopted"),
    "partly_adopted": ("部分采纳", "partly adopted"),
    "not_adopted": ("不采纳", "not adopted"),
}
REASON_REQUIRED = frozenset({"partly_adopted", "not_adopted"})

# field -> (GraphQL name, English label, Chinese label, max length, required)
COMMENT_FIELDS: dict[str, tuple[str, str, str, int, bool]] = {
    "clause": ("clause", "clause number", "章条编号", 50, True),
    "text": ("text", "comment", "意见内容", 5000, True),
    "proposer_unit": ("proposerUnit", "proposing unit", "提出单位", 200, True),
    "proposed_change": ("proposedChange", "proposed change", "建议修改内容", 5000, False),
}
MAX_REASON = 2000
TITLE_LIMITS = {"title_zh": ("titleZh", "Chinese title", "中文标题", 200),
                "title_en": ("titleEn", "English title", "英文标题", 300)}
MAX_ARTICLES = 200_000


class CommentLike(Protocol):
    seq: int
    decision: str | None
    withdrawn_at: Any


# ---------------------------------------------------------------------------- period

def days_errors(days: object) -> list[FieldError]:
    if not isinstance(days, int) or isinstance(days, bool) or not MIN_DAYS <= days <= MAX_DAYS:
        return [FieldError("days", "range",
                           f"the consultation period must be {MIN_DAYS}–{MAX_DAYS} days",
                           f"征求意见期限须为 {MIN_DAYS}–{MAX_DAYS} 天")]
    return []


def deadline_for(opened_on: dt.date, days: int) -> dt.date:
    """Opened on 1 March for 30 days: comments are accepted through 31 March."""
    return opened_on + dt.timedelta(days=days)


def days_left(deadline: dt.date, today: dt.date) -> int:
    """Days still open after today (0 on the deadline day, negative once past)."""
    return (deadline - today).days


def accepts_comments(state: str, deadline: dt.date, today: dt.date) -> bool:
    return state == "open" and today <= deadline


def comment_window_error(state: str, deadline: dt.date, today: dt.date) -> Conflict | None:
    """Why a comment cannot be posted (or edited) today, or None when it can.

    The deadline day itself is still allowed; the day after is not.
    """
    if state != "open":
        return Conflict("the consultation is closed: comments are no longer accepted",
                        "征求意见已结束，不再接受意见")
    if today > deadline:
        return Conflict(f"the consultation period ended on {deadline.isoformat()}",
                        f"征求意见已于 {deadline.isoformat()} 截止")
    return None


# ---------------------------------------------------------------------------- comment fields

def text_errors(limits: dict[str, tuple[Any, ...]], values: dict[str, object]) -> list[FieldError]:
    """Required and length checks of ``values`` (only the keys given) against ``limits``."""
    errors: list[FieldError] = []
    for key, value in values.items():
        field, en, zh, limit, *rest = limits[key]
        required = rest[0] if rest else True
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                errors.append(FieldError(field, "required", f"the {en} is required", f"{zh}不能为空"))
        elif not isinstance(value, str):
            errors.append(FieldError(field, "type", f"the {en} must be text", f"{zh}必须是文本"))
        elif len(value.strip()) > limit:
            errors.append(FieldError(field, "too_long",
                                     f"the {en} must be at most {limit} characters (got {len(value.strip())})",
                                     f"{zh}不能超过 {limit} 个字符（当前 {len(value.strip())} 个）"))
    return errors


def comment_errors(values: dict[str, object]) -> list[FieldError]:
    """Check the comment fields present in ``values`` (all four when posting)."""
    unknown = set(values) - set(COMMENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown comment fields {sorted(unknown)}")  # a bug, not input
    return text_errors(COMMENT_FIELDS, values)


# ---------------------------------------------------------------------------- decisions

def decision_errors(decision: str, reason: str | None) -> list[FieldError]:
    if decision not in DECISIONS:
        return [FieldError("decision", "choice",
                           f"the decision must be one of {', '.join(DECISIONS)}",
                           f"处理意见必须是：{'、'.join(zh for zh, _ in DECISIONS.values())}")]
    reason = (reason or "").strip()
    zh, en = DECISIONS[decision]
    if decision in REASON_REQUIRED and not reason:
        return [FieldError("reason", "required", f"say why the comment is {en}",
                           f"“{zh}”须说明理由")]
    if len(reason) > MAX_REASON:
        return [FieldError("reason", "too_long", f"the reason must be at most {MAX_REASON} characters",
                           f"理由不能超过 {MAX_REASON} 个字符")]
    return []


def handling_text(decision: str | None, reason: str | None) -> str:
    """处理意见 as the summary table shows it: 采纳 / 不采纳：<reason> …; '' when undecided."""
    if decision is None:
        return ""
    reason = (reason or "").strip()
    return f"{DECISIONS[decision][0]}：{reason}" if reason else DECISIONS[decision][0]


# ---------------------------------------------------------------------------- closing

def undecided(comments: Iterable[CommentLike]) -> list[CommentLike]:
    """Comments still waiting for a handling decision, by 序号 (withdrawn ones need none)."""
    return sorted((c for c in comments if c.decision is None and c.withdrawn_at is None),
                  key=lambda c: c.seq)


def closing_errors(state: str, comments: Iterable[CommentLike]) -> list[DomainError]:
    """Why the consultation cannot close now (empty when it can)."""
    try:
        MACHINE.advance(state, "close")
    except Conflict as exc:
        return [exc]
    waiting = undecided(comments)
    if waiting:
        n, first = len(waiting), waiting[0].seq
        return [Conflict(
            f"cannot close the consultation: {n} comment{'s' if n != 1 else ''} "
            f"{'are' if n != 1 else 'is'} still undecided (the first is No. {first})",
            f"尚有 {n} 条意见未处理（第一条为序号 {first}），不能结束征求意见")]
    return []
