"""Per-request DataLoaders: a list never costs one query per item.

``loaders.by_id(Model)`` and ``loaders.grouped(Model, "parent_id", order=...)`` create a loader
the first time a request asks for it and reuse it after; every query goes through the
request's session, so the data layer's zone and viewer scoping applies.

A list resolver may also load, for its whole page at once, what its nodes' fields will ask
for (``prefetch``); those fields then read the loaded values synchronously (``now_or_later``)
instead of each item awaiting a future: on a page of 100 that is hundreds of coroutines,
tasks and event-loop turns less (bench/RESULTS.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from ecozone.auth.models import User
from ecozone.experts.models import ConflictDeclaration, ExpertCategory, ExpertField
from ecozone.tenancy.models import Zone

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")


class Loaders:
    def __init__(self, session: AsyncSession):
        self.session = session
        self._loaders: dict[tuple, DataLoader] = {}
        # GraphQL objects built once per request and shared, e.g. the four zones of a page
        # of standards that name them 150 times.
        self.nodes: dict[tuple[str, Any], Any] = {}

    def by_id(self, model: type) -> DataLoader[int, Any]:
        key = ("by_id", model)
        if key not in self._loaders:
            async def load(ids: list[int]) -> list[Any]:
                rows = (await self.session.scalars(select(model).where(model.id.in_(ids)))).all()
                found = {row.id: row for row in rows}
                return [found.get(i) for i in ids]
            self._loaders[key] = DataLoader(load_fn=load)
        return self._loaders[key]

    def grouped(self, model: type, key_column: str, *, order: Iterable[Any] = (),
                where: Iterable[Any] = ()) -> DataLoader[int, list[Any]]:
        """Rows of ``model`` grouped by ``key_column``; one loader per (model, column, filter)."""
        order, where = tuple(order), tuple(where)
        key = ("grouped", model, key_column, tuple(str(c) for c in order + where))
        if key not in self._loaders:
            column = getattr(model, key_column)

            async def load(ids: list[int]) -> list[list[Any]]:
                stmt = select(model).where(column.in_(ids), *where).order_by(*order or (model.id,))
                groups: dict[int, list[Any]] = defaultdict(list)
                for row in (await self.session.scalars(stmt)).all():
                    groups[getattr(row, key_column)].append(row)
                return [groups.get(i, []) for i in ids]
            self._loaders[key] = DataLoader(load_fn=load)
        return self._loaders[key]

    def grouped_values(self, value_column: Any, key_column: Any, *, order: Iterable[Any] = ()
                       ) -> DataLoader[int, list[Any]]:
        """One column's values grouped by ``key_column``: a page's names or codes without an
        ORM object each. Only for tables that have no scoping rule of their own."""
        order = tuple(order)
        key = ("values", str(value_column), str(key_column), tuple(str(c) for c in order))
        if key not in self._loaders:
            async def load(ids: list[int]) -> list[list[Any]]:
                stmt = select(key_column, value_column).where(key_column.in_(ids)).order_by(*order)
                groups: dict[int, list[Any]] = defaultdict(list)
                for owner, value in (await self.session.execute(stmt)).all():
                    groups[owner].append(value)
                return [groups.get(i, []) for i in ids]
            self._loaders[key] = DataLoader(load_fn=load)
        return self._loaders[key]

    def custom(self, name: str, load_fn: Callable[[list[Any]], Any]) -> DataLoader:
        """A loader of the caller's own (e.g. a join that primes another loader), once per request."""
        key = ("custom", name)
        if key not in self._loaders:
            self._loaders[key] = DataLoader(load_fn=load_fn)
        return self._loaders[key]

    def counted(self, name: str, count_query: Callable[[list[int]], Select]) -> DataLoader[int, int]:
        """A count per key: ``count_query(keys)`` selects (key, count) rows, one GROUP BY query."""
        key = ("counted", name)
        if key not in self._loaders:
            async def load(ids: list[int]) -> list[int]:
                found = dict((await self.session.execute(count_query(ids))).all())
                return [found.get(i, 0) for i in ids]
            self._loaders[key] = DataLoader(load_fn=load)
        return self._loaders[key]

    # The loaders of the foundation, by name.
    @property
    def zone(self) -> DataLoader[int, Zone]:
        return self.by_id(Zone)

    @property
    def user(self) -> DataLoader[int, User]:
        return self.by_id(User)

    # Cached: a page of experts asks for these loaders hundreds of times.
    @cached_property
    def expert_fields(self) -> DataLoader[int, list[str]]:
        """Names of each expert's fields, in their order (fields have no scoping rule: they are
        reached only through a profile the viewer may see)."""
        return self.grouped_values(ExpertField.name, ExpertField.expert_id,
                                   order=(ExpertField.expert_id, ExpertField.position))

    @cached_property
    def expert_categories(self) -> DataLoader[int, list[str]]:
        """Category codes of each expert (no scoping rule of their own, as above)."""
        return self.grouped_values(ExpertCategory.category, ExpertCategory.expert_id,
                                   order=(ExpertCategory.expert_id, ExpertCategory.category))

    @property
    def expert_conflicts(self) -> DataLoader[int, list[ConflictDeclaration]]:
        return self.grouped(ConflictDeclaration, "expert_id", order=(ConflictDeclaration.id,),
                            where=(ConflictDeclaration.withdrawn_at.is_(None),))


def now_or_later(loader: DataLoader[K, V], key: K, then: Callable[[V], R]) -> R | Awaitable[R]:
    """``then(value)`` at once when ``loader`` already holds ``key``'s value, else an awaitable.

    For field resolvers written as plain functions: graphql-core awaits an awaitable that any
    resolver returns, so a field reads prefetched data synchronously and still loads (batched)
    when nothing was prefetched, e.g. for a node fetched by id.
    """
    future = loader.cache_map.get(key) if loader.cache else None
    if future is not None and future.done() and not future.cancelled() and future.exception() is None:
        return then(future.result())

    async def later() -> R:
        return then(await loader.load(key))
    return later()


# A page's prefetch plan: GraphQL field name of the node → (its loader, the loader's key of a row).
PrefetchPlan = Mapping[str, tuple[Callable[[], DataLoader], Callable[[Any], Any]]]


async def prefetch(requested: Iterable[str], rows: list[Any], plan: PrefetchPlan) -> None:
    """Load, for all ``rows`` of a page, what the ``requested`` node fields will read.

    One statement per loader, one after the other (they share the request's session), only
    for the fields asked for; a loader named by two fields (``versions``, ``latestVersion``)
    loads once.
    """
    wanted, loaded = set(requested), set()
    for field_name, (loader_of, key_of) in plan.items():
        if field_name not in wanted:
            continue
        loader = loader_of()
        if id(loader) in loaded:
            continue
        loaded.add(id(loader))
        keys = list(dict.fromkeys(k for k in map(key_of, rows) if k is not None))
        if keys:
            await loader.load_many(keys)
