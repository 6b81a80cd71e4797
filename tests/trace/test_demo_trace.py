"""The trace demo loads with `ecozone demo` (SQLite), through the real services: the chain of a
shop's pack reaches both gardens, a recall of the factory's blend finds the three shops."""

from __future__ import annotations

from ecozone.authz.actor import ANONYMOUS_ACTOR
from ecozone.db.engine import create_engine, transaction
from ecozone.db.migrate import upgrade
from ecozone.db.scoping import Scope
from ecozone.demo import load_demo
from ecozone.settings import PROJECT_ROOT
from ecozone.tenancy.service import sync_tenants
from ecozone.trace import chain
from ecozone.trace.models import TraceRecord
from sqlalchemy import func, select


async def test_demo_trace(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}"
    upgrade(url=url)
    engine = create_engine(url)
    try:
        async with transaction(engine, Scope.system()) as session:
            await sync_tenants(session, PROJECT_ROOT / "tenants")
            lines: list[str] = []
            await load_demo(session, progress=lines.append)
        assert any("7 trace enterprises, 13 trace records" in line for line in lines)
        async with transaction(engine, Scope.system()) as session:
            assert await session.scalar(select(func.count()).select_from(TraceRecord)) == 13
            sale = await session.scalar(select(TraceRecord).where(TraceRecord.record_key == "ZC-S-001"))
            origin = await chain.trace(session, ANONYMOUS_ACTOR, sale.code)
            assert len(origin.batches) == 4 and {e.enterprise.name_zh for e in origin.events} >= {
                "婺源云雾示范茶园", "浮梁瑶里生态茶园", "贵阳筑城茶铺"}
            blend = await session.scalar(select(TraceRecord.code).where(TraceRecord.record_key == "GD-P-001"))
            recall = await chain.recall(session, ANONYMOUS_ACTOR, blend)
            assert {e.name_zh for e in recall.sellers} == {"南昌滕阁茶庄", "九江庐峰茶行", "贵阳筑城茶铺"}
    finally:
        await engine.dispose()
