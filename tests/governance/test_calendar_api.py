"""The agenda deadline as a field, and a year's holiday arrangement loaded by the operator's CLI
(`ecozone calendar load FILE`, validated and audited), used through the HTTP API on both databases
(章程 第二十一条)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from ecozone.audit.models import AuditEntry
from ecozone.governance.models import CalendarYear
from sqlalchemy import select

from tests.governance.calendar_2027 import file_bytes
from tests.governance.council_client import (
    AGENDA,
    MEETING,
    call,
    seed_council,
    today,  # noqa: F401 - the frozen-clock fixture
)

D = dt.date


@pytest.fixture
async def council(api, today):  # noqa: F811 - the imported fixture
    return await seed_council(api)


def run_cli(api, monkeypatch, *argv: str) -> int:
    """``ecozone …`` in-process against the test's database (as the operator), on a thread of its own
    (the command runs its own event loop)."""
    import ecozone.cli
    monkeypatch.setattr(ecozone.cli, "get_settings", lambda: api.settings)
    return ecozone.cli.main(list(argv))


async def cli(api, monkeypatch, *argv: str) -> int:
    return await asyncio.to_thread(run_cli, api, monkeypatch, *argv)


async def submit(api, council, meeting_id: str) -> dict:
    return (await api.gql(AGENDA, {"input": {"meetingId": meeting_id, "titleZh": "春节后的议题", "titleEn": "Item"}},
                          user=council.reps[2], zone=council.zone))["submitCouncilAgendaItem"]


async def test_a_loaded_year_gives_the_deadline_across_its_holiday(api, council, today, tmp_path, monkeypatch, capsys):
    today.day = D(2026, 12, 21)
    meeting = await call(api, council, meets_on=D(2027, 2, 22))  # Monday after the (invented) Spring Festival
    assert meeting["lastAgendaSubmissionOn"] is None  # 2027 is neither installed nor loaded
    unknown = await submit(api, council, meeting["id"])
    assert unknown["__typename"] == "ValidationFailed" and unknown["fieldErrors"][0]["code"] == "calendar_unknown"

    good = tmp_path / "holidays-2027.json"
    good.write_bytes(file_bytes())
    assert await cli(api, monkeypatch, "calendar", "load", str(good)) == 0
    assert "2027: loaded" in capsys.readouterr().out

    shown = (await api.gql(MEETING, {"id": meeting["id"]}, user=council.reps[2], zone=council.zone))["councilMeeting"]
    assert shown["lastAgendaSubmissionOn"] == "2027-02-16"  # Sat 20 Feb is worked: 20, 19, 18, 17, 16 February
    today.day = D(2027, 2, 16)
    assert (await submit(api, council, meeting["id"]))["__typename"] == "CouncilAgendaItem"
    today.day = D(2027, 2, 17)
    late = await submit(api, council, meeting["id"])
    assert (late["__typename"], late["code"], late["meetsOn"], late["lastAllowedOn"]) == (
        "CouncilAgendaDeadlinePassed", "agenda_late", "2027-02-22", "2027-02-16")
    assert "2027-02-16" in late["messageZh"] and "第二十一条" in late["messageZh"]

    # audited, in the operator's (global) chain
    async def audit(session):
        return [(e.action, e.object_id, e.after["daysOff"]) for e in (await session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "calendar_year"))).all()]
    assert await api.operator(audit) == [("calendar.load", "2027", 12)]

    # loading it again (a corrected notice) replaces it, audited with the version before
    assert await cli(api, monkeypatch, "calendar", "load", str(good)) == 0
    assert "2027: replaced" in capsys.readouterr().out


async def test_a_malformed_file_is_refused_and_nothing_is_loaded(api, council, today, tmp_path, monkeypatch, capsys):
    today.day = D(2026, 12, 21)
    cases = {
        "holidays-2027.json": file_bytes(workdays=["2027-02-15"]),  # a Monday is no make-up day
        "broken-2027.json": b"{\"year\": 2027,",
        "holidays-2026.json": file_bytes(year=2026),               # the installed calendar has 2026
        "renamed-2028.json": file_bytes(),
    }
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        assert await cli(api, monkeypatch, "calendar", "load", str(path)) == 2, name
        err = capsys.readouterr().err
        assert "is not loaded" in err and "未导入" in err, err
    assert await cli(api, monkeypatch, "calendar", "load", str(tmp_path / "missing-2027.json")) == 2
    assert "cannot read" in capsys.readouterr().err

    async def rows(session):
        return (await session.scalars(select(CalendarYear))).all()
    assert await api.operator(rows) == []
    meeting = await call(api, council, meets_on=D(2027, 2, 22))
    assert meeting["lastAgendaSubmissionOn"] is None
