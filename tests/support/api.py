"""A small client for the GraphQL API, and test users with roles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from ecozone.auth.models import User
from ecozone.auth.tokens import issue_token
from ecozone.authz.models import RoleAssignment
from ecozone.settings import Settings
from ecozone.tenancy.models import Zone


@dataclass
class Api:
    client: httpx.AsyncClient
    settings: Settings
    operator_url: str
    users: dict[str, int] = field(default_factory=dict)
    _operator_engine: Any = None

    async def operator(self, work):
        """Run ``work(session)`` as the tables' owner, in a transaction of its own."""
        from ecozone.db.engine import create_engine, transaction
        from ecozone.db.scoping import Scope
        if self._operator_engine is None:
            self._operator_engine = create_engine(self.operator_url, pool_size=2)
        async with transaction(self._operator_engine, Scope.system()) as session:
            return await work(session)

    async def close(self) -> None:
        if self._operator_engine is not None:
            await self._operator_engine.dispose()

    def token(self, username: str, **kwargs) -> str:
        return issue_token(self.settings, username, **kwargs)

    def headers(self, user: str | None = None, zone: str | None = None) -> dict[str, str]:
        headers = {"Accept": "application/graphql-response+json"}
        if user:
            headers["Authorization"] = f"Bearer {self.token(user)}"
        if zone:
            headers["X-Zone"] = zone
        return headers

    async def post(self, query: str, variables: dict | None = None, *, user: str | None = None,
                   zone: str | None = None) -> httpx.Response:
        return await self.client.post("/graphql", json={"query": query, "variables": variables},
                                      headers=self.headers(user, zone))

    async def sql_statements(self) -> float:
        """The app's SQL statement counter (``/metrics``): take it before and after a request."""
        body = (await self.client.get("/metrics")).text
        return float(re.search(r"^ecozone_sql_statements_total (\S+)$", body, re.MULTILINE).group(1))

    async def gql(self, query: str, variables: dict | None = None, *, user: str | None = None,
                  zone: str | None = None) -> dict[str, Any]:
        """Run an operation that must succeed at the GraphQL level; return ``data``."""
        response = await self.post(query, variables, user=user, zone=zone)
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def zone_refused(self, query: str, variables: dict | None = None, *, user: str,
                           zone: str) -> None:
        """``user`` may not act in ``zone`` at all (no home, no role there): refused with 403
        before anything runs (issue 13)."""
        response = await self.post(query, variables, user=user, zone=zone)
        assert response.status_code == 403, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == "ZONE_FORBIDDEN"

    async def add_user(self, username: str, zone: str, *roles: str, display_name: str | None = None
                       ) -> int:
        """Create a user (home zone ``zone``) holding ``roles`` there; returns the user id."""
        async def work(session):
            zone_row = await session.scalar(select(Zone).where(Zone.slug == zone))
            user = User(username=username, display_name=display_name or username,
                        home_zone_id=zone_row.id)
            session.add(user)
            await session.flush()
            session.add_all(RoleAssignment(zone_id=zone_row.id, user_id=user.id, role=r)
                            for r in roles)
            return user.id
        self.users[username] = await self.operator(work)
        return self.users[username]

    async def add_roles(self, username: str, zone: str, *roles: str) -> None:
        async def work(session):
            zone_row = await session.scalar(select(Zone).where(Zone.slug == zone))
            session.add_all(RoleAssignment(zone_id=zone_row.id, user_id=self.users[username], role=r)
                            for r in roles)
        await self.operator(work)


def gid(type_name: str, node_id: int) -> str:
    """The global ID the API shows for ``type_name`` ``node_id``."""
    from strawberry.relay import to_base64
    return to_base64(type_name, node_id)
