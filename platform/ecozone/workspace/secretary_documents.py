"""``/workspace/document-consultations``: the secretary publishes a document of the base and
opens its consultation (``openDocumentConsultation``); the list of document consultations, each
with its comments to decide and its 意见汇总表 (comment summary table) to download.

The download (``…/{id}/comments.xlsx`` or ``.csv``) is the API's ``summaryRows`` read as the
signed-in secretary — the ``/exports`` routes take a bearer token a browser does not hold —
written by the same pure builders as ``/exports`` (``ecozone.consultation.export``), so both
files are the same table."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ecozone.consultation import export
from ecozone.workspace import framework
from ecozone.workspace import secretary_common as common
from ecozone.workspace.framework import page_route
from ecozone.workspace.page import WorkspacePage

PAGE = "/workspace/document-consultations"
MAX_SUMMARY_PAGES = 100  # 100 rows a page: a table of 10,000 comments is far past any consultation
FORMATS = {"xlsx": export.XLSX_MEDIA_TYPE, "csv": export.CSV_MEDIA_TYPE}


def routes(workspace: Any) -> list[BaseRoute]:
    return [
        page_route(PAGE, partial(common.open_list, show=show_documents), workspace),
        page_route(f"{PAGE}/open", open_document_consultation, workspace, methods=("POST",)),
        *(page_route(PAGE + "/{consultation_id}/comments." + extension, partial(summary, extension=extension),
                     workspace) for extension in FORMATS),
    ]


async def show_documents(page: WorkspacePage, failed: common.Failed) -> Response:
    answer = (await page.query("secretary_document_consultations",
                               {"after": framework.cursor(page.request)}))["consultations"]
    if framework.failure(answer):
        return framework.refused(page, answer)
    return common.render_queue(page, "ws_secretary_documents.html", failed, consultations=answer)


async def open_document_consultation(workspace: Any, request: Request) -> Response:
    def variables(form: dict[str, str], page: WorkspacePage):
        problems: dict[str, str] = {}
        data = {"titleZh": common.text(form, "titleZh"), "titleEn": common.text(form, "titleEn"),
                "articles": common.text(form, "articles"), "days": common.whole_number(form, "days", problems)}
        return {"input": data}, problems
    return await common.post_action(workspace, request, show=show_documents,
                                    document="secretary_open_document_consultation",
                                    result="openDocumentConsultation", variables=variables,
                                    back=lambda form: (PAGE, {}), done="opened")


async def summary(workspace: Any, request: Request, *, extension: str) -> Response:
    """The 意见汇总表 of a consultation the secretary may see, every row, as a file."""
    page = await common.open_staff_page(workspace, request)
    if isinstance(page, Response):
        return page
    consultation_id = common.clean_id(request.path_params["consultation_id"])
    rows: list[export.SummaryRow] = []
    after: str | None = None
    for _ in range(MAX_SUMMARY_PAGES):
        consultation = (await page.query("secretary_comment_summary",
                                         {"id": consultation_id, "after": after}))["consultation"]
        if framework.failure(consultation):
            return framework.refused(page, consultation)
        table = consultation["summaryRows"]
        if framework.failure(table):
            return framework.refused(page, table)
        rows += [export.SummaryRow(row["seq"], row["clause"], row["content"], row["proposerUnit"], row["handling"])
                 for row in (edge["node"] for edge in table["edges"])]
        if not table["pageInfo"]["hasNextPage"]:
            break
        after = table["pageInfo"]["endCursor"]
    deadline = dt.date.fromisoformat(consultation["deadline"]) if consultation.get("deadline") else None
    body = (export.build_xlsx(rows, title=consultation["titleZh"], deadline=deadline) if extension == "xlsx"
            else export.build_csv(rows))
    fallback = f"comment-summary.{extension}"
    return Response(body, media_type=FORMATS[extension], headers={
        "Content-Disposition": export.content_disposition(
            export.download_filename(consultation["titleZh"], extension), fallback),
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


TEXTS: dict[str, tuple[str, str]] = {
    "secretary.documents.title": ("文件征求意见", "Document consultations"),
    "secretary.documents.open": ("发布文件并征求意见", "Publish a document and open its consultation"),
    "secretary.documents.articles": ("文件条文", "The document's articles"),
    "secretary.documents.days": ("征求意见天数（可选，默认按本区设置）", "Days for comments (optional; the zone's default)"),
    "secretary.documents.submit": ("发布并开始征求意见", "Publish and open the consultation"),
    "secretary.documents.list": ("已发布的文件征求意见", "Document consultations so far"),
    "secretary.documents.state.OPEN": ("进行中", "open"),
    "secretary.documents.state.CLOSED": ("已结束", "closed"),
    "secretary.documents.download": ("意见汇总表", "Comment summary table"),
    "secretary.documents.closed_at": ("结束于 {when}", "Closed {when}"),
    "secretary.done.opened": ("文件已发布，征求意见已开始。", "The document is published; its consultation is open."),
}
