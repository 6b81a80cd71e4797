"""Official holiday arrangements loaded as data (章程 第二十一条's working days), for the years the
installed ``chinesecalendar`` does not cover yet: the operator loads one file per year (``ecozone
calendar load FILE``, audited); the council's services read them for the years they count across.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.db.base import utcnow
from ecozone.governance import working_days
from ecozone.governance.calendar_file import CalendarFile, parse_calendar_file
from ecozone.governance.models import CalendarYear


def arrangement_of(row: CalendarYear) -> working_days.Arrangement:
    holidays = {dt.date.fromisoformat(day) for h in row.holidays for day in h["days"]}
    return working_days.Arrangement(year=row.year, holidays=frozenset(holidays),
                                    workdays=frozenset(dt.date.fromisoformat(d) for d in row.workdays))


async def loaded_years(session: AsyncSession, years: Iterable[int]) -> dict[int, working_days.Arrangement]:
    """The loaded arrangements among ``years`` (those the installed calendar covers are not asked for)."""
    wanted = {y for y in years if not working_days.FIRST_KNOWN_YEAR <= y <= working_days.LAST_KNOWN_YEAR}
    if not wanted:
        return {}
    rows = (await session.scalars(select(CalendarYear).where(CalendarYear.year.in_(wanted)))).all()
    return {row.year: arrangement_of(row) for row in rows}


async def for_meeting(session: AsyncSession, meets_on: dt.date) -> dict[int, working_days.Arrangement]:
    """What counting working days back from a meeting may need: its year and the one before."""
    return await loaded_years(session, (meets_on.year - 1, meets_on.year))


def _snapshot(row: CalendarYear) -> dict:
    return {"year": row.year, "publishedOn": row.published_on, "source": row.source, "sha256": row.sha256,
            "daysOff": sum(len(h["days"]) for h in row.holidays), "workdays": list(row.workdays)}


async def load_year(session: AsyncSession, actor: Actor, *, raw: bytes, filename: str,
                    today: dt.date) -> tuple[CalendarYear, bool]:
    """Validate and store one year's file (replacing a previous load of that year); audited.
    Returns the row and whether it replaced one. Raises CalendarFileInvalid, nothing stored."""
    parsed: CalendarFile = parse_calendar_file(raw, filename=filename, today=today)
    year = parsed.arrangement.year
    row = await session.scalar(select(CalendarYear).where(CalendarYear.year == year))
    before = _snapshot(row) if row is not None else None
    if row is None:
        row = CalendarYear(year=year)
        session.add(row)
    row.published_on, row.source = parsed.published_on, parsed.source
    row.holidays, row.workdays = parsed.holidays, parsed.workdays
    row.sha256, row.loaded_at = hashlib.sha256(raw).hexdigest(), utcnow()
    await session.flush()
    await record(session, actor, action="calendar.load", object_type="calendar_year", object_id=year,
                 before=before, after={**_snapshot(row), "file": filename})
    return row, before is not None
