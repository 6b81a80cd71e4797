"""Per-request context: the session (one transaction), the actor and the DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info as StrawberryInfo

from ecozone.authz.actor import Actor
from ecozone.graphql.loaders import Loaders
from ecozone.settings import Settings


@dataclass
class Context:
    session: AsyncSession
    actor: Actor
    settings: Settings
    request: Any = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.session)


Info = StrawberryInfo[Context, None]
