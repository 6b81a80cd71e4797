"""GraphQL types of the expert registry (专家库): experts with per-field visibility, their
conflict declarations and the product categories (queries and mutations in schema.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum

import strawberry
from strawberry import relay

from ecozone.audit.service import note_private_read
from ecozone.experts import service
from ecozone.experts.models import ConflictDeclaration as ConflictModel
from ecozone.experts.models import ExpertProfile
from ecozone.experts.presentation import (
    audited_reads,
    can_manage,
    visibility_of,
    visible_values,
)
from ecozone.experts.rules import PRODUCT_CATEGORIES
from ecozone.graphql.common import load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.loaders import now_or_later
from ecozone.graphql.zones import Zone, zone_of

ExpertState = strawberry.enum(Enum("ExpertState", {s.upper(): s for s in ("pending", "verified", "suspended")}),
                              description=("PENDING (until the home zone verifies) → VERIFIED ⇄ SUSPENDED. 待核验（直至所属试验区核验）→ 已核验 "
         "⇄ 已暂停。"))
Availability = strawberry.enum(Enum("Availability", {s.upper(): s for s in ("available", "limited", "unavailable")}), description=(
         "Whether the expert takes on review work now: AVAILABLE 可参加 · LIMITED 有限 · "
         "UNAVAILABLE 暂不可参加. 专家当前能否承担评审工作。"))
Visibility = strawberry.enum(Enum("Visibility", {s.upper(): s for s in ("public", "partners", "private")}),
                             description=("Who sees a profile field: PUBLIC everyone · PARTNERS any signed-in user · PRIVATE "
         "the expert and their home zone's staff. 档案字段的可见范围：PUBLIC 所有人 · PARTNERS 任何登录用户 · "
         "PRIVATE 仅本人及所属试验区工作人员。"))
ConflictRelation = strawberry.enum(Enum("ConflictRelation", {s.upper(): s for s in service.RELATIONS}), description=(
         "How the expert is tied to a unit: EMPLOYER 任职单位 · COLLABORATOR 合作单位 · OTHER 其他. 专家与单"
         "位的关系。"))
ProductCategoryCode = strawberry.enum(Enum("ProductCategoryCode",
                                           {s.upper(): s for s in PRODUCT_CATEGORIES}),
                                      description=("The eleven farm-product categories (办法 第四条(五)), e.g. TEA 茶叶. 十一类农产品类别（办法 第四条(五)），如 "
         "TEA 茶叶。"))
VisibleField = strawberry.enum(Enum("VisibleField", {
    "TITLE": "title", "ORGANISATION": "organisation", "ORCID": "orcid", "BIOGRAPHY": "biography",
    "STANDARDS_AUTHORED": "standardsAuthored", "EMAIL": "email", "AVAILABILITY": "availability",
    "PHONE": "phone"}), description=("A profile field whose visibility the expert chooses. 专家可设置可见性的档案字段。"))


@strawberry.type(description="A farm-product category (办法 第四条(五)) with its names. 农产品类别（办法 第四条(五)）及其名称。")
class ProductCategory:
    code: ProductCategoryCode = strawberry.field(description="The category's code. 类别代码。")
    name_zh: str = strawberry.field(description=("The category's name in Chinese, e.g. 茶叶. 类别中文名称，如“茶叶”。"))
    name_en: str = strawberry.field(description=("The category's name in English, e.g. Tea. 类别英文名称。"))

    @classmethod
    def of(cls, slug: str) -> ProductCategory:
        return _CATEGORIES[slug]  # eleven fixed values, shared (never mutated)


_CATEGORIES = {slug: ProductCategory(code=ProductCategoryCode(slug), name_zh=zh, name_en=en)
               for slug, (zh, en) in PRODUCT_CATEGORIES.items()}


@strawberry.type(description="Who may see one field of an expert's profile. 专家档案中某一字段的可见范围。")
class FieldVisibility:
    field: VisibleField = strawberry.field(description="The field. 字段。")
    visibility: Visibility = strawberry.field(description="Who may see it. 可见范围。")


@strawberry.type(description=("A unit the expert works for or with: such experts are refused on the review panels "
         "of that unit's standards. 专家任职或合作的单位：该专家不得进入该单位标准的审查专家组。"))
class ConflictDeclaration(relay.Node):
    id: relay.NodeID[int]
    unit_name: str = strawberry.field(description="The unit's name. 单位名称。")
    relation: ConflictRelation = strawberry.field(description="How the expert is tied to it. 与该单位的关系。")
    note: str | None = strawberry.field(description=("The expert's note; null if none. 专家的说明；无则为 null。"))
    declared_at: dt.datetime = strawberry.field(description="When it was declared. 声明时间。")
    withdrawn_at: dt.datetime | None = strawberry.field(description="When it was withdrawn; null while in force. 撤回时间；有效期间为 null。")

    @classmethod
    def from_model(cls, c: ConflictModel) -> ConflictDeclaration:
        return cls(id=c.id, unit_name=c.unit_name, relation=ConflictRelation(c.relation),
                   note=c.note, declared_at=c.created_at, withdrawn_at=c.withdrawn_at)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        """Only the expert and their home zone's staff see a declaration."""
        rows = await load_nodes(info, ConflictModel, list(node_ids))
        profiles = await load_nodes(info, ExpertProfile, [r.expert_id if r else "-" for r in rows])
        return [cls.from_model(r) if r and p and can_manage(p, info.context.actor) else None
                for r, p in zip(rows, profiles)]


@strawberry.type(description=("An expert of the registry (专家库). Verified experts are public; fields the expert "
         "hides from the viewer are null. 专家库中的专家。已核验专家公开；专家对查看者隐藏的字段为 null。"))
class Expert(relay.Node):
    id: relay.NodeID[int]
    name_zh: str = strawberry.field(description="Name in Chinese. 中文姓名。")
    name_en: str | None = strawberry.field(description=("Name in English; null if not given. 英文姓名；未填写时为 null。"))
    name_pinyin: str = strawberry.field(description=("Name in pinyin, without tones, for sorting and search, e.g. zhang san. 姓名拼音（不带声调"
             "），用于排序和检索。"))
    state: ExpertState = strawberry.field(description=("Pending, verified or suspended. 待核验、已核验或已暂停。"))
    is_chief: bool = strawberry.field(description=("True for a chief expert (首席专家), named by the home zone's director. 是否为首席专家（由所属试验"
             "区主任指定）。"))
    title: str | None = strawberry.field(description=("Professional title, e.g. 研究员; null when the expert hides it from the viewer. 职称，"
             "如“研究员”；专家对查看者隐藏时为 null。"))
    organisation: str | None = strawberry.field(description=(
             "The unit the expert works for; null when hidden from the viewer. 工作单位；对查看者隐藏时为 "
             "null。"))
    orcid: str | None = strawberry.field(description=("ORCID iD, e.g. 0000-0002-1825-0097; null when hidden from the viewer. ORCID 标识；对"
             "查看者隐藏时为 null。"))
    biography: str | None = strawberry.field(description=(
             "Short biography; null when hidden from the viewer. 简介；对查看者隐藏时为 null。"))
    standards_authored: list[str] | None = strawberry.field(description=(
             "Designations of standards the expert has drafted; null when hidden from the "
             "viewer. 曾起草标准的编号；对查看者隐藏时为 null。"))
    availability: Availability | None = strawberry.field(description=(
             "Whether the expert takes on review work now; null when hidden from the viewer. 当"
             "前能否承担评审工作；对查看者隐藏时为 null。"))
    created_at: dt.datetime = strawberry.field(description="When it was created (ISO 8601 with offset). 创建时间（ISO 8601，含时区偏移）。")
    updated_at: dt.datetime = strawberry.field(description="When it last changed (ISO 8601 with offset). 最后修改时间（ISO 8601，含时区偏移）。")
    profile: strawberry.Private[ExpertProfile]
    manageable: strawberry.Private[bool]
    contact: strawberry.Private[dict[str, str | None]]
    audited: strawberry.Private[frozenset[str]]

    @classmethod
    def from_model(cls, profile: ExpertProfile, info: Info) -> Expert:
        values = visible_values(profile, info.context.actor)
        return cls(id=profile.id, name_zh=profile.name_zh, name_en=profile.name_en,
                   name_pinyin=profile.name_pinyin, state=ExpertState(profile.state),
                   is_chief=profile.is_chief, title=values["title"],
                   organisation=values["organisation"], orcid=values["orcid"], biography=values["biography"],
                   standards_authored=values["standardsAuthored"],
                   availability=Availability(values["availability"]) if values["availability"] else None,
                   created_at=profile.created_at, updated_at=profile.updated_at, profile=profile,
                   manageable=can_manage(profile, info.context.actor),
                   contact={"email": values["email"], "phone": values["phone"]},
                   audited=audited_reads(profile, info.context.actor))

    def _contact(self, name: str, info: Info) -> str | None:
        value = self.contact[name]
        if value is not None and name in self.audited:
            note_private_read(info.context.session, info.context.actor, "expert_profile", self.id)
        return value

    @strawberry.field(description=("E-mail address; null when hidden from the viewer; reading it is audited. 电子邮箱；对查"
             "看者隐藏时为 null；读取会记入审计日志。"))
    def email(self, info: Info) -> str | None:
        return self._contact("email", info)

    @strawberry.field(description=("Telephone; null when hidden from the viewer; reading it is audited. 电话；对查看者隐藏时为 "
             "null；读取会记入审计日志。"))
    def phone(self, info: Info) -> str | None:
        return self._contact("phone", info)

    # Plain functions that may return an awaitable: see graphql/loaders.py now_or_later.
    @strawberry.field(description="The zone that verifies and manages the expert. 负责核验和管理该专家的试验区。")
    def home_zone(self, info: Info) -> Zone:
        return zone_of(info, self.profile.home_zone_id)

    @strawberry.field(description=("Fields of expertise, free text, e.g. 标准化管理. 专业领域（自由文本），如“标准化管理”。"))
    def fields(self, info: Info) -> list[str]:
        return now_or_later(info.context.loaders.expert_fields, self.id, list)

    @strawberry.field(description="Product categories the expert knows. 专家熟悉的产品类别。")
    def categories(self, info: Info) -> list[ProductCategory]:
        return now_or_later(info.context.loaders.expert_categories, self.id, _categories)

    @strawberry.field(description=("Visibility of each field; only for the expert and home-zone staff, null for "
             "others. 各字段的可见性；仅本人和所属试验区工作人员可见，其他人为 null。"))
    def visibility(self) -> list[FieldVisibility] | None:
        if not self.manageable:
            return None
        return [FieldVisibility(field=VisibleField(k), visibility=Visibility(v))
                for k, v in visibility_of(self.profile).items()]

    @strawberry.field(description=("Declared conflicts of interest; for the expert and home-zone staff, null for "
             "others. 已声明的利益冲突；仅本人和所属试验区工作人员可见，其他人为 null。"))
    async def conflicts(self, info: Info) -> list[ConflictDeclaration] | None:
        if not self.manageable:
            return None
        rows = await info.context.loaders.expert_conflicts.load(self.id)
        return [ConflictDeclaration.from_model(c) for c in rows]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await load_nodes(info, ExpertProfile, list(node_ids))
        return [cls.from_model(r, info) if r else None for r in rows]


def _categories(codes: list[str]) -> list[ProductCategory]:
    return [ProductCategory.of(code) for code in codes]
