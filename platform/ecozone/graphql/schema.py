"""The schema, merged from one module per domain."""

from __future__ import annotations

from functools import lru_cache

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from ecozone.graphql.audit import AuditQuery
from ecozone.graphql.catalogs import CatalogMutation, CatalogQuery
from ecozone.graphql.consultation import ConsultationMutation, ConsultationQuery
from ecozone.graphql.council_meetings import CouncilMeetingsMutation, CouncilMeetingsQuery
from ecozone.graphql.council_units import CouncilUnitsMutation, CouncilUnitsQuery
from ecozone.graphql.direct_resolvers import use_direct_resolvers
from ecozone.graphql.experts import ExpertMutation, ExpertQuery
from ecozone.graphql.nodes import ForgedIdIsNotFound, NodeQuery
from ecozone.graphql.notifications import NotificationMutation, NotificationQuery, NotificationSubscription
from ecozone.graphql.projects import ProjectMutation, ProjectQuery
from ecozone.graphql.roles import RoleMutation, RoleQuery
from ecozone.graphql.scalars import SCALAR_MAP
from ecozone.graphql.standards import StandardMutation, StandardQuery
from ecozone.graphql.talent import TalentMutation, TalentQuery
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

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS)
Subscription = merge_types("Subscription", SUBSCRIPTIONS) if SUBSCRIPTIONS else None


@lru_cache(maxsize=1)
def build_schema() -> strawberry.Schema:
    schema = strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription,
                               config=StrawberryConfig(disable_field_suggestions=True,
                                                       scalar_map=SCALAR_MAP),
                               exception_handlers=[ForgedIdIsNotFound()])
    use_direct_resolvers(schema)
    return schema


def sdl() -> str:
    return build_schema().as_str() + "\n"
