"""Pure rules of the council (理事会章程; 管理办法 第七条): units, officers, meetings, votes.

No database and no I/O. Dates are calendar dates; every threshold is computed in integers
(“2/3以上” = 3·yes ≥ 2·base, the bound included), never with floats. Working-day counting for
agenda items lives in :mod:`ecozone.governance.working_days`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from stdnum.cn import uscc as _uscc

from ecozone.errors import Conflict, DomainError, FieldError, ValidationFailed
from ecozone.governance.votes import (  # noqa: F401
    MOTION_MACHINE,
    MOTION_STATES,
    QUORUM_VICE_CHAIRS,
    RESOLUTION_KIND_LABELS,
    RESOLUTION_KINDS,
    OutcomeMachine,
    Quorum,
    Tally,
    at_least_two_thirds,
    counted_motion_state,
    quorum,
    tally,
    tally_errors,
)
from ecozone.workflow import StateMachine


class CharterRefusal(Conflict):
    """A request the charter forbids; ``article_zh``/``article_en`` name the article applied."""

    code = "charter"

    def __init__(self, message_en: str, message_zh: str, *, article_zh: str, article_en: str):
        super().__init__(f"{message_en}; {article_en}", f"{message_zh}；{article_zh}")
        self.article_zh = article_zh
        self.article_en = article_en


def _counted(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _at_least_a_third(n: int) -> int:
    """The smallest count that is “1/3以上” of n: ceil(n/3) in integers."""
    return -(-n // 3)


# ---------------------------------------------------------------------------- member units (第十条, 第十四条)

UNIT_STATES = ("applicant", "active", "rejected", "exited")
UNIT_MACHINE = StateMachine(
    name_en="member unit", name_zh="成员单位",
    # A unit turned down or gone may apply again: its record (and history) is reopened.
    transitions={("applicant", "admit"): "active", ("applicant", "reject"): "rejected",
                 ("active", "exit"): "exited", ("rejected", "reapply"): "applicant",
                 ("exited", "reapply"): "applicant"},
    state_names_zh={"applicant": "申请中", "active": "成员单位", "rejected": "未获批准", "exited": "已退出"},
    action_names_zh={"admit": "批准加入", "reject": "不予批准", "exit": "退出", "reapply": "重新申请"})

# 第十条: legal entities (enterprises and public institutions), plus standardisation research bodies
# and industry standardisation organisations. type -> (Chinese, English)
UNIT_TYPES = ("enterprise", "institution", "standards_body", "industry_organisation")
UNIT_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "enterprise": ("企业", "Enterprise"),
    "institution": ("事业单位", "Public institution"),
    "standards_body": ("标准化研究机构", "Standardisation research body"),
    "industry_organisation": ("行业标准化技术组织", "Industry standardisation organisation"),
}

USCC_LENGTH = 18


def normalise_uscc(code: str) -> str:
    """The canonical form of a typed code: spaces and hyphens removed, upper-case."""
    return _uscc.compact(code)


def uscc_errors(code: str, field: str = "uscc") -> list[FieldError]:
    """Check a unified social credit code (统一社会信用代码, GB 32100): length, characters, check character."""
    if not isinstance(code, str) or not code.strip():
        return [FieldError(field, "required", "the unified social credit code is required",
                           "统一社会信用代码不能为空")]
    compact = normalise_uscc(code)
    if len(compact) != USCC_LENGTH:
        return [FieldError(field, "length",
                           f"a unified social credit code has {USCC_LENGTH} characters (got {len(compact)})",
                           f"统一社会信用代码应为 {USCC_LENGTH} 位（当前 {len(compact)} 位）")]
    try:
        _uscc.validate(compact)
    except _uscc.InvalidChecksum:
        return [FieldError(field, "checksum",
                           f"the check character of {compact} is wrong (expected "
                           f"{_uscc.calc_check_digit(compact[:-1])}): please check the code for a typo",
                           f"统一社会信用代码 {compact} 的校验码不正确（应为 "
                           f"{_uscc.calc_check_digit(compact[:-1])}），请核对是否输错")]
    except _uscc.ValidationError:
        return [FieldError(field, "format",
                           "a unified social credit code has 8 digits, then digits or capital letters "
                           "other than I, O, Z, S and V",
                           "统一社会信用代码前 8 位为数字，其余为数字或除 I、O、Z、S、V 以外的大写字母")]
    return []


def one_year_before(today: dt.date) -> dt.date:
    """The same month and day a year earlier; 29 February falls back to 28 February."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def inactive_since(last_activity_on: dt.date | None, joined_on: dt.date, today: dt.date) -> bool:
    """第十四条(一) “一年内未参加理事会任何活动”: no activity, and no joining, in the year before today.

    The day exactly one year before today still counts as within the year.
    """
    latest = max(joined_on, last_activity_on) if last_activity_on else joined_on
    return latest < one_year_before(today)


# ---------------------------------------------------------------------------- officers (第五条, 第七条, 第十五条)

OFFICES = ("chair", "vice_chair", "secretary_general", "base_director", "standing_director")
OFFICE_LABELS: dict[str, tuple[str, str]] = {
    "chair": ("理事长", "Chair"),
    "vice_chair": ("副理事长", "Vice-chair"),
    "secretary_general": ("秘书长", "Secretary-general"),
    "base_director": ("创新基地主任", "Base director"),
    "standing_director": ("常任理事", "Standing director"),
}
SEATS: dict[str, int | None] = {"chair": 1, "vice_chair": 5, "secretary_general": 1, "base_director": 1,
                                "standing_director": None}
# 办法第七条 “创新基地负责人由理事长1名，副理事长5名，创新基地主任1名，秘书长1名组成。负责人总数不超过理事单位数的1/3”:
# the four offices counted against one third of the member units. The base director is one of them.
LEADER_OFFICES = ("chair", "vice_chair", "base_director", "secretary_general")
# 章程第十八条(三): the general meeting elects and removes these four; standing directors are approved by
# the council (第五条 “报理事会审核批准”), at any of its meetings.
GENERAL_MEETING_OFFICES = LEADER_OFFICES
# 第十五条 is titled 理事长、副理事长任职资格: its age limit binds those two offices only.
AGE_LIMITED_OFFICES = ("chair", "vice_chair")
MAX_OFFICER_AGE = 70
TERM_YEARS = 3
EXPIRY_NOTICE_DAYS = 90


def anniversary(day: dt.date, years: int) -> dt.date:
    """The same month and day ``years`` later; 29 February's anniversary in a common year is 1 March
    (the day the 28 February is over, as completed ages are counted)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def term_end(term_start: dt.date) -> dt.date:
    """The last day of a 3-year term: the day before its third anniversary (29 Feb 2024 → 28 Feb 2027)."""
    return anniversary(term_start, TERM_YEARS) - dt.timedelta(days=1)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years (周岁) on ``day``; someone born on 29 February completes a year on 1 March
    in common years."""
    if day < birth_date:
        raise ValueError(f"{day} is before the birth date {birth_date}")  # a bug, not input
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def officer_errors(*, office: str, birth_date: dt.date | None, term_start: dt.date, serving_in_office: int,
                   serving_leaders: int, active_units: int) -> list[DomainError]:
    """Why the candidate cannot take ``office`` for the term starting ``term_start`` (empty when they can).

    ``serving_in_office``: officers already holding this office in that term; ``serving_leaders``:
    leaders (LEADER_OFFICES, the base director among them) already holding office in that term;
    ``active_units``: active member units. Every applicable refusal is returned, not just the first.
    """
    if office not in OFFICES:
        return [ValidationFailed(errors=[FieldError(
            "office", "choice", f"the office must be one of {', '.join(OFFICES)}",
            f"职务必须是：{'、'.join(zh for zh, _ in OFFICE_LABELS.values())}")])]
    zh, en = OFFICE_LABELS[office]
    errors: list[DomainError] = []

    seats = SEATS[office]
    if seats is not None and serving_in_office >= seats:
        errors.append(CharterRefusal(
            f"the council already has {_counted(serving_in_office, en.lower())}; it has "
            f"{_counted(seats, 'seat')} for this office",
            f"理事会已有{zh} {serving_in_office} 名，该职务共设 {seats} 名",
            article_zh="章程第五条", article_en="Council Charter, Article 5"))

    if office in AGE_LIMITED_OFFICES:
        if birth_date is None:
            errors.append(ValidationFailed(errors=[FieldError(
                "birthDate", "required", f"the birth date is needed to check the age limit of a {en.lower()}",
                f"{zh}须提供出生日期以核对任职年龄")]))
        elif birth_date >= term_start:
            errors.append(ValidationFailed(errors=[FieldError(
                "birthDate", "range", f"the birth date {birth_date.isoformat()} is not before the term start",
                f"出生日期 {birth_date.isoformat()} 不早于任期开始日期")]))
        else:
            last_day = term_end(term_start)
            age_at_end = age_on(birth_date, last_day)
            if age_at_end > MAX_OFFICER_AGE:
                errors.append(CharterRefusal(
                    f"a {en.lower()} may be at most {MAX_OFFICER_AGE} during the term; the candidate would be "
                    f"{age_at_end} on {last_day.isoformat()}, the last day of the term",
                    f"{zh}任职年龄不超过 {MAX_OFFICER_AGE} 周岁；候选人在任期最后一日 {last_day.isoformat()} "
                    f"将满 {age_at_end} 周岁",
                    article_zh="章程第十五条(三)", article_en="Council Charter, Article 15(3)"))

    if office in LEADER_OFFICES and 3 * (serving_leaders + 1) > active_units:
        after = serving_leaders + 1
        at_most = active_units // 3
        errors.append(CharterRefusal(
            f"{_counted(after, 'leader')} for {_counted(active_units, 'member unit')} would exceed one third "
            f"(at most {at_most})",
            f"负责人将达 {after} 名，超过理事单位数 {active_units} 的 1/3（最多 {at_most} 名）",
            article_zh="管理办法第七条", article_en="Management Measures, Article 7"))
    return errors


OFFICER_STANDINGS = ("elect", "serving", "ended")


def officer_standing(*, ended_by_decision: bool, term_start: dt.date, ended_on: dt.date | None,
                     today: dt.date) -> str:
    """Where an officer stands on ``today`` (China's date): "elect", "serving" or "ended".

    - ended: an end recorded by a decision (第七条), or the last day in office (``ended_on``) is past —
      a holder whose term ran out serves on until the day before the next term of the office starts;
    - elect: elected ahead of the term, which has not begun (the first day of the term is served);
    - serving otherwise, an expired term included until a successor's term begins.
    """
    if ended_by_decision or (ended_on is not None and ended_on < today):
        return "ended"
    if today < term_start:
        return "elect"
    return "serving"


def term_expiry(term_end: dt.date, today: dt.date, notice_days: int = EXPIRY_NOTICE_DAYS) -> tuple[str, int]:
    """("serving" | "expiring" | "expired", days_left).

    ``days_left`` counts the days after today still in the term: 0 on the last day, negative once past.
    "expiring" from ``notice_days`` days before the last day through the last day itself.
    """
    days_left = (term_end - today).days
    if days_left < 0:
        return "expired", days_left
    if days_left <= notice_days:
        return "expiring", days_left
    return "serving", days_left


# ---------------------------------------------------------------------------- meetings (第十八条, 第二十条, 第二十二条)

MEETING_KINDS = ("general", "ad_hoc")
MEETING_KIND_LABELS: dict[str, tuple[str, str]] = {
    "general": ("全体会议（理事大会）", "General meeting"),
    "ad_hoc": ("临时会议", "Ad hoc meeting"),
}
# A general meeting still missing for the current year is flagged from this (month, day) on.
CURRENT_YEAR_REMINDER_FROM = (10, 1)


def general_meeting_gap_years(years_with_general_meeting: Iterable[int], first_year: int,
                              today: dt.date) -> list[int]:
    """Past years (first_year … last year) without a general meeting, oldest first (第十八条)."""
    held = set(years_with_general_meeting)
    return [year for year in range(first_year, today.year) if year not in held]


def general_meeting_warning(years_with_general_meeting: Iterable[int], first_year: int,
                            today: dt.date) -> tuple[str, str] | None:
    """(zh, en) warning citing 第十八条, or None.

    Warns about every past year without a general meeting and, from 1 October on, about the
    current year when it has none yet (three months remain to call one).
    """
    held = set(years_with_general_meeting)
    gaps = general_meeting_gap_years(held, first_year, today)
    this_year_missing = (today.year >= first_year and today.year not in held
                         and (today.month, today.day) >= CURRENT_YEAR_REMINDER_FROM)
    if not gaps and not this_year_missing:
        return None
    zh_parts, en_parts = [], []
    if gaps:
        zh_parts.append(f"{'、'.join(str(y) for y in gaps)} 年未召开全体会议（理事大会）")
        en_parts.append(f"no general meeting was held in {', '.join(str(y) for y in gaps)}")
    if this_year_missing:
        zh_parts.append(f"{today.year} 年尚未召开全体会议")
        en_parts.append(f"{'none' if gaps else 'no general meeting'} has been held in {today.year} yet")
    en = "; ".join(en_parts)
    return ("；".join(zh_parts) + "。理事会每年至少召开一次全体会议（章程第十八条）",
            en[0].upper() + en[1:] + ". The council holds at least one general meeting a year "
            "(Council Charter, Article 18)")


def adhoc_proposal_errors(*, proposing_units: int, active_units: int, by_council: bool) -> list[DomainError]:
    """第二十条: an ad hoc meeting is called on the council's proposal or that of 1/3 or more of the units."""
    if by_council:
        return []
    if proposing_units < 0 or active_units < 0 or proposing_units > active_units:
        return [ValidationFailed(errors=[FieldError(
            "proposingUnits", "range",
            f"{proposing_units} proposing units is impossible with {active_units} active member units",
            f"提议单位数 {proposing_units} 与理事单位数 {active_units} 不符")])]
    needed = max(1, _at_least_a_third(active_units))
    if proposing_units < needed:
        return [CharterRefusal(
            f"{proposing_units} of {_counted(active_units, 'member unit')} proposed; an ad hoc meeting needs "
            f"the council or at least one third of the units ({needed})",
            f"{active_units} 家理事单位中 {proposing_units} 家提议；召开临时会议须经理事会或 1/3 以上"
            f"理事单位（至少 {needed} 家）提议",
            article_zh="章程第二十条", article_en="Council Charter, Article 20")]
    return []


VOTING_MODES = ("in_person", "written", "online")
VOTING_MODE_LABELS: dict[str, tuple[str, str]] = {
    "in_person": ("现场表决", "In person"),
    "written": ("书面表决", "Written vote"),
    "online": ("线上表决", "Online vote"),
}


def voting_mode_errors(mode: str, chair_approved: bool) -> list[DomainError]:
    """第二十二条: written or online voting only with the chair's approval."""
    if mode not in VOTING_MODES:
        return [ValidationFailed(errors=[FieldError(
            "votingMode", "choice", f"the voting mode must be one of {', '.join(VOTING_MODES)}",
            f"表决方式必须是：{'、'.join(zh for zh, _ in VOTING_MODE_LABELS.values())}")])]
    if mode != "in_person" and not chair_approved:
        zh, en = VOTING_MODE_LABELS[mode]
        return [CharterRefusal(
            f"{en.lower()} needs the chair's approval", f"采用{zh}须经理事长批准",
            article_zh="章程第二十二条", article_en="Council Charter, Article 22")]
    return []


# ---------------------------------------------------------------------------- meeting, motion, minutes

MEETING_MACHINE = StateMachine(
    name_en="council meeting", name_zh="理事会会议",
    transitions={("called", "open"): "in_session", ("called", "cancel"): "cancelled",
                 ("in_session", "close"): "closed"},
    state_names_zh={"called": "已召集", "in_session": "会议进行中", "cancelled": "已取消", "closed": "已闭会"},
    action_names_zh={"open": "开会", "cancel": "取消", "close": "闭会"})


# 第二十一条, 第三十条: minutes are archived; publishing discloses them, and published minutes are final.
MINUTES_MACHINE = StateMachine(
    name_en="minutes", name_zh="会议纪要",
    transitions={("draft", "publish"): "published"},
    state_names_zh={"draft": "草稿", "published": "已公开"},
    action_names_zh={"publish": "公开"})
