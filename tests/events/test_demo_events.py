"""The cooperation demo (events, consulting, uptake) loads through the real services with
``ecozone demo`` (SQLite)."""

from __future__ import annotations

from ecozone.consulting.models import ConsultingAnswer, ConsultingRequest
from ecozone.db.engine import create_engine, transaction
from ecozone.db.migrate import upgrade
from ecozone.db.scoping import Scope
from ecozone.demo import load_demo
from ecozone.events.models import Event, EventRegistration, Venue, VenueBookingSlot
from ecozone.settings import PROJECT_ROOT
from ecozone.tenancy.service import sync_tenants
from ecozone.uptake.models import UptakeRecord
from sqlalchemy import func, select


async def test_demo_events_consulting_uptake(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}"
    upgrade(url=url)
    engine = create_engine(url)
    try:
        async with transaction(engine, Scope.system()) as session:
            await sync_tenants(session, PROJECT_ROOT / "tenants")
            lines: list[str] = []
            await load_demo(session, progress=lines.append)
        assert any(line.startswith("events: ") for line in lines), lines
        async with transaction(engine, Scope.system()) as session:
            assert await session.scalar(select(func.count()).select_from(Venue)) == 2
            event = await session.scalar(select(Event))
            assert (event.kind, event.capacity, event.enrolled_count) == ("lecture", 2, 2)
            states = sorted((await session.scalars(select(EventRegistration.state))).all())
            assert states == ["cancelled", "enrolled", "enrolled"]
            assert await session.scalar(select(func.count()).select_from(VenueBookingSlot)) == 8  # 4 hours
            request = await session.scalar(select(ConsultingRequest))
            assert (request.state, request.rating) == ("rated", 5)
            assert await session.scalar(select(func.count()).select_from(ConsultingAnswer)) == 1
            kinds = sorted((await session.scalars(select(UptakeRecord.kind))).all())
            assert kinds == ["application", "pilot"]
    finally:
        await engine.dispose()
