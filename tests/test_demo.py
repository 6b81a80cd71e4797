"""``ecozone demo``: the demo data set loads through the real services, on a fresh SQLite file.

Loaded once per module (about a second and a half); each test reads it in its own session.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecozone.audit.models import AuditEntry
from ecozone.audit.service import verify
from ecozone.auth.models import User
from ecozone.authz.actor import ANONYMOUS_ACTOR, Actor
from ecozone.authz.models import RoleAssignment
from ecozone.db.engine import create_engine, transaction
from ecozone.db.migrate import upgrade
from ecozone.db.scoping import Scope
from ecozone.demo import DemoReport, load_demo
from ecozone.errors import Conflict
from ecozone.experts import rules
from ecozone.experts.models import ConflictDeclaration, ExpertCategory, ExpertProfile
from ecozone.experts.presentation import visible_values
from ecozone.settings import PROJECT_ROOT
from ecozone.tenancy.models import Zone
from ecozone.tenancy.service import sync_tenants

ZONES = {"jiangxi": "jx", "guizhou": "gz", "fujian": "fj", "hainan": "hn"}


@dataclass
class Demo:
    url: str
    report: DemoReport
    progress: list[str]



async def _as(url: str, scope: Scope, work):
    engine = create_engine(url)
    try:
        async with transaction(engine, scope) as session:
            return await work(session)
    finally:
        await engine.dispose()


async def _fresh_demo(directory: Path) -> Demo:
    url = f"sqlite+aiosqlite:///{directory / 'demo.sqlite3'}"
    upgrade(url=url)
    await _as(url, Scope.system(), lambda s: sync_tenants(s, PROJECT_ROOT / "tenants"))
    messages: list[str] = []
    report = await _as(url, Scope.system(), lambda s: load_demo(s, progress=messages.append))
    return Demo(url, report, messages)


@pytest.fixture(scope="module")
async def demo(tmp_path_factory) -> Demo:
    return await _fresh_demo(tmp_path_factory.mktemp("demo"))


async def _experts(url: str, scope: Scope) -> list[ExpertProfile]:
    return await _as(url, scope,
                     lambda s: _all(s, select(ExpertProfile).order_by(ExpertProfile.id)))


async def _all(session, stmt):
    return list((await session.scalars(stmt)).all())


async def _execute_all(session, stmt):
    return (await session.execute(stmt)).all()


async def _zones(url: str) -> dict[str, Zone]:
    return {z.slug: z for z in await _as(url, Scope.system(), lambda s: _all(s, select(Zone)))}


async def test_report_and_progress(demo):
    assert "4 zones" in demo.report.summary and "\n" not in demo.report.summary
    assert [m.split(" ", 1)[0] for m in demo.progress[:len(ZONES)]] == list(ZONES)
    assert all(m.startswith(("standard ", "training ", "council: ", "traceability catalogs", "traceability: ",
                             "events: ", "joint meetings: ", "annual: "))
               for m in demo.progress[len(ZONES):])
    for domain in ("traceability: ", "events: ", "joint meetings: ", "annual: "):  # every later domain's data
        assert any(m.startswith(domain) for m in demo.progress), domain
    users = await _as(demo.url, Scope.system(), lambda s: _all(s, select(User.username)))
    for username, what in demo.report.try_users:
        assert username in users and what


async def test_experts_cover_every_zone_and_category(demo):
    experts = await _experts(demo.url, Scope.system())
    assert len(experts) >= 40
    zones = await _zones(demo.url)
    per_zone = Counter(e.home_zone_id for e in experts)
    assert all(per_zone[zones[slug].id] >= 10 for slug in ZONES)
    categories = await _as(demo.url, Scope.system(),
                           lambda s: _all(s, select(ExpertCategory.category).distinct()))
    assert set(categories) == set(rules.PRODUCT_CATEGORIES)
    for e in experts:
        assert e.name_zh and e.name_pinyin and e.title and e.organisation and e.biography
        assert e.availability in rules.AVAILABILITIES
    assert {e.availability for e in experts} == set(rules.AVAILABILITIES)
    assert any(e.standards_authored for e in experts)
    # Field visibility is mixed: some phones public, some e-mails private.
    assert any((e.visibility or {}).get("phone") == "public" for e in experts)
    assert any((e.visibility or {}).get("email") == "private" for e in experts)


async def test_every_zone_has_its_staff_and_members(demo):
    zones = await _zones(demo.url)

    async def roles(session):
        rows = await session.execute(select(RoleAssignment.zone_id, RoleAssignment.role,
                                            User.username, User.home_zone_id)
                                     .join(User, User.id == RoleAssignment.user_id))
        return rows.all()

    rows = await _as(demo.url, Scope.system(), roles)
    for slug, prefix in ZONES.items():
        zone_id = zones[slug].id
        held = {(r.username, r.role) for r in rows if r.zone_id == zone_id}
        assert {(f"{prefix}-director", "director"), (f"{prefix}-secretary", "secretary"),
                (f"{prefix}-member1", "member"), (f"{prefix}-member2", "member")} <= held
        assert all(r.home_zone_id == zone_id for r in rows if r.zone_id == zone_id)


async def test_states_chiefs_and_expert_roles(demo):
    experts = await _experts(demo.url, Scope.system())
    zones = await _zones(demo.url)
    for slug in ZONES:
        mine = [e for e in experts if e.home_zone_id == zones[slug].id]
        assert sum(e.state == "pending" for e in mine) == 2
        chiefs = [e for e in mine if e.is_chief]
        assert len(chiefs) == 1 and chiefs[0].state == "verified"
    suspended = [e for e in experts if e.state == "suspended"]
    assert len(suspended) == 1 and suspended[0].state_reason
    # A verified expert holds the expert role in their home zone, nobody else does.
    holders = await _as(demo.url, Scope.system(), lambda s: _all(
        s, select(RoleAssignment.user_id).where(RoleAssignment.role == "expert")))
    assert sorted(holders) == sorted(e.user_id for e in experts if e.state == "verified")
    conflicts = await _as(demo.url, Scope.system(),
                          lambda s: _all(s, select(ConflictDeclaration)))
    assert len(conflicts) >= 3
    assert {c.relation for c in conflicts} <= {"employer", "collaborator", "other"}


async def test_anonymous_sees_only_verified_experts(demo):
    everyone = await _experts(demo.url, Scope.system())
    anonymous = await _experts(demo.url, Scope())
    assert anonymous and all(e.state == "verified" for e in anonymous)
    assert len(anonymous) == sum(e.state == "verified" for e in everyone)
    # Field visibility: an anonymous reader sees a phone only where the expert made it public.
    for e in anonymous:
        shown = visible_values(e, ANONYMOUS_ACTOR)
        assert (shown["phone"] is not None) == ((e.visibility or {}).get("phone") == "public")
        assert shown["email"] is None or (e.visibility or {}).get("email") == "public"


async def test_staff_and_owners_see_pending_profiles_of_their_zone(demo):
    zones = await _zones(demo.url)
    everyone = await _experts(demo.url, Scope.system())
    jiangxi = zones["jiangxi"].id
    staff = await _experts(demo.url, Scope(zone_id=jiangxi, zone_staff=True))
    assert {e.id for e in staff} == {e.id for e in everyone
                                     if e.state == "verified" or e.home_zone_id == jiangxi}
    pending = next(e for e in everyone if e.state == "pending")
    own = await _experts(demo.url, Scope(zone_id=pending.home_zone_id, user_id=pending.user_id))
    assert pending.id in {e.id for e in own}
    assert all(e.state == "verified" for e in own if e.id != pending.id)
    # A signed-in reader sees partners-level fields (e-mail by default), never private ones.
    member = Actor(user_id=-1, zone_id=jiangxi, zone_slug="jiangxi")
    verified = [e for e in everyone if e.state == "verified"]
    for e in verified:
        shown = visible_values(e, member)
        assert (shown["email"] is None) == ((e.visibility or {}).get("email") == "private")


async def test_contacts_are_invented_and_orcids_valid(demo):
    experts = await _experts(demo.url, Scope.system())
    orcids = [e.orcid for e in experts if e.orcid]
    assert len(orcids) >= 10 and len(set(orcids)) == len(orcids)
    for orcid in orcids:
        assert rules.validate_orcid(orcid) == [] and rules.orcid_checksum_ok(orcid)
        assert orcid.startswith("0000-0000-")  # a block ORCID never issues
    for e in experts:
        assert e.phone is None or e.phone.startswith("+86 1380000")
        assert e.email is None or e.email.endswith(("@example.org", "@example.com.cn"))
    assert len({e.phone for e in experts}) == len(experts)


async def test_audit_chains_are_intact(demo):
    report = await _as(demo.url, Scope.system(), verify)
    assert report.broken is None
    # one chain per zone, plus the global one: the catalogs are base-wide, loaded by the operator
    assert report.chains == len(ZONES) + 1
    actions = dict(await _as(demo.url, Scope.system(), lambda s: _execute_all(
        s, select(AuditEntry.action, func.count()).group_by(AuditEntry.action))))
    experts = await _experts(demo.url, Scope.system())
    assert actions["role.grant"] == 4 * len(ZONES)
    assert actions["expert.create"] == len(experts)
    assert actions["expert.verify"] == sum(e.state != "pending" for e in experts)
    assert actions["expert.suspend"] == 1
    assert actions["expert.designate_chief"] == len(ZONES)
    assert actions["expert.declare_conflict"] >= 3


async def test_second_load_is_refused_and_changes_nothing(demo):
    before = await _as(demo.url, Scope.system(),
                       lambda s: s.scalar(select(func.count()).select_from(AuditEntry)))
    with pytest.raises(Conflict):
        await _as(demo.url, Scope.system(), load_demo)
    after = await _as(demo.url, Scope.system(),
                      lambda s: s.scalar(select(func.count()).select_from(AuditEntry)))
    assert before == after


async def test_same_data_every_time(demo, tmp_path):
    again = await _fresh_demo(tmp_path)

    def facts(experts):
        return [(e.name_zh, e.orcid, e.phone, e.email, e.standards_authored, e.availability,
                 e.visibility, e.state, e.is_chief) for e in experts]

    assert facts(await _experts(again.url, Scope.system())) == \
        facts(await _experts(demo.url, Scope.system()))
    assert again.report == demo.report


async def test_standards_at_every_stage_with_numbers(demo):
    from ecozone.standards.models import Standard
    from ecozone.standards.release import designations

    async def work(session):
        standards = list((await session.scalars(select(Standard).order_by(Standard.id))).all())
        return [(s.state, await designations(session, s)) for s in standards]
    rows = await _as(demo.url, Scope.system(), work)
    assert {state for state, _ in rows} >= {"proposal", "drafting", "consultation", "review",
                                            "approval", "published", "withdrawn"}
    published = [d for state, d in rows if state == "published"]
    year = published[0][0].split("—")[1]
    assert [f"DB36/T 1—{year}", f"DB35/T 1—{year}", f"DB52/T 1—{year}"] in published
    assert [f"T/NTSIBJGE 001—{year}"] in published


async def test_a_document_consultation_with_comments_by_article(demo):
    from ecozone.consultation.models import Comment, Consultation, ConsultedDocument

    async def work(session):
        consultation = await session.scalar(select(Consultation).where(Consultation.subject_type == "document"))
        document = await session.get(ConsultedDocument, consultation.subject_id)
        comments = await _all(session, select(Comment).where(Comment.consultation_id == consultation.id)
                              .order_by(Comment.seq))
        return consultation, document, comments

    consultation, document, comments = await _as(demo.url, Scope.system(), work)
    assert consultation.state == "open" and "征求意见稿" in document.title_zh
    assert [c.seq for c in comments] == [1, 2, 3, 4]
    assert all(c.clause.startswith("第") and c.clause in document.articles for c in comments)
    assert [c.decision for c in comments] == ["adopted", "partly_adopted", "adopted", None]
    assert len({c.author_id for c in comments}) == 4  # four zones answered


async def test_jiangxi_council_year_public_minutes_and_private_units(demo):
    from ecozone.governance import minutes
    from ecozone.governance.models import CouncilPublication, Meeting, MemberUnit, Motion, Officer

    assert "council: 22 member units, 9 officers, 2 meetings, 1 publication" in demo.report.summary
    zones = await _zones(demo.url)
    jiangxi = zones["jiangxi"]

    async def council(session):
        units = await _all(session, select(MemberUnit).order_by(MemberUnit.id))
        offices = Counter(await _all(session, select(Officer.office)))
        held = await _all(session, select(Meeting).order_by(Meeting.meets_on))
        counted = await _all(session, select(Motion).order_by(Motion.id))
        return units, offices, held, counted
    units, offices, held, counted = await _as(demo.url, Scope.system(), council)
    assert len(units) == 22 and {u.zone_id for u in units} == {jiangxi.id}
    assert [u.state for u in units].count("active") == 22
    assert {u.joined_on.isoformat() for u in units[:21]} == {"2025-01-06"}
    assert units[21].joined_on.isoformat() == "2025-12-16"  # admitted by the general meeting
    assert len({u.unit_type for u in units}) == 4
    assert offices == {"chair": 1, "vice_chair": 5, "secretary_general": 1, "standing_director": 2}
    assert [(m.meets_on.isoformat(), m.state, m.present_at_opening) for m in held] == \
        [("2025-12-16", "closed", 16), ("2026-12-15", "called", None)]
    # the 2025 meeting's two motions, and the 2027 work plan put to the 2026 meeting (demo/annual.py)
    assert [(m.kind, m.state, m.yes_count) for m in counted] == [("ordinary", "passed", 13),
                                                                  ("major", "passed", 15),
                                                                  ("ordinary", "proposed", None)]

    # the minutes are public: an anonymous reader finds them through the service
    page = await _as(demo.url, Scope(), lambda s: minutes.list_publications(s, ANONYMOUS_ACTOR, zone_slug="jiangxi"))
    [publication] = page.items
    assert publication.meets_on.isoformat() == "2025-12-16"
    assert publication.attendance == {"present": 16, "members": 21, "viceChairsPresent": 5}
    assert [r["passed"] for r in publication.resolutions] == [True, True]
    assert await _as(demo.url, Scope(), lambda s: _all(s, select(CouncilPublication.id))) == [publication.id]

    # the units are zone-private: Guizhou's staff see none, Jiangxi's see all of them
    guizhou_scope = Scope(zone_id=zones["guizhou"].id, zone_staff=True)
    assert await _as(demo.url, guizhou_scope, lambda s: _all(s, select(MemberUnit.id))) == []
    assert await _as(demo.url, Scope(), lambda s: _all(s, select(MemberUnit.id))) == []
    jiangxi_scope = Scope(zone_id=jiangxi.id, zone_staff=True)
    assert len(await _as(demo.url, jiangxi_scope, lambda s: _all(s, select(MemberUnit.id)))) == 22


async def test_the_story_holds_projects_follow_their_standards(demo):
    """A standard-development project is approved, on notice and started before its standard is
    worked on; the project of a published (or since withdrawn) standard is closed, never left
    APPROVED; every standard has a product category (the portals filter by it)."""
    from ecozone.projects.models import Project
    from ecozone.standards.models import Standard

    rows = await _as(demo.url, Scope.system(), lambda s: _execute_all(s, select(
        Standard.state, Standard.category, Project.state).join(Project, Project.id == Standard.project_id)))
    assert rows
    for standard_state, category, project_state in rows:
        assert category, standard_state
        assert project_state != "approved", (standard_state, project_state)
        if standard_state in ("published", "withdrawn", "superseded"):
            assert project_state == "closed", (standard_state, project_state)
        else:
            assert project_state == "in_progress", (standard_state, project_state)


async def test_every_event_sent_the_notifications_the_readme_promises(demo):
    """Every stage change of a standard and of a project notified the people concerned, and
    every verified or suspended expert was told (README: Notifications and subscriptions)."""
    from ecozone.notifications.models import Notification
    from ecozone.projects.models import ProjectEvent
    from ecozone.standards.models import StandardEvent

    async def facts(session):
        notes = (await session.execute(select(Notification.kind, Notification.subject_id,
                                              Notification.user_id))).all()
        standard_events = (await session.execute(select(StandardEvent.standard_id, StandardEvent.action)
                                                 .where(StandardEvent.action != "propose"))).all()
        project_events = (await session.execute(select(ProjectEvent.project_id, ProjectEvent.action))).all()
        experts = (await session.execute(select(ExpertProfile.id, ExpertProfile.user_id,
                                                ExpertProfile.state))).all()
        return notes, standard_events, project_events, experts
    notes, standard_events, project_events, experts = await _as(demo.url, Scope.system(), facts)
    by_kind = Counter((kind, subject) for kind, subject, _ in notes)
    told = {(kind, subject, user) for kind, subject, user in notes}
    stage_changes = Counter(sid for sid, _ in standard_events)
    for standard_id, changes in stage_changes.items():
        assert by_kind[("standard.stage_changed", standard_id)] >= changes, standard_id
    project_changes = Counter(pid for pid, action in project_events if action != "propose")
    for project_id, changes in project_changes.items():
        assert by_kind[("project.state_changed", project_id)] >= changes, project_id
    assert {"open_notice", "start", "submit_closure", "pass_closure"} <= {a for _, a in project_events}
    for expert_id, user_id, state in experts:
        if state in ("verified", "suspended"):
            assert (f"expert.{state}", expert_id, user_id) in told, (expert_id, state)
    assert any(kind == "expert.verified" for kind, _, _ in notes)


async def test_the_demo_is_searchable_and_counted(demo, tmp_path):
    """The portal's first questions answer from the demo: a designation as typed, a two-character
    Chinese word, and the statistics (SQLite FTS5, as `make run` serves it)."""
    from ecozone.standards import search, statistics
    from ecozone.db.scoping import ANONYMOUS

    async def ask(session):
        published = await search.search(session, search.StandardFilter(state="published"),
                                        first=10, after=None)
        year = published.items[0].year
        by_designation = await search.search(session, search.StandardFilter(text=f"DB52/T 1-{year}"),
                                             first=10, after=None)
        tea = await search.search(session, search.StandardFilter(text="茶叶"), first=10, after=None)
        figures = await statistics.standard_statistics(session)
        return published, by_designation, tea, figures
    published, by_designation, tea, figures = await _as(demo.url, ANONYMOUS, ask)
    assert published.total_count == 2
    assert [s.title_zh for s in by_designation.items] == ["绿色食品 茶叶追溯编码规则"]
    # anonymous: the published tea standard; the one in 10 proposal stays hidden
    assert [s.title_zh for s in tea.items] == ["绿色食品 茶叶追溯编码规则"]
    assert (figures.published, figures.withdrawn, figures.in_progress) == (2, 1, 5)
    assert figures.by_category == {"tea": 1, "medicinal_herbs": 1}
