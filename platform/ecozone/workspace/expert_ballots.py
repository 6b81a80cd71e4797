"""``/workspace/ballots``: the review panels an expert sits on and the ballots open now;
``/workspace/ballots/{id}`` (the standard's global ID: a standard has one ballot at a time, its
latest round): the tally against the zone's thresholds and the vote — YES, YES_WITH_COMMENTS, NO
(with its reason, as the API requires) or ABSTAIN — cast or changed through ``castVote`` while
the ballot is open.

The lists come from the API's ``viewer { reviewPanels }`` (the standards whose panel holds the
expert's profile, newest first, a page at a time): those at technical review, of which the page
shows the ones whose ballot is open, and all of them."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.expert_common import not_found, render, text

PATH = "/workspace/ballots"
CHOICES = ("YES", "YES_WITH_COMMENTS", "NO", "ABSTAIN")
MAX_CURSOR = 200


def routes(workspace: Any) -> list:
    return [framework.page_route(PATH, ballots_page, workspace),
            framework.page_route(PATH + "/{ballot_id:path}", ballot_page, workspace, methods=("GET", "POST"))]


def ballot_path(standard_id: str) -> str:
    return f"{PATH}/{quote(standard_id, safe='')}"


def _standards(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection.get("edges") or []]


def _cursor(request: Request, name: str) -> str | None:
    return request.query_params.get(name, "")[:MAX_CURSOR] or None


async def ballots_page(workspace: Any, request: Request) -> Response:
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    data = await page.query("expert_ballots", {"after": _cursor(request, "after"),
                                               "openAfter": _cursor(request, "open_after")})
    profile, panels = data["myExpertProfile"], data["viewer"]
    refused = next((c for c in (panels["open"], panels["all"]) if "code" in c), None)
    if refused is not None:  # a forged cursor: the API's own words, not a 500
        return render(page, "ws_expert_ballots.html", status=400, profile=profile, refused=refused,
                      open_ballots=[], panels=[], open_page={}, all_page={}, ballot_path=ballot_path)
    open_ballots = [s for s in _standards(panels["open"]) if (s["ballot"] or {}).get("state") == "OPEN"]
    return render(page, "ws_expert_ballots.html", profile=profile, refused=None, open_ballots=open_ballots,
                  panels=_standards(panels["all"]), open_page=panels["open"]["pageInfo"],
                  all_page=panels["all"]["pageInfo"], ballot_path=ballot_path)


async def ballot_page(workspace: Any, request: Request) -> Response:
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    standard_id = request.path_params["ballot_id"][:MAX_CURSOR]
    data = await page.query("expert_ballot", {"id": standard_id})
    standard = data["standard"]
    if standard["__typename"] != "Standard":  # made up, or not visible to this person
        return not_found(page)
    expert_id = (data["myExpertProfile"] or {}).get("id")
    on_panel = bool(expert_id) and any((p["expert"] or {}).get("id") == expert_id for p in standard["panel"])
    context = {"standard": standard, "on_panel": on_panel, "path": ballot_path(standard["id"])}
    if request.method == "GET":
        done = request.query_params.get("done") == "voted"
        return render(page, "ws_expert_ballot.html", values={"choice": (standard["ballot"] or {}).get("myVote")
                                                             or "", "comment": ""},
                      errors={}, done=done, **context)
    form = await framework.read_form(workspace, request, page)
    if isinstance(form, Response):
        return form
    values = {"choice": form.get("choice", ""), "comment": text(form, "comment")}
    if values["choice"] not in CHOICES:  # a made-up choice is named here, never sent
        return render(page, "ws_expert_ballot.html", status=400, values=values, done=False,
                      errors={"choice": page.t("expert.not_a_choice")}, **context)
    answer = await framework.act(page, "expert_cast_vote", {"input": {
        "standardId": standard["id"], "choice": values["choice"], "comment": values["comment"] or None}},
        "castVote", ("choice", "comment"))
    if not answer.ok:  # e.g. NO without a reason, not on the panel, the ballot closed: shown, input kept
        return render(page, "ws_expert_ballot.html", status=answer.status, values=values, done=False,
                      errors=answer.errors, **context)
    return framework.done(page, context["path"], done="voted")
