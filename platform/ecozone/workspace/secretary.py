"""The secretary's work queues (issue 16), each a query of the API filtered by state in the
acting zone, a page at a time, and each action one of the API's mutations run as the secretary:

- ``/workspace/queues``: the queues with how many items wait in each;
- ``/workspace/queues/experts``: profiles to verify, verified ones to suspend (with a reason);
- ``/workspace/queues/projects``: projects to decide, notices to open, projects to start
  (and, for a standard-development project without its standard, the link to create it);
- the standards, consultations, 复审 and document consultations: ``secretary_standards``,
  ``secretary_consultations``, ``secretary_documents``.

Directors see the queues too: the API lets them do the same work (not document consultations).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ecozone.workspace import secretary_common as common
from ecozone.workspace import (
    secretary_consultations,
    secretary_documents,
    secretary_standards,
)
from ecozone.workspace.framework import Section, page_route
from ecozone.workspace.page import WorkspacePage

EXPERT_STATES = ("PENDING", "VERIFIED", "SUSPENDED")
PROJECT_STATES = ("PROPOSED", "APPROVED", "PUBLIC_NOTICE", "IN_PROGRESS")

SECTIONS = (
    Section("/workspace/queues", "secretary.queues", common.STAFF),
    Section("/workspace/document-consultations", "secretary.documents", common.SECRETARY),
)


def routes(workspace: Any) -> list[BaseRoute]:
    def post(path: str, handler: Any) -> BaseRoute:
        return page_route(path, handler, workspace, methods=("POST",))
    return [
        page_route("/workspace/queues", queues_page, workspace),
        page_route("/workspace/queues/experts", partial(common.open_list, show=show_experts), workspace),
        post("/workspace/queues/experts/verify", verify_expert),
        post("/workspace/queues/experts/suspend", suspend_expert),
        page_route("/workspace/queues/projects", partial(common.open_list, show=show_projects), workspace),
        *(post(f"/workspace/queues/projects/{name}", partial(decide_project, action=name))
          for name in PROJECT_ACTIONS),
        *secretary_standards.routes(workspace),
        *secretary_consultations.routes(workspace),
        *secretary_documents.routes(workspace),
    ]


# ---- the queues ---------------------------------------------------------------------------------
async def queues_page(workspace: Any, request: Request) -> Response:
    page = await common.open_staff_page(workspace, request)
    if isinstance(page, Response):
        return page
    data = await page.query("secretary_counts", {
        "zone": common.acting_zone(page), "reviewBefore": common.review_due_before(common.today_in_china()).isoformat()})
    counts = {name: (answer or {}).get("totalCount", 0) for name, answer in data.items()}
    return common.render_queue(page, "ws_secretary_queues.html", common.NOTHING_FAILED, counts=counts)


# ---- experts ------------------------------------------------------------------------------------
show_experts = partial(common.show_by_state, document="secretary_experts", field="experts", states=EXPERT_STATES,
                       template="ws_secretary_experts.html")


def _back_to(path: str):
    return lambda form: (path, {"state": common.text(form, "state")})


async def verify_expert(workspace: Any, request: Request) -> Response:
    return await common.post_action(
        workspace, request, show=show_experts, document="secretary_verify_expert", result="verifyExpert",
        variables=lambda form, page: ({"input": {"id": common.clean_id(form.get("id"))}}, {}),
        back=_back_to("/workspace/queues/experts"), done="verified")


async def suspend_expert(workspace: Any, request: Request) -> Response:
    return await common.post_action(
        workspace, request, show=show_experts, document="secretary_suspend_expert", result="suspendExpert",
        variables=lambda form, page: ({"input": {"id": common.clean_id(form.get("id")),
                                                 "reason": common.text(form, "reason")}}, {}),
        back=_back_to("/workspace/queues/experts"), done="suspended")


# ---- projects -----------------------------------------------------------------------------------
# action in the URL → (document, mutation, the reason is required)
PROJECT_ACTIONS: dict[str, tuple[str, str, bool]] = {
    "approve": ("secretary_approve_project", "approveProject", False),
    "reject": ("secretary_reject_project", "rejectProject", True),
    "open-notice": ("secretary_open_project_notice", "openProjectNotice", False),
    "start": ("secretary_start_project", "startProject", False),
}


show_projects = partial(common.show_by_state, document="secretary_projects", field="projects",
                        states=PROJECT_STATES, template="ws_secretary_projects.html")


async def decide_project(workspace: Any, request: Request, *, action: str) -> Response:
    document, result, reason_required = PROJECT_ACTIONS[action]

    def variables(form: dict[str, str], page: WorkspacePage):
        reason = common.text(form, "reason")
        return {"input": {"id": common.clean_id(form.get("id")),
                          "reason": reason if reason_required else reason or None}}, {}
    return await common.post_action(workspace, request, show=show_projects, document=document, result=result,
                                    variables=variables, back=_back_to("/workspace/queues/projects"),
                                    done=action)


TEXTS: dict[str, tuple[str, str]] = {
    **common.TEXTS,
    **secretary_standards.TEXTS,
    **secretary_consultations.TEXTS,
    **secretary_documents.TEXTS,
    "secretary.queues": ("工作队列", "Work queues"),
    "secretary.documents": ("文件征求意见", "Document consultations"),
    "secretary.queue.experts": ("待核验的专家档案", "Expert profiles to verify"),
    "secretary.queue.proposed": ("待审批的项目", "Projects to decide"),
    "secretary.queue.approved": ("待公示的项目", "Notices to open"),
    "secretary.queue.notice": ("公示中、待启动的项目", "Projects to start (under notice)"),
    "secretary.queue.standards": ("标准制定", "Standards"),
    "secretary.queue.consultations": ("进行中的征求意见（各试验区）", "Open consultations (all zones)"),
    "secretary.queue.reviews": ("到期应复审的标准", "Standards due for 复审 (review)"),
    "secretary.waiting": ("待办数", "Waiting"),
    "secretary.experts.title": ("专家档案核验", "Expert profiles"),
    "secretary.expert.PENDING": ("待核验", "To verify"),
    "secretary.expert.VERIFIED": ("已核验", "Verified"),
    "secretary.expert.SUSPENDED": ("已暂停", "Suspended"),
    "secretary.expert.name": ("姓名", "Name"),
    "secretary.expert.organisation": ("工作单位", "Organisation"),
    "secretary.expert.fields": ("专业领域", "Fields"),
    "secretary.verify": ("核验通过", "Verify"),
    "secretary.suspend": ("暂停", "Suspend"),
    "secretary.projects.title": ("项目审批", "Projects"),
    "secretary.project.PROPOSED": ("待审批", "To decide"),
    "secretary.project.APPROVED": ("待公示", "Notice to open"),
    "secretary.project.PUBLIC_NOTICE": ("公示中", "Under notice"),
    "secretary.project.IN_PROGRESS": ("实施中", "In progress"),
    "secretary.project.kind": ("类型", "Kind"),
    "secretary.project.units": ("申报单位 / 牵头单位", "Proposer / lead unit"),
    "secretary.project.notice_ends": ("公示截止：{date}", "Notice ends {date}"),
    "secretary.project.standards": ("标准", "Standards"),
    "secretary.approve": ("批准立项", "Approve"),
    "secretary.reject": ("不予立项", "Reject"),
    "secretary.open_notice": ("开始公示", "Open the notice"),
    "secretary.start": ("启动项目", "Start the project"),
    "secretary.create_standard": ("为此项目创建标准", "Create its standard"),
    "secretary.done.verified": ("专家档案已核验。", "The expert is verified."),
    "secretary.done.suspended": ("专家已暂停。", "The expert is suspended."),
    "secretary.done.approve": ("项目已批准立项。", "The project is approved."),
    "secretary.done.reject": ("项目已不予立项。", "The project is rejected."),
    "secretary.done.open-notice": ("项目已开始公示。", "The project's notice is open."),
    "secretary.done.start": ("项目已启动。", "The project has started."),
}
