"""Standards search for the portals: designations, filters, sort orders and Chinese full text.

One ORM statement over ``Standard``: the data layer adds the viewer's rule (``visible_to``) to
it, so a search shows exactly what a list or ``node(id:)`` would (published standards and drafts
under consultation to everyone, work in progress to its people). The full-text part only
narrows the ids; it never bypasses that rule.

**Why trigrams for Chinese** (DESIGN §7). Chinese is written without spaces, so a word tokenizer
(the default ``unicode61`` of FTS5, PostgreSQL's ``to_tsvector``) sees a whole sentence as one
token and finds nothing inside it, and a dictionary segmenter (``jieba``) would be a new
dependency whose dictionary decides what can be found (and would differ from PostgreSQL's).
Trigrams need no dictionary and behave the same in every language: the index holds every run
of three characters, so any substring of three characters or more is found, in Chinese,
English or a designation alike, and both engines match the same rows:

- SQLite: the FTS5 table ``standards_fts`` with the ``trigram`` tokenizer (title zh + en, scope,
  published text), kept in step with ``standards`` and ``standard_versions`` by triggers
  (migration 0012), so every writer — the services, the bulk demo loader — keeps it current;
- PostgreSQL: ``pg_trgm`` GIN indexes on the same columns, which serve ``ILIKE '%…%'``.

A one- or two-character query (茶, 茶叶, 生猪) has no trigram: it falls back to ``LIKE`` over
the same indexed columns (a scan of the FTS table on SQLite, a full-index scan with recheck on
PostgreSQL), so it still finds them, only without the index's help.

Ranking is the same on both engines: per search term, a hit in the title counts 4, in the scope
2, in the published text 1; ties go to the newer release, then the lower id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    select,
    text as sql_text,
    union,
)
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.db.pagination import Page, check_first, decode_cursor, encode_cursor
from ecozone.db.text_search import ESCAPE, MAX_SEARCH_TEXT, contains_pattern
from ecozone.errors import FieldError, ValidationFailed, raise_if_invalid
from ecozone.experts.rules import PRODUCT_CATEGORIES
from ecozone.standards import designations, rules
from ecozone.standards.models import Standard, StandardVersion, StandardZone
from ecozone.tenancy.models import Zone

YEAR_MIN, YEAR_MAX = 2000, 2100
MAX_TERMS = 8
ORDERS = ("relevance", "release_date", "number", "created")
FTS_TABLE = "standards_fts"
NO_DATE = dt.date(1, 1, 1)


@dataclass(frozen=True)
class StandardFilter:
    state: str | None = None
    kind: str | None = None
    zone: str | None = None  # a participating zone's slug (the lead zone included)
    category: str | None = None  # a product category slug (experts.rules.PRODUCT_CATEGORIES)
    year: int | None = None  # year of release
    released_from: dt.date | None = None
    released_to: dt.date | None = None
    number: int | None = None
    designation: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class StandardOrder:
    field: str = "created"  # relevance | release_date | number | created
    descending: bool = False


def check(f: StandardFilter, order: StandardOrder | None) -> None:
    """Every problem of a filter at once, as one typed bilingual ValidationFailed."""
    errors: list[FieldError] = []
    if f.state is not None and f.state not in rules.STATE_NAMES:
        errors.append(FieldError("state", "choice", "unknown stage", "未知的标准阶段"))
    if f.kind is not None and f.kind not in rules.KINDS:
        errors.append(FieldError("kind", "choice", "kind is joint_local or group",
                                 "类型应为联合地方标准或团体标准"))
    if f.category is not None and f.category not in PRODUCT_CATEGORIES:
        errors.append(FieldError("category", "choice", f"unknown product category {f.category!r}",
                                 f"未知的产品类别“{f.category}”"))
    if f.year is not None and not YEAR_MIN <= f.year <= YEAR_MAX:
        errors.append(FieldError("year", "range", f"year must be {YEAR_MIN}–{YEAR_MAX}",
                                 f"年份须在 {YEAR_MIN} 至 {YEAR_MAX} 之间"))
    for name, value in (("releasedFrom", f.released_from), ("releasedTo", f.released_to)):
        if value is not None and not YEAR_MIN <= value.year <= YEAR_MAX:
            errors.append(FieldError(name, "range", f"dates must fall in {YEAR_MIN}–{YEAR_MAX}",
                                     f"日期须在 {YEAR_MIN} 至 {YEAR_MAX} 年之间"))
    if f.released_from and f.released_to and f.released_from > f.released_to:
        errors.append(FieldError(
            "releasedTo", "before_start",
            f"the range ends ({f.released_to.isoformat()}) before it starts "
            f"({f.released_from.isoformat()})",
            f"日期范围的结束日期（{f.released_to.isoformat()}）早于开始日期（{f.released_from.isoformat()}）"))
    if f.number is not None and f.number < 1:
        errors.append(FieldError("number", "range", "a standard's number is 1 or more",
                                 "标准顺序号至少为 1"))
    for name, value in (("text", f.text), ("designation", f.designation)):
        if value is not None and len(value) > MAX_SEARCH_TEXT:
            errors.append(FieldError(name, "length", f"search text is at most {MAX_SEARCH_TEXT} characters",
                                     f"搜索文字最多 {MAX_SEARCH_TEXT} 个字符"))
    if order is not None:
        if order.field not in ORDERS:
            errors.append(FieldError("orderBy", "choice", "unknown sort order", "未知的排序方式"))
        elif order.field == "relevance" and not _terms(f.text) and not (f.designation or "").strip():
            errors.append(FieldError("orderBy", "needs_text", "sorting by relevance needs a search text",
                                     "按相关度排序需要提供搜索文字"))
    raise_if_invalid(errors)


def _terms(text: str | None) -> list[str]:
    """The words of a query; all must be found (in any of the columns)."""
    return list(dict.fromkeys((text or "").split()))[:MAX_TERMS]


def designation_criterion(parsed: designations.Designation | None) -> ColumnElement[bool]:
    """Standards carrying the designation: kind, number, year if given, and for a joint local
    standard a participating zone with that code (an unknown code matches nothing)."""
    if parsed is None:
        return false()
    clauses = [Standard.kind == parsed.kind, Standard.number == parsed.number]
    if parsed.year is not None:
        clauses.append(Standard.year == parsed.year)
    if parsed.kind == "joint_local":
        entries = StandardZone.__table__.alias("designation_zone")
        clauses.append(Standard.id.in_(
            select(entries.c.standard_id).join(Zone, Zone.id == entries.c.zone_id)
            .where(Zone.standard_code == parsed.code)))
    return and_(*clauses)


def _hits(dialect: str, term: str, n: int) -> ColumnElement[bool]:
    """Standards whose title, scope or published text contains ``term`` (index-served);
    ``n`` numbers the term's parameters."""
    pattern = contains_pattern(term)
    if dialect == "sqlite":
        if len(term) >= 3:  # a trigram phrase query: FTS5 finds the substring from its index
            phrase = '"' + term.replace('"', '""') + '"'
            found = sql_text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :phrase_{n}"
                             ).bindparams(**{f"phrase_{n}": phrase})
        else:  # shorter than a trigram: LIKE over the same (indexed) columns
            found = sql_text(
                f"SELECT rowid FROM {FTS_TABLE} WHERE title LIKE :pattern_{n} ESCAPE '\\' "
                f"OR scope LIKE :pattern_{n} ESCAPE '\\' OR body LIKE :pattern_{n} ESCAPE '\\'"
            ).bindparams(**{f"pattern_{n}": pattern})
        return Standard.id.in_(found.columns(rowid=Integer))
    # PostgreSQL: two index-served branches (GIN trigram indexes of migration 0012), over
    # aliases of the plain tables: the outer statement applies the viewer's rule.
    own = Standard.__table__.alias("hit_standard")
    carrier = Standard.__table__.alias("hit_carrier")
    texts = StandardVersion.__table__.alias("hit_text")
    return Standard.id.in_(union(
        select(own.c.id).where(or_(own.c.title_zh.ilike(pattern, escape=ESCAPE),
                                   own.c.title_en.ilike(pattern, escape=ESCAPE),
                                   own.c.scope.ilike(pattern, escape=ESCAPE))),
        select(carrier.c.id).join(texts, texts.c.id == carrier.c.final_version_id)
        .where(texts.c.text.ilike(pattern, escape=ESCAPE))))


def _rank(terms: list[str]) -> ColumnElement[int]:
    """Title 4, scope 2, published text 1, per term: the same integers on both engines."""
    texts = StandardVersion.__table__.alias("rank_text")
    total: Any = literal(0, Integer)
    for term in terms:
        pattern = contains_pattern(term)
        body = (select(texts.c.id).where(texts.c.id == Standard.final_version_id,
                                         texts.c.text.ilike(pattern, escape=ESCAPE))
                .exists())
        total = total + case((or_(Standard.title_zh.ilike(pattern, escape=ESCAPE),
                                  Standard.title_en.ilike(pattern, escape=ESCAPE)), 4), else_=0) \
            + case((Standard.scope.ilike(pattern, escape=ESCAPE), 2), else_=0) \
            + case((body, 1), else_=0)
    return total


def statement(f: StandardFilter, dialect: str):
    """The filtered ORM statement (no order), and the search terms it ranks by."""
    stmt = select(Standard)
    if f.state:
        stmt = stmt.where(Standard.state == f.state)
    if f.kind:
        stmt = stmt.where(Standard.kind == f.kind)
    if f.category:
        stmt = stmt.where(Standard.category == f.category)
    if f.number is not None:
        stmt = stmt.where(Standard.number == f.number)
    if f.year is not None:
        stmt = stmt.where(Standard.year == f.year)
    if f.released_from is not None:
        stmt = stmt.where(Standard.release_date >= f.released_from)
    if f.released_to is not None:
        stmt = stmt.where(Standard.release_date <= f.released_to)
    if f.zone:
        entries = StandardZone.__table__.alias("filter_zone")
        stmt = stmt.where(Standard.id.in_(
            select(entries.c.standard_id).join(Zone, Zone.id == entries.c.zone_id)
            .where(Zone.slug == f.zone)))
    if f.designation is not None and f.designation.strip():
        stmt = stmt.where(designation_criterion(designations.parse(f.designation)))
    terms: list[str] = []
    if f.text and f.text.strip():
        parsed = designations.parse(f.text)
        if parsed is not None:  # "DB52/T 1—2026" typed into the search box
            stmt = stmt.where(designation_criterion(parsed))
        else:
            terms = _terms(f.text)
            for n, term in enumerate(terms):
                stmt = stmt.where(_hits(dialect, term, n))
    return stmt, terms


def _order_keys(order: StandardOrder, terms: list[str]) -> list[tuple[ColumnElement, bool]]:
    """(expression, descending) pairs, never NULL, ending with the unique id."""
    released = func.coalesce(Standard.release_date, literal(NO_DATE, Date))
    desc = order.descending
    if order.field == "relevance":
        keys = [(_rank(terms), True), (released, True)] if terms else [(released, True)]
    elif order.field == "release_date":
        keys = [(released, desc)]
    elif order.field == "number":
        keys = [(func.coalesce(Standard.number, 0), desc), (func.coalesce(Standard.year, 0), desc)]
    else:
        keys = []
    return [*keys, (Standard.id, desc if order.field == "created" else False)]


async def search(session: AsyncSession, f: StandardFilter, order: StandardOrder | None = None, *,
                 first: int, after: str | None, max_page_size: int = 100) -> Page[Standard]:
    check(f, order)
    check_first(first, max_page_size)
    if f.zone and await session.scalar(select(Zone.id).where(Zone.slug == f.zone)) is None:
        raise_if_invalid([FieldError("zone", "unknown", f"there is no zone {f.zone!r}",
                                     f"没有试验区“{f.zone}”")])
    stmt, terms = statement(f, session.bind.dialect.name)
    if order is None:
        order = StandardOrder("relevance", False) if terms else StandardOrder()
    return await keyset_page(session, stmt, _order_keys(order, terms), first=first, after=after)


async def keyset_page(session: AsyncSession, stmt, keys: list[tuple[ColumnElement, bool]], *,
                      first: int, after: str | None) -> Page:
    """A page of ``stmt`` by ``keys`` in mixed directions (the last one unique).

    Like ``db.pagination.paginate`` — the total count rides on the page's statement — but the
    sort keys may be computed (a rank, a coalesced date) and each has its own direction, so
    the cursor holds the keys' values and the next page starts after them key by key."""
    count = select(func.count()).select_from(stmt.order_by(None).subquery())
    labelled = [expr.label(f"sort_{i}") for i, (expr, _) in enumerate(keys)]
    page_stmt = stmt.add_columns(*labelled)
    if after:
        values = [_typed(v, expr) for v, (expr, _) in zip(decode_cursor(after, len(keys)), keys)]
        page_stmt = page_stmt.where(_after(keys, values))
    page_stmt = page_stmt.order_by(*(expr.desc() if desc else expr.asc() for expr, desc in keys))
    result = (await session.execute(
        page_stmt.add_columns(count.scalar_subquery().label("total_count")).limit(first + 1))).all()
    if result:
        total = result[0][-1]
    else:
        total = await session.scalar(count) if after else 0
    has_next = len(result) > first
    result = result[:first]
    cursors = [encode_cursor([_plain(v) for v in row[1:1 + len(keys)]]) for row in result]
    return Page(items=[row[0] for row in result], cursors=cursors, has_next_page=has_next,
                has_previous_page=after is not None, total_count=total or 0)


def _after(keys: list[tuple[ColumnElement, bool]], values: list[Any]) -> ColumnElement[bool]:
    """Rows after the cursor: k1 beyond v1, or k1 = v1 and k2 beyond v2, and so on."""
    alternatives = []
    for i, (expr, desc) in enumerate(keys):
        equal = [keys[j][0] == literal(values[j], keys[j][0].type) for j in range(i)]
        beyond = expr < literal(values[i], expr.type) if desc else expr > literal(values[i], expr.type)
        alternatives.append(and_(*equal, beyond))
    return or_(*alternatives)


def _typed(value: Any, expr: ColumnElement) -> Any:
    """A cursor value as its key's type; anything else is a cursor this list did not return."""
    try:
        if isinstance(expr.type, Date):
            if isinstance(value, str):
                return dt.date.fromisoformat(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            return value
    except ValueError:
        pass
    raise ValidationFailed(errors=[FieldError("after", "cursor", "the cursor is not one this list returned",
                                              "游标无效：请使用本列表返回的游标")])


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):  # a date SQLite returned as text (coalesce loses the type)
        return value
    return int(value)
