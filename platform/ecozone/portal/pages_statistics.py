"""``/statistics``: project and standard statistics (办法 第十二条(三): counted and shown live) by
year, zone, kind, stage and state. Every figure is a ``<table>`` with its caption (the record,
readable without JavaScript); ``static/statistics.js`` draws each table as an ECharts chart from
the table's own cells, with no second fetch. ECharts is loaded on this page only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from ecozone.portal.forms import Choice, FilterForm
from ecozone.portal.rendering import Page

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the API's range for projectStatistics(year:)


@dataclass(frozen=True)
class FigureTable:
    """One table of figures: its id (a stable hook), caption, the first column's heading, the
    rows (label, count) and how the script draws it (``bar`` or ``pie``)."""

    id: str
    caption: str
    heading: str
    rows: list[tuple[str, int]]
    chart: str = "bar"


def year_choice() -> Choice:
    def parse(raw: str) -> int:
        if not (raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR):
            raise ValueError((f"应为 {FIRST_YEAR} 至 {LAST_YEAR} 之间的年份",
                              f"must be a year from {FIRST_YEAR} to {LAST_YEAR}"))
        return int(raw)
    return Choice(parse)


def standard_tables(page: Page, s: dict[str, Any]) -> list[FigureTable]:
    t = page.t
    return [
        FigureTable("standards-summary", t("std_summary"), t("figure"), [
            (t("std_published"), s["published"]), (t("std_in_progress"), s["inProgress"]),
            (t("std_withdrawn"), s["withdrawn"]), (t("std_superseded"), s["superseded"])]),
        FigureTable("standards-by-stage", t("std_by_stage"), t("stage"),
                    [(t.pick(row["stage"], "name"), row["count"]) for row in s["byStage"]]),
        FigureTable("standards-by-kind", t("std_by_kind"), t("kind"),
                    [(t.pick(row, "name"), row["count"]) for row in s["byKind"]], chart="pie"),
        FigureTable("standards-by-zone", t("std_by_zone"), t("zone"),
                    [(t.pick(row["zone"], "name"), row["count"]) for row in s["byZone"]]),
        FigureTable("standards-by-year", t("std_by_year"), t("year"),
                    [(str(row["year"]), row["count"]) for row in s["byYear"]]),
        FigureTable("standards-by-category", t("std_by_category"), t("category"),
                    [(t.pick(row["category"], "name"), row["count"]) for row in s["byCategory"]]),
    ]


def project_tables(page: Page, p: dict[str, Any]) -> list[FigureTable]:
    t = page.t
    return [
        FigureTable("projects-summary", t("prj_summary"), t("figure"), [
            (t("prj_total"), p["total"]), (t("prj_standards_published"), p["standardsPublished"])]),
        FigureTable("projects-by-kind", t("prj_by_kind"), t("kind"),
                    [(t.pick(row, "name"), row["count"]) for row in p["byKind"]], chart="pie"),
        FigureTable("projects-by-zone", t("prj_by_zone"), t("zone"),
                    [(t.pick(row["zone"], "name"), row["count"]) for row in p["byZone"]]),
        FigureTable("projects-by-state", t("prj_by_state"), t("project_state"),
                    [(t.pick(row, "name"), row["count"]) for row in p["byState"]]),
        FigureTable("projects-by-year", t("prj_by_year"), t("year"),
                    [(str(row["year"]), row["count"]) for row in p["byYear"]]),
    ]


async def statistics(page: Page) -> Response:
    form = FilterForm(page, {"year": year_choice()})
    if form.errors:
        return page.render("statistics.html", status=400, form=form, groups=[], failures=[])
    data = await page.query("statistics", {"year": form.values.get("year"), "zone": page.zone})
    groups, failures = [], []
    for key, heading, build in (("standardStatistics", "standards_statistics", standard_tables),
                                ("projectStatistics", "projects_statistics", project_tables)):
        answer = data[key]
        if "byKind" in answer:
            groups.append((key, page.t(heading), build(page, answer)))
        else:  # a typed refusal (ValidationFailed): said in words, the rest of the page stands
            failures.append(answer)
    return page.render("statistics.html", form=form, groups=groups, failures=failures,
                       year=form.values.get("year"))


PAGES = [
    ("/statistics", statistics),
]
