"""The facts about enrolments and certificates that workflows need, past the viewer's rule.

Enrolments and certificates are seen by their person and the host zone's staff only
(``Enrolment.visible_to``, ``Certificate.visible_to``). A few workflows act for a viewer who may
not see the rows they depend on: a person withdrawing passes their seat to the first on the
waiting list (someone else's enrolment), anyone checks a certificate by its code. Each asks
here for exactly the fact it needs, through a statement over the table, which the data layer's
rule (for ORM entities) does not touch; these tables have no row-level security on PostgreSQL
(migration 0007: shared tables). Nothing here returns a row to the caller's viewer as an
object, and nothing else in the application may read these tables past the rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from ecozone.db.base import utcnow
from ecozone.talent import rules
from ecozone.talent.models import Certificate, Enrolment


@dataclass(frozen=True)
class Promotion:
    enrolment_id: int
    user_id: int  # to tell them; never shown to the person who withdrew


async def pass_seat_to_first_waiting(session: AsyncSession, session_id: int) -> Promotion | None:
    """Give a freed seat of ``session_id`` to the first on its waiting list (lowest position:
    FIFO), or None when nobody waits.

    Past the rule because the person who withdraws may not see the others' enrolments, yet
    their withdrawal decides who is next. The caller holds the session's row lock
    (``get_session(lock=True)``), so two withdrawals never promote the same person; the
    promoted person's id only goes to the notification."""
    enrolments = Enrolment.__table__
    waiting = (await session.execute(
        select(enrolments.c.wait_position, enrolments.c.id)
        .where(enrolments.c.session_id == session_id, enrolments.c.state == "waiting"))).all()
    promoted_id = rules.next_promoted([(position, id_) for position, id_ in waiting])
    if promoted_id is None:
        return None
    values = dict(state="enrolled", wait_position=None, changed_at=utcnow())
    user_id = (await session.execute(
        update(enrolments).where(enrolments.c.id == promoted_id).values(**values)
        .returning(enrolments.c.user_id))).scalar_one()
    # A session that holds the row as an object (an operator's, the demo's) sees the change too.
    held = session.identity_map.get(session.sync_session.identity_key(Enrolment, promoted_id))
    if held is not None:
        for name, value in values.items():
            set_committed_value(held, name, value)
    return Promotion(enrolment_id=promoted_id, user_id=user_id)


@dataclass(frozen=True)
class CertificateFacts:
    """What a public check of a code shows: never the holder's account or the certificate's id."""

    code: str
    programme_id: int
    issued_at: dt.datetime
    holder_name: str
    name_display: str
    holder_zone_id: int
    sessions_attended: int


async def certificate_by_code(session: AsyncSession, code: str) -> CertificateFacts | None:
    """The public facts of the certificate with this (canonical) code, or None.

    Past the rule because anyone, anonymous callers included, may check a code (75 random
    bits: knowing it is the permission); the certificate itself stays its holder's and the
    host's. The holder's name is masked by the caller as the holder chose."""
    certificates = Certificate.__table__
    row = (await session.execute(
        select(certificates.c.code, certificates.c.programme_id, certificates.c.issued_at,
               certificates.c.holder_name, certificates.c.name_display, certificates.c.zone_id,
               certificates.c.sessions_attended)
        .where(certificates.c.code == code))).first()
    if row is None:
        return None
    return CertificateFacts(code=row.code, programme_id=row.programme_id, issued_at=row.issued_at,
                            holder_name=row.holder_name, name_display=row.name_display,
                            holder_zone_id=row.zone_id, sessions_attended=row.sessions_attended)
