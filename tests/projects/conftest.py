"""Project API fixtures: the people of the tests and a calendar the tests can move."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.projects import service

from tests.projects.client import Calendar, Projects, add_people

START = dt.date(2026, 3, 2)


@pytest.fixture
def calendar(monkeypatch) -> Calendar:
    calendar = Calendar(START)
    monkeypatch.setattr(service, "local_today", lambda: calendar.today)
    return calendar


@pytest.fixture
async def projects(api, calendar) -> Projects:
    await add_people(api)
    return Projects(api, calendar)
