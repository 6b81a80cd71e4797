"""Expert registry: queries, mutations and their inputs; profiles with per-field visibility,
verification, conflicts, search (types in types.py)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay

from ecozone.experts import service
from ecozone.graphql.common import (
    Connection,
    connection,
    decode_id,
    requested_node_fields,
)
from ecozone.graphql.context import Info
from ecozone.graphql.experts.types import (
    Availability,
    ConflictDeclaration,
    ConflictRelation,
    Expert,
    ExpertState,
    ProductCategoryCode,
    Visibility,
    VisibleField,
)
from ecozone.graphql.loaders import PrefetchPlan, prefetch
from ecozone.graphql.results import (
    EVERY_FAILURE,
    ValidationFailed,
    read,
    result_union,
    run,
)


def _prefetch_plan(info: Info) -> PrefetchPlan:
    """What a page of experts loads at once for the fields asked for (graphql/loaders.py)."""
    loaders = info.context.loaders
    return {"homeZone": (lambda: loaders.zone, lambda p: p.home_zone_id),
            "fields": (lambda: loaders.expert_fields, lambda p: p.id),
            "categories": (lambda: loaders.expert_categories, lambda p: p.id)}


ExpertResult = result_union("ExpertResult", Expert, *EVERY_FAILURE)
ConflictResult = result_union("ConflictResult", ConflictDeclaration, *EVERY_FAILURE)
ExpertConnectionResult = result_union("ExpertConnectionResult", Connection[Expert], ValidationFailed)


@strawberry.input(description="Who may see one field of your profile. 本人档案中某一字段的可见范围。")
class FieldVisibilityInput:
    field: VisibleField = strawberry.field(description="The field. 字段。")
    visibility: Visibility = strawberry.field(description="Who may see it. 可见范围。")


@strawberry.input(description=("Your own expert profile; it starts pending until your home zone verifies it. 本人专家档案；"
         "所属试验区核验前为待核验状态。"))
class CreateExpertProfileInput:
    name_zh: str = strawberry.field(description="Name in Chinese. 中文姓名。")
    name_en: str | None = strawberry.field(default=None, description="Name in English. 英文姓名。")
    title: str | None = strawberry.field(default=None, description="Professional title, e.g. 研究员. 职称，如“研究员”。")
    organisation: str | None = strawberry.field(default=None, description="The unit you work for. 工作单位。")
    email: str | None = strawberry.field(default=None, description="E-mail address. 电子邮箱。")
    phone: str | None = strawberry.field(default=None, description="Telephone. 电话。")
    orcid: str | None = strawberry.field(default=None, description="ORCID iD, e.g. 0000-0002-1825-0097. ORCID 标识，如 0000-0002-1825-0097。")
    biography: str | None = strawberry.field(default=None, description="Short biography. 简介。")
    fields: list[str] | None = strawberry.field(default=None, description="Fields of expertise, free text. 专业领域（自由文本）。")
    categories: list[ProductCategoryCode] | None = strawberry.field(default=None, description="Product categories you know. 熟悉的产品类别。")
    availability: Availability | None = strawberry.field(default=None, description="Whether you take on review work now. 当前能否承担评审工作。")
    standards_authored: list[str] | None = strawberry.field(default=None, description="Designations of standards you have drafted. 曾起草标准的编号。")
    visibility: list[FieldVisibilityInput] | None = strawberry.field(default=None, description="Who may see each field; fields not listed keep their default. 各字段的可见范围；未列出的字段保持默认。")


@strawberry.input(description=("Only the fields you send change; send null to clear one. 仅修改所发送的字段；发送 null 清空该字段。"))
class UpdateExpertProfileInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Expert (`Expert.id`). 专家的全局 ID（`Expert.id`）。"))
    name_zh: str | None = strawberry.field(default=strawberry.UNSET, description="Name in Chinese. 中文姓名。")
    name_en: str | None = strawberry.field(default=strawberry.UNSET, description="Name in English. 英文姓名。")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Professional title, e.g. 研究员. 职称，如“研究员”。")
    organisation: str | None = strawberry.field(default=strawberry.UNSET, description="The unit you work for. 工作单位。")
    email: str | None = strawberry.field(default=strawberry.UNSET, description="E-mail address. 电子邮箱。")
    phone: str | None = strawberry.field(default=strawberry.UNSET, description="Telephone. 电话。")
    orcid: str | None = strawberry.field(default=strawberry.UNSET, description="ORCID iD, e.g. 0000-0002-1825-0097. ORCID 标识，如 0000-0002-1825-0097。")
    biography: str | None = strawberry.field(default=strawberry.UNSET, description="Short biography. 简介。")
    fields: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Fields of expertise, free text. 专业领域（自由文本）。")
    categories: list[ProductCategoryCode] | None = strawberry.field(default=strawberry.UNSET, description="Product categories you know. 熟悉的产品类别。")
    availability: Availability | None = strawberry.field(default=strawberry.UNSET, description="Whether you take on review work now. 当前能否承担评审工作。")
    standards_authored: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Designations of standards you have drafted. 曾起草标准的编号。")
    visibility: list[FieldVisibilityInput] | None = strawberry.field(default=strawberry.UNSET, description="Who may see each field; fields not listed keep their default. 各字段的可见范围；未列出的字段保持默认。")


@strawberry.input(description="Verify an expert. 核验专家。")
class VerifyExpertInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Expert (`Expert.id`). 专家的全局 ID（`Expert.id`）。"))


@strawberry.input(description="Suspend a verified expert. 暂停已核验专家。")
class SuspendExpertInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Expert (`Expert.id`). 专家的全局 ID（`Expert.id`）。"))
    reason: str = strawberry.field(description=("Why, required: kept in the event history and sent in the notifications. 原因（必填），记"
             "入事件历史并随通知发送。"))


@strawberry.input(description="Name or un-name a verified expert chief expert (首席专家). 指定或取消首席专家。")
class DesignateChiefExpertInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Expert (`Expert.id`). 专家的全局 ID（`Expert.id`）。"))
    chief: bool = strawberry.field(default=True, description="True to name, false to un-name. true 为指定，false 为取消。")


@strawberry.input(description="A conflict of interest to declare on your profile. 要在本人档案中声明的利益冲突。")
class DeclareConflictInput:
    unit_name: str = strawberry.field(description="The unit's name. 单位名称。")
    relation: ConflictRelation = strawberry.field(description="How you are tied to it. 与该单位的关系。")
    note: str | None = strawberry.field(default=None, description="Optional note. 可选说明。")


@strawberry.input(description="Withdraw a declared conflict. 撤回已声明的利益冲突。")
class WithdrawConflictInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the declaration (`ConflictDeclaration.id`). 利益冲突声明的全局 ID（"
             "`ConflictDeclaration.id`）。"))


@strawberry.input(description="Filters of `experts`; all optional, combined with AND. `experts` 的筛选条件；均可选，按“与”组合。")
class ExpertFilterInput:
    text: str | None = strawberry.field(default=None, description="Chinese name, pinyin, initials or field of expertise. 中文姓名、拼音、首字母或专业领域。")
    field: str | None = strawberry.field(default=None, description="Only experts with this field of expertise (exact). 仅具有该专业领域的专家（精确匹配）。")
    category: ProductCategoryCode | None = strawberry.field(default=None, description="Only experts knowing this product category. 仅熟悉该产品类别的专家。")
    zone: str | None = strawberry.field(default=None, description="Only experts of this home zone (slug). 仅该所属试验区（slug）的专家。")
    state: ExpertState | None = strawberry.field(default=None, description=("Only experts in this state (others than verified: staff only). 仅该状态的专家（非已核验状态仅工作"
             "人员可查）。"))
    chief: bool | None = strawberry.field(default=None, description="Only chief experts (true) or only the others (false). 仅首席专家（true）或仅非首席专家（false）。")


_CAMEL = {"name_zh": "nameZh", "name_en": "nameEn", "standards_authored": "standardsAuthored"}


def profile_data(input_: Any) -> dict[str, Any]:
    """GraphQL input → service dict (camelCase keys), leaving out fields not sent."""
    data: dict[str, Any] = {}
    for name, value in vars(input_).items():
        if name == "id" or value is strawberry.UNSET:
            continue
        if isinstance(value, Enum):
            value = value.value
        elif name == "categories" and value is not None:
            value = [c.value for c in value]
        elif name == "visibility" and value is not None:
            value = {v.field.value: v.visibility.value for v in value}
        data[_CAMEL.get(name, name)] = value
    return data


@strawberry.type
class ExpertQuery:
    @strawberry.field(description=("Search the expert registry (专家库); anonymous users see verified "
             "experts only, staff also their zone's pending and suspended ones. 检索专家库；匿名"
             "用户仅见已核验专家，工作人员另可见本区待核验和已暂停的专家。"))
    async def experts(self, info: Info, filter: Annotated[ExpertFilterInput | None, strawberry.argument(description="Narrow the search; every field given must match. 筛选条件；所给字段须全部匹配。")] = None, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                      after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> ExpertConnectionResult:
        ctx, f = info.context, filter or ExpertFilterInput()
        filters = service.ExpertFilter(
            text=f.text, field=f.field, zone=f.zone, chief=f.chief,
            category=f.category.value if f.category else None,
            state=f.state.value if f.state else None)

        async def search():
            page = await service.search(ctx.session, ctx.actor, filters=filters, first=first,
                                        after=after, max_page_size=ctx.settings.limits.max_page_size)
            await prefetch(requested_node_fields(info), page.items, _prefetch_plan(info))
            return page
        return await read(info, search, lambda page: connection(page, lambda p: Expert.from_model(p, info)))

    @strawberry.field(description=("One expert by ID; NotFound when there is none or the viewer may not see it "
         "(pending/suspended experts: the expert and home-zone staff). 按 ID 获取专家；不存在或不可见时返回 "
         "NotFound（待核验/已暂停专家仅本人和所属试验区工作人员可见）。"))
    async def expert(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="Global ID of the Expert (`Expert.id`). 专家的全局 ID（`Expert.id`）。")]) -> ExpertResult:
        return await read(info, lambda: service.get_profile(info.context.session,
                                                            decode_id(id, "Expert")),
                          lambda p: Expert.from_model(p, info))

    @strawberry.field(description=("The signed-in user's own expert profile, with every field; null when there is "
             "none or when anonymous. 登录用户本人的专家档案（全部字段）；没有或匿名时为 null。"))
    async def my_expert_profile(self, info: Info) -> Expert | None:
        profile = await service.my_profile(info.context.session, info.context.actor)
        return Expert.from_model(profile, info) if profile else None


def _expert(info: Info):
    return lambda profile: Expert.from_model(profile, info)


@strawberry.type
class ExpertMutation:
    @strawberry.mutation(description=("Create your own expert profile in your home zone; it stays pending until the zone verifies it. 在所属试验区创建本人专家档案；试验区核验前为待核验状态。"))
    async def create_expert_profile(self, info: Info, input: Annotated[CreateExpertProfileInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ExpertResult:
        ctx = info.context
        return await run(info, lambda: service.create_profile(ctx.session, ctx.actor,
                                                              data=profile_data(input)), _expert(info))

    @strawberry.mutation(description="Change your own profile; only the expert may. 修改本人专家档案；仅专家本人可操作。")
    async def update_expert_profile(self, info: Info, input: Annotated[UpdateExpertProfileInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ExpertResult:
        ctx = info.context
        return await run(info, lambda: service.update_profile(
            ctx.session, ctx.actor, expert_id=decode_id(input.id, "Expert"),
            data=profile_data(input)), _expert(info))

    @strawberry.mutation(description=("Home-zone secretary or director: pending/suspended → verified; the expert is "
             "notified. 所属试验区秘书或主任：待核验/已暂停 → 已核验；通知专家本人。"))
    async def verify_expert(self, info: Info, input: Annotated[VerifyExpertInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ExpertResult:
        ctx = info.context
        return await run(info, lambda: service.change_state(
            ctx.session, ctx.actor, expert_id=decode_id(input.id, "Expert"), action="verify"),
            _expert(info))

    @strawberry.mutation(description=("Home-zone staff: verified → suspended (reason required); the expert is notified. 所属试"
         "验区工作人员：已核验 → 已暂停（须说明原因）；通知专家本人。"))
    async def suspend_expert(self, info: Info, input: Annotated[SuspendExpertInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ExpertResult:
        ctx = info.context
        return await run(info, lambda: service.change_state(
            ctx.session, ctx.actor, expert_id=decode_id(input.id, "Expert"), action="suspend",
            reason=input.reason), _expert(info))

    @strawberry.mutation(description=("Name (or un-name) a verified expert chief expert (首席专家); the home zone's "
             "director. 指定（或取消）已核验专家为首席专家；由所属试验区主任操作。"))
    async def designate_chief_expert(self, info: Info, input: Annotated[DesignateChiefExpertInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ExpertResult:
        ctx = info.context
        return await run(info, lambda: service.designate_chief(
            ctx.session, ctx.actor, expert_id=decode_id(input.id, "Expert"), chief=input.chief),
            _expert(info))

    @strawberry.mutation(description="Declare a conflict of interest on your own profile. 在本人档案中声明利益冲突。")
    async def declare_conflict(self, info: Info, input: Annotated[DeclareConflictInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ConflictResult:
        ctx = info.context
        return await run(info, lambda: service.declare_conflict(
            ctx.session, ctx.actor, unit_name=input.unit_name, relation=input.relation.value,
            note=input.note), ConflictDeclaration.from_model)

    @strawberry.mutation(description="Withdraw one of your declared conflicts. 撤回本人已声明的利益冲突。")
    async def withdraw_conflict(self, info: Info, input: Annotated[WithdrawConflictInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ConflictResult:
        ctx = info.context
        return await run(info, lambda: service.withdraw_conflict(
            ctx.session, ctx.actor, conflict_id=decode_id(input.id, "ConflictDeclaration")),
            ConflictDeclaration.from_model)
