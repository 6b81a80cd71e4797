"""Per-request DataLoaders: a list never costs one query per item."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from ecozone.auth.models import User
from ecozone.experts.models import ConflictDeclaration, ExpertCategory, ExpertField
from ecozone.tenancy.models import Zone


def _by_id(model: type, session: AsyncSession) -> DataLoader[int, Any]:
    async def load(ids: list[int]) -> list[Any]:
        rows = (await session.scalars(select(model).where(model.id.in_(ids)))).all()
        found = {row.id: row for row in rows}
        return [found.get(i) for i in ids]
    return DataLoader(load_fn=load)


def _grouped(session: AsyncSession, model: type, key: str, order: Iterable[Any],
             where: Iterable[Any] = ()) -> DataLoader[int, list[Any]]:
    async def load(ids: list[int]) -> list[list[Any]]:
        column = getattr(model, key)
        stmt = select(model).where(column.in_(ids), *where).order_by(*order)
        groups: dict[int, list[Any]] = defaultdict(list)
        for row in (await session.scalars(stmt)).all():
            groups[getattr(row, key)].append(row)
        return [groups.get(i, []) for i in ids]
    return DataLoader(load_fn=load)


class Loaders:
    def __init__(self, session: AsyncSession):
        self.zone = _by_id(Zone, session)
        self.user = _by_id(User, session)
        self.expert_fields = _grouped(session, ExpertField, "expert_id",
                                      (ExpertField.expert_id, ExpertField.position))
        self.expert_categories = _grouped(session, ExpertCategory, "expert_id",
                                          (ExpertCategory.expert_id, ExpertCategory.category))
        self.expert_conflicts = _grouped(session, ConflictDeclaration, "expert_id",
                                         (ConflictDeclaration.id,),
                                         (ConflictDeclaration.withdrawn_at.is_(None),))
