"""``/workspace/certificates``: the signed-in person's training certificates (``myCertificates``),
each with the portal's public verification link (``/certificates?code=…``)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.expert_common import render

PATH = "/workspace/certificates"
MAX_CURSOR = 200


def routes(workspace: Any) -> list:
    return [framework.page_route(PATH, certificates_page, workspace)]


async def certificates_page(workspace: Any, request: Request) -> Response:
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    after = request.query_params.get("after", "")[:MAX_CURSOR] or None
    listed = (await page.query("expert_my_certificates", {"after": after}))["myCertificates"]
    if "code" in listed:  # a forged cursor, or the API refusing: its own words, not a 500
        return render(page, "ws_expert_certificates.html", status=400, refused=listed, certificates=[],
                      next_after=None)
    info = listed["pageInfo"]
    return render(page, "ws_expert_certificates.html", refused=None,
                  certificates=[edge["node"] for edge in listed["edges"]],
                  next_after=info["endCursor"] if info["hasNextPage"] else None)
