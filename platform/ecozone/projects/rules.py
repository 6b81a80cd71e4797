"""Pure rules of innovation projects (办法 第十至十二条): lifecycle, who acts, inputs, dates.

No database and no I/O: the service, the GraphQL layer and the tests share one truth.
Every refusal is a ``FieldError`` (or ``Conflict``) with its message in English and Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ecozone.errors import Conflict, FieldError
from ecozone.workflow import StateMachine

# ---------------------------------------------------------------------------- kinds, states

KINDS: dict[str, tuple[str, str]] = {
    "research_topic": ("课题研究", "Research topic"),
    "standard_development": ("标准研制", "Standard development"),
    "technical_exchange": ("技术交流", "Technical exchange"),
    "key_common": ("关键共性项目", "Key common project"),
}

STATES: dict[str, tuple[str, str]] = {
    "proposed": ("已申报", "Proposed"),
    "rejected": ("未通过", "Rejected"),
    "approved": ("已立项", "Approved"),
    "public_notice": ("公示中", "Public notice"),
    "in_progress": ("实施中", "In progress"),
    "adjustment_requested": ("申请调整", "Adjustment requested"),
    "terminated": ("已终止", "Terminated"),
    "closure_submitted": ("已提交结题", "Closure submitted"),
    "closed": ("已结题", "Closed"),
    "archived": ("已归档", "Archived"),
}
# From approval on, a project is on the portal for everyone (anonymous included). Listed
# explicitly so that a state added later stays private until someone decides otherwise.
PUBLIC_STATES = ("approved", "public_notice", "in_progress", "adjustment_requested",
                 "terminated", "closure_submitted", "closed", "archived")
PRIVATE_STATES = tuple(s for s in STATES if s not in PUBLIC_STATES)

ACTIONS: dict[str, tuple[str, str]] = {
    "approve": ("批准立项", "approve"),
    "reject": ("不予立项", "reject"),
    "open_notice": ("开始公示", "open the public notice of"),
    "start": ("启动实施", "start"),
    "request_adjustment": ("申请调整", "request an adjustment of"),
    "approve_adjustment": ("同意调整", "approve the adjustment of"),
    "refuse_adjustment": ("不同意调整", "refuse the adjustment of"),
    "terminate": ("终止", "terminate"),
    "submit_closure": ("提交结题报告", "submit the closure report of"),
    "pass_closure": ("通过结题验收", "pass the closure review of"),
    "return_closure": ("退回结题报告", "return the closure report of"),
    "archive": ("归档", "archive"),
}

LIFECYCLE = StateMachine(
    name_en="project", name_zh="创新项目",
    transitions={
        ("proposed", "approve"): "approved",
        ("proposed", "reject"): "rejected",
        ("approved", "open_notice"): "public_notice",
        ("public_notice", "start"): "in_progress",
        ("in_progress", "request_adjustment"): "adjustment_requested",
        ("adjustment_requested", "approve_adjustment"): "in_progress",
        ("adjustment_requested", "refuse_adjustment"): "terminated",
        ("in_progress", "terminate"): "terminated",
        ("in_progress", "submit_closure"): "closure_submitted",
        ("closure_submitted", "pass_closure"): "closed",
        ("closure_submitted", "return_closure"): "in_progress",
        ("closed", "archive"): "archived",
    },
    state_names_zh={s: zh for s, (zh, _en) in STATES.items()},
    action_names_zh={a: zh for a, (zh, _en) in ACTIONS.items()},
)

# Who may take each action, checked in the service right after the policy check.
STAFF = "staff"                    # secretary or director acting in the owning zone
PROPOSER_OR_LEADER = "proposer_or_leader"  # the proposer or a working-group leader
ACTOR_OF_ACTION: dict[str, str] = {
    "approve": STAFF, "reject": STAFF, "open_notice": STAFF, "start": STAFF,
    "request_adjustment": PROPOSER_OR_LEADER, "approve_adjustment": STAFF,
    "refuse_adjustment": STAFF, "terminate": STAFF, "submit_closure": PROPOSER_OR_LEADER,
    "pass_closure": STAFF, "return_closure": STAFF, "archive": STAFF,
}
# Refusals and stops must say why (办法: every transition records who, when, why).
REASON_REQUIRED = frozenset({"reject", "request_adjustment", "refuse_adjustment", "terminate",
                             "return_closure"})
# Actions that wait for the staff of the owning zone: they are told.
AWAITING_STAFF = frozenset({"request_adjustment", "submit_closure"})

# ---------------------------------------------------------------------------- working group

UNIT_ROLES = ("lead_unit", "participating_unit")
PERSON_ROLES = ("leader", "drafter", "member")
WORKING_GROUP_ROLES: dict[str, tuple[str, str]] = {
    "lead_unit": ("牵头单位", "Lead unit"),
    "participating_unit": ("参与单位", "Participating unit"),
    "leader": ("项目负责人", "Leader"),
    "drafter": ("主要起草人", "Drafter"),
    "member": ("成员", "Member"),
}
# The working group changes while the project is alive, not after it ended or was refused.
WORKING_GROUP_OPEN_STATES = frozenset({"proposed", "approved", "public_notice", "in_progress",
                                       "adjustment_requested", "closure_submitted"})
# Anyone signed in may ask to join while the project is announced or running (办法 第十一条).
JOIN_OPEN_STATES = frozenset({"public_notice", "in_progress"})
JOIN_STATUSES = ("pending", "accepted", "declined")

# ---------------------------------------------------------------------------- inputs

TITLE_ZH_MAX, TITLE_EN_MAX, UNIT_MAX = 200, 300, 200
SUMMARY_MAX, REASON_MAX, REPORT_MAX, MESSAGE_MAX = 5000, 2000, 50000, 2000


def _text(field: str, value: str | None, en: str, zh: str, limit: int, *, required: bool
          ) -> list[FieldError]:
    if value is None or not value.strip():
        return [FieldError(field, "required", f"{en} is required", f"{zh}不能为空")] \
            if required else []
    if len(value.strip()) > limit:
        return [FieldError(field, "too_long",
                           f"{en} must be at most {limit} characters (got {len(value.strip())})",
                           f"{zh}不能超过 {limit} 个字符（当前 {len(value.strip())} 个）")]
    return []


def validate_proposal(*, kind: str, title_zh: str | None, title_en: str | None,
                      summary: str | None, proposer_unit: str | None,
                      lead_unit: str | None) -> list[FieldError]:
    errors = [] if kind in KINDS else [FieldError(
        "kind", "choice", f"kind must be one of {', '.join(KINDS)}",
        f"项目类别必须是以下之一：{'、'.join(zh for zh, _ in KINDS.values())}")]
    errors += _text("titleZh", title_zh, "the Chinese title", "中文名称", TITLE_ZH_MAX, required=True)
    errors += _text("titleEn", title_en, "the English title", "英文名称", TITLE_EN_MAX, required=True)
    errors += _text("summary", summary, "the summary", "项目简介", SUMMARY_MAX, required=True)
    errors += _text("proposerUnit", proposer_unit, "the proposing unit", "申报单位", UNIT_MAX,
                    required=True)
    errors += _text("leadUnit", lead_unit, "the lead unit", "牵头单位", UNIT_MAX, required=False)
    return errors


def validate_transition_input(action: str, *, reason: str | None,
                              closure_report: str | None = None) -> list[FieldError]:
    """The reason (and, to submit a closure, the report) that ``action`` needs."""
    errors = _text("reason", reason, "the reason", "原因", REASON_MAX,
                   required=action in REASON_REQUIRED)
    if errors and errors[0].code == "required":
        en, zh = ACTIONS[action][1], ACTIONS[action][0]
        errors = [FieldError("reason", "required", f"say why you {en} the project",
                             f"请填写{zh}的原因")]
    if action == "submit_closure":
        errors += _text("closureReport", closure_report, "the closure report", "结题报告",
                        REPORT_MAX, required=True)
    return errors


def validate_join_request(*, unit_name: str | None, message: str | None) -> list[FieldError]:
    return (_text("unitName", unit_name, "the unit name", "单位名称", UNIT_MAX, required=True)
            + _text("note", message, "the message", "留言", MESSAGE_MAX, required=False))


def validate_member(*, role: str, unit_name: str | None, has_user: bool) -> list[FieldError]:
    """A unit row names a unit and no person; a person row names the person's account."""
    if role not in WORKING_GROUP_ROLES:
        return [FieldError("role", "choice", f"role must be one of {', '.join(WORKING_GROUP_ROLES)}",
                           f"角色必须是以下之一：{'、'.join(zh for zh, _ in WORKING_GROUP_ROLES.values())}")]
    errors = _text("unitName", unit_name, "the unit name", "单位名称", UNIT_MAX, required=True)
    if role in UNIT_ROLES and has_user:
        errors.append(FieldError("userId", "not_allowed", "a unit row names no person",
                                 "单位条目不能指定个人账户"))
    if role in PERSON_ROLES and not has_user:
        errors.append(FieldError("userId", "required", "name the person's user account",
                                 "请指定该人员的用户账户"))
    return errors


def shorten(text: str, limit: int = 120) -> str:
    """A title cut to fit a notification's title (which holds at most 300 characters)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


# ---------------------------------------------------------------------------- dates

def notice_end(today: dt.date, notice_days: int) -> dt.date:
    """The last day of a public notice opened ``today`` for ``notice_days`` days."""
    if notice_days < 1:
        raise ValueError(f"notice_days must be at least 1, got {notice_days}")  # tenant file bug
    return today + dt.timedelta(days=notice_days)


def check_notice_over(today: dt.date, notice_ends_on: dt.date | None) -> None:
    """A project starts only once its public notice has passed (the day after it ends)."""
    if notice_ends_on is None:  # cannot happen through open_notice; refuse rather than guess
        raise Conflict("the public notice has no end date", "公示没有截止日期")
    if today <= notice_ends_on:
        first_day = notice_ends_on + dt.timedelta(days=1)
        raise Conflict(
            f"the public notice runs until {notice_ends_on.isoformat()}: the project can start "
            f"from {first_day.isoformat()}",
            f"公示期至 {notice_ends_on.isoformat()} 结束，项目自 {first_day.isoformat()} 起方可启动实施")


# ---------------------------------------------------------------------------- statistics

@dataclass(frozen=True)
class CountGroup:
    """Public projects of one (kind, zone, state, year), as the GROUP BY query returns them."""

    kind: str
    zone_id: int
    zone_slug: str
    zone_name_zh: str
    zone_name_en: str
    state: str
    year: int
    count: int
    # Their outputs: standards published from these projects (each counted once, however
    # often revised; withdrawn ones included: they were published).
    standards_published: int = 0


@dataclass(frozen=True)
class Count:
    key: str
    name_zh: str
    name_en: str
    count: int


@dataclass(frozen=True)
class Statistics:
    total: int
    groups: list[CountGroup]
    by_kind: list[Count]
    by_zone: list[Count]
    by_state: list[Count]
    by_year: list[Count]
    standards_published: int = 0


def tally(groups: list[CountGroup]) -> Statistics:
    """Totals along each dimension; kinds and states in their declared order, all listed."""
    kinds, states, zones, years = Counter(), Counter(), Counter(), Counter()
    zone_names: dict[str, tuple[str, str]] = {}
    for g in groups:
        kinds[g.kind] += g.count
        states[g.state] += g.count
        zones[g.zone_slug] += g.count
        years[g.year] += g.count
        zone_names[g.zone_slug] = (g.zone_name_zh, g.zone_name_en)
    return Statistics(
        total=sum(g.count for g in groups), groups=list(groups),
        by_kind=[Count(k, *KINDS[k], kinds[k]) for k in KINDS],
        by_zone=[Count(z, *zone_names[z], zones[z]) for z in sorted(zones)],
        by_state=[Count(s, *STATES[s], states[s]) for s in PUBLIC_STATES],
        by_year=[Count(str(y), str(y), str(y), years[y]) for y in sorted(years)],
        standards_published=sum(g.standards_published for g in groups))
