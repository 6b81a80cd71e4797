"""Today's date for council rules, in China where meetings and deadlines are set.

One place for the council's services to ask, and for tests to replace.
"""

from __future__ import annotations

import datetime as dt

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")  # no daylight saving


def today() -> dt.date:
    return dt.datetime.now(CHINA).date()
