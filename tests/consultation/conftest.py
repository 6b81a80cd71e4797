"""Consultation API fixtures: the people of the tests and a calendar the tests can move."""

from __future__ import annotations

import datetime as dt

import pytest

from ecozone.consultation import service
from tests.consultation.client import Calendar, Consultations, add_people

START = dt.date(2026, 3, 2)


@pytest.fixture
def calendar(monkeypatch) -> Calendar:
    calendar = Calendar(START)
    monkeypatch.setattr(service, "today", lambda: calendar.today)
    return calendar


@pytest.fixture
async def consultations(api, calendar) -> Consultations:
    await add_people(api)
    return Consultations(api, calendar)
