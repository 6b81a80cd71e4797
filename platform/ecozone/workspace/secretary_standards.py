"""``/workspace/queues/standards``: the standards in which the acting zone takes part, one stage
at a time, each with its stage's action (start drafting, open the consultation, close it), and
one standard's page for its technical review and release: the panel (add a verified expert
found by a word, remove one), the ballot (open, close), the zones' signatures, publication.
``/workspace/queues/standards/new?project=…`` creates a project's standard as the API's
``createStandard`` does. Every action is the API's mutation, run as the secretary."""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from ecozone.workspace import framework
from ecozone.workspace import secretary_common as common
from ecozone.workspace.framework import page_route
from ecozone.workspace.page import WorkspacePage

STAGES = ("PROPOSAL", "DRAFTING", "CONSULTATION", "REVIEW", "APPROVAL")
KINDS = ("JOINT_LOCAL", "GROUP")
CATEGORIES = ("GRAIN", "OIL_CROPS", "VEGETABLES", "CITRUS", "TEA", "KIWIFRUIT", "HOGS", "WATERFOWL",
              "FRESHWATER_FISH", "SPECIAL_AQUATIC", "MEDICINAL_HERBS")
LIST = "/workspace/queues/standards"

# a stage's action on the list: URL name → (document, mutation)
STAGE_ACTIONS: dict[str, tuple[str, str]] = {
    "start-drafting": ("secretary_start_drafting", "startDrafting"),
    "open-consultation": ("secretary_open_standard_consultation", "openStandardConsultation"),
    "close-consultation": ("secretary_close_standard_consultation", "closeStandardConsultation"),
}
# an action on one standard's page: URL name → (document, mutation)
STANDARD_ACTIONS: dict[str, tuple[str, str]] = {
    "add-panel-expert": ("secretary_add_panel_expert", "addPanelExpert"),
    "remove-panel-expert": ("secretary_remove_panel_expert", "removePanelExpert"),
    "open-ballot": ("secretary_open_ballot", "openBallot"),
    "close-ballot": ("secretary_close_ballot", "closeBallot"),
    "publish": ("secretary_publish_standard", "publishStandard"),
}


def routes(workspace: Any) -> list[BaseRoute]:
    return [
        page_route(LIST, partial(common.open_list, show=show_standards), workspace),
        *(page_route(f"{LIST}/{name}", partial(stage_action, action=name), workspace, methods=("POST",))
          for name in STAGE_ACTIONS),
        page_route(f"{LIST}/new", new_standard, workspace, methods=("GET", "POST")),
        page_route(LIST + "/{standard_id}", standard_page, workspace),
        *(page_route(LIST + "/{standard_id}/" + name, partial(standard_action, action=name), workspace,
                     methods=("POST",)) for name in STANDARD_ACTIONS),
    ]


# ---- the list, one stage at a time ------------------------------------------------------------------
show_standards = partial(common.show_by_state, document="secretary_standards", field="standards", states=STAGES,
                         template="ws_secretary_standards.html")


async def stage_action(workspace: Any, request: Request, *, action: str) -> Response:
    document, result = STAGE_ACTIONS[action]

    def variables(form: dict[str, str], page: WorkspacePage):
        problems: dict[str, str] = {}
        data: dict[str, Any] = {"id": common.clean_id(form.get("id"))}
        if action == "open-consultation":
            data["days"] = common.whole_number(form, "days", problems)
        return {"input": data}, problems
    return await common.post_action(workspace, request, show=show_standards, document=document, result=result,
                                    variables=variables, back=lambda form: (LIST, {"state": common.text(form, "state")}),
                                    done=action)


# ---- one standard: panel, ballot, signatures, publication -------------------------------------------
async def standard_page(workspace: Any, request: Request) -> Response:
    page = await common.open_staff_page(workspace, request)
    if isinstance(page, Response):
        return page
    return await show_standard(page, common.NOTHING_FAILED, standard_id=request.path_params["standard_id"])


async def show_standard(page: WorkspacePage, failed: common.Failed, *, standard_id: str) -> Response:
    standard = (await page.query("secretary_standard", {"id": common.clean_id(standard_id)}))["standard"]
    if framework.failure(standard):
        return framework.refused(page, standard)
    words = common.text(dict(page.request.query_params), "text")[:100]
    candidates = None
    if "text" in page.request.query_params:  # a search asked for: the registry's verified experts
        candidates = (await page.query("secretary_panel_candidates", {
            "text": words or None, "after": framework.cursor(page.request)}))["experts"]
        if framework.failure(candidates):
            return framework.refused(page, candidates)
    return common.render_queue(page, "ws_secretary_standard.html", failed, standard=standard,
                               candidates=candidates, words=words, zone=common.acting_zone(page),
                               today=common.today_in_china().isoformat())


async def standard_action(workspace: Any, request: Request, *, action: str) -> Response:
    document, result = STANDARD_ACTIONS[action]
    standard_id = common.clean_id(request.path_params["standard_id"])

    def variables(form: dict[str, str], page: WorkspacePage):
        problems: dict[str, str] = {}
        if action in ("add-panel-expert", "remove-panel-expert"):
            data: dict[str, Any] = {"standardId": standard_id, "expertId": common.clean_id(form.get("id"))}
        else:
            data = {"id": standard_id}
        if action == "publish":
            data["releaseDate"] = common.a_date(form, "releaseDate", problems)
            data["implementationDate"] = common.a_date(form, "implementationDate", problems)
        return {"input": data}, problems
    return await common.post_action(
        workspace, request, show=partial(show_standard, standard_id=standard_id), document=document,
        result=result, variables=variables, back=lambda form: (f"{LIST}/{standard_id}", {}), done=action)


# ---- a project's standard ---------------------------------------------------------------------------
async def new_standard(workspace: Any, request: Request) -> Response:
    page = await common.open_staff_page(workspace, request)
    if isinstance(page, Response):
        return page
    project_id = common.clean_id(request.query_params.get("project"))
    data = await page.query("secretary_project", {"id": project_id})
    project = data["project"]
    if framework.failure(project):
        return framework.refused(page, project)
    zones = [edge["node"] for edge in data["zones"]["edges"]]
    if request.method == "GET":
        return _new_form(page, project, zones, common.Failed(values={"kind": "JOINT_LOCAL"}))
    form = await framework.read_form(workspace, request, page)
    if isinstance(form, Response):
        return form
    problems: dict[str, str] = {}
    kind = common.one_of(form, "kind", KINDS, problems)
    category = common.text(form, "category") or None
    if category is not None and category not in CATEGORIES:
        problems["category"] = "secretary.not_a_choice"
    data_in = {"projectId": project["id"], "kind": kind, "titleZh": common.text(form, "titleZh"),
               "titleEn": common.text(form, "titleEn"), "scope": common.text(form, "scope"),
               "category": category,
               "participatingZones": [zone["slug"] for zone in zones if form.get("zone." + zone["slug"])]}
    if problems:
        return _new_form(page, project, zones, common.Failed(
            errors={key: page.t(text) for key, text in problems.items()}, values=form))
    outcome = await framework.act(page, "secretary_create_standard", {"input": data_in}, "createStandard")
    if outcome.ok:
        return RedirectResponse(framework.link(page, LIST, state="PROPOSAL", done="created"), status_code=303)
    return _new_form(page, project, zones, common.Failed(errors=outcome.errors, values=form, status=outcome.status))


def _new_form(page: WorkspacePage, project: dict[str, Any], zones: list[dict[str, Any]],
              failed: common.Failed) -> Response:
    return common.render_queue(page, "ws_secretary_new_standard.html", failed, project=project, zones=zones,
                               kinds=KINDS, categories=CATEGORIES, zone=common.acting_zone(page))


TEXTS: dict[str, tuple[str, str]] = {
    "secretary.standards.title": ("标准制定", "Standards"),
    "secretary.stage.PROPOSAL": ("立项（10）", "Proposal (10)"),
    "secretary.stage.DRAFTING": ("起草（20）", "Drafting (20)"),
    "secretary.stage.CONSULTATION": ("征求意见（30）", "Consultation (30)"),
    "secretary.stage.REVIEW": ("技术审查（40）", "Technical review (40)"),
    "secretary.stage.APPROVAL": ("批准（50）", "Approval (50)"),
    "secretary.standard.lead": ("牵头试验区", "Lead zone"),
    "secretary.standard.led_elsewhere": ("由{zone}牵头，由其办公室办理", "Led by {zone}; its office acts"),
    "secretary.standard.latest": ("最新草案：第 {number} 版", "Latest draft: version {number}"),
    "secretary.standard.no_draft": ("尚无草案", "No draft yet"),
    "secretary.standard.draft": ("草案", "Draft"),
    "secretary.standard.undecided": ("待处理意见 {count} 条 / 共 {total} 条", "{count} of {total} comments undecided"),
    "secretary.standard.decide_comments": ("处理意见", "Decide the comments"),
    "secretary.standard.days": ("征求意见天数（可选）", "Days for comments (optional)"),
    "secretary.start_drafting": ("开始起草", "Start drafting"),
    "secretary.open_consultation": ("开始征求意见", "Open the consultation"),
    "secretary.close_consultation": ("结束征求意见", "Close the consultation"),
    "secretary.standard.manage": ("审查专家组、投票与发布", "Panel, ballot and publication"),
    "secretary.standard.project": ("所属项目", "Project"),
    "secretary.standard.scope": ("适用范围", "Scope"),
    "secretary.standard.stage": ("阶段", "Stage"),
    "secretary.panel": ("审查专家组", "Review panel"),
    "secretary.panel.empty": ("专家组尚无成员。", "The panel has no members yet."),
    "secretary.panel.added": ("加入时间", "Added"),
    "secretary.panel.remove": ("移出专家组", "Remove from the panel"),
    "secretary.panel.search": ("按姓名、单位或领域查找已核验专家", "Find verified experts by name, unit or field"),
    "secretary.panel.find": ("查找", "Find"),
    "secretary.panel.add": ("加入专家组", "Add to the panel"),
    "secretary.panel.found": ("查找结果", "Experts found"),
    "secretary.ballot": ("投票", "Ballot"),
    "secretary.ballot.none": ("尚未开始投票。", "No ballot yet."),
    "secretary.ballot.status": ("第 {round} 轮：{state}；已投 {cast}/{size}，赞成 {yes}，反对 {no}，弃权 {abstain}",
                                "Round {round}: {state}; {cast} of {size} cast, {yes} yes, {no} no, {abstain} abstain"),
    "secretary.ballot.OPEN": ("进行中", "open"),
    "secretary.ballot.PASSED": ("通过", "passed"),
    "secretary.ballot.FAILED": ("未通过", "failed"),
    "secretary.open_ballot": ("开始投票", "Open the ballot"),
    "secretary.close_ballot": ("结束投票并计票", "Close the ballot and count"),
    "secretary.signatures": ("各试验区批准", "The zones' approvals"),
    "secretary.decision.PENDING": ("待签署", "to sign"),
    "secretary.decision.SIGNED": ("已签署", "signed"),
    "secretary.decision.REFUSED": ("已拒绝", "refused"),
    "secretary.publish": ("发布标准", "Publish the standard"),
    "secretary.release_date": ("发布日期", "Release date"),
    "secretary.implementation_date": ("实施日期", "Implementation date"),
    "secretary.new_standard": ("为项目创建标准", "Create a project's standard"),
    "secretary.kind": ("标准类型", "Kind of standard"),
    "secretary.kind.JOINT_LOCAL": ("联合地方标准", "Joint local standard"),
    "secretary.kind.GROUP": ("团体标准", "Group standard"),
    "secretary.title_zh": ("中文名称", "Title (Chinese)"),
    "secretary.title_en": ("英文名称", "Title (English)"),
    "secretary.scope": ("适用范围", "Scope"),
    "secretary.category": ("产品类别（可选）", "Product category (optional)"),
    "secretary.no_category": ("不指定", "none"),
    "secretary.category.GRAIN": ("粮食", "Grain"),
    "secretary.category.OIL_CROPS": ("油料作物", "Oil crops"),
    "secretary.category.VEGETABLES": ("蔬菜", "Vegetables"),
    "secretary.category.CITRUS": ("柑橘", "Citrus"),
    "secretary.category.TEA": ("茶叶", "Tea"),
    "secretary.category.KIWIFRUIT": ("猕猴桃", "Kiwifruit"),
    "secretary.category.HOGS": ("生猪", "Hogs"),
    "secretary.category.WATERFOWL": ("水禽", "Waterfowl"),
    "secretary.category.FRESHWATER_FISH": ("淡水鱼", "Freshwater fish"),
    "secretary.category.SPECIAL_AQUATIC": ("特种水产", "Special aquatic products"),
    "secretary.category.MEDICINAL_HERBS": ("中药材", "Medicinal herbs"),
    "secretary.participating": ("参与试验区（牵头试验区为所操作的试验区）", "Participating zones (the acting zone leads)"),
    "secretary.create": ("创建标准", "Create the standard"),
    "secretary.done.created": ("标准已创建（立项阶段）。", "The standard is created (proposal stage)."),
    "secretary.done.start-drafting": ("已开始起草。", "Drafting has started."),
    "secretary.done.open-consultation": ("已开始征求意见。", "The consultation is open."),
    "secretary.done.close-consultation": ("征求意见已结束，进入技术审查。", "The consultation is closed; technical review follows."),
    "secretary.done.add-panel-expert": ("专家已加入审查组。", "The expert is on the panel."),
    "secretary.done.remove-panel-expert": ("专家已移出审查组。", "The expert is off the panel."),
    "secretary.done.open-ballot": ("投票已开始。", "The ballot is open."),
    "secretary.done.close-ballot": ("投票已结束并计票。", "The ballot is closed and counted."),
    "secretary.done.publish": ("标准已发布。", "The standard is published."),
}
