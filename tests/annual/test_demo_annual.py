"""``ecozone demo`` loads the base's year in Jiangxi through the real services (fresh SQLite)."""

from __future__ import annotations

from ecozone.annual.models import AnnualPlan, AnnualReport, PlanItem
from ecozone.audit.models import AuditEntry
from ecozone.db.engine import create_engine, transaction
from ecozone.db.migrate import upgrade
from ecozone.db.scoping import Scope
from ecozone.demo import load_demo
from ecozone.funds.models import FundEntry
from ecozone.funds.rules import yuan_text
from ecozone.settings import PROJECT_ROOT
from ecozone.tenancy.models import Zone
from ecozone.tenancy.service import sync_tenants
from sqlalchemy import func, select


async def test_the_demo_year(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}"
    upgrade(url=url)
    engine = create_engine(url)
    messages: list[str] = []
    try:
        async with transaction(engine, Scope.system()) as session:
            await sync_tenants(session, PROJECT_ROOT / "tenants")
        async with transaction(engine, Scope.system()) as session:
            await load_demo(session, progress=messages.append)
        async with transaction(engine, Scope.system()) as session:
            jiangxi = await session.scalar(select(Zone.id).where(Zone.slug == "jiangxi"))
            plans = {p.year: p for p in (await session.scalars(select(AnnualPlan).where(
                AnnualPlan.zone_id == jiangxi))).all()}
            assert plans[2027].state == "submitted" and plans[2027].motion_id is not None
            assert plans[2026].state == "draft"
            sources = (await session.scalars(select(PlanItem.source).where(PlanItem.plan_id == plans[2026].id))).all()
            assert sources.count("office") == 3
            entries = (await session.scalars(select(FundEntry))).all()
            assert sorted(yuan_text(e.amount_fen) for e in entries) == [
                "123456.78", "1500000.00", "3000000.00", "50000.00", "86000.00"]
            assert {(r.year, r.kind, r.state) for r in (await session.scalars(select(AnnualReport))).all()} == {
                (2026, "work", "draft"), (2026, "financial", "draft")}
            audited = await session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action.in_(("funds.record_income", "funds.record_spending"))))
            assert audited == 5
    finally:
        await engine.dispose()
    assert any(m.startswith("annual: 2026 plan") for m in messages)
