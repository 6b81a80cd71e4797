"""The technical review panels (技术审查专家组) a person sits on: the standards whose panel holds
the signed-in viewer's expert profile, newest first, a page at a time.

Only the viewer's own seats are selected here; which standards, panels and profiles the viewer
may see is the data layer's rule (Standard.visible_to and its children, ExpertProfile.visible_to),
applied to this statement as to every other one, and row-level security again on PostgreSQL.
A panel's expert always sees the standard, whatever zone they act in (README "Who sees work in
progress"), so an expert's panels across zones are all listed."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.authz.actor import Actor
from ecozone.db.pagination import Page, check_first
from ecozone.experts.models import ExpertProfile
from ecozone.standards.models import PanelMember, Standard
from ecozone.standards.search import keyset_page

# Newest first: the standard's id (the CREATED order of ``standards``), descending.
NEWEST_FIRST = [(Standard.id, True)]


def _seats_of(actor: Actor) -> ColumnElement[bool]:
    """Standards whose panel holds the actor's expert profile; none for an anonymous viewer."""
    if not actor.signed_in:
        return false()
    seats = (select(PanelMember.standard_id)
             .join(ExpertProfile, ExpertProfile.id == PanelMember.expert_id)
             .where(ExpertProfile.user_id == actor.user_id))
    return Standard.id.in_(seats)


async def my_review_panels(session: AsyncSession, actor: Actor, *, state: str | None = None,
                           first: int, after: str | None, max_page_size: int = 100) -> Page[Standard]:
    """One page of the standards on whose review panel the actor sits (``state``: only those at
    that stage). Anonymous, or signed in without an expert profile: an empty list, not a
    refusal (as the viewer's other fields answer). A bad ``first`` or a cursor this list did
    not return: ValidationFailed, whoever asks."""
    check_first(first, max_page_size)
    stmt = select(Standard).where(_seats_of(actor))
    if state is not None:
        stmt = stmt.where(Standard.state == state)
    return await keyset_page(session, stmt, NEWEST_FIRST, first=first, after=after)
