"""Stage 30: a standard's draft out for comments, through the consultation component.

The standard registers itself as a consultation subject: anyone signed in may comment on a
draft under consultation (征求意见稿), the drafting group and the lead zone's office decide on
each comment, and the lead office opens and closes the consultation.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.authz.actor import Actor
from ecozone.consultation import service as consultation
from ecozone.consultation.models import Consultation
from ecozone.consultation.subjects import register_subject
from ecozone.errors import Conflict
from ecozone.projects.models import Project
from ecozone.projects.service import people_concerned as project_people
from ecozone.standards.models import PUBLIC_STATES, Standard
from ecozone.standards.service import (get_standard, people_concerned, require_lead_zone,
                                       transition, versions)

SUBJECT = "standard"


class StandardSubject:
    node_type = "Standard"

    def visible_to(self, scope, subject_id):
        """A consultation on a standard is seen exactly when the standard is: public while it
        is stage 30 (or published), afterwards by the standard's people only."""
        return Standard.visible_id(scope, subject_id)

    async def is_public(self, session: AsyncSession, subject_id: int) -> bool:
        standard = await session.get(Standard, subject_id)
        return standard is not None and standard.state in PUBLIC_STATES

    async def can_open(self, session: AsyncSession, actor: Actor, subject_id: int) -> bool:
        standard = await session.get(Standard, subject_id)
        return (standard is not None and actor.zone_id == standard.lead_zone_id
                and actor.zone_staff)

    async def can_comment(self, session: AsyncSession, actor: Actor, subject_id: int) -> bool:
        return actor.signed_in and await session.get(Standard, subject_id) is not None

    async def can_decide(self, session: AsyncSession, actor: Actor, subject_id: int) -> bool:
        standard = await session.get(Standard, subject_id)
        if standard is None:
            return False
        if actor.zone_id == standard.lead_zone_id and actor.zone_staff:
            return True
        project = await session.get(Project, standard.project_id)
        return project is not None and actor.user_id in await project_people(session, project)

    async def people_to_notify(self, session: AsyncSession, subject_id: int) -> set[int]:
        standard = await session.get(Standard, subject_id)
        return await people_concerned(session, standard) if standard else set()

    async def title(self, session: AsyncSession, subject_id: int) -> tuple[str, str]:
        standard = await session.get(Standard, subject_id)
        return (f"《{standard.title_zh}》（征求意见稿）", f"{standard.title_en} (draft for comments)")


register_subject(SUBJECT, StandardSubject())


async def open_standard_consultation(session: AsyncSession, actor: Actor, *, standard_id: int,
                                     days: int | None = None) -> Standard:
    standard = await get_standard(session, standard_id)
    require_lead_zone(actor, standard, "manage")
    if standard.state == "drafting" and not await versions(session, standard_id):
        raise Conflict("add a draft before opening the consultation", "请先提交草案再征求意见")
    await transition(session, actor, standard, "open_consultation")
    await consultation.open_consultation(session, actor, subject_type=SUBJECT,
                                         subject_id=standard_id, zone_id=standard.lead_zone_id,
                                         days=days)
    return standard


async def close_standard_consultation(session: AsyncSession, actor: Actor, *, standard_id: int
                                      ) -> Standard:
    """Refused while any comment is undecided; then the standard goes to technical review."""
    standard = await get_standard(session, standard_id)
    require_lead_zone(actor, standard, "manage")
    current: Consultation | None = await consultation.consultation_for(session, SUBJECT, standard_id)
    if current is None or current.state != "open":
        raise Conflict("no consultation is open on this standard", "该标准没有正在进行的征求意见")
    await consultation.close_consultation(session, actor, consultation_id=current.id)
    return await transition(session, actor, standard, "close_consultation")
