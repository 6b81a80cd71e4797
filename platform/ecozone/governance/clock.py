"""Today's date for council rules, in China where meetings and deadlines are set.

One place for the council's services to ask, and for tests to replace.
"""

from __future__ import annotations

import datetime as dt

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")  # no daylight saving


def china_date(moment: dt.datetime) -> dt.date:
    """The calendar day in China at ``moment`` (an aware datetime): 16:00 UTC is the next day's midnight."""
    return moment.astimezone(CHINA).date()


def today() -> dt.date:
    return china_date(dt.datetime.now(dt.UTC))
