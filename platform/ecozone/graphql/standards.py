"""Queries and mutations of the standard-release workflow (types in standards_types.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.graphql.common import Connection, connection, decode_id, requested_node_fields
from ecozone.graphql.context import Info
from ecozone.graphql.loaders import prefetch
from ecozone.graphql.results import Conflict, NotFound, PermissionDenied, ValidationFailed, read, run
from ecozone.graphql.standards_types import (BallotStatus, ReviewOutcome, Standard, StandardKind,
                                             StandardState, StandardVersion, VoteChoice, prefetch_plan)
from ecozone.standards import consultation_stage, release, review, service

StandardResult = Annotated[Standard | PermissionDenied | ValidationFailed | NotFound | Conflict,
                           strawberry.union("StandardResult")]
StandardVersionResult = Annotated[StandardVersion | PermissionDenied | ValidationFailed | NotFound | Conflict,
                                  strawberry.union("StandardVersionResult")]
StandardConnectionResult = Annotated[Connection[Standard] | ValidationFailed,
                                     strawberry.union("StandardConnectionResult")]


@strawberry.input
class CreateStandardInput:
    project_id: relay.GlobalID
    kind: StandardKind
    title_zh: str
    title_en: str
    scope: str
    participating_zones: list[str] = strawberry.field(
        description="Zone slugs taking part besides the lead zone (the acting zone)")


@strawberry.input
class StartDraftingInput:
    id: relay.GlobalID


@strawberry.input
class CloseStandardConsultationInput:
    id: relay.GlobalID


@strawberry.input
class OpenBallotInput:
    id: relay.GlobalID


@strawberry.input
class CloseBallotInput:
    id: relay.GlobalID


@strawberry.input
class SignStandardInput:
    id: relay.GlobalID


@strawberry.input
class OpenStandardConsultationInput:
    id: relay.GlobalID
    days: int | None = strawberry.field(default=None, description="default: the zone's consultation days")


@strawberry.input
class AddDraftVersionInput:
    standard_id: relay.GlobalID
    text: str
    change_note: str


@strawberry.input
class AddPanelExpertInput:
    standard_id: relay.GlobalID
    expert_id: relay.GlobalID


@strawberry.input
class RemovePanelExpertInput:
    standard_id: relay.GlobalID
    expert_id: relay.GlobalID


@strawberry.input
class CastVoteInput:
    standard_id: relay.GlobalID
    choice: VoteChoice
    comment: str | None = strawberry.field(default=None, description="required for NO")


@strawberry.input
class RefuseStandardInput:
    id: relay.GlobalID
    reason: str


@strawberry.input
class PublishStandardInput:
    id: relay.GlobalID
    release_date: dt.date
    implementation_date: dt.date


@strawberry.input
class ReviewPublishedStandardInput:
    id: relay.GlobalID
    outcome: ReviewOutcome
    reason: str | None = None


@strawberry.input
class StandardFilterInput:
    state: StandardState | None = None
    kind: StandardKind | None = None
    zone: str | None = None
    text: str | None = None
    number: int | None = strawberry.field(default=None, description="The published number")


def _standard(value) -> Standard:
    return Standard.from_model(value)


def _id(gid: relay.GlobalID) -> int:
    return decode_id(gid, "Standard")


@strawberry.type
class StandardQuery:
    @strawberry.field(description="Standards the viewer may see; published ones are public")
    async def standards(self, info: Info, filter: StandardFilterInput | None = None, first: int = 20,
                        after: str | None = None) -> StandardConnectionResult:
        ctx, f = info.context, filter or StandardFilterInput()

        async def search():
            page = await service.search(
                ctx.session, state=f.state.value if f.state else None,
                kind=f.kind.value if f.kind else None, zone=f.zone, text=f.text, number=f.number,
                first=first, after=after, max_page_size=ctx.settings.limits.max_page_size)
            await prefetch(requested_node_fields(info), page.items, prefetch_plan(info))
            return page
        return await read(info, search, lambda page: connection(page, Standard.from_model))

    @strawberry.field
    async def standard(self, info: Info, id: relay.GlobalID) -> StandardResult:
        return await read(info, lambda: service.get_standard(info.context.session, _id(id)), _standard)


@strawberry.type
class StandardMutation:
    @strawberry.mutation(description="Stage 10: the project's zone office starts its standard")
    async def create_standard(self, info: Info, input: CreateStandardInput) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: service.create_standard(
            ctx.session, ctx.actor, project_id=decode_id(input.project_id, "Project", "projectId"),
            kind=input.kind.value, title_zh=input.title_zh, title_en=input.title_en,
            scope=input.scope, participating_zones=input.participating_zones), _standard)

    @strawberry.mutation
    async def start_drafting(self, info: Info, input: StartDraftingInput) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: service.start_drafting(ctx.session, ctx.actor,
                                                              standard_id=_id(input.id)), _standard)

    @strawberry.mutation(description="Stage 20: a numbered draft with its change note")
    async def add_draft_version(self, info: Info, input: AddDraftVersionInput) -> StandardVersionResult:
        ctx = info.context
        return await run(info, lambda: service.add_version(
            ctx.session, ctx.actor, standard_id=_id(input.standard_id), text=input.text,
            change_note=input.change_note), StandardVersion.from_model)

    @strawberry.mutation(description="Stage 30: put the latest draft out for comments")
    async def open_standard_consultation(self, info: Info, input: OpenStandardConsultationInput
                                         ) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: consultation_stage.open_standard_consultation(
            ctx.session, ctx.actor, standard_id=_id(input.id), days=input.days), _standard)

    @strawberry.mutation(description="End stage 30 (every comment decided) and go to technical review")
    async def close_standard_consultation(self, info: Info, input: CloseStandardConsultationInput) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: consultation_stage.close_standard_consultation(
            ctx.session, ctx.actor, standard_id=_id(input.id)), _standard)

    @strawberry.mutation(description="Add a verified expert to the review panel (conflicts are refused)")
    async def add_panel_expert(self, info: Info, input: AddPanelExpertInput) -> StandardResult:
        ctx = info.context

        async def call():
            member = await review.add_panel_member(
                ctx.session, ctx.actor, standard_id=_id(input.standard_id),
                expert_id=decode_id(input.expert_id, "Expert", "expertId"))
            return await service.get_standard(ctx.session, member.standard_id)
        return await run(info, call, _standard)

    @strawberry.mutation
    async def remove_panel_expert(self, info: Info, input: RemovePanelExpertInput) -> StandardResult:
        ctx = info.context

        async def call():
            member = await review.remove_panel_member(
                ctx.session, ctx.actor, standard_id=_id(input.standard_id),
                expert_id=decode_id(input.expert_id, "Expert", "expertId"))
            return await service.get_standard(ctx.session, member.standard_id)
        return await run(info, call, _standard)

    @strawberry.mutation(description="Stage 40: open a ballot of the panel")
    async def open_ballot(self, info: Info, input: OpenBallotInput) -> StandardResult:
        ctx = info.context

        async def call():
            ballot = await review.open_ballot(ctx.session, ctx.actor, standard_id=_id(input.id))
            return await service.get_standard(ctx.session, ballot.standard_id)
        return await run(info, call, _standard)

    @strawberry.mutation(description="A panel expert votes, or changes the vote while it is open")
    async def cast_vote(self, info: Info, input: CastVoteInput) -> StandardResult:
        ctx = info.context

        async def call():
            await review.cast_vote(ctx.session, ctx.actor, standard_id=_id(input.standard_id),
                                   choice=input.choice.value, comment=input.comment)
            return await service.get_standard(ctx.session, _id(input.standard_id))
        return await run(info, call, _standard)

    @strawberry.mutation(description="Count the ballot: passed → joint approval, failed → drafting")
    async def close_ballot(self, info: Info, input: CloseBallotInput) -> StandardResult:
        ctx = info.context

        async def call():
            ballot = await review.close_ballot(ctx.session, ctx.actor, standard_id=_id(input.id))
            return await service.get_standard(ctx.session, ballot.standard_id)
        return await run(info, call, _standard)

    @strawberry.mutation(description="Stage 50: the acting zone's director signs")
    async def sign_standard(self, info: Info, input: SignStandardInput) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: release.sign(ctx.session, ctx.actor, standard_id=_id(input.id)),
                         _standard)

    @strawberry.mutation(description="Stage 50: the acting zone's director refuses; back to drafting")
    async def refuse_standard(self, info: Info, input: RefuseStandardInput) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: release.refuse(ctx.session, ctx.actor, standard_id=_id(input.id),
                                                      reason=input.reason), _standard)

    @strawberry.mutation(description="Stage 60: numbers assigned atomically once every zone signed")
    async def publish_standard(self, info: Info, input: PublishStandardInput) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: release.publish(
            ctx.session, ctx.actor, standard_id=_id(input.id), release_date=input.release_date,
            implementation_date=input.implementation_date), _standard)

    @strawberry.mutation(description="复审 of a published standard; REVISE returns the new version")
    async def review_published_standard(self, info: Info, input: ReviewPublishedStandardInput
                                        ) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: release.review_published(
            ctx.session, ctx.actor, standard_id=_id(input.id), outcome=input.outcome.value,
            reason=input.reason), _standard)


__all__ = ["StandardMutation", "StandardQuery", "BallotStatus"]
