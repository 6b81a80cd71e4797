"""Pure rules of joint meetings: recurrence (RFC 5545 RRULE), follow-up states, minutes.

A series is stored as its rule and expanded here, in the meeting's own time zone (a meeting
at 09:00 in Nanchang stays at 09:00 local time every year), into occurrences kept in UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from ecozone.workflow import StateMachine

# 办法 第四条(一): thematic meetings of the coordination mechanism; 第四条(八): regional meetings
# of the four zones' standardisation authorities and institute heads.
KINDS: dict[str, tuple[str, str]] = {
    "thematic": ("生态文明标准化工作专题会议", "thematic meeting of the coordination mechanism"),
    "regional": ("试验区标准化主管部门负责同志和标准化技术机构院（所）长会",
                 "regional meeting of the zones' standardisation authorities and institute heads"),
}

# Regular meetings (定期召开): monthly steps (quarterly = MONTHLY;INTERVAL=3) or yearly.
FREQUENCIES = {"MONTHLY": (1, 12), "YEARLY": (1, 5)}  # FREQ → allowed INTERVAL range
MAX_OCCURRENCES = 40          # ten years of quarterly meetings
MAX_SPAN_YEARS = 10           # UNTIL at most this far after the first meeting
MAX_RULE_LENGTH = 200
DURATION_MINUTES = (15, 3 * 24 * 60)  # a quarter of an hour to three days
# Parts of a rule that would make a meeting more often than monthly, or that we do not expand.
_REFUSED_PARTS = {"BYSECOND", "BYMINUTE", "BYHOUR", "BYWEEKNO", "BYYEARDAY", "BYSETPOS", "DTSTART",
                  "WKST"}
_ALLOWED_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYDAY"}
_PART = re.compile(r"^[A-Z]+=[A-Z0-9,+\-]+$")


@dataclass(frozen=True)
class Refusal:
    field: str
    code: str
    message_en: str
    message_zh: str


def time_zone_errors(name: str) -> list[Refusal]:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return [Refusal("timeZone", "choice", f"unknown time zone {name!r} (an IANA name such as Asia/Shanghai)",
                        f"未知时区 {name!r}（应为 IANA 名称，如 Asia/Shanghai）")]
    return []


def _bad(code: str, en: str, zh: str) -> list[Refusal]:
    return [Refusal("recurrence", code, en, zh)]


def recurrence_errors(rule: str | None) -> list[Refusal]:
    """What is wrong with an RRULE value (without ``RRULE:``); [] for none (a single meeting)."""
    if rule is None:
        return []
    if len(rule) > MAX_RULE_LENGTH:
        return _bad("length", f"at most {MAX_RULE_LENGTH} characters", f"最多 {MAX_RULE_LENGTH} 个字符")
    parts: dict[str, str] = {}
    for part in rule.split(";"):
        if not _PART.match(part):
            return _bad("format", f"not an RFC 5545 rule part: {part!r}", f"不是 RFC 5545 规则项：{part!r}")
        name, value = part.split("=", 1)
        if name in parts:
            return _bad("format", f"{name} given twice", f"{name} 重复")
        parts[name] = value
    refused = sorted(set(parts) & _REFUSED_PARTS) + sorted(set(parts) - _ALLOWED_PARTS - _REFUSED_PARTS)
    if refused:
        return _bad("unsupported", f"rule parts not accepted here: {', '.join(refused)}",
                    f"不接受的规则项：{'、'.join(refused)}")
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        return _bad("frequency", "FREQ must be MONTHLY (e.g. quarterly: INTERVAL=3) or YEARLY",
                    "FREQ 须为 MONTHLY（如每季度：INTERVAL=3）或 YEARLY")
    low, high = FREQUENCIES[freq]
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or not low <= int(interval) <= high:
        return _bad("interval", f"INTERVAL for {freq} must be {low}–{high}",
                    f"{freq} 的 INTERVAL 须为 {low}–{high}")
    if ("COUNT" in parts) == ("UNTIL" in parts):
        return _bad("unbounded", "give exactly one of COUNT or UNTIL: a series ends",
                    "COUNT 与 UNTIL 须且只能给出一个：系列会议须有终止")
    if "COUNT" in parts and (not parts["COUNT"].isdigit() or not 1 <= int(parts["COUNT"]) <= MAX_OCCURRENCES):
        return _bad("count", f"COUNT must be 1–{MAX_OCCURRENCES}", f"COUNT 须为 1–{MAX_OCCURRENCES}")
    if "UNTIL" in parts and not re.fullmatch(r"\d{8}T\d{6}Z", parts["UNTIL"]):
        return _bad("until", "UNTIL must be a UTC time such as 20301231T160000Z",
                    "UNTIL 须为 UTC 时间，如 20301231T160000Z")
    return []


def occurrences(rule: str | None, first_start: dt.datetime, time_zone: str) -> list[dt.datetime]:
    """The starts of a series in UTC: expanded in ``time_zone`` from ``first_start``.

    Raises ValueError (a refusal for the caller) when the rule yields no meeting, more than
    MAX_OCCURRENCES, or meetings past MAX_SPAN_YEARS; call recurrence_errors first."""
    zone = ZoneInfo(time_zone)
    start = first_start.astimezone(zone)
    if rule is None:
        return [start.astimezone(dt.UTC)]
    try:
        expanded = rrulestr(rule, dtstart=start, forceset=False)
        starts = []
        for occurrence in expanded:
            starts.append(occurrence)
            if len(starts) > MAX_OCCURRENCES:
                break
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. BYMONTHDAY=32
        raise RecurrenceError("format", f"the rule cannot be expanded: {exc}",
                              "规则无法展开，请检查各规则项的取值") from exc
    if not starts:
        raise RecurrenceError("empty", "the rule yields no meeting (UNTIL before the first start?)",
                              "该规则不产生任何会议（UNTIL 早于首次会议？）")
    if len(starts) > MAX_OCCURRENCES:
        raise RecurrenceError("count", f"the rule yields more than {MAX_OCCURRENCES} meetings",
                              f"该规则产生的会议超过 {MAX_OCCURRENCES} 次")
    if starts[-1] > start + relativedelta(years=MAX_SPAN_YEARS):  # ten calendar years, bound included
        raise RecurrenceError("span", f"a series spans at most {MAX_SPAN_YEARS} years",
                              f"系列会议跨度最多 {MAX_SPAN_YEARS} 年")
    # The wall clock is kept in the zone; dateutil returns aware times there.
    return [s.replace(tzinfo=zone).astimezone(dt.UTC) if s.tzinfo is None else s.astimezone(dt.UTC)
            for s in starts]


class RecurrenceError(ValueError):
    def __init__(self, code: str, message_en: str, message_zh: str):
        super().__init__(message_en)
        self.refusal = Refusal("recurrence", code, message_en, message_zh)


def duration_errors(minutes: int) -> list[Refusal]:
    low, high = DURATION_MINUTES
    if not low <= minutes <= high:
        return [Refusal("durationMinutes", "range", f"a meeting lasts {low}–{high} minutes",
                        f"会议时长须为 {low}–{high} 分钟")]
    return []


# Follow-up items assigned to a zone: open until done or dropped; a done item may be reopened.
FOLLOW_UP = StateMachine(
    name_en="follow-up item", name_zh="会议议定事项",
    transitions={("open", "complete"): "done", ("open", "drop"): "dropped", ("done", "reopen"): "open",
                 ("dropped", "reopen"): "open"},
    state_names_zh={"open": "待办", "done": "已完成", "dropped": "已撤销"},
    action_names_zh={"complete": "标记完成", "drop": "撤销", "reopen": "重新打开"})
FOLLOW_UP_STATES = ("open", "done", "dropped")


def minutes_publish_errors(*, starts_at: dt.datetime, now: dt.datetime, summary: str | None,
                           published: bool) -> list[tuple[str, str, str]]:
    """(code, en, zh) why minutes cannot be published now; [] when they can."""
    if published:
        return [("published", "the minutes are already published", "会议纪要已公开")]
    if starts_at > now:
        return [("not_held", "a meeting's minutes are published after it has begun",
                 "会议开始之后才能公开会议纪要")]
    if not (summary or "").strip():
        return [("empty", "write the minutes' summary before publishing", "请先撰写会议纪要摘要再公开")]
    return []


def minutes_editable(*, published: bool) -> bool:
    """Published minutes are the public record: frozen (follow-up states still move)."""
    return not published


def attendance_allowed(*, starts_at: dt.datetime, now: dt.datetime) -> bool:
    """Attendance is a fact of a meeting that has begun."""
    return starts_at <= now
