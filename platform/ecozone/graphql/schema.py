"""The schema, merged from one module per domain."""

from __future__ import annotations

from functools import lru_cache

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from ecozone.graphql.annual.schema import AnnualMutation, AnnualQuery
from ecozone.graphql.audit import AuditQuery
from ecozone.graphql.catalogs.schema import CatalogMutation, CatalogQuery
from ecozone.graphql.consultation.schema import ConsultationMutation, ConsultationQuery
from ecozone.graphql.council.schema import COUNCIL_MUTATIONS, COUNCIL_QUERIES
from ecozone.graphql.council.meetings import (
    CouncilMeetingsMutation,
    CouncilMeetingsQuery,
)
from ecozone.graphql.council.units import CouncilUnitsMutation, CouncilUnitsQuery
from ecozone.graphql.direct_resolvers import use_direct_resolvers
from ecozone.graphql.consulting.schema import ConsultingMutation, ConsultingQuery
from ecozone.graphql.events.schema import EventsMutation, EventsQuery
from ecozone.graphql.uptake.schema import UptakeMutation, UptakeQuery
from ecozone.graphql.experts.schema import ExpertMutation, ExpertQuery
from ecozone.graphql.funds.money import SCALAR_MAP as MONEY_SCALAR_MAP
from ecozone.graphql.funds.schema import FundsMutation, FundsQuery
from ecozone.graphql.meetings.schema import JointMeetingMutation, JointMeetingQuery
from ecozone.graphql.nodes import ForgedIdIsNotFound, NodeQuery
from ecozone.graphql.news.schema import NewsMutation, NewsQuery
from ecozone.graphql.notifications import (
    NotificationMutation,
    NotificationQuery,
    NotificationSubscription,
)
from ecozone.graphql.projects.schema import ProjectMutation, ProjectQuery
from ecozone.graphql.roles import RoleMutation, RoleQuery
from ecozone.graphql.scalars import SCALAR_MAP
from ecozone.graphql.standards.schema import StandardMutation, StandardQuery
from ecozone.graphql.talent.schema import TalentMutation, TalentQuery
from ecozone.graphql.trace import TraceMutation, TraceQuery
from ecozone.graphql.zones import ZoneQuery

# One entry per domain module; later issues add theirs to these tuples.
QUERIES: tuple[type, ...] = (NodeQuery, ZoneQuery, RoleQuery, ExpertQuery, AuditQuery, StandardQuery,
                             ProjectQuery, NotificationQuery, ConsultationQuery,
                             TalentQuery, CatalogQuery, CouncilUnitsQuery, CouncilMeetingsQuery)
MUTATIONS: tuple[type, ...] = (RoleMutation, ExpertMutation, StandardMutation, ProjectMutation,
                               NotificationMutation, ConsultationMutation,
                               TalentMutation, CatalogMutation, CouncilUnitsMutation,
                               CouncilMeetingsMutation)
SUBSCRIPTIONS: tuple[type, ...] = (NotificationSubscription,)

# Issue 18: the four zones working together (events and venues, expert consulting, standard uptake).
QUERIES += (EventsQuery, ConsultingQuery, UptakeQuery)
MUTATIONS += (EventsMutation, ConsultingMutation, UptakeMutation)

# Issue 19: the traceability information platform.
QUERIES += (TraceQuery,)
MUTATIONS += (TraceMutation,)

# Issue 17, first half: the base's year (annual plan, work and financial reports, funds).
QUERIES += (AnnualQuery, FundsQuery)
MUTATIONS += (AnnualMutation, FundsMutation)

# Issue 18: joint meetings and news (办法 第四条(一)(八), 章程 第三十一条).
QUERIES += (JointMeetingQuery, NewsQuery)
MUTATIONS += (JointMeetingMutation, NewsMutation)

# Issue 17, second half: the council's offices by vote, tasks carried out, rules, committee, oversight.
QUERIES += COUNCIL_QUERIES
MUTATIONS += COUNCIL_MUTATIONS

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS)
Subscription = merge_types("Subscription", SUBSCRIPTIONS) if SUBSCRIPTIONS else None

# Descriptions of what the schema's own code does not define: the merged root types, and the
# types and fields strawberry contributes (relay's Node and PageInfo, the Date and JSON
# scalars), whose stock descriptions are English only. README, "Schema conventions".
LIBRARY_DESCRIPTIONS: dict[str, str] = {
    "Query": "Reads. Anonymous requests see public data of all zones; with a token, what the user "
             "may see in the acting zone (`X-Zone`, else the home zone) as well. "
             "查询。匿名请求可见各试验区的公开数据；携带令牌时，另可见用户在所操作试验区"
             "（`X-Zone`，否则为所属试验区）有权查看的数据。",
    "Mutation": "Writes, in the acting zone (`X-Zone`, else the user's home zone); each returns a union "
                "of the result and the expected failures. Send an `Idempotency-Key` header to retry "
                "safely. 写操作，在所操作试验区（`X-Zone`，否则为用户所属试验区）执行；每个返回结果"
                "与预期失败的联合类型。携带 `Idempotency-Key` 请求头可安全重试。",
    "Subscription": "Live updates over WebSocket (graphql-transport-ws) at `/graphql`. "
                    "通过 WebSocket（graphql-transport-ws 协议）在 `/graphql` 推送的实时更新。",
    "Node": "An object with a global ID, fetchable with `node(id:)`. "
            "具有全局 ID 的对象，可用 `node(id:)` 获取。",
    "Node.id": "Global ID: opaque, stable, unique across types; pass it back as it is. "
               "全局 ID：不透明、稳定、在所有类型中唯一；原样传回即可。",
    "PageInfo": "Where this page sits in the list. 本页在列表中的位置信息。",
    "PageInfo.hasNextPage": "True when more items follow this page. 本页之后是否还有条目。",
    "PageInfo.hasPreviousPage": "True when items precede this page. 本页之前是否还有条目。",
    "PageInfo.startCursor": "Cursor of the first item of this page; null when the page is empty. "
                            "本页第一项的游标；本页为空时为 null。",
    "PageInfo.endCursor": "Cursor of the last item: pass it as `after` for the next page; null when "
                          "the page is empty. 本页最后一项的游标：作为 `after` 传入取下一页；本页为空时为 null。",
    "Date": "A calendar date, ISO 8601 `YYYY-MM-DD`, without a time or a zone (a day in China). "
            "日历日期，ISO 8601 `YYYY-MM-DD`，不含时间和时区（指中国的某一天）。",
    "JSON": "Any JSON value (ECMA-404): an object, array, string, number, boolean or null. "
            "任意 JSON 值（ECMA-404）：对象、数组、字符串、数字、布尔值或 null。",
}


def _describe_library_types(schema: strawberry.Schema) -> None:
    types = schema._schema.type_map
    for key, description in LIBRARY_DESCRIPTIONS.items():
        name, _, field = key.partition(".")
        if field:
            types[name].fields[field].description = description
        else:
            types[name].description = description
    node = types["Node"]
    for type_ in types.values():  # every Node's `id`, described like the interface's
        if node in getattr(type_, "interfaces", ()):
            type_.fields["id"].description = LIBRARY_DESCRIPTIONS["Node.id"]


@lru_cache(maxsize=1)
def build_schema() -> strawberry.Schema:
    schema = strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription,
                               config=StrawberryConfig(disable_field_suggestions=True,
                                                       scalar_map={**SCALAR_MAP, **MONEY_SCALAR_MAP}),
                               exception_handlers=[ForgedIdIsNotFound()])
    use_direct_resolvers(schema)
    _describe_library_types(schema)
    return schema


def sdl() -> str:
    return build_schema().as_str() + "\n"
