"""``/workspace/queues/consultations``: open consultations with how many comments wait for a
decision, closed through the API once all are decided (a standard's through
``closeStandardConsultation``, which also moves the standard to technical review; a document's
through ``closeConsultation``); ``/workspace/queues/consultations/{id}``: its comments,
undecided first, each decided through ``decideComment``.
``/workspace/queues/reviews``: published standards due for 复审 (or all published ones), each
confirmed, revised or withdrawn through ``reviewPublishedStandard``."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ecozone.workspace import framework
from ecozone.workspace import secretary_common as common
from ecozone.workspace.framework import page_route
from ecozone.workspace.page import WorkspacePage

LIST = "/workspace/queues/consultations"
REVIEWS = "/workspace/queues/reviews"
DECISIONS = ("ADOPTED", "PARTLY_ADOPTED", "NOT_ADOPTED")
OUTCOMES = ("CONFIRM", "REVISE", "WITHDRAW")
REVIEW_TABS = ("due", "all")


def routes(workspace: Any) -> list[BaseRoute]:
    return [
        page_route(LIST, partial(common.open_list, show=show_consultations), workspace),
        page_route(f"{LIST}/close", close_consultation, workspace, methods=("POST",)),
        page_route(LIST + "/{consultation_id}", consultation_page, workspace),
        page_route(LIST + "/{consultation_id}/decide", decide_comment, workspace, methods=("POST",)),
        page_route(REVIEWS, partial(common.open_list, show=show_reviews), workspace),
        page_route(f"{REVIEWS}/review", review_standard, workspace, methods=("POST",)),
    ]


# ---- open consultations ------------------------------------------------------------------------------
async def show_consultations(page: WorkspacePage, failed: common.Failed) -> Response:
    answer = (await page.query("secretary_consultations", {"after": framework.cursor(page.request)}))["consultations"]
    if framework.failure(answer):
        return framework.refused(page, answer)
    return common.render_queue(page, "ws_secretary_consultations.html", failed, consultations=answer,
                               zone=common.acting_zone(page))


async def close_consultation(workspace: Any, request: Request) -> Response:
    """A standard's consultation closes with its stage (the standard's ID, ``subject``): its
    standard then goes to technical review; a document's by itself (the consultation's ID)."""
    def mutation(form: dict[str, str]) -> tuple[str, str]:
        if form.get("subjectType") == "standard":
            return "secretary_close_standard_consultation", "closeStandardConsultation"
        return "secretary_close_consultation", "closeConsultation"

    def variables(form: dict[str, str], page: WorkspacePage):
        key = "subject" if form.get("subjectType") == "standard" else "id"
        return {"input": {"id": common.clean_id(form.get(key))}}, {}
    return await common.post_action(workspace, request, show=show_consultations, document=mutation,
                                    result="", variables=variables, back=lambda form: (LIST, {}), done="close")


# ---- one consultation's comments ---------------------------------------------------------------------
async def consultation_page(workspace: Any, request: Request) -> Response:
    page = await common.open_staff_page(workspace, request)
    if isinstance(page, Response):
        return page
    return await show_consultation(page, common.NOTHING_FAILED,
                                   consultation_id=request.path_params["consultation_id"])


async def show_consultation(page: WorkspacePage, failed: common.Failed, *, consultation_id: str) -> Response:
    every = page.request.query_params.get("all") == "1"
    consultation = (await page.query("secretary_consultation", {
        "id": common.clean_id(consultation_id), "undecidedOnly": not every,
        "after": framework.cursor(page.request)}))["consultation"]
    if framework.failure(consultation):
        return framework.refused(page, consultation)
    if framework.failure(consultation["comments"]):
        return framework.refused(page, consultation["comments"])
    return common.render_queue(page, "ws_secretary_consultation.html", failed, consultation=consultation,
                               every=every, decisions=DECISIONS, zone=common.acting_zone(page))


async def decide_comment(workspace: Any, request: Request) -> Response:
    consultation_id = common.clean_id(request.path_params["consultation_id"])

    def variables(form: dict[str, str], page: WorkspacePage):
        problems: dict[str, str] = {}
        decision = common.one_of(form, "decision", DECISIONS, problems)
        return {"input": {"id": common.clean_id(form.get("id")), "decision": decision,
                          "reason": common.optional_text(form, "reason")}}, problems
    return await common.post_action(
        workspace, request, show=partial(show_consultation, consultation_id=consultation_id),
        document="secretary_decide_comment", result="decideComment", variables=variables,
        back=lambda form: (f"{LIST}/{consultation_id}", {"all": "1" if form.get("all") == "1" else ""}),
        done="decided")


# ---- 复审 -----------------------------------------------------------------------------------------
async def show_reviews(page: WorkspacePage, failed: common.Failed) -> Response:
    tab = common.choice(page.request, "show", REVIEW_TABS)
    released_to: dt.date | None = common.review_due_before(common.today_in_china()) if tab == "due" else None
    answer = (await page.query("secretary_reviews", {
        "zone": common.acting_zone(page), "releasedTo": released_to.isoformat() if released_to else None,
        "after": framework.cursor(page.request)}))["standards"]
    if framework.failure(answer):
        return framework.refused(page, answer)
    return common.render_queue(page, "ws_secretary_reviews.html", failed, standards=answer, tab=tab,
                               tabs=REVIEW_TABS, outcomes=OUTCOMES, released_to=released_to, zone=common.acting_zone(page))


async def review_standard(workspace: Any, request: Request) -> Response:
    def variables(form: dict[str, str], page: WorkspacePage):
        problems: dict[str, str] = {}
        outcome = common.one_of(form, "outcome", OUTCOMES, problems)
        return {"input": {"id": common.clean_id(form.get("id")), "outcome": outcome,
                          "reason": common.optional_text(form, "reason")}}, problems
    return await common.post_action(workspace, request, show=show_reviews, document="secretary_review_standard",
                                    result="reviewPublishedStandard", variables=variables,
                                    back=lambda form: (REVIEWS, {"show": common.text(form, "show")}),
                                    done="reviewed")


TEXTS: dict[str, tuple[str, str]] = {
    "secretary.consultations.title": ("征求意见", "Consultations"),
    "secretary.consultations.note": ("列出各试验区进行中的征求意见；本区组织的可在此结束。",
                                     "Open consultations of every zone; those your zone runs can be closed here."),
    "secretary.subject.standard": ("标准草案", "Draft standard"),
    "secretary.subject.document": ("基地文件", "Document of the base"),
    "secretary.days_left": ("剩余 {days} 天", "{days} days left"),
    "secretary.comments": ("意见 {total} 条，待处理 {count} 条", "{total} comments, {count} undecided"),
    "secretary.close": ("结束征求意见", "Close the consultation"),
    "secretary.other_zone": ("由{zone}组织", "Run by {zone}"),
    "secretary.comments.title": ("意见处理", "Comments"),
    "secretary.comments.undecided": ("仅待处理", "Undecided only"),
    "secretary.comments.all": ("全部意见", "All comments"),
    "secretary.comment.seq": ("序号", "No."),
    "secretary.comment.clause": ("章条编号", "Clause"),
    "secretary.comment.text": ("意见内容", "Comment"),
    "secretary.comment.change": ("建议修改为", "Proposed change"),
    "secretary.comment.unit": ("提出单位", "Proposed by"),
    "secretary.comment.withdrawn": ("已撤回", "withdrawn"),
    "secretary.comment.handling": ("处理意见", "Handling"),
    "secretary.decision": ("处理结果", "Decision"),
    "secretary.decision.ADOPTED": ("采纳", "adopted"),
    "secretary.decision.PARTLY_ADOPTED": ("部分采纳", "partly adopted"),
    "secretary.decision.NOT_ADOPTED": ("不采纳", "not adopted"),
    "secretary.decide": ("记录处理结果", "Record the decision"),
    "secretary.reviews.title": ("标准复审", "复审 (review of published standards)"),
    "secretary.reviews.due": ("到期应复审（发布满五年，截至 {date}）", "Due (released five years ago or more, by {date})"),
    "secretary.reviews.all": ("全部已发布标准", "All published standards"),
    "secretary.review.designations": ("标准编号", "Designations"),
    "secretary.review.released": ("发布日期", "Released"),
    "secretary.review.outcome": ("复审结论", "Outcome"),
    "secretary.outcome.CONFIRM": ("确认继续有效", "confirm"),
    "secretary.outcome.REVISE": ("修订", "revise"),
    "secretary.outcome.WITHDRAW": ("废止", "withdraw"),
    "secretary.review": ("记录复审结论", "Record the outcome"),
    "secretary.done.close": ("征求意见已结束。", "The consultation is closed."),
    "secretary.done.decided": ("处理结果已记录。", "The decision is recorded."),
    "secretary.done.reviewed": ("复审结论已记录。", "The outcome is recorded."),
}
