"""The file of one year's official holiday arrangement, as an operator loads it (pure: no I/O).

A dated file per year, JSON, transcribing the State Council's notice (国务院办公厅关于 YYYY 年部分节假日
安排的通知)::

    {"year": 2027, "publishedOn": "2026-11-12", "source": "国办发明电〔2026〕N号",
     "holidays": [{"nameZh": "元旦", "nameEn": "New Year's Day", "days": ["2027-01-01"]}, ...],
     "workdays": ["2027-02-06", ...]}

``holidays`` lists every day off of each holiday (weekend days inside it included); ``workdays`` the
make-up working days (调休上班), which fall on a Saturday or a Sunday. Every problem is reported at once,
in English and Chinese, and nothing is loaded unless the whole file is right.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from ecozone.governance.working_days import FIRST_KNOWN_YEAR, LAST_KNOWN_YEAR, Arrangement

KEYS = ("year", "publishedOn", "source", "holidays", "workdays")
HOLIDAY_KEYS = ("nameZh", "nameEn", "days")
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_BYTES = 64 * 1024
MAX_HOLIDAYS = 20  # seven official holidays a year; room for extraordinary ones
MAX_DAYS_OFF = 60
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


@dataclass(frozen=True)
class Problem:
    where: str
    message_en: str
    message_zh: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message_en} / {self.message_zh}"


@dataclass
class CalendarFileInvalid(ValueError):
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


@dataclass(frozen=True)
class CalendarFile:
    arrangement: Arrangement
    published_on: dt.date
    source: str
    holidays: list[dict]  # as given, names and ISO days, for the record
    workdays: list[str]


def _date(value, where: str, problems: list[Problem]) -> dt.date | None:
    if not isinstance(value, str):
        problems.append(Problem(where, "a date is written YYYY-MM-DD", "日期应写作 YYYY-MM-DD"))
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(where, f"{value!r} is not a date YYYY-MM-DD", f"{value!r} 不是 YYYY-MM-DD 格式的日期"))
        return None


def _text(value, where: str, limit: int, problems: list[Problem]) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
        problems.append(Problem(where, f"text of 1–{limit} characters", f"须为 1–{limit} 个字符的文字"))
        return None
    return value.strip()


def parse_calendar_file(raw: bytes, *, filename: str, today: dt.date) -> CalendarFile:
    """The arrangement in ``raw`` (the file's bytes), or CalendarFileInvalid listing every problem."""
    problems: list[Problem] = []
    if len(raw) > MAX_BYTES:
        raise CalendarFileInvalid([Problem("file", f"larger than {MAX_BYTES // 1024} KiB: not a holiday arrangement",
                                           f"文件超过 {MAX_BYTES // 1024} KiB，不是节假日安排")])
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CalendarFileInvalid([Problem("file", f"not JSON in UTF-8 ({exc})", f"不是 UTF-8 编码的 JSON（{exc}）")]) from None
    if not isinstance(data, dict):
        raise CalendarFileInvalid([Problem("file", "the file holds one JSON object", "文件应为一个 JSON 对象")])
    unknown = sorted(set(data) - set(KEYS))
    missing = [k for k in KEYS if k not in data]
    if unknown:
        problems.append(Problem("file", f"unknown keys: {', '.join(unknown)}", f"无法识别的字段：{'、'.join(unknown)}"))
    if missing:
        problems.append(Problem("file", f"missing keys: {', '.join(missing)}", f"缺少字段：{'、'.join(missing)}"))
    if missing:
        raise CalendarFileInvalid(problems)

    year = data["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(Problem("year", f"a year from {MIN_YEAR} to {MAX_YEAR}", f"年份须在 {MIN_YEAR}–{MAX_YEAR} 之间"))
        raise CalendarFileInvalid(problems)
    if FIRST_KNOWN_YEAR <= year <= LAST_KNOWN_YEAR:
        problems.append(Problem("year", f"{year} is in the installed calendar ({FIRST_KNOWN_YEAR}–{LAST_KNOWN_YEAR}), "
                                "which is used for it: nothing to load",
                                f"已安装的日历已含 {year} 年（{FIRST_KNOWN_YEAR}–{LAST_KNOWN_YEAR}），无需导入"))
    named = {int(y) for y in YEAR_IN_NAME.findall(filename)}
    if named and year not in named:
        problems.append(Problem("year", f"the file is named for {', '.join(map(str, sorted(named)))} but holds {year}",
                                f"文件名标明 {'、'.join(map(str, sorted(named)))} 年，内容却是 {year} 年"))

    published_on = _date(data["publishedOn"], "publishedOn", problems)
    if published_on is not None:
        if published_on > today:
            problems.append(Problem("publishedOn", f"{published_on} is after today ({today})",
                                    f"{published_on} 晚于今天（{today}）"))
        if not year - 2 <= published_on.year <= year:
            problems.append(Problem("publishedOn", f"a notice for {year} is published in {year - 1} or {year}",
                                    f"{year} 年的安排应于 {year - 1} 年或 {year} 年公布"))
    source = _text(data["source"], "source", 300, problems)

    holidays, days_off = data["holidays"], set()
    if not isinstance(holidays, list) or not 1 <= len(holidays) <= MAX_HOLIDAYS:
        problems.append(Problem("holidays", f"a list of 1–{MAX_HOLIDAYS} holidays", f"须为 1–{MAX_HOLIDAYS} 个节假日的列表"))
        holidays = []
    for i, holiday in enumerate(holidays):
        where = f"holidays[{i}]"
        if not isinstance(holiday, dict) or set(holiday) != set(HOLIDAY_KEYS):
            problems.append(Problem(where, "each holiday has nameZh, nameEn and days", "每个节假日须有 nameZh、nameEn 和 days"))
            continue
        _text(holiday["nameZh"], f"{where}.nameZh", 50, problems)
        _text(holiday["nameEn"], f"{where}.nameEn", 100, problems)
        days = holiday["days"]
        if not isinstance(days, list) or not days:
            problems.append(Problem(f"{where}.days", "at least one day off", "至少一天"))
            continue
        for j, value in enumerate(days):
            day = _date(value, f"{where}.days[{j}]", problems)
            if day is None:
                continue
            if day.year != year:
                problems.append(Problem(f"{where}.days[{j}]", f"{day} is not in {year}", f"{day} 不在 {year} 年"))
            elif day in days_off:
                problems.append(Problem(f"{where}.days[{j}]", f"{day} is listed twice", f"{day} 重复列出"))
            days_off.add(day)
    if len(days_off) > MAX_DAYS_OFF:
        problems.append(Problem("holidays", f"{len(days_off)} days off: more than {MAX_DAYS_OFF}",
                                f"共 {len(days_off)} 天假期，超过 {MAX_DAYS_OFF} 天"))

    workdays_given, workdays = data["workdays"], set()
    if not isinstance(workdays_given, list):
        problems.append(Problem("workdays", "a list of dates (empty if none)", "须为日期列表（无调休时为空列表）"))
        workdays_given = []
    for j, value in enumerate(workdays_given):
        where = f"workdays[{j}]"
        day = _date(value, where, problems)
        if day is None:
            continue
        if day.year != year:
            problems.append(Problem(where, f"{day} is not in {year}", f"{day} 不在 {year} 年"))
        elif day.weekday() < 5:
            problems.append(Problem(where, f"{day} is a weekday: a make-up working day falls on a weekend",
                                    f"{day} 是工作日：调休上班日应为周六或周日"))
        elif day in days_off:
            problems.append(Problem(where, f"{day} is also listed as a day off", f"{day} 同时被列为假日"))
        elif day in workdays:
            problems.append(Problem(where, f"{day} is listed twice", f"{day} 重复列出"))
        workdays.add(day)

    if problems:
        raise CalendarFileInvalid(problems)
    return CalendarFile(arrangement=Arrangement(year=year, holidays=frozenset(days_off), workdays=frozenset(workdays)),
                        published_on=published_on, source=source,
                        holidays=[{"nameZh": h["nameZh"].strip(), "nameEn": h["nameEn"].strip(), "days": list(h["days"])}
                                  for h in holidays],
                        workdays=sorted(d.isoformat() for d in workdays))
