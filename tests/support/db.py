"""Test set-up that runs as the operator (the tables' owner), outside the API."""

from __future__ import annotations

from ecozone.db.engine import create_engine, transaction
from ecozone.db.scoping import Scope


async def run_as_operator(url: str, work):
    engine = create_engine(url)
    try:
        async with transaction(engine, Scope.system()) as session:
            return await work(session)
    finally:
        await engine.dispose()
