"""GraphQL types of the standard-release workflow (queries and mutations in standards.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from ecozone.experts.models import ExpertProfile
from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.consultation import Consultation
from ecozone.graphql.context import Info
from ecozone.graphql.experts import Expert, ProductCategory
from ecozone.graphql.loaders import PrefetchPlan, now_or_later
from ecozone.graphql.zones import User, Zone, load_user, zone_of
from ecozone.standards import rules, service
from ecozone.standards.models import Ballot as BallotModel
from ecozone.standards.models import PanelMember as PanelModel
from ecozone.standards.models import Standard as StandardModel
from ecozone.standards.models import StandardEvent as EventModel
from ecozone.standards.models import StandardVersion as VersionModel
from ecozone.standards.models import StandardZone as ZoneEntryModel
from ecozone.standards.models import Vote as VoteModel

if TYPE_CHECKING:
    from ecozone.graphql.projects_types import Project

StandardKind = strawberry.enum(Enum("StandardKind", {"JOINT_LOCAL": "joint_local", "GROUP": "group"}),
                               description="joint local standard (联合地方标准) or group standard of the base (团体标准)")
StandardState = strawberry.enum(Enum("StandardState", {s.upper(): s for s in rules.STATE_NAMES}))
VoteChoice = strawberry.enum(Enum("VoteChoice", {c.upper(): c for c in rules.VOTE_CHOICES}))
ZoneDecision = strawberry.enum(Enum("ZoneDecision", {d.upper(): d for d in ("pending", "signed", "refused")}))
ReviewOutcome = strawberry.enum(Enum("ReviewOutcome", {o.upper(): o for o in ("confirm", "revise", "withdraw")}),
                                description="复审: confirm 确认 · revise 修订 · withdraw 废止")


@strawberry.type(description="Stage with its ISO-like code: 10 proposal … 60 published, 90 withdrawn/superseded")
class Stage:
    code: int
    state: StandardState
    name_zh: str
    name_en: str

    @classmethod
    def of(cls, state: str) -> Stage:
        zh, en = rules.STATE_NAMES[state]
        return cls(code=rules.STAGE_CODES[state], state=StandardState(state), name_zh=zh, name_en=en)


@strawberry.type(description="A participating zone and its director's decision")
class ZoneApproval:
    is_lead: bool
    decision: ZoneDecision
    reason: str | None
    decided_at: dt.datetime | None
    zone_id: strawberry.Private[int]
    decided_by_id: strawberry.Private[int | None]

    @strawberry.field
    def zone(self, info: Info) -> Zone:
        return zone_of(info, self.zone_id)

    @strawberry.field
    async def decided_by(self, info: Info) -> User | None:
        return await load_user(info, self.decided_by_id)

    @classmethod
    def from_model(cls, z: ZoneEntryModel) -> ZoneApproval:
        return cls(is_lead=z.is_lead, decision=ZoneDecision(z.decision), reason=z.reason,
                   decided_at=z.decided_at, zone_id=z.zone_id, decided_by_id=z.decided_by_id)


@strawberry.type(description="A numbered draft with its change note")
class StandardVersion(relay.Node):
    id: relay.NodeID[int]
    number: int
    text: str
    change_note: str
    created_at: dt.datetime

    @classmethod
    def from_model(cls, v: VersionModel) -> StandardVersion:
        return cls(id=v.id, number=v.number, text=v.text, change_note=v.change_note,
                   created_at=v.created_at)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await load_nodes(info, VersionModel, list(node_ids))
        # a version is visible when its standard is
        parents = await load_nodes(info, StandardModel, [r.standard_id if r else "-" for r in rows])
        return [cls.from_model(r) if r and p else None for r, p in zip(rows, parents)]


StandardAction = strawberry.enum(Enum("StandardAction", {a.upper(): a for a in ("propose", *rules.ACTION_NAMES_ZH)}))


@strawberry.type
class StageEvent:
    action: StandardAction
    from_state: StandardState | None
    to_state: StandardState
    reason: str | None
    created_at: dt.datetime
    actor_id: strawberry.Private[int | None]

    @strawberry.field
    async def actor(self, info: Info) -> User | None:
        return await load_user(info, self.actor_id)


@strawberry.type(description="An expert of the review panel")
class PanelExpert:
    added_at: dt.datetime
    expert_id: strawberry.Private[int]

    @strawberry.field
    async def expert(self, info: Info) -> Expert | None:
        profile = await info.context.loaders.by_id(ExpertProfile).load(self.expert_id)
        return Expert.from_model(profile, info) if profile else None


BallotState = strawberry.enum(Enum("BallotState", {s.upper(): s for s in ("open", "passed", "failed")}))


@strawberry.type(description="The latest ballot: counts, thresholds and what is still missing")
class BallotStatus:
    round: int
    state: BallotState
    panel_size: int
    cast: int
    yes: int
    no: int
    abstain: int
    turnout: list[int] = strawberry.field(description="[numerator, denominator] of the panel")
    approval: list[int] = strawberry.field(description="[numerator, denominator] of the votes cast")
    passes_now: bool
    needs_en: list[str] = strawberry.field(description='e.g. "needs 2 more yes votes"')
    needs_zh: list[str]
    my_vote: VoteChoice | None


@strawberry.type(description="A standard: joint local (one number under each zone's code) or group")
class Standard(relay.Node):
    id: relay.NodeID[int]
    kind: StandardKind
    title_zh: str
    title_en: str
    scope: str
    version_no: int
    number: int | None
    year: int | None
    release_date: dt.date | None
    implementation_date: dt.date | None
    model: strawberry.Private[StandardModel]

    @classmethod
    def from_model(cls, s: StandardModel) -> Standard:
        return cls(id=s.id, kind=StandardKind(s.kind), title_zh=s.title_zh, title_en=s.title_en,
                   scope=s.scope, version_no=s.version_no, number=s.number, year=s.year,
                   release_date=s.release_date, implementation_date=s.implementation_date, model=s)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await load_nodes(info, StandardModel, list(node_ids))
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field
    def stage(self) -> Stage:
        return Stage.of(self.model.state)

    @strawberry.field(description="The product category the standard is about, if one "
                                  "(标准所属的产品类别)")
    def category(self) -> ProductCategory | None:
        return ProductCategory.of(self.model.category) if self.model.category else None

    @strawberry.field(description="The standard-development project that carries it; null when "
                                  "the viewer may not see the project (承载该标准的标准研制项目)")
    async def project(self, info: Info) -> Annotated[
            Project, strawberry.lazy("ecozone.graphql.projects_types")] | None:
        from ecozone.graphql.projects_types import Project
        from ecozone.projects.models import Project as ProjectModel
        row = await info.context.loaders.by_id(ProjectModel).load(self.model.project_id)
        return Project.from_model(row) if row else None

    # Fields a page prefetches (prefetch_plan below) are plain functions that may return an
    # awaitable: see graphql/loaders.py now_or_later.
    @strawberry.field
    def lead_zone(self, info: Info) -> Zone:
        return zone_of(info, self.model.lead_zone_id)

    @strawberry.field(description="Participating zones, lead first, with their approval decisions")
    def zones(self, info: Info) -> list[ZoneApproval]:
        return now_or_later(_zone_entries_loader(info), self.id,
                            lambda entries: [ZoneApproval.from_model(r) for r in entries])

    @strawberry.field(description="e.g. DB36/T 1234—2026 and DB52/T 1234—2026, or T/NTSIBJGE 001—2026")
    async def designations(self, info: Info) -> list[str]:
        s = self.model
        if s.number is None:
            return []
        if s.kind == "group":
            return [rules.designation("group", s.number, s.year)]
        # through the loaders, so a list of standards costs two queries, not two per item
        entries = await self._zone_entries(info)
        zones = await info.context.loaders.zone.load_many([e.zone_id for e in entries])
        ordered = sorted(zip(entries, zones), key=lambda pair: (not pair[0].is_lead, pair[1].slug))
        return [rules.designation("joint_local", s.number, s.year, zone.standard_code)
                for _, zone in ordered]

    async def _zone_entries(self, info: Info) -> list[ZoneEntryModel]:
        return await _zone_entries_loader(info).load(self.id)

    @strawberry.field(description="The published text")
    async def final_text(self, info: Info) -> str | None:
        if self.model.final_version_id is None:
            return None
        version = await info.context.loaders.by_id(VersionModel).load(self.model.final_version_id)
        return version.text if version else None

    @strawberry.field
    def versions(self, info: Info) -> list[StandardVersion]:
        return now_or_later(_versions_loader(info), self.id,
                            lambda rows: [StandardVersion.from_model(v) for v in rows])

    @strawberry.field(description="The latest numbered draft")
    def latest_version(self, info: Info) -> StandardVersion | None:
        return now_or_later(_versions_loader(info), self.id,
                            lambda rows: StandardVersion.from_model(rows[-1]) if rows else None)

    @strawberry.field(description="Comments received in all consultations on this standard")
    def comment_count(self, info: Info) -> int:
        return now_or_later(_comment_count_loader(info), self.id, int)

    @strawberry.field(description="Unified diff between two draft numbers")
    async def diff(self, info: Info, from_version: int, to_version: int) -> str:
        return await service.diff(info.context.session, standard_id=self.id,
                                  from_number=from_version, to_number=to_version)

    @strawberry.field
    async def events(self, info: Info) -> list[StageEvent]:
        rows = await info.context.loaders.grouped(EventModel, "standard_id",
                                                  order=(EventModel.id,)).load(self.id)
        return [StageEvent(action=StandardAction(e.action),
                           from_state=StandardState(e.from_state) if e.from_state in rules.STATE_NAMES else None,
                           to_state=StandardState(e.to_state),
                           reason=e.reason, created_at=e.created_at, actor_id=e.actor_id) for e in rows]

    @strawberry.field(description="The technical review panel")
    async def panel(self, info: Info) -> list[PanelExpert]:
        members = await info.context.loaders.grouped(PanelModel, "standard_id",
                                                     order=(PanelModel.id,)).load(self.id)
        return [PanelExpert(added_at=m.created_at, expert_id=m.expert_id) for m in members]

    @strawberry.field(description="The latest ballot of the technical review")
    def ballot(self, info: Info) -> BallotStatus | None:
        # Loaders throughout: a page of standards costs a fixed number of queries.
        if not info.context.actor.signed_in:  # no vote of the viewer's own to show
            return now_or_later(_latest_ballot_loader(info), self.id, _ballot_status)
        return self._ballot_with_my_vote(info)

    async def _ballot_with_my_vote(self, info: Info) -> BallotStatus | None:
        loaders = info.context.loaders
        latest = await _latest_ballot_loader(info).load(self.id)
        if latest is None:
            return None
        profiles = await loaders.grouped(ExpertProfile, "user_id").load(info.context.actor.user_id)
        if not profiles:
            return _ballot_status(latest)
        mine = await _my_votes_loader(info, profiles[0].id).load(latest[0].id)
        return _ballot_status(latest, mine)

    @strawberry.field(description="The latest consultation on this standard's draft")
    async def consultation(self, info: Info) -> Consultation | None:
        from ecozone.consultation.models import Consultation as ConsultationModel
        rows = await info.context.loaders.grouped(
            ConsultationModel, "subject_id", order=(ConsultationModel.id,),
            where=(ConsultationModel.subject_type == "standard",)).load(self.id)
        return Consultation.from_model(rows[-1]) if rows else None

    @strawberry.field
    async def revision_of(self, info: Info) -> Standard | None:
        if self.model.revision_of_id is None:
            return None
        row = await info.context.loaders.by_id(StandardModel).load(self.model.revision_of_id)
        return Standard.from_model(row) if row else None


def _zone_entries_loader(info: Info):
    """Participating zones of a page of standards, lead first, with their Zone rows in the
    same query (primed into the zone loader): one statement instead of two."""
    from collections import defaultdict

    from sqlalchemy import select

    from ecozone.tenancy.models import Zone as ZoneModel
    loaders = info.context.loaders

    async def load(standard_ids: list[int]) -> list[list[ZoneEntryModel]]:
        rows = (await loaders.session.execute(
            select(ZoneEntryModel, ZoneModel).join(ZoneModel, ZoneModel.id == ZoneEntryModel.zone_id)
            .where(ZoneEntryModel.standard_id.in_(standard_ids))
            .order_by(ZoneEntryModel.is_lead.desc(), ZoneEntryModel.id))).all()
        groups: dict[int, list[ZoneEntryModel]] = defaultdict(list)
        for entry, zone in rows:
            loaders.zone.prime(zone.id, zone)
            groups[entry.standard_id].append(entry)
        return [groups.get(i, []) for i in standard_ids]
    return loaders.custom("standard_zone_entries", load)


def _ballot_status(latest: tuple[BallotModel, list[str]] | None, mine: str | None = None
                   ) -> BallotStatus | None:
    if latest is None:
        return None
    ballot, choices = latest
    result = rules.tally(ballot.panel_size, choices,
                         turnout=(ballot.turnout_num, ballot.turnout_den),
                         approval=(ballot.approval_num, ballot.approval_den))
    return BallotStatus(round=ballot.round, state=BallotState(ballot.state), panel_size=ballot.panel_size,
                        cast=result.cast, yes=result.yes, no=result.no, abstain=result.abstain,
                        turnout=[ballot.turnout_num, ballot.turnout_den],
                        approval=[ballot.approval_num, ballot.approval_den],
                        passes_now=result.passed, needs_en=list(result.needs_en),
                        needs_zh=list(result.needs_zh), my_vote=VoteChoice(mine) if mine else None)


def _latest_ballot_loader(info: Info):
    """The latest ballot of each standard of a page with its votes' choices: one outer join."""
    from sqlalchemy import func, select
    loaders = info.context.loaders

    async def load(standard_ids: list[int]) -> list[tuple[BallotModel, list[str]] | None]:
        # One row per (ballot, choice), not per vote: a page of ballots builds ~3 rows each.
        rows = (await loaders.session.execute(
            select(BallotModel, VoteModel.choice, func.count(VoteModel.id))
            .outerjoin(VoteModel, VoteModel.ballot_id == BallotModel.id)
            .where(BallotModel.standard_id.in_(standard_ids))
            .group_by(BallotModel.id, VoteModel.choice)
            .order_by(BallotModel.standard_id, BallotModel.round, VoteModel.choice))).all()
        latest: dict[int, tuple[BallotModel, list[str]]] = {}
        for ballot, choice, votes in rows:
            current = latest.get(ballot.standard_id)
            if current is None or current[0].id != ballot.id:  # rounds come in order: keep the last
                current = latest[ballot.standard_id] = (ballot, [])
            if choice is not None:
                current[1].extend([choice] * votes)
        return [latest.get(i) for i in standard_ids]
    return loaders.custom("standard_latest_ballot", load)


def _my_votes_loader(info: Info, expert_id: int):
    """The viewer's own choice on each ballot of a page (None where they did not vote)."""
    from sqlalchemy import select
    loaders = info.context.loaders

    async def load(ballot_ids: list[int]) -> list[str | None]:
        found = dict((await loaders.session.execute(
            select(VoteModel.ballot_id, VoteModel.choice)
            .where(VoteModel.ballot_id.in_(ballot_ids), VoteModel.expert_id == expert_id))).all())
        return [found.get(i) for i in ballot_ids]
    return loaders.custom(f"my_votes:{expert_id}", load)


def _versions_loader(info: Info):
    return info.context.loaders.grouped(VersionModel, "standard_id", order=(VersionModel.number,))


def _comment_count_loader(info: Info):
    return info.context.loaders.counted("standard_comments", _comment_counts)


def prefetch_plan(info: Info) -> PrefetchPlan:
    """What a page of standards loads at once for the fields asked for (graphql/loaders.py).

    Zone entries come before the zones: their query brings the zone rows along."""
    loaders = info.context.loaders

    def by_id(s: StandardModel) -> int:
        return s.id
    return {"zones": (lambda: _zone_entries_loader(info), by_id),
            "designations": (lambda: _zone_entries_loader(info), by_id),
            "leadZone": (lambda: loaders.zone, lambda s: s.lead_zone_id),
            "latestVersion": (lambda: _versions_loader(info), by_id),
            "versions": (lambda: _versions_loader(info), by_id),
            "ballot": (lambda: _latest_ballot_loader(info), by_id),
            "commentCount": (lambda: _comment_count_loader(info), by_id)}


def _comment_counts(standard_ids: list[int]):
    """(standard id, comments) for a page of standards: one GROUP BY over the consultations.

    Each consultation numbers its comments 1, 2, … without gaps (序号), so its counter is its
    number of comments: reading it avoids the comments table, whose viewer rule made the count
    grow with every comment of the base instead of with the page (bench/RESULTS.md).
    """
    from sqlalchemy import func, select

    from ecozone.consultation.models import Consultation as ConsultationModel
    return (select(ConsultationModel.subject_id, func.coalesce(func.sum(ConsultationModel.last_seq), 0))
            .where(ConsultationModel.subject_type == "standard",
                   ConsultationModel.subject_id.in_(standard_ids))
            .group_by(ConsultationModel.subject_id))


StandardConnection = Connection[Standard]
