"""The training demo loads through the real services on top of the base demo (SQLite)."""

from __future__ import annotations

from ecozone.db.engine import create_engine, transaction
from ecozone.db.migrate import upgrade
from ecozone.db.scoping import Scope
from ecozone.demo import load_demo
from ecozone.demo.talent import load_talent_demo
from ecozone.settings import PROJECT_ROOT
from ecozone.talent import rules
from ecozone.talent.models import (
    Certificate,
    Enrolment,
    TrainingProgramme,
    TrainingSession,
)
from ecozone.tenancy.service import sync_tenants
from sqlalchemy import func, select


async def test_demo_training(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}"
    upgrade(url=url)
    engine = create_engine(url)
    try:
        async with transaction(engine, Scope.system()) as session:
            await sync_tenants(session, PROJECT_ROOT / "tenants")
            await load_demo(session)
            lines: list[str] = []
            summary = await load_talent_demo(session, progress=lines.append)
        assert summary == ("1 training programme (2 sessions, 2 certificates), 1 training base, "
                           "1 chief-expert call")
        async with transaction(engine, Scope.system()) as session:
            # Only this call's programme: the base demo may load a training of its own one day.
            latest = await session.scalar(select(func.max(TrainingProgramme.id)))
            certificates = (await session.scalars(select(Certificate).where(
                Certificate.programme_id == latest))).all()
            assert sorted(c.name_display for c in certificates) == ["full", "masked"]
            assert all(rules.normalize_code(c.code) == c.code for c in certificates)
            states = sorted((await session.scalars(select(Enrolment.state).join(TrainingSession).where(
                TrainingSession.programme_id == latest))).all())
            assert states.count("waiting") == 1 and states.count("withdrawn") == 1
    finally:
        await engine.dispose()
