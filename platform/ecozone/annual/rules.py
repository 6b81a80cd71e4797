"""Pure rules of the annual work plan and the annual reports (办法 第六条(二)(三), 第十条(二)(三);
章程 第十八条(二)(四), 第三十条). No database, no I/O; "today" is a date in China (UTC+8).
"""

from __future__ import annotations

import datetime as dt

from ecozone.errors import FieldError
from ecozone.governance.rules import CharterRefusal
from ecozone.workflow import StateMachine

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
YEAR_MIN, YEAR_MAX = 2000, 2100

# A document (a plan or a report) is drafted by the office, put to one motion of a general
# meeting (submitted: its content is then frozen, what the members vote on), and adopted once
# that motion passed; when the motion failed, the office takes it back to draft.
DOCUMENT_STATES: dict[str, tuple[str, str]] = {
    "draft": ("草稿", "Draft"),
    "submitted": ("已提交理事大会审议", "Submitted to the general meeting"),
    "adopted": ("已通过", "Adopted"),
}
DOCUMENT_MACHINE = StateMachine(
    name_en="annual document", name_zh="年度文件",
    transitions={("draft", "submit"): "submitted", ("submitted", "adopt"): "adopted",
                 ("submitted", "withdraw"): "draft"},
    state_names_zh={s: zh for s, (zh, _en) in DOCUMENT_STATES.items()},
    action_names_zh={"submit": "提交审议", "adopt": "确认通过", "withdraw": "撤回修改"})

REPORT_KINDS: dict[str, tuple[str, str]] = {
    "work": ("年度工作报告", "Annual work report"),
    "financial": ("年度财务报告", "Annual financial report"),
}

# Progress of a plan item the office keeps; a project's item follows the project instead.
PROGRESS: dict[str, tuple[str, str]] = {
    "not_started": ("未开始", "Not started"),
    "in_progress": ("实施中", "In progress"),
    "done": ("已完成", "Done"),
    "dropped": ("已取消", "Dropped"),
}
# A project's state, read as the progress of its plan item (办法 第十至十二条).
PROJECT_PROGRESS: dict[str, str] = {
    "proposed": "not_started", "rejected": "dropped", "approved": "not_started",
    "public_notice": "not_started", "in_progress": "in_progress",
    "adjustment_requested": "in_progress", "terminated": "dropped",
    "closure_submitted": "in_progress", "closed": "done", "archived": "done",
}

PAST_YEAR_ARTICLE = ("《管理办法》第六条（二）：办公室编制年度工作计划并组织实施；往年计划已执行完毕，只读",
                     ("Measures, Article 6(2): the office draws up the year's work plan and carries it "
                      "out; the plan of a past year is closed, read-only"))
GENERAL_MEETING_ARTICLE = ("《理事会章程》第十八条（二）（四）：工作计划由理事大会决定，工作报告和财务报告由理事大会审议",
                           ("Council Charter, Article 18(2)(4): the general meeting decides the work plan "
                            "and reviews the work and financial reports"))


def china_today(now: dt.datetime) -> dt.date:
    """The date in China at the instant ``now`` (aware)."""
    return now.astimezone(CHINA).date()


def year_errors(year: int, field: str = "year") -> list[FieldError]:
    if YEAR_MIN <= year <= YEAR_MAX:
        return []
    return [FieldError(field, "range", f"the year is {YEAR_MIN}–{YEAR_MAX}", f"年份须为 {YEAR_MIN}–{YEAR_MAX}")]


def plan_year_errors(year: int, today: dt.date) -> list[FieldError]:
    """A plan is drawn up for this year or the next (a plan for next year is drafted in the autumn)."""
    errors = year_errors(year)
    if not errors and not today.year <= year <= today.year + 1:
        errors.append(FieldError("year", "range",
                                 f"a work plan is drawn up for {today.year} or {today.year + 1}",
                                 f"只能编制 {today.year} 年或 {today.year + 1} 年的工作计划"))
    return errors


def report_year_errors(year: int, today: dt.date) -> list[FieldError]:
    """A report looks back: on this year (while it runs) or an earlier one, never a future one."""
    errors = year_errors(year)
    if not errors and year > today.year:
        errors.append(FieldError("year", "future", f"a report covers {today.year} or an earlier year",
                                 f"报告只能针对 {today.year} 年或以前的年份"))
    return errors


def check_plan_writable(year: int, today: dt.date) -> None:
    """The plan of a past year is read-only: the year has ended in China (1 January, 00:00 CST)."""
    if year < today.year:
        raise CharterRefusal(
            f"the work plan of {year} is read-only: that year has ended",
            f"{year} 年度工作计划只读：该年度已结束",
            article_zh=PAST_YEAR_ARTICLE[0], article_en=PAST_YEAR_ARTICLE[1])


def item_progress(*, own_progress: str, project_state: str | None) -> str:
    """An item's progress: its project's when it is a project's, else what the office recorded."""
    if project_state is not None:
        return PROJECT_PROGRESS.get(project_state, "in_progress")
    return own_progress


def text_errors(values: dict[str, tuple[str | None, int, bool]]) -> list[FieldError]:
    """Each ``name: (value, max length, required)``: required and length checks, all at once."""
    errors: list[FieldError] = []
    for name, (value, limit, required) in values.items():
        value = (value or "").strip()
        if not value and required:
            errors.append(FieldError(name, "required", f"{name} is required", f"必须填写 {name}"))
        elif len(value) > limit:
            errors.append(FieldError(name, "length", f"{name}: at most {limit} characters",
                                     f"{name} 最多 {limit} 个字符"))
    return errors
