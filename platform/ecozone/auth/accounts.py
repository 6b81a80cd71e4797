"""The facts about accounts that writes need, past the viewer's ``User.visible_to``.

Accounts are private: an ORM query of ``User`` returns only the accounts the viewer may see.
A few writes name a person the writer is entitled to name without seeing their account (a
proposer adding a colleague to the working group by id): they ask here for exactly the fact
they need, through a select of the table, which the data layer's rule (for ORM entities)
does not touch. Nothing here returns an account's fields.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.auth.models import User


async def account_exists(session: AsyncSession, user_id: int) -> bool:
    """Whether ``user_id`` names an account (that a person has this id, not who they are)."""
    users = User.__table__
    return await session.scalar(select(users.c.id).where(users.c.id == user_id)) is not None
