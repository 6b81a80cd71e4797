"""Per-zone talent statistics for one year, anonymous, each figure one GROUP BY query (counts of
enrolments and certificates over their tables: a number per zone, never a row)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.errors import FieldError, raise_if_invalid
from ecozone.experts.models import ExpertField, ExpertProfile
from ecozone.talent.models import (
    Certificate,
    Enrolment,
    TrainingProgramme,
    TrainingSession,
)
from ecozone.tenancy.models import Zone


@dataclass
class ZoneFigures:
    zone_id: int
    programmes: int = 0        # hosted, created in the year
    sessions: int = 0          # hosted, starting in the year
    enrolments: int = 0        # people of the zone holding a seat (not withdrawn), enrolled in the year
    completions: int = 0       # people of the zone who completed (a certificate), in the year
    certificates: int = 0      # issued by the zone's programmes, in the year
    experts_by_field: list[tuple[str, int]] = field(default_factory=list)  # verified, home zone


async def _grouped(session: AsyncSession, stmt) -> dict[int, int]:
    return {zone: count for zone, count in (await session.execute(stmt)).all()}


async def talent_statistics(session: AsyncSession, *, year: int) -> list[ZoneFigures]:
    raise_if_invalid([] if 2000 <= year <= 2100 else [FieldError("year", "range", "year must be 2000–2100",
                                                                 "年份须为 2000–2100")])
    programmes = await _grouped(session, select(TrainingProgramme.host_zone_id, func.count())
                                .where(extract("year", TrainingProgramme.created_at) == year)
                                .group_by(TrainingProgramme.host_zone_id))
    sessions = await _grouped(session, select(TrainingProgramme.host_zone_id, func.count())
                              .join(TrainingSession, TrainingSession.programme_id == TrainingProgramme.id)
                              .where(extract("year", TrainingSession.starts_at) == year)
                              .group_by(TrainingProgramme.host_zone_id))
    # Enrolments and certificates name people and are seen by few (Enrolment.visible_to,
    # Certificate.visible_to); the dashboards are anonymous, so these three figures count over
    # the tables, past the rule: only a number per zone leaves these queries, never a row.
    enrolment_rows, certificate_rows = Enrolment.__table__, Certificate.__table__
    enrolments = await _grouped(session, select(enrolment_rows.c.zone_id, func.count())
                                .where(extract("year", enrolment_rows.c.enrolled_at) == year,
                                       enrolment_rows.c.state == "enrolled")
                                .group_by(enrolment_rows.c.zone_id))
    completions = await _grouped(session, select(certificate_rows.c.zone_id, func.count())
                                 .where(extract("year", certificate_rows.c.issued_at) == year)
                                 .group_by(certificate_rows.c.zone_id))
    certificates = await _grouped(session, select(TrainingProgramme.host_zone_id, func.count())
                                  .join(certificate_rows,
                                        certificate_rows.c.programme_id == TrainingProgramme.id)
                                  .where(extract("year", certificate_rows.c.issued_at) == year)
                                  .group_by(TrainingProgramme.host_zone_id))
    # The data layer shows anonymous viewers verified profiles only: exactly what is counted.
    by_field: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for zone_id, name, count in (await session.execute(
            select(ExpertProfile.home_zone_id, ExpertField.name, func.count())
            .join(ExpertField, ExpertField.expert_id == ExpertProfile.id)
            .where(ExpertProfile.state == "verified")
            .group_by(ExpertProfile.home_zone_id, ExpertField.name)
            .order_by(ExpertProfile.home_zone_id, func.count().desc(), ExpertField.name))).all():
        by_field[zone_id].append((name, count))
    zone_ids = (await session.scalars(select(Zone.id).order_by(Zone.slug))).all()
    return [ZoneFigures(zone_id=z, programmes=programmes.get(z, 0), sessions=sessions.get(z, 0),
                        enrolments=enrolments.get(z, 0), completions=completions.get(z, 0),
                        certificates=certificates.get(z, 0), experts_by_field=by_field.get(z, []))
            for z in zone_ids]
