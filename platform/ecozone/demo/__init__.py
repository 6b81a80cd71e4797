"""``ecozone demo``: a small, realistic, invented data set for the four pilot zones.

Everything goes through the real services (role grants, expert profiles, verification,
chief experts, conflicts of interest), acting as the people who would do it in real use,
so that the rules apply and the audit log is written exactly as by the API.
The people are in ``ecozone.demo.people``; contact data and ORCID iDs are generated here from a
fixed seed, so two loads produce the same data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.models import AuditEntry
from ecozone.auth.models import User
from ecozone.authz.actor import Actor, system_actor
from ecozone.authz.models import RoleAssignment
from ecozone.authz.service import grant_role
from ecozone.db.scoping import Scope, apply_scope
from ecozone.demo.people import ZONES, ExpertSeed, ZoneSeed
from ecozone.errors import Conflict, NotFound
from ecozone.experts import rules, service
from ecozone.experts.models import ConflictDeclaration, ExpertProfile
from ecozone.tenancy.models import Zone

SEED = 20240601
EMAIL_DOMAIN = "example.org"
# Field visibility chosen by the experts, in turn: defaults, a public phone, a private
# e-mail, and so on (keys and values as in experts.presentation.DEFAULT_VISIBILITY).
VISIBILITY_CHOICES: tuple[dict[str, str], ...] = (
    {},
    {"phone": "public"},
    {"email": "private"},
    {"phone": "partners", "availability": "public"},
    {"orcid": "partners", "biography": "partners"},
    {"email": "public", "standardsAuthored": "partners"},
    {"email": "private", "phone": "private", "organisation": "partners"},
)
AVAILABILITY_CHOICES = ("available", "available", "limited", "available", "unavailable",
                        "available", "limited")


@dataclass
class DemoReport:
    summary: str
    try_users: list[tuple[str, str]] = field(default_factory=list)


def demo_orcid(rng: random.Random) -> str:
    """A checksum-valid ORCID iD that cannot belong to anyone.

    ORCID issues iDs from 0000-0001-5000-0007 upwards (and, since 2023, in 0009-…), so
    the block 0000-0000-… is never assigned: the demo cannot name a real researcher.
    """
    base = "00000000" + "".join(str(rng.randrange(10)) for _ in range(7))
    total = 0
    for digit in base:  # ISO 7064 MOD 11-2, as ORCID computes its check character
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    digits = base + ("X" if check == 10 else str(check))
    orcid = "-".join(digits[i:i + 4] for i in range(0, 16, 4))
    if rules.validate_orcid(orcid):  # the registry's own check must agree
        raise AssertionError(f"generated ORCID iD {orcid} fails validation")
    return orcid


def _standard(rng: random.Random, zone: Zone, kind: str, title: str) -> str:
    year = rng.randrange(2018, 2025)
    if kind == "T":
        return f"T/NTSIBJGE {rng.randrange(1, 60):03d}—{year} {title}"
    return f"{zone.standard_code} {rng.randrange(1000, 3000)}—{year} {title}"


def _email_local(name_zh: str) -> str:
    """"邹文斌" → "wenbin.zou" (given name first, as the expert would sign in English)."""
    surname, _, given = rules.name_pinyin(name_zh).partition(" ")
    return f"{given}.{surname}".lower()


def _name_en(name_zh: str) -> str:
    surname, _, given = rules.name_pinyin(name_zh).partition(" ")
    return f"{given} {surname}"


def _profile_data(rng: random.Random, zone: Zone, seed: ExpertSeed, number: int
                  ) -> dict[str, object]:
    """The input an expert would submit (GraphQL names), ``number`` counts all experts."""
    data: dict[str, object] = {
        "nameZh": seed.name_zh,
        "title": seed.title,
        "organisation": seed.organisation,
        "email": f"{_email_local(seed.name_zh)}@{EMAIL_DOMAIN}",
        # 1380000xxxx: a block used for examples, typed with spaces as people do
        "phone": f"138 0000 {number:04d}",
        "biography": seed.biography,
        "fields": list(seed.fields),
        "categories": list(seed.categories),
        "availability": AVAILABILITY_CHOICES[number % len(AVAILABILITY_CHOICES)],
        "standardsAuthored": [_standard(rng, zone, kind, title) for kind, title in seed.standards],
        "visibility": dict(VISIBILITY_CHOICES[number % len(VISIBILITY_CHOICES)]),
    }
    if rng.random() < 0.65:  # about two in three have an ORCID iD, and an English name
        data["orcid"] = demo_orcid(rng)
        data["nameEn"] = _name_en(seed.name_zh)
    return data


def _actor(user: User, zone: Zone, roles: frozenset[str] = frozenset()) -> Actor:
    return Actor(user_id=user.id, username=user.username, home_zone_id=zone.id, zone_id=zone.id,
                 zone_slug=zone.slug, roles=roles)


async def _load_zone(session: AsyncSession, rng: random.Random, zone: Zone, seed: ZoneSeed,
                     first_number: int) -> dict[str, int]:
    p = seed.prefix
    staff = [(f"{p}-director", seed.director, "director"),
             (f"{p}-secretary", seed.secretary, "secretary"),
             (f"{p}-member1", seed.members[0], "member"),
             (f"{p}-member2", seed.members[1], "member")]
    users = {username: User(username=username, display_name=name, home_zone_id=zone.id)
             for username, name, _ in staff}
    expert_users = [User(username=f"{p}-expert{i:02d}", display_name=e.name_zh,
                         home_zone_id=zone.id) for i, e in enumerate(seed.experts, start=1)]
    session.add_all([*users.values(), *expert_users])
    await session.flush()

    # The operator grants the staff roles, as `ecozone grant` does.
    await apply_scope(session, Scope(zone_id=zone.id, zone_staff=True))
    operator = system_actor(zone.id, zone.slug)
    for username, _, role in staff:
        await grant_role(session, operator, user_id=users[username].id, role=role)

    # Each expert registers and declares their conflicts of interest.
    profiles: list[ExpertProfile] = []
    conflicts = 0
    for n, (user, expert) in enumerate(zip(expert_users, seed.experts, strict=True)):
        actor = _actor(user, zone)
        await apply_scope(session, actor.scope)
        data = _profile_data(rng, zone, expert, first_number + n)
        profiles.append(await service.create_profile(session, actor, data=data))
        for unit, relation, note in expert.conflicts:
            await service.declare_conflict(session, actor, unit_name=unit, relation=relation,
                                           note=note)
            conflicts += 1

    # The zone's secretary verifies most, suspends one if the zone has to, names a chief.
    secretary = _actor(users[f"{p}-secretary"], zone, frozenset({"secretary"}))
    await apply_scope(session, secretary.scope)
    for i, profile in enumerate(profiles):
        if i not in seed.pending:
            await service.change_state(session, secretary, expert_id=profile.id, action="verify")
    if seed.suspended is not None:
        await service.change_state(session, secretary, expert_id=profiles[seed.suspended].id,
                                   action="suspend", reason=seed.suspend_reason)
    await service.designate_chief(session, secretary, expert_id=profiles[seed.chief].id,
                                  chief=True)
    await apply_scope(session, Scope.system())
    return {"users": len(users) + len(expert_users), "experts": len(profiles),
            "pending": len(seed.pending), "suspended": int(seed.suspended is not None),
            "conflicts": conflicts}


def _try_users(seeds: list[ZoneSeed], names: dict[str, str]) -> list[tuple[str, str]]:
    host = seeds[0]
    p, zone = host.prefix, names[host.slug]
    tries = [
        (f"{p}-director", f"director of {zone}: grant roles, verify experts, read the audit log"),
        (f"{p}-secretary", f"secretary of {zone}: verify, suspend and designate experts; "
                           "sees pending profiles and private fields"),
        (f"{p}-expert{host.chief + 1:02d}", f"chief expert of {zone}: edit own profile, "
                                            "declare conflicts of interest"),
        (f"{p}-expert{host.pending[0] + 1:02d}", f"pending expert of {zone}: the profile is "
                                                 "seen only by its owner and the zone's staff"),
        (f"{p}-member1", f"member of {zone}: signed-in view (partners-level fields)"),
    ]
    for seed in seeds:
        if seed.suspended is not None:
            tries.append((f"{seed.prefix}-secretary",
                          f"secretary of {names[seed.slug]}: re-verify the suspended expert "
                          f"{seed.prefix}-expert{seed.suspended + 1:02d}"))
            break
    return tries


async def _count(session: AsyncSession, stmt) -> int:
    return int(await session.scalar(stmt) or 0)


async def load_demo(session: AsyncSession, progress: Callable[[str], None] | None = None
                    ) -> DemoReport:
    """Load the demo data in the caller's operator transaction (``Scope.system()``)."""
    await apply_scope(session, Scope.system())
    zones = {z.slug: z for z in (await session.scalars(select(Zone))).all()}
    missing = [s.slug for s in ZONES if s.slug not in zones]
    if missing:
        raise NotFound(f"zones {', '.join(missing)} are missing: run `ecozone tenants sync` first",
                       f"缺少试验区 {'、'.join(missing)}：请先运行 `ecozone tenants sync`")
    taken = (await session.scalars(select(User.username).where(
        User.username.in_([f"{s.prefix}-director" for s in ZONES])).order_by(User.username))).all()
    if taken:
        raise Conflict(f"demo data is already loaded (user {taken[0]} exists)",
                       f"演示数据已加载（用户 {taken[0]} 已存在）")

    rng = random.Random(SEED)
    number = 1
    for seed in ZONES:
        zone = zones[seed.slug]
        counts = await _load_zone(session, rng, zone, seed, number)
        number += counts["experts"]
        if progress:
            verified = counts["experts"] - counts["pending"] - counts["suspended"]
            progress(f"{zone.slug} ({zone.name_zh}): {counts['users']} users, "
                     f"{counts['experts']} experts ({verified} verified, "
                     f"{counts['pending']} pending, {counts['suspended']} suspended, 1 chief), "
                     f"{counts['conflicts']} conflict{'' if counts['conflicts'] == 1 else 's'} "
                     "declared")
    others = sorted(set(zones) - {s.slug for s in ZONES})
    if others and progress:
        progress(f"no demo data for {', '.join(others)} (only the four founding zones have some)")

    from ecozone.catalogs.service import load_catalogs
    from ecozone.demo.workflow import load_workflow_demo
    workflow = await load_workflow_demo(session, progress=progress)
    from ecozone.demo.talent import load_talent_demo
    talent = await load_talent_demo(session, progress=progress)
    from ecozone.demo.council import load_council_demo
    council = await load_council_demo(session, progress=progress)
    from ecozone.demo.annual import load_annual_demo
    await load_annual_demo(session, progress=progress)
    from ecozone.demo.events import load_events_demo
    await load_events_demo(session, progress=progress)
    from ecozone.demo.cooperation import load_cooperation_demo
    await load_cooperation_demo(session, progress=progress)
    await apply_scope(session, Scope.system())
    catalogs = await load_catalogs(session)
    if progress:
        progress(f"traceability catalogs: {len(catalogs)} categories published")
    from ecozone.demo.trace import load_trace_demo
    await load_trace_demo(session, progress=progress)

    by_state = dict((await session.execute(select(ExpertProfile.state, func.count())
                                           .group_by(ExpertProfile.state))).all())
    experts = sum(by_state.values())
    chiefs = await _count(session, select(func.count()).where(ExpertProfile.is_chief.is_(True)))
    conflicts = await _count(session, select(func.count()).select_from(ConflictDeclaration))
    users = await _count(session, select(func.count()).select_from(User))
    roles = await _count(session, select(func.count()).select_from(RoleAssignment))
    audit = await _count(session, select(func.count()).select_from(AuditEntry))
    summary = (f"{len(ZONES)} zones, {users} users, {experts} experts "
               f"({by_state.get('verified', 0)} verified, {chiefs} chief, "
               f"{by_state.get('pending', 0)} pending, {by_state.get('suspended', 0)} suspended), "
               f"{roles} role assignments, {conflicts} conflicts, {workflow}, {talent}, {council}, {len(catalogs)} catalogs, "
               f"{audit} audit entries")
    return DemoReport(summary=summary,
                      try_users=_try_users(list(ZONES), {s: z.name_en for s, z in zones.items()}))
