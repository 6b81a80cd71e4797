"""The council's Query and Mutation parts of issue 17 (second half), added to the schema's tuples."""

from __future__ import annotations

from ecozone.graphql.council.committee import CouncilCommitteeMutation, CouncilCommitteeQuery
from ecozone.graphql.council.oversight import CouncilOversightMutation, CouncilOversightQuery
from ecozone.graphql.council.rulebook import CouncilRulebookMutation, CouncilRulebookQuery
from ecozone.graphql.council.tasks import CouncilTasksMutation, CouncilTasksQuery

COUNCIL_QUERIES: tuple[type, ...] = (CouncilTasksQuery, CouncilRulebookQuery, CouncilCommitteeQuery,
                                     CouncilOversightQuery)
COUNCIL_MUTATIONS: tuple[type, ...] = (CouncilTasksMutation, CouncilRulebookMutation, CouncilCommitteeMutation,
                                       CouncilOversightMutation)
