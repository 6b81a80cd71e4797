"""The one fact about registrations a workflow needs past the viewer's rule.

A person who cancels their registration may not see the others' registrations
(``EventRegistration.visible_to``), yet their cancellation decides who takes the seat. The
statement below reads the table directly (the data layer's rule applies to ORM entities
only; the table has no row-level security: migration 0017) and returns no row to the viewer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from ecozone import seats
from ecozone.db.base import utcnow
from ecozone.events.models import EventRegistration


@dataclass(frozen=True)
class Promotion:
    registration_id: int
    user_id: int  # to tell them; never shown to the person who cancelled


async def pass_seat_to_first_waiting(session: AsyncSession, event_id: int) -> Promotion | None:
    """Give a freed seat of ``event_id`` to the first in its queue (FIFO), or None when nobody
    waits. The caller holds the event's row lock, so two cancellations never promote one person."""
    table = EventRegistration.__table__
    waiting = (await session.execute(
        select(table.c.wait_position, table.c.id)
        .where(table.c.event_id == event_id, table.c.state == "waiting"))).all()
    promoted_id = seats.next_promoted([(position, id_) for position, id_ in waiting])
    if promoted_id is None:
        return None
    values = dict(state="enrolled", wait_position=None, changed_at=utcnow())
    user_id = (await session.execute(
        update(table).where(table.c.id == promoted_id).values(**values)
        .returning(table.c.user_id))).scalar_one()
    held = session.identity_map.get(session.sync_session.identity_key(EventRegistration, promoted_id))
    if held is not None:
        for name, value in values.items():
            set_committed_value(held, name, value)
    return Promotion(registration_id=promoted_id, user_id=user_id)
