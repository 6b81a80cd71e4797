"""Zones (tenants) and users."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry import relay

from ecozone.auth.models import User as UserModel
from ecozone.db.pagination import paginate
from ecozone.graphql.common import Connection, connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.loaders import now_or_later
from ecozone.tenancy.models import Zone as ZoneModel


@strawberry.type(description=("Per-zone rules, from the zone's tenant file; public. 各试验区的规则，来自租户配置文件；公开。"))
class ZoneSettings:
    review_turnout: list[int] = strawberry.field(description=(
             "Share of the review panel that must vote, as [numerator, denominator], e.g. [3, "
             "4]. 技术审查专家组须参与投票的比例，[分子, 分母]，如 [3, 4]。"))
    review_approval: list[int] = strawberry.field(description=(
             "Share of the votes cast that must be yes, as [numerator, denominator], e.g. [2, "
             "3]. 已投票数中须为赞成的比例，[分子, 分母]，如 [2, 3]。"))
    consultation_days: int = strawberry.field(description=(
             "Length of a public consultation on a draft standard, in calendar days. 标准草案征求意见期"
             "，自然日天数。"))
    project_notice_days: int = strawberry.field(description=(
             "Length of a project's public notice, in calendar days (办法 第十一条). 项目公示期，自然日天数（办法 "
             "第十一条）。"))
    agenda_working_days: int = strawberry.field(description=(
             "Working days before a council meeting by which agenda items must be submitted (章"
             "程). 理事会会议前须提交议题的工作日天数（章程）。"))


@strawberry.type(description="A pilot zone (tenant): 试验区.")
class Zone(relay.Node):
    id: relay.NodeID[int]
    slug: str = strawberry.field(description=("Stable identifier used in `X-Zone` and filters: jiangxi, guizhou, fujian, "
             "hainan. 稳定标识，用于 `X-Zone` 请求头和筛选：jiangxi、guizhou、fujian、hainan。"))
    name_zh: str = strawberry.field(description=("The zone's name in Chinese, e.g. 江西. 试验区中文名称，如“江西”。"))
    name_en: str = strawberry.field(description=("The zone's name in English, e.g. Jiangxi. 试验区英文名称，如 Jiangxi。"))
    standard_code: str = strawberry.field(description=("Prefix of the zone's local standards, e.g. DB36/T. 本试验区地方标准代号前缀，如 DB36/T。"))
    admin_code: str = strawberry.field(description=("The province's administrative division code, two digits (GB/T 2260), e.g. 36. 省级行政区划代码（两位，GB/T 2260），如 36。"))
    is_host: bool = strawberry.field(description=("True for the host zone of the base (Jiangxi). 是否为基地牵头试验区（江西）。"))
    settings: ZoneSettings = strawberry.field(description=(
             "The zone's rules from its tenant file: ballot thresholds and time limits. 试验区规则（"
             "来自租户配置文件）：表决门槛和期限。"))

    @classmethod
    def from_model(cls, zone: ZoneModel) -> Zone:
        s = zone.settings
        return cls(id=zone.id, slug=zone.slug, name_zh=zone.name_zh, name_en=zone.name_en,
                   standard_code=zone.standard_code, admin_code=zone.admin_code,
                   is_host=zone.is_host, settings=ZoneSettings(
                       review_turnout=s["review"]["turnout"], review_approval=s["review"]["approval"],
                       consultation_days=s["consultation"]["days"],
                       project_notice_days=s["projects"]["notice_days"],
                       agenda_working_days=s["council"]["agenda_working_days"]))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        zones = await load_nodes(info, ZoneModel, list(node_ids))
        return [cls.from_model(z) if z else None for z in zones]


async def load_zone(info: Info, zone_id: int) -> Zone:
    return Zone.from_model(await info.context.loaders.zone.load(zone_id))


def zone_of(info: Info, zone_id: int) -> Zone | Awaitable[Zone]:
    """A zone field's value: synchronous when the request already loaded the zone."""
    loaders = info.context.loaders
    key = ("Zone", zone_id)
    node = loaders.nodes.get(key)
    if node is not None:
        return node
    return now_or_later(loaders.zone, zone_id,
                        lambda row: loaders.nodes.setdefault(key, Zone.from_model(row)))


@strawberry.type(description=("A person who signs in. Accounts are private: seen by the user, their home zone's "
         "staff, the people who handle their requests, and everyone only where the platform "
         "made the person public (a verified expert, the working group of a public standard); "
         "null or NotFound for anyone else. 登录用户。账户信息不公开：仅本人、所属试验区工作人员、处理其申请的人员可见；平台公开的人员（已核验专"
         "家、公开标准的起草组成员）所有人可见；其他情况为 null 或 NotFound。"))
class User(relay.Node):
    id: relay.NodeID[int]
    display_name: str = strawberry.field(description=("The name shown to others, e.g. 张三. 对他人显示的姓名，如“张三”。"))
    home_zone_id: strawberry.Private[int]
    sign_in_name: strawberry.Private[str]

    @strawberry.field(description=("The sign-in name: shown to the user and their home zone's staff only, null for "
             "everyone else. 登录名：仅本人及其所属试验区工作人员可见，其他人为 null。"))
    def username(self, info: Info) -> str | None:
        actor = info.context.actor
        if actor.user_id == self.id or (actor.zone_staff and actor.zone_id == self.home_zone_id):
            return self.sign_in_name
        return None

    @strawberry.field(description=("The zone the account belongs to; acts there unless `X-Zone` says otherwise. 账户所属试验区；"
         "未指定 `X-Zone` 时在此试验区操作。"))
    async def home_zone(self, info: Info) -> Zone:
        return await load_zone(info, self.home_zone_id)

    @classmethod
    def from_model(cls, user: UserModel) -> User:
        return cls(id=user.id, sign_in_name=user.username, display_name=user.display_name,
                   home_zone_id=user.home_zone_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        users = await load_nodes(info, UserModel, list(node_ids))
        return [cls.from_model(u) if u else None for u in users]


async def load_user(info: Info, user_id: int | None) -> User | None:
    """A field naming a person: null when there is none or the viewer may not see the account
    (the data layer applies ``User.visible_to``)."""
    if user_id is None:
        return None
    user = await info.context.loaders.user.load(user_id)
    return User.from_model(user) if user else None


@strawberry.type
class ZoneQuery:
    @strawberry.field(description="The pilot zones, in slug order; public. 各试验区，按 slug 排序；公开。")
    async def zones(self, info: Info, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 100, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor of the last item of the previous page (`pageInfo.endCursor`); omit for "
             "the first page. 上一页最后一项的游标（`pageInfo.endCursor`）；取第一页时省略。"))] = None
                    ) -> Connection[Zone]:
        ctx = info.context
        page = await paginate(ctx.session, select(ZoneModel), order=(ZoneModel.slug,),
                              first=first, after=after,
                              max_page_size=ctx.settings.limits.max_page_size)
        return connection(page, Zone.from_model)

    @strawberry.field(description="A zone by its slug; null if there is none. Public. 按 slug 查询试验区；不存在时为 null。公开。")
    async def zone(self, info: Info, slug: Annotated[str, strawberry.argument(description=(
             "The zone's slug: jiangxi, guizhou, fujian or hainan. 试验区标识：jiangxi、guizhou、"
             "fujian 或 hainan。"))]) -> Zone | None:
        zone = await info.context.session.scalar(select(ZoneModel).where(ZoneModel.slug == slug))
        return Zone.from_model(zone) if zone else None
