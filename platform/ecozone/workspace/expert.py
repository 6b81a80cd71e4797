"""The expert's pages of the workspace (issue 16), one module per page:

- ``/workspace/conflicts``: declare / withdraw conflicts of interest (expert_conflicts);
- ``/workspace/ballots`` and ``/workspace/ballots/{id}``: panels and ballots, vote (expert_ballots);
- ``/workspace/comments`` and ``/workspace/comments/{id}``: my comments, edit / withdraw (expert_comments);
- ``/workspace/certificates``: my certificates with the portal's verify link (expert_certificates);
- ``/workspace/inbox``: notifications, mark read, live (expert_inbox).

Every read and write is one of the API's documents run as the signed-in person."""

from __future__ import annotations

from typing import Any

from ecozone.workspace import (
    expert_ballots,
    expert_certificates,
    expert_comments,
    expert_conflicts,
    expert_inbox,
)
from ecozone.workspace.expert_texts import TEXTS
from ecozone.workspace.framework import Section

EXPERTS = frozenset({"expert"})
# Comments, certificates and notifications belong to anyone signed in (a member comments and
# trains too); conflicts and ballots to experts.
SECTIONS = (
    Section(expert_ballots.PATH, "expert.ballots", EXPERTS),
    Section(expert_conflicts.PATH, "expert.conflicts", EXPERTS),
    Section(expert_comments.PATH, "expert.comments"),
    Section(expert_certificates.PATH, "expert.certificates"),
    Section(expert_inbox.PATH, "expert.inbox"),
)
__all__ = ["SECTIONS", "TEXTS", "routes"]


def routes(workspace: Any) -> list:
    return [route for module in (expert_conflicts, expert_ballots, expert_comments, expert_certificates,
                                 expert_inbox) for route in module.routes(workspace)]
