"""``viewer { rateLimit }``: the caller's fair-use budget, as its response headers say."""

from __future__ import annotations

import datetime as dt

import strawberry

from ecozone.graphql.context import Info
from ecozone.web.fair_use import spend_of


@strawberry.type(description=("The caller's query-cost budget in the current window; the same figures as the "
         "X-RateLimit-* response headers. 调用方当前时间窗内的查询额度；与 X-RateLimit-* 响应头数值相同。"))
class RateLimit:
    limit: int = strawberry.field(description=("Points the caller may spend in a window. 每个时间窗可用的点数。"))
    remaining: int = strawberry.field(description=("Points left in the window, after this request. 本次请求之后剩余的点数。"))
    reset_at: dt.datetime = strawberry.field(description=(
             "When the window ends and the budget is whole again (ISO 8601 with offset). 时间窗结束"
             "、额度恢复的时间（ISO 8601，含时区偏移）。"))
    cost: int = strawberry.field(description=("What this request cost: the query limits' estimate, more for a mutation. 本次请求消耗的"
             "点数：按查询限制估算，写操作更多。"))
    used: int = strawberry.field(description=("Points spent in the window, this request included. 本时间窗已用点数（含本次请求）。"))


def rate_limit_of(info: Info) -> RateLimit | None:
    spend = spend_of(info.context.request)
    if spend is None:
        return None
    return RateLimit(limit=spend.limit, remaining=spend.remaining, cost=spend.cost, used=spend.used,
                     reset_at=dt.datetime.fromtimestamp(spend.reset, dt.UTC))
