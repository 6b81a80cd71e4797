"""The actor of a request: who (user), where (acting zone) and as what (roles there)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ecozone.authz.enforcer import enforce
from ecozone.authz.models import STAFF_ROLES
from ecozone.db.scoping import Scope
from ecozone.observability import add_decision_time
from ecozone.settings import get_settings


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    username: str | None = None
    home_zone_id: int | None = None
    zone_id: int | None = None
    zone_slug: str | None = None
    roles: frozenset[str] = frozenset()
    policies_dir: Path = field(default_factory=lambda: get_settings().policies_dir)
    # The operator at the CLI: no user row, acts with the roles it is given.
    is_system: bool = False
    # An anonymous request's X-Zone: whose public data comes first. Never an acting zone.
    preferred_zone_id: int | None = None

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def zone_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def scope(self) -> Scope:
        return Scope(zone_id=self.zone_id, user_id=self.user_id, zone_staff=self.zone_staff)

    def can(self, obj: str, act: str) -> bool:
        subject = "system" if self.is_system else (
            f"user:{self.user_id}" if self.user_id is not None else None)
        started = time.perf_counter()
        allowed = enforce(self.policies_dir, subject=subject, zone_slug=self.zone_slug,
                          roles=self.roles, obj=obj, act=act)
        add_decision_time(time.perf_counter() - started)
        return allowed


ANONYMOUS_ACTOR = Actor()


def system_actor(zone_id: int | None = None, zone_slug: str | None = None) -> Actor:
    """The operator at the CLI: acts with every role in the zone it names."""
    return Actor(username="system", zone_id=zone_id, zone_slug=zone_slug,
                 roles=frozenset({"director", "secretary"}), is_system=True)
