"""Expert registry: profiles with per-field visibility, verification, conflicts, search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay

from ecozone.experts import service
from ecozone.experts.models import ConflictDeclaration as ConflictModel
from ecozone.experts.models import ExpertProfile
from ecozone.audit.service import note_private_read
from ecozone.experts.presentation import audited_reads, can_manage, visibility_of, visible_values
from ecozone.experts.rules import PRODUCT_CATEGORIES
from ecozone.graphql.common import Connection, connection, decode_id, load_nodes, requested_node_fields
from ecozone.graphql.context import Info
from ecozone.graphql.loaders import PrefetchPlan, now_or_later, prefetch
from ecozone.graphql.results import Conflict, NotFound, PermissionDenied, ValidationFailed, read, run
from ecozone.graphql.zones import Zone, zone_of

ExpertState = strawberry.enum(Enum("ExpertState", {s.upper(): s for s in ("pending", "verified", "suspended")}),
                              description="pending → verified ⇄ suspended")
Availability = strawberry.enum(Enum("Availability", {s.upper(): s for s in ("available", "limited", "unavailable")}))
Visibility = strawberry.enum(Enum("Visibility", {s.upper(): s for s in ("public", "partners", "private")}),
                             description="public: everyone; partners: any signed-in user; "
                                         "private: the expert and their home zone's staff")
ConflictRelation = strawberry.enum(Enum("ConflictRelation", {s.upper(): s for s in service.RELATIONS}))
ProductCategoryCode = strawberry.enum(Enum("ProductCategoryCode",
                                           {s.upper(): s for s in PRODUCT_CATEGORIES}),
                                      description="The eleven farm-product categories (办法 第四条(五))")
VisibleField = strawberry.enum(Enum("VisibleField", {
    "TITLE": "title", "ORGANISATION": "organisation", "ORCID": "orcid", "BIOGRAPHY": "biography",
    "STANDARDS_AUTHORED": "standardsAuthored", "EMAIL": "email", "AVAILABILITY": "availability",
    "PHONE": "phone"}))


@strawberry.type
class ProductCategory:
    code: ProductCategoryCode
    name_zh: str
    name_en: str

    @classmethod
    def of(cls, slug: str) -> ProductCategory:
        return _CATEGORIES[slug]  # eleven fixed values, shared (never mutated)


_CATEGORIES = {slug: ProductCategory(code=ProductCategoryCode(slug), name_zh=zh, name_en=en)
               for slug, (zh, en) in PRODUCT_CATEGORIES.items()}


@strawberry.type
class FieldVisibility:
    field: VisibleField
    visibility: Visibility


@strawberry.type(description="A unit the expert works for or with: drives recusal in reviews.")
class ConflictDeclaration(relay.Node):
    id: relay.NodeID[int]
    unit_name: str
    relation: ConflictRelation
    note: str | None
    declared_at: dt.datetime
    withdrawn_at: dt.datetime | None

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


@strawberry.type(description="An expert of the registry (专家库). Fields the viewer may not see are null.")
class Expert(relay.Node):
    id: relay.NodeID[int]
    name_zh: str
    name_en: str | None
    name_pinyin: str
    state: ExpertState
    is_chief: bool = strawberry.field(description="首席专家")
    title: str | None
    organisation: str | None
    orcid: str | None
    biography: str | None
    standards_authored: list[str] | None
    availability: Availability | None
    created_at: dt.datetime
    updated_at: dt.datetime
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

    @strawberry.field
    def email(self, info: Info) -> str | None:
        return self._contact("email", info)

    @strawberry.field
    def phone(self, info: Info) -> str | None:
        return self._contact("phone", info)

    # Plain functions that may return an awaitable: see graphql/loaders.py now_or_later.
    @strawberry.field
    def home_zone(self, info: Info) -> Zone:
        return zone_of(info, self.profile.home_zone_id)

    @strawberry.field(description="Fields of expertise")
    def fields(self, info: Info) -> list[str]:
        return now_or_later(info.context.loaders.expert_fields, self.id, list)

    @strawberry.field
    def categories(self, info: Info) -> list[ProductCategory]:
        return now_or_later(info.context.loaders.expert_categories, self.id, _categories)

    @strawberry.field(description="Visibility of each field: only for the expert and home-zone staff")
    def visibility(self) -> list[FieldVisibility] | None:
        if not self.manageable:
            return None
        return [FieldVisibility(field=VisibleField(k), visibility=Visibility(v))
                for k, v in visibility_of(self.profile).items()]

    @strawberry.field(description="Declared conflicts of interest: for the expert and home-zone staff")
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


def _prefetch_plan(info: Info) -> PrefetchPlan:
    """What a page of experts loads at once for the fields asked for (graphql/loaders.py)."""
    loaders = info.context.loaders
    return {"homeZone": (lambda: loaders.zone, lambda p: p.home_zone_id),
            "fields": (lambda: loaders.expert_fields, lambda p: p.id),
            "categories": (lambda: loaders.expert_categories, lambda p: p.id)}


ExpertResult = Annotated[Expert | PermissionDenied | ValidationFailed | NotFound | Conflict,
                         strawberry.union("ExpertResult")]
ConflictResult = Annotated[ConflictDeclaration | PermissionDenied | ValidationFailed | NotFound | Conflict,
                           strawberry.union("ConflictResult")]
ExpertConnectionResult = Annotated[Connection[Expert] | ValidationFailed,
                                   strawberry.union("ExpertConnectionResult")]


@strawberry.input
class FieldVisibilityInput:
    field: VisibleField
    visibility: Visibility


@strawberry.input(description="Your own expert profile; it starts pending until your home zone verifies it.")
class CreateExpertProfileInput:
    name_zh: str
    name_en: str | None = None
    title: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None
    orcid: str | None = strawberry.field(default=None, description="e.g. 0000-0002-1825-0097")
    biography: str | None = None
    fields: list[str] | None = None
    categories: list[ProductCategoryCode] | None = None
    availability: Availability | None = None
    standards_authored: list[str] | None = None
    visibility: list[FieldVisibilityInput] | None = None


@strawberry.input(description="Only the fields you send change; send null to clear one.")
class UpdateExpertProfileInput:
    id: relay.GlobalID
    name_zh: str | None = strawberry.UNSET
    name_en: str | None = strawberry.UNSET
    title: str | None = strawberry.UNSET
    organisation: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    orcid: str | None = strawberry.UNSET
    biography: str | None = strawberry.UNSET
    fields: list[str] | None = strawberry.UNSET
    categories: list[ProductCategoryCode] | None = strawberry.UNSET
    availability: Availability | None = strawberry.UNSET
    standards_authored: list[str] | None = strawberry.UNSET
    visibility: list[FieldVisibilityInput] | None = strawberry.UNSET


@strawberry.input
class VerifyExpertInput:
    id: relay.GlobalID


@strawberry.input
class SuspendExpertInput:
    id: relay.GlobalID
    reason: str


@strawberry.input
class DesignateChiefExpertInput:
    id: relay.GlobalID
    chief: bool = True


@strawberry.input
class DeclareConflictInput:
    unit_name: str
    relation: ConflictRelation
    note: str | None = None


@strawberry.input
class WithdrawConflictInput:
    id: relay.GlobalID


@strawberry.input
class ExpertFilterInput:
    text: str | None = strawberry.field(default=None, description="Chinese name, pinyin, initials or field")
    field: str | None = None
    category: ProductCategoryCode | None = None
    zone: str | None = strawberry.field(default=None, description="Home zone slug")
    state: ExpertState | None = None
    chief: bool | None = None


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
    @strawberry.field(description="Search the registry; anonymous users see verified experts only.")
    async def experts(self, info: Info, filter: ExpertFilterInput | None = None, first: int = 20,
                      after: str | None = None) -> ExpertConnectionResult:
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

    @strawberry.field
    async def expert(self, info: Info, id: relay.GlobalID) -> ExpertResult:
        return await read(info, lambda: service.get_profile(info.context.session,
                                                            decode_id(id, "Expert")),
                          lambda p: Expert.from_model(p, info))

    @strawberry.field(description="The signed-in user's own profile, if any.")
    async def my_expert_profile(self, info: Info) -> Expert | None:
        profile = await service.my_profile(info.context.session, info.context.actor)
        return Expert.from_model(profile, info) if profile else None


def _expert(info: Info):
    return lambda profile: Expert.from_model(profile, info)


@strawberry.type
class ExpertMutation:
    @strawberry.mutation
    async def create_expert_profile(self, info: Info, input: CreateExpertProfileInput) -> ExpertResult:
        ctx = info.context
        return await run(info, lambda: service.create_profile(ctx.session, ctx.actor,
                                                              data=profile_data(input)), _expert(info))

    @strawberry.mutation
    async def update_expert_profile(self, info: Info, input: UpdateExpertProfileInput) -> ExpertResult:
        ctx = info.context
        return await run(info, lambda: service.update_profile(
            ctx.session, ctx.actor, expert_id=decode_id(input.id, "Expert"),
            data=profile_data(input)), _expert(info))

    @strawberry.mutation(description="Home-zone secretary or director: pending/suspended → verified")
    async def verify_expert(self, info: Info, input: VerifyExpertInput) -> ExpertResult:
        ctx = info.context
        return await run(info, lambda: service.change_state(
            ctx.session, ctx.actor, expert_id=decode_id(input.id, "Expert"), action="verify"),
            _expert(info))

    @strawberry.mutation
    async def suspend_expert(self, info: Info, input: SuspendExpertInput) -> ExpertResult:
        ctx = info.context
        return await run(info, lambda: service.change_state(
            ctx.session, ctx.actor, expert_id=decode_id(input.id, "Expert"), action="suspend",
            reason=input.reason), _expert(info))

    @strawberry.mutation(description="Name (or un-name) a verified expert chief expert (首席专家)")
    async def designate_chief_expert(self, info: Info, input: DesignateChiefExpertInput) -> ExpertResult:
        ctx = info.context
        return await run(info, lambda: service.designate_chief(
            ctx.session, ctx.actor, expert_id=decode_id(input.id, "Expert"), chief=input.chief),
            _expert(info))

    @strawberry.mutation
    async def declare_conflict(self, info: Info, input: DeclareConflictInput) -> ConflictResult:
        ctx = info.context
        return await run(info, lambda: service.declare_conflict(
            ctx.session, ctx.actor, unit_name=input.unit_name, relation=input.relation.value,
            note=input.note), ConflictDeclaration.from_model)

    @strawberry.mutation
    async def withdraw_conflict(self, info: Info, input: WithdrawConflictInput) -> ConflictResult:
        ctx = info.context
        return await run(info, lambda: service.withdraw_conflict(
            ctx.session, ctx.actor, conflict_id=decode_id(input.id, "ConflictDeclaration")),
            ConflictDeclaration.from_model)
