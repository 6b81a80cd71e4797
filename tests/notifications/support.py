"""Helpers of the notification tests: actors, and notifications written as the operator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from sqlalchemy import select

from ecozone.authz.actor import Actor, system_actor
from ecozone.notifications.service import Message, notify
from ecozone.tenancy.models import Zone

WAIT = 10.0  # seconds an expected event may take; a missing one fails the test after this


def message(n: int = 1, *, subject_id: int | None = 42) -> Message:
    return Message(kind="standard.stage_changed", subject_type="standard", subject_id=subject_id,
                   title_en=f"Tea grading standard {n}: consultation opened",
                   title_zh=f"《茶叶分级标准 {n}》进入征求意见阶段",
                   body_en="Comments are open for 30 days.", body_zh="征求意见期 30 天。")


async def zone_ids(api) -> dict[str, int]:
    rows = await api.operator(lambda s: s.execute(select(Zone.slug, Zone.id)))
    return dict(rows.all())


def user_actor(user_id: int, zone_id: int, zone_slug: str = "jiangxi") -> Actor:
    return Actor(user_id=user_id, username=f"user{user_id}", home_zone_id=zone_id, zone_id=zone_id,
                 zone_slug=zone_slug)


async def notify_as_operator(api, user_ids: list[int], n: int = 1) -> list[int]:
    """Write notifications in an operator transaction (outside the API), like a CLI command."""
    async def work(session):
        rows = await notify(session, system_actor(), user_ids, message(n))
        return [r.id for r in rows]
    return await api.operator(work)


async def next_id(events: AsyncIterator[int], timeout: float = WAIT) -> int:
    return await asyncio.wait_for(anext(events), timeout)


async def wait_until(condition, timeout: float = WAIT) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.01)
