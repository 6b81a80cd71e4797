"""GraphQL types of the standard-release workflow (queries and mutations in schema.py, their
loaders in loaders.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from ecozone.experts.models import ExpertProfile
from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.consultation.types import Consultation
from ecozone.graphql.context import Info
from ecozone.graphql.experts.types import Expert, ProductCategory
from ecozone.graphql.loaders import now_or_later
from ecozone.graphql.standards.loaders import (
    comment_count_loader,
    latest_ballot_loader,
    my_votes_loader,
    versions_loader,
    zone_entries_loader,
)
from ecozone.graphql.zones import User, Zone, load_user, zone_of
from ecozone.standards import rules, service
from ecozone.standards.models import Ballot as BallotModel
from ecozone.standards.models import PanelMember as PanelModel
from ecozone.standards.models import Standard as StandardModel
from ecozone.standards.models import StandardEvent as EventModel
from ecozone.standards.models import StandardVersion as VersionModel
from ecozone.standards.models import StandardZone as ZoneEntryModel

if TYPE_CHECKING:
    from ecozone.graphql.projects.types import Project

StandardKind = strawberry.enum(Enum("StandardKind", {"JOINT_LOCAL": "joint_local", "GROUP": "group"}),
                               description=("JOINT_LOCAL: a joint local standard, one number under each participating zone's "
         "code; GROUP: a group standard of the base. JOINT_LOCAL 联合地方标准（在每个参与试验区代号下各有编号）；"
         "GROUP 基地团体标准。"))
StandardState = strawberry.enum(Enum("StandardState", {s.upper(): s for s in rules.STATE_NAMES}), description=(
         "State of a standard; with its ISO-like code in `Stage`: PROPOSAL 10 提案 · DRAFTING "
         "20 起草 · CONSULTATION 30 征求意见 · REVIEW 40 技术审查 · APPROVAL 50 联合批准 · PUBLISHED 60 已发布 "
         "· WITHDRAWN 90 已废止 · SUPERSEDED 90 已被替代. 标准状态。"))
VoteChoice = strawberry.enum(Enum("VoteChoice", {c.upper(): c for c in rules.VOTE_CHOICES}), description=(
         "A panel expert's vote: YES 赞成 · YES_WITH_COMMENTS 附意见赞成 · NO 反对 (comment required) "
         "· ABSTAIN 弃权. 专家组成员的投票（反对须附意见）。"))
ZoneDecision = strawberry.enum(Enum("ZoneDecision", {d.upper(): d for d in ("pending", "signed", "refused")}), description=(
         "A participating zone's decision on the joint approval: PENDING 待签署 · SIGNED 已签署 · "
         "REFUSED 已拒绝. 参与试验区对联合批准的决定。"))
ReviewOutcome = strawberry.enum(Enum("ReviewOutcome", {o.upper(): o for o in ("confirm", "revise", "withdraw")}),
                                description="复审: confirm 确认 · revise 修订 · withdraw 废止")


@strawberry.type(description=("Stage with its ISO-like code: 10 proposal … 60 published, 90 withdrawn/superseded. 阶"
         "段及其代码：10 提案 … 60 已发布，90 已废止/已被替代。"))
class Stage:
    code: int = strawberry.field(description=("Stage code: 10, 20, 30, 40, 50, 60 or 90. 阶段代码：10、20、30、40、50、60 或 90。"))
    state: StandardState = strawberry.field(description=("The state this stage stands for. 该阶段对应的状态。"))
    name_zh: str = strawberry.field(description=("The stage's name in Chinese, e.g. 征求意见. 阶段中文名称，如“征求意见”。"))
    name_en: str = strawberry.field(description=("The stage's name in English, e.g. Consultation. 阶段英文名称。"))

    @classmethod
    def of(cls, state: str) -> Stage:
        zh, en = rules.STATE_NAMES[state]
        return cls(code=rules.STAGE_CODES[state], state=StandardState(state), name_zh=zh, name_en=en)


@strawberry.type(description=("A participating zone and its director's decision on the joint approval (stage 50). 参"
         "与试验区及其主任对联合批准（阶段 50）的决定。"))
class ZoneApproval:
    is_lead: bool = strawberry.field(description="True for the lead zone. 是否为牵头试验区。")
    decision: ZoneDecision = strawberry.field(description="Pending, signed or refused. 待签署、已签署或已拒绝。")
    reason: str | None = strawberry.field(description=("The reason of a refusal; null otherwise. 拒绝原因；其他情况为 null。"))
    decided_at: dt.datetime | None = strawberry.field(description="When the director decided; null while pending. 主任决定的时间；待签署时为 null。")
    zone_id: strawberry.Private[int]
    decided_by_id: strawberry.Private[int | None]

    @strawberry.field(description="The zone. 试验区。")
    def zone(self, info: Info) -> Zone:
        return zone_of(info, self.zone_id)

    @strawberry.field(description="The director who decided; null while pending or not visible. 作出决定的主任；待签署或不可见时为 null。")
    async def decided_by(self, info: Info) -> User | None:
        return await load_user(info, self.decided_by_id)

    @classmethod
    def from_model(cls, z: ZoneEntryModel) -> ZoneApproval:
        return cls(is_lead=z.is_lead, decision=ZoneDecision(z.decision), reason=z.reason,
                   decided_at=z.decided_at, zone_id=z.zone_id, decided_by_id=z.decided_by_id)


@strawberry.type(description=("A numbered draft of a standard with its change note; visible with its standard. 标准的编"
         "号草案及修改说明；随标准可见。"))
class StandardVersion(relay.Node):
    id: relay.NodeID[int]
    number: int = strawberry.field(description="Draft number, 1 upwards. 草案编号，从 1 开始。")
    text: str = strawberry.field(description="The draft's full text. 草案全文。")
    change_note: str = strawberry.field(description=("What changed since the previous draft. 与上一稿相比的修改说明。"))
    created_at: dt.datetime = strawberry.field(description="When it was created (ISO 8601 with offset). 创建时间（ISO 8601，含时区偏移）。")

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


StandardAction = strawberry.enum(Enum("StandardAction", {a.upper(): a for a in ("propose", *rules.ACTION_NAMES_ZH)}), description=(
         "A step of a standard's lifecycle as recorded in `Standard.events`: PROPOSE 提案 · "
         "START_DRAFTING 开始起草 · OPEN_CONSULTATION 开始征求意见 · CLOSE_CONSULTATION 结束征求意见 · "
         "PASS_REVIEW 通过技术审查 · FAIL_REVIEW 未通过技术审查 · REFUSE 拒绝批准 · PUBLISH 发布 · CONFIRM 复审确认 "
         "· WITHDRAW 废止 · SUPERSEDE 被修订版替代. 标准流程中的一步。"))


@strawberry.type(description="One stage change of a standard: who, when, why. 标准的一次阶段变更：谁、何时、为何。")
class StageEvent:
    action: StandardAction = strawberry.field(description="The step taken. 所执行的步骤。")
    from_state: StandardState | None = strawberry.field(description="State before; null for the proposal. 之前的状态；提案时为 null。")
    to_state: StandardState = strawberry.field(description="State after. 之后的状态。")
    reason: str | None = strawberry.field(description=("The reason or note given; null if none. 所给原因或说明；无则为 null。"))
    created_at: dt.datetime = strawberry.field(description="When it happened (ISO 8601 with offset). 发生时间（ISO 8601，含时区偏移）。")
    actor_id: strawberry.Private[int | None]

    @strawberry.field(description="Who did it; null if the viewer may not see the account. 执行人；查看者无权查看该账户时为 null。")
    async def actor(self, info: Info) -> User | None:
        return await load_user(info, self.actor_id)


@strawberry.type(description="An expert of the technical review panel. 技术审查专家组成员。")
class PanelExpert:
    added_at: dt.datetime = strawberry.field(description="When the expert was added to the panel. 加入专家组的时间。")
    expert_id: strawberry.Private[int]

    @strawberry.field(description="The expert; null if the viewer may not see the profile. 专家；查看者无权查看其档案时为 null。")
    async def expert(self, info: Info) -> Expert | None:
        profile = await info.context.loaders.by_id(ExpertProfile).load(self.expert_id)
        return Expert.from_model(profile, info) if profile else None


BallotState = strawberry.enum(Enum("BallotState", {s.upper(): s for s in ("open", "passed", "failed")}), description="State of a ballot: OPEN 进行中 · PASSED 通过 · FAILED 未通过. 表决状态。")


@strawberry.type(description=("The latest ballot of the review panel: counts, thresholds and what is still missing "
         "to pass. 审查专家组最近一次表决：票数、门槛及距离通过尚缺什么。"))
class BallotStatus:
    round: int = strawberry.field(description=("Ballot round, 1 upwards (a failed ballot is followed by a new round). 表决轮次，从 1 开"
             "始（未通过后进行新一轮）。"))
    state: BallotState = strawberry.field(description="Open, passed or failed. 进行中、通过或未通过。")
    panel_size: int = strawberry.field(description=("Experts on the panel when the ballot opened. 表决开始时专家组人数。"))
    cast: int = strawberry.field(description="Votes cast so far. 已投票数。")
    yes: int = strawberry.field(description=("Yes votes (with or without comments). 赞成票数（含附意见赞成）。"))
    no: int = strawberry.field(description="No votes. 反对票数。")
    abstain: int = strawberry.field(description="Abstentions. 弃权票数。")
    turnout: list[int] = strawberry.field(description=("Required turnout as [numerator, denominator] of the panel, e.g. [3, 4]. 须参与投票的比例"
             "（占专家组），[分子, 分母]，如 [3, 4]。"))
    approval: list[int] = strawberry.field(description=("Required approval as [numerator, denominator] of the votes cast, e.g. [2, 3]. 须赞"
             "成的比例（占已投票数），[分子, 分母]，如 [2, 3]。"))
    passes_now: bool = strawberry.field(description=("Whether the ballot would pass if closed now. 若现在结束表决是否通过。"))
    needs_en: list[str] = strawberry.field(description=('What is still missing to pass, in English, e.g. "needs 2 more yes votes"; empty '
             'when it passes. 距离通过尚缺什么（英文），如 "needs 2 more yes votes"；已满足时为空。'))
    needs_zh: list[str] = strawberry.field(description=("What is still missing to pass, in Chinese, e.g. 还需 2 张赞成票; empty when it "
             "passes. 距离通过尚缺什么（中文），如“还需 2 张赞成票”；已满足时为空。"))
    my_vote: VoteChoice | None = strawberry.field(description=(
             "Your own vote in this ballot if you are on the panel; null otherwise. 本人在本次表决中的投"
             "票（如为专家组成员）；否则为 null。"))


@strawberry.type(description=("A standard: joint local (one number under each zone's code) or group. Public from "
         "publication (60) on and while its draft is under consultation (30); before, seen by "
         "the staff of the zones taking part, the drafting group and the panel. 标准：联合地方标准（在每个试"
         "验区代号下各有编号）或团体标准。发布（60）后及征求意见期间（30）公开；其他阶段仅参与试验区工作人员、起草组和审查专家组可见。"))
class Standard(relay.Node):
    id: relay.NodeID[int]
    kind: StandardKind = strawberry.field(description=("Joint local or group standard. 联合地方标准或团体标准。"))
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    scope: str = strawberry.field(description="Scope: what the standard covers (范围). 适用范围。")
    version_no: int = strawberry.field(description=("1 for an original standard, 2 and up for its revisions. 原版为 1，修订版为 2 及以上。"))
    number: int | None = strawberry.field(description=("Sequence number under the zone codes, assigned at publication; null before. 顺序号，"
             "发布时分配；发布前为 null。"))
    year: int | None = strawberry.field(description=("Year in the designation, set at publication; null before. 编号中的年份，发布时确定；发布前为 "
             "null。"))
    release_date: dt.date | None = strawberry.field(description="Date of release (发布日期); null before publication. 发布日期；发布前为 null。")
    implementation_date: dt.date | None = strawberry.field(description="Date it takes effect (实施日期); null before publication. 实施日期；发布前为 null。")
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

    @strawberry.field(description="Current stage, with its code and names. 当前阶段（含代码和名称）。")
    def stage(self) -> Stage:
        return Stage.of(self.model.state)

    @strawberry.field(description=("The product category the standard is about; null if none. 标准所属的产品类别；无则为 null。"))
    def category(self) -> ProductCategory | None:
        return ProductCategory.of(self.model.category) if self.model.category else None

    @strawberry.field(description=("The standard-development project that carries it; null when the viewer may not "
             "see the project. 承载该标准的标准研制项目；查看者不可见该项目时为 null。"))
    async def project(self, info: Info) -> Annotated[
            Project, strawberry.lazy("ecozone.graphql.projects.types")] | None:
        from ecozone.graphql.projects.types import Project
        from ecozone.projects.models import Project as ProjectModel
        row = await info.context.loaders.by_id(ProjectModel).load(self.model.project_id)
        return Project.from_model(row) if row else None

    # Fields a page prefetches (loaders.prefetch_plan) are plain functions that may
    # return an awaitable: see graphql/loaders.py now_or_later.
    @strawberry.field(description="The zone leading the work (the project's zone). 牵头试验区（项目所属试验区）。")
    def lead_zone(self, info: Info) -> Zone:
        return zone_of(info, self.model.lead_zone_id)

    @strawberry.field(description=("Participating zones, lead first, with their joint-approval decisions. 参与试验区（牵头在前"
             "）及其联合批准决定。"))
    def zones(self, info: Info) -> list[ZoneApproval]:
        return now_or_later(zone_entries_loader(info), self.id,
                            lambda entries: [ZoneApproval.from_model(r) for r in entries])

    @strawberry.field(description=("Designations as printed, e.g. DB36/T 1234—2026 and DB52/T 1234—2026, or "
             "T/NTSIBJGE 001—2026; empty before publication. 标准编号（印刷形式），如 DB36/T 1234—2026 与 "
             "DB52/T 1234—2026，或 T/NTSIBJGE 001—2026；发布前为空。"))
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
        return await zone_entries_loader(info).load(self.id)

    @strawberry.field(description="The published text; null before publication. 发布文本；发布前为 null。")
    async def final_text(self, info: Info) -> str | None:
        if self.model.final_version_id is None:
            return None
        version = await info.context.loaders.by_id(VersionModel).load(self.model.final_version_id)
        return version.text if version else None

    @strawberry.field(description="Numbered drafts, oldest first. 编号草案，按时间先后。")
    def versions(self, info: Info) -> list[StandardVersion]:
        return now_or_later(versions_loader(info), self.id,
                            lambda rows: [StandardVersion.from_model(v) for v in rows])

    @strawberry.field(description=("The latest numbered draft; null before the first. 最新编号草案；尚无草案时为 null。"))
    def latest_version(self, info: Info) -> StandardVersion | None:
        return now_or_later(versions_loader(info), self.id,
                            lambda rows: StandardVersion.from_model(rows[-1]) if rows else None)

    @strawberry.field(description=("Comments received in all consultations on this standard. 本标准所有征求意见收到的意见数。"))
    def comment_count(self, info: Info) -> int:
        return now_or_later(comment_count_loader(info), self.id, int)

    @strawberry.field(description=("Unified diff between two drafts of this standard, by draft number. 本标准两稿草案之间的统一差"
             "异格式（按草案编号）。"))
    async def diff(self, info: Info, from_version: Annotated[int, strawberry.argument(description=(
             "Number of the older draft (`StandardVersion.number`). 较早草案的编号（"
             "`StandardVersion.number`）。"))], to_version: Annotated[int, strawberry.argument(description="Number of the newer draft. 较新草案的编号。")]) -> str:
        return await service.diff(info.context.session, standard_id=self.id,
                                  from_number=from_version, to_number=to_version)

    @strawberry.field(description="Every stage change, oldest first: who, when, why. 全部阶段变更，按时间先后：谁、何时、为何。")
    async def events(self, info: Info) -> list[StageEvent]:
        rows = await info.context.loaders.grouped(EventModel, "standard_id",
                                                  order=(EventModel.id,)).load(self.id)
        return [StageEvent(action=StandardAction(e.action),
                           from_state=StandardState(e.from_state) if e.from_state in rules.STATE_NAMES else None,
                           to_state=StandardState(e.to_state),
                           reason=e.reason, created_at=e.created_at, actor_id=e.actor_id) for e in rows]

    @strawberry.field(description="The technical review panel (技术审查专家组). 技术审查专家组。")
    async def panel(self, info: Info) -> list[PanelExpert]:
        members = await info.context.loaders.grouped(PanelModel, "standard_id",
                                                     order=(PanelModel.id,)).load(self.id)
        return [PanelExpert(added_at=m.created_at, expert_id=m.expert_id) for m in members]

    @strawberry.field(description=("The latest ballot of the technical review; null before the first. 最近一次技术审查表决；尚未表"
             "决时为 null。"))
    def ballot(self, info: Info) -> BallotStatus | None:
        # Loaders throughout: a page of standards costs a fixed number of queries.
        # The viewer's own vote costs a statement: only when signed in and asked for.
        if not info.context.actor.signed_in or not _asks_for_my_vote(info):
            return now_or_later(latest_ballot_loader(info), self.id, _ballot_status)
        return self._ballot_with_my_vote(info)

    async def _ballot_with_my_vote(self, info: Info) -> BallotStatus | None:
        latest = await latest_ballot_loader(info).load(self.id)
        if latest is None:
            return None
        mine = await my_votes_loader(info, info.context.actor.user_id).load(latest[0].id)
        return _ballot_status(latest, mine)

    @strawberry.field(description=("The latest consultation on this standard's draft; null before the first. 本标准草案最近"
             "一次征求意见；尚无时为 null。"))
    async def consultation(self, info: Info) -> Consultation | None:
        from ecozone.consultation.models import Consultation as ConsultationModel
        rows = await info.context.loaders.grouped(
            ConsultationModel, "subject_id", order=(ConsultationModel.id,),
            where=(ConsultationModel.subject_type == "standard",)).load(self.id)
        return Consultation.from_model(rows[-1]) if rows else None

    @strawberry.field(description=("The standard this one revises; null for an original or when not visible. 本标准所修订的标准；原"
         "版或不可见时为 null。"))
    async def revision_of(self, info: Info) -> Standard | None:
        if self.model.revision_of_id is None:
            return None
        row = await info.context.loaders.by_id(StandardModel).load(self.model.revision_of_id)
        return Standard.from_model(row) if row else None

    @strawberry.field(description=("Its uptake (办法 第四条(四)): applications, pilot sites with their period and results, "
                                   "verifications and evaluations, in start order. 标准的应用情况（办法 第四条(四)）：应用、"
                                   "试点示范（期限与成效）、验证和评估，按开始日期排序。"))
    async def uptake(self, info: Info, kind: Annotated[Annotated["UptakeKind", strawberry.lazy(  # noqa: F821
                         "ecozone.graphql.uptake.types")] | None, strawberry.argument(
                         description="Only this kind. 仅该类型。")] = None,
                     first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                     after: Annotated[str | None, strawberry.argument(description=(
                         "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for the first "
                         "page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None
                     ) -> Annotated["UptakeRecordConnectionResult", strawberry.lazy(  # noqa: F821
                         "ecozone.graphql.uptake.types")]:
        from ecozone.graphql.common import connection
        from ecozone.graphql.results import read
        from ecozone.graphql.uptake.types import UptakeRecord
        from ecozone.uptake import service as uptake_service
        ctx = info.context
        return await read(info, lambda: uptake_service.list_uptake(
            ctx.session, standard_id=self.id, kind=kind.value if kind else None, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size), lambda page: connection(page, UptakeRecord.from_model))


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


def _asks_for_my_vote(info: Info) -> bool:
    """Whether this ``ballot`` selection reads ``myVote`` (directly or in a fragment)."""
    from strawberry.types.nodes import FragmentSpread, InlineFragment

    def names(selections: Any) -> Any:
        for selection in selections:
            if isinstance(selection, (InlineFragment, FragmentSpread)):
                yield from names(selection.selections)
            else:
                yield selection.name
    return any("myVote" in names(field.selections) for field in info.selected_fields)


StandardConnection = Connection[Standard]
