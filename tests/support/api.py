"""A small client for the GraphQL API, and test users with roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from ecozone.auth.models import User
from ecozone.auth.tokens import issue_token
from ecozone.authz.models import RoleAssignment
from ecozone.settings import Settings
from ecozone.tenancy.models import Zone
from tests.support.db import run_as_operator


@dataclass
class Api:
    client: httpx.AsyncClient
    settings: Settings
    operator_url: str
    users: dict[str, int] = field(default_factory=dict)

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

    async def gql(self, query: str, variables: dict | None = None, *, user: str | None = None,
                  zone: str | None = None) -> dict[str, Any]:
        """Run an operation that must succeed at the GraphQL level; return ``data``."""
        response = await self.post(query, variables, user=user, zone=zone)
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

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
        self.users[username] = await run_as_operator(self.operator_url, work)
        return self.users[username]

    async def add_roles(self, username: str, zone: str, *roles: str) -> None:
        async def work(session):
            zone_row = await session.scalar(select(Zone).where(Zone.slug == zone))
            session.add_all(RoleAssignment(zone_id=zone_row.id, user_id=self.users[username], role=r)
                            for r in roles)
        await run_as_operator(self.operator_url, work)

    async def operator(self, work):
        return await run_as_operator(self.operator_url, work)


def gid(type_name: str, node_id: int) -> str:
    """The global ID the API shows for ``type_name`` ``node_id``."""
    from strawberry.relay import to_base64
    return to_base64(type_name, node_id)
