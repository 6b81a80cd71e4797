"""The member area of the workspace: propose a project and work on one's projects (working group,
join requests, adjustment, closure report, drafts of the project's standard), and comment on a
consultation by clause. Pages: ``member_projects``, ``member_project``, ``member_consultations``;
their words: ``member_texts``."""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute

from ecozone.workspace.framework import Section, page_route
from ecozone.workspace.member_consultations import LIST_PATH as CONSULTATIONS
from ecozone.workspace.member_consultations import consultation_page, consultations_page
from ecozone.workspace.member_project import project_page
from ecozone.workspace.member_projects import LIST_PATH as PROJECTS
from ecozone.workspace.member_projects import NEW_PATH, projects_page, propose_page
from ecozone.workspace.member_texts import TEXTS

__all__ = ["SECTIONS", "TEXTS", "routes"]

# Anyone signed in may work on a project (the working group names people of any role) and comment
# on a consultation; the API decides each action.
SECTIONS = (Section(PROJECTS, "member.projects"), Section(CONSULTATIONS, "member.consultations"))


def routes(workspace: Any) -> list[BaseRoute]:
    both = ("GET", "POST")
    return [
        page_route(PROJECTS, projects_page, workspace),
        page_route(NEW_PATH, propose_page, workspace, both),  # before {project_id}: "new" is no ID
        page_route(PROJECTS + "/{project_id}", project_page, workspace, both),
        page_route(CONSULTATIONS, consultations_page, workspace),
        page_route(CONSULTATIONS + "/{consultation_id}", consultation_page, workspace, both),
    ]
