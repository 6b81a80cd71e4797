"""Public statistics of standards (办法 第十二条(三): results counted and shown live), anonymous.

What is public here, and why: the counts only, the same for every viewer.

- Released standards are public facts: how many are in force (``published``), withdrawn and
  superseded, and the ones in force by kind, zone, year of release and product category.
- Work in progress is counted too, by stage (10 proposal … 50 joint approval), as bare numbers:
  the portal shows that the base is working ("3 standards in drafting"); no title, zone of a
  single standard or person is shown, and a standard's project is public from its approval
  anyway. The rows themselves stay hidden by ``Standard.visible_to``; the counts read aliases of
  the plain tables so that everyone, anonymous or staff, gets the same numbers.

``year`` is the year of release for released standards and the year the work began (the
standard was created) for work in progress; ``zone`` is a participating zone (the lead
included), so a joint standard counts in each of its zones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, extract, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.errors import FieldError, raise_if_invalid
from ecozone.experts.rules import PRODUCT_CATEGORIES
from ecozone.standards import rules
from ecozone.standards.models import Standard, StandardZone
from ecozone.standards.search import YEAR_MAX, YEAR_MIN
from ecozone.tenancy.models import Zone

IN_PROGRESS = ("proposal", "drafting", "consultation", "review", "approval")
RELEASED = ("published", "withdrawn", "superseded")


@dataclass(frozen=True)
class StandardFigures:
    year: int | None
    zone: str | None
    published: int = 0  # in force now
    withdrawn: int = 0
    superseded: int = 0
    in_progress: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)  # every in-progress stage, 0 included
    by_kind: dict[str, int] = field(default_factory=dict)  # in force
    by_zone: dict[int, int] = field(default_factory=dict)  # zone id → in force there
    by_year: dict[int, int] = field(default_factory=dict)  # year of release → in force
    by_category: dict[str, int] = field(default_factory=dict)  # in force, with a category


async def standard_statistics(session: AsyncSession, *, year: int | None = None,
                              zone: str | None = None) -> StandardFigures:
    """Two GROUP BY statements: by state, kind, category and year; in force by zone."""
    errors = []
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        errors.append(FieldError("year", "range", f"year must be {YEAR_MIN}–{YEAR_MAX}",
                                 f"年份须在 {YEAR_MIN} 至 {YEAR_MAX} 之间"))
    zone_id = None
    if zone is not None:
        zone_id = await session.scalar(select(Zone.id).where(Zone.slug == zone))
        if zone_id is None:
            errors.append(FieldError("zone", "unknown", f"there is no zone {zone!r}",
                                     f"没有试验区“{zone}”"))
    raise_if_invalid(errors)

    s = Standard.__table__.alias("counted_standard")
    where = []
    if year is not None:
        where.append(or_(and_(s.c.state.in_(RELEASED), s.c.year == year),
                         and_(s.c.state.in_(IN_PROGRESS), extract("year", s.c.created_at) == year)))
    if zone_id is not None:
        entries = StandardZone.__table__.alias("counted_zone")
        where.append(exists().where(entries.c.standard_id == s.c.id, entries.c.zone_id == zone_id))
    rows = (await session.execute(
        select(s.c.state, s.c.kind, s.c.category, s.c.year, func.count())
        .where(*where).group_by(s.c.state, s.c.kind, s.c.category, s.c.year))).all()
    states, kinds, years, categories = Counter(), Counter(), Counter(), Counter()
    for state, kind, category, released, count in rows:
        states[state] += count
        if state == "published":
            kinds[kind] += count
            years[released] += count
            if category:
                categories[category] += count

    zones_of = StandardZone.__table__.alias("counted_entry")
    in_force = [s.c.state == "published", *where]
    if zone_id is not None:
        in_force.append(zones_of.c.zone_id == zone_id)
    by_zone = dict((await session.execute(
        select(zones_of.c.zone_id, func.count()).join(s, s.c.id == zones_of.c.standard_id)
        .where(*in_force).group_by(zones_of.c.zone_id))).all())

    return StandardFigures(
        year=year, zone=zone, published=states["published"], withdrawn=states["withdrawn"],
        superseded=states["superseded"], in_progress=sum(states[st] for st in IN_PROGRESS),
        by_stage={st: states[st] for st in IN_PROGRESS},
        by_kind={k: kinds[k] for k in rules.KINDS},
        by_zone=by_zone, by_year=dict(sorted(years.items())),
        by_category={c: categories[c] for c in PRODUCT_CATEGORIES if categories[c]})
