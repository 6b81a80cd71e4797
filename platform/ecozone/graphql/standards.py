"""Queries and mutations of the standard-release workflow (types in standards_types.py)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.graphql.common import Connection, connection, decode_id, requested_node_fields
from ecozone.graphql.context import Info
from ecozone.graphql.experts import ProductCategory, ProductCategoryCode
from ecozone.graphql.loaders import prefetch
from ecozone.graphql.results import Conflict, NotFound, PermissionDenied, ValidationFailed, read, run
from ecozone.graphql.standards_types import (BallotStatus, ReviewOutcome, Stage, Standard,
                                             StandardKind, StandardState, StandardVersion,
                                             VoteChoice, prefetch_plan)
from ecozone.graphql.zones import Zone, zone_of
from ecozone.standards import consultation_stage, release, review, search, service, statistics

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
    category: ProductCategoryCode | None = strawberry.field(
        default=None, description="The product category the standard is about (产品类别)")


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


@strawberry.input(description="Filters of `standards`, all optional and combined with AND "
                              "(标准检索条件，均可选，同时满足)")
class StandardFilterInput:
    state: StandardState | None = strawberry.field(default=None, description="The stage (阶段)")
    kind: StandardKind | None = None
    zone: str | None = strawberry.field(
        default=None, description="A participating zone's slug, the lead zone included (参与试验区)")
    category: ProductCategoryCode | None = strawberry.field(
        default=None, description="The product category (产品类别)")
    year: int | None = strawberry.field(default=None, description="Year of release, 2000–2100 (发布年份)")
    released_from: dt.date | None = strawberry.field(
        default=None, description="Released on or after this day (发布日期起)")
    released_to: dt.date | None = strawberry.field(
        default=None, description="Released on or before this day (发布日期止)")
    number: int | None = strawberry.field(default=None, description="The published number (顺序号)")
    designation: str | None = strawberry.field(
        default=None, description="A designation as people type it: `DB52/T 1—2026`, `DB52/T 1-2026`, "
                                  "`DB52T1`, `T/NTSIBJGE 001`; any dash, spaces and full-width "
                                  "characters, year optional; one that names no standard matches "
                                  "nothing (标准编号，容许各种写法)")
    text: str | None = strawberry.field(
        default=None, description="Full-text search of the titles, scope and published text, "
                                  "ranked; every word must occur; a designation typed here is "
                                  "searched as one (全文检索：标题、范围和发布文本)")


StandardOrderField = strawberry.enum(
    Enum("StandardOrderField", {"RELEVANCE": "relevance", "RELEASE_DATE": "release_date",
                                "NUMBER": "number", "CREATED": "created"}),
    description="RELEVANCE (with `text`: title 4, scope 2, published text 1 per word, then newest "
                "release) · RELEASE_DATE · NUMBER (then year) · CREATED (the order they were "
                "started in); standards not yet released sort as the earliest "
                "(相关度 · 发布日期 · 顺序号 · 创建顺序)")
OrderDirection = strawberry.enum(Enum("OrderDirection", {"ASC": "asc", "DESC": "desc"}),
                                 description="ASC ascending (升序) · DESC descending (降序)")


@strawberry.input(description="How `standards` is sorted; default: RELEVANCE with `text`, "
                              "else CREATED ascending (排序方式)")
class StandardOrderInput:
    field: StandardOrderField
    direction: OrderDirection = OrderDirection.ASC


_KIND_NAMES = {"joint_local": ("联合地方标准", "Joint local standard"),
               "group": ("团体标准", "Group standard")}


@strawberry.type(description="Standards at one stage of work in progress (在研标准数)")
class StandardStageCount:
    stage: Stage
    count: int


@strawberry.type(description="Standards in force of one kind (按类型)")
class StandardKindCount:
    kind: StandardKind
    name_zh: str
    name_en: str
    count: int


@strawberry.type(description="Standards in force in which a zone takes part (按试验区)")
class StandardZoneCount:
    count: int
    zone_id: strawberry.Private[int]

    @strawberry.field
    def zone(self, info: Info) -> Zone:
        return zone_of(info, self.zone_id)


@strawberry.type(description="Standards in force released in a year (按发布年份)")
class StandardYearCount:
    year: int
    count: int


@strawberry.type(description="Standards in force about a product category (按产品类别)")
class StandardCategoryCount:
    category: ProductCategory
    count: int


@strawberry.type(description="Public statistics of standards (办法 第十二条(三)), the same for every "
                             "viewer: counts only. `year` is the year of release for released "
                             "standards and the year the work began for work in progress; `zone` "
                             "a participating zone (标准统计)")
class StandardStatistics:
    year: int | None = strawberry.field(description="The year asked for, if any (年份)")
    zone: str | None = strawberry.field(description="The zone slug asked for, if any")
    published: int = strawberry.field(description="In force (现行有效)")
    withdrawn: int = strawberry.field(description="Withdrawn after review (已废止)")
    superseded: int = strawberry.field(description="Replaced by a revision (已被代替)")
    in_progress: int = strawberry.field(description="Work in progress, 10 proposal to 50 joint "
                                                    "approval (在研)")
    by_stage: list[StandardStageCount] = strawberry.field(description="Every in-progress stage, "
                                                                      "zero included")
    by_kind: list[StandardKindCount]
    by_zone: list[StandardZoneCount]
    by_year: list[StandardYearCount]
    by_category: list[StandardCategoryCount]


StandardStatisticsResult = Annotated[StandardStatistics | ValidationFailed,
                                     strawberry.union("StandardStatisticsResult")]


def _statistics(f: statistics.StandardFigures) -> StandardStatistics:
    return StandardStatistics(
        year=f.year, zone=f.zone, published=f.published, withdrawn=f.withdrawn,
        superseded=f.superseded, in_progress=f.in_progress,
        by_stage=[StandardStageCount(stage=Stage.of(st), count=n) for st, n in f.by_stage.items()],
        by_kind=[StandardKindCount(kind=StandardKind(k), name_zh=_KIND_NAMES[k][0],
                                   name_en=_KIND_NAMES[k][1], count=n)
                 for k, n in f.by_kind.items()],
        by_zone=[StandardZoneCount(zone_id=z, count=n) for z, n in sorted(f.by_zone.items())],
        by_year=[StandardYearCount(year=y, count=n) for y, n in f.by_year.items()],
        by_category=[StandardCategoryCount(category=ProductCategory.of(c), count=n)
                     for c, n in f.by_category.items()])


def _standard(value) -> Standard:
    return Standard.from_model(value)


def _id(gid: relay.GlobalID) -> int:
    return decode_id(gid, "Standard")


@strawberry.type
class StandardQuery:
    @strawberry.field(description="Standards the viewer may see (published ones and drafts under "
                                  "consultation are public): by designation, stage, kind, zone, "
                                  "category, year, release dates, full text; sorted (标准检索)")
    async def standards(self, info: Info, filter: StandardFilterInput | None = None, first: int = 20,
                        after: str | None = None, order_by: StandardOrderInput | None = None
                        ) -> StandardConnectionResult:
        ctx, f = info.context, filter or StandardFilterInput()
        filters = search.StandardFilter(
            state=f.state.value if f.state else None, kind=f.kind.value if f.kind else None,
            zone=f.zone, category=f.category.value if f.category else None, year=f.year,
            released_from=f.released_from, released_to=f.released_to, number=f.number,
            designation=f.designation, text=f.text)
        order = (search.StandardOrder(order_by.field.value, order_by.direction.value == "desc")
                 if order_by else None)

        async def run_search():
            page = await search.search(ctx.session, filters, order, first=first, after=after,
                                       max_page_size=ctx.settings.limits.max_page_size)
            await prefetch(requested_node_fields(info), page.items, prefetch_plan(info))
            return page
        return await read(info, run_search, lambda page: connection(page, Standard.from_model))

    @strawberry.field(description="Public statistics of standards: in force, withdrawn, superseded, "
                                  "in progress by stage; in force by kind, zone, year and product "
                                  "category (办法 第十二条(三)); anonymous")
    async def standard_statistics(self, info: Info, year: int | None = None,
                                  zone: str | None = None) -> StandardStatisticsResult:
        return await read(info, lambda: statistics.standard_statistics(
            info.context.session, year=year, zone=zone), _statistics)

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
            scope=input.scope, participating_zones=input.participating_zones,
            category=input.category.value if input.category else None), _standard)

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
