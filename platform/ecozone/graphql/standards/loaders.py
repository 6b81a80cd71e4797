"""Batch loaders of the standards' fields and the prefetch plan of a page of standards
(graphql/loaders.py); the types that use them are in types.py."""

from __future__ import annotations

from ecozone.experts.models import ExpertProfile
from ecozone.graphql.context import Info
from ecozone.graphql.loaders import PrefetchPlan
from ecozone.standards.models import Ballot as BallotModel
from ecozone.standards.models import Standard as StandardModel
from ecozone.standards.models import StandardVersion as VersionModel
from ecozone.standards.models import StandardZone as ZoneEntryModel
from ecozone.standards.models import Vote as VoteModel


def zone_entries_loader(info: Info):
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


def latest_ballot_loader(info: Info):
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


def my_votes_loader(info: Info, user_id: int):
    """The viewer's own choice on each ballot of a page (None where they did not vote): the
    votes joined to the viewer's expert profile, one statement (none for the profile itself)."""
    from sqlalchemy import select
    loaders = info.context.loaders

    async def load(ballot_ids: list[int]) -> list[str | None]:
        found = dict((await loaders.session.execute(
            select(VoteModel.ballot_id, VoteModel.choice)
            .join(ExpertProfile, ExpertProfile.id == VoteModel.expert_id)
            .where(VoteModel.ballot_id.in_(ballot_ids), ExpertProfile.user_id == user_id))).all())
        return [found.get(i) for i in ballot_ids]
    return loaders.custom(f"my_votes:{user_id}", load)


def versions_loader(info: Info):
    return info.context.loaders.grouped(VersionModel, "standard_id", order=(VersionModel.number,))


def comment_count_loader(info: Info):
    return info.context.loaders.counted("standard_comments", _comment_counts)


def prefetch_plan(info: Info) -> PrefetchPlan:
    """What a page of standards loads at once for the fields asked for (graphql/loaders.py).

    Zone entries come before the zones: their query brings the zone rows along."""
    loaders = info.context.loaders

    def by_id(s: StandardModel) -> int:
        return s.id
    return {"zones": (lambda: zone_entries_loader(info), by_id),
            "designations": (lambda: zone_entries_loader(info), by_id),
            "leadZone": (lambda: loaders.zone, lambda s: s.lead_zone_id),
            "latestVersion": (lambda: versions_loader(info), by_id),
            "versions": (lambda: versions_loader(info), by_id),
            "ballot": (lambda: latest_ballot_loader(info), by_id),
            "commentCount": (lambda: comment_count_loader(info), by_id)}


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
