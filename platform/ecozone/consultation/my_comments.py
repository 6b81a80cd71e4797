"""The comments (意见) the signed-in viewer wrote, on every consultation, newest first.

Only the viewer's authorship is selected here; which comments the viewer may see is the data
layer's rule (Comment.visible_to: its author always sees it, whatever zone they act in and
whatever stage its subject moved on to), and row-level security again on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import false, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.authz.actor import Actor
from ecozone.consultation.models import Comment
from ecozone.db.pagination import Page, check_first
from ecozone.standards.search import keyset_page

NEWEST_FIRST = [(Comment.id, True)]


async def my_comments(session: AsyncSession, actor: Actor, *, first: int, after: str | None,
                      max_page_size: int = 100) -> Page[Comment]:
    """One page of the actor's own comments, withdrawn ones included (with their withdrawal
    time). Anonymous: an empty list. A bad ``first`` or a cursor this list did not return:
    ValidationFailed."""
    check_first(first, max_page_size)
    mine = Comment.author_id == actor.user_id if actor.signed_in else false()
    return await keyset_page(session, select(Comment).where(mine), NEWEST_FIRST, first=first,
                             after=after)
