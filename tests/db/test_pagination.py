"""Keyset pagination refuses a cursor whose values do not fit the list's order columns.

Found by the isolation property test on PostgreSQL: ``zones(after: <a cursor holding an
integer>)`` compared ``zones.slug > 1`` and failed in the database as an unexpected error.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ecozone.auth.models import User
from ecozone.db.engine import transaction
from ecozone.db.pagination import decode_cursor, encode_cursor, paginate
from ecozone.db.scoping import Scope
from ecozone.errors import ValidationFailed
from ecozone.tenancy.models import Zone


async def _page(app_engine, stmt, order, after):
    async with transaction(app_engine, Scope.system()) as session:
        return await paginate(session, stmt, order=order, first=2, after=after)


@pytest.mark.parametrize("values", [[1], [True], [1.5], [None, 1]])
async def test_a_cursor_of_the_wrong_type_is_refused(app_engine, values):
    with pytest.raises(ValidationFailed) as refused:
        await _page(app_engine, select(Zone), (Zone.slug,), encode_cursor(values))
    assert refused.value.errors[0].field == "after"


async def test_a_cursor_this_list_returned_walks_on(app_engine):
    first = await _page(app_engine, select(Zone), (Zone.slug, Zone.id), None)
    second = await _page(app_engine, select(Zone), (Zone.slug, Zone.id), first.cursors[-1])
    assert [z.slug for z in first.items + second.items] == sorted(z.slug for z in first.items + second.items)
    assert not {z.id for z in first.items} & {z.id for z in second.items}


async def test_a_datetime_order_takes_its_own_cursor_and_refuses_junk(app_engine):
    async with transaction(app_engine, Scope.system()) as session:
        zone = await session.scalar(select(Zone).limit(1))
        session.add_all(User(username=f"u{n}", display_name=f"u{n}", home_zone_id=zone.id) for n in range(3))
    order = (User.created_at, User.id)
    first = await _page(app_engine, select(User), order, None)
    rest = await _page(app_engine, select(User), order, first.cursors[-1])
    assert len(first.items) == 2 and len(rest.items) == 1
    for junk in (["yesterday", 1], [20261125, 1]):
        with pytest.raises(ValidationFailed):
            await _page(app_engine, select(User), order, encode_cursor(junk))
    assert isinstance(dt.datetime.fromisoformat(str(first.items[0].created_at)), dt.datetime)


async def _users(app_engine, n: int) -> None:
    async with transaction(app_engine, Scope.system()) as session:
        zone = await session.scalar(select(Zone).limit(1))
        session.add_all(User(username=f"p{i}", display_name=f"p{i}", home_zone_id=zone.id) for i in range(n))


@pytest.mark.parametrize("users", [0, 1, 2, 3, 5])
async def test_the_total_count_is_the_whole_list_on_every_page_and_past_the_end(app_engine, users):
    await _users(app_engine, users)
    pages, after = [], None
    while True:
        page = await _page(app_engine, select(User), (User.id,), after)
        pages.append(page)
        if not page.has_next_page:
            break
        after = page.cursors[-1]
    assert [p.total_count for p in pages] == [users] * len(pages)
    assert sum(len(p.items) for p in pages) == users
    if users:  # the page after the last one: no row to carry the count, which is still right
        past = await _page(app_engine, select(User), (User.id,), pages[-1].cursors[-1])
        assert (past.items, past.total_count, past.has_next_page) == ([], users, False)


async def test_a_page_with_its_total_count_is_one_statement(app_engine):
    from sqlalchemy import event
    await _users(app_engine, 3)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)
    async with transaction(app_engine, Scope.system()) as session:
        await session.scalar(select(Zone.id).limit(1))  # connect (and any set-up) first
        event.listen(app_engine.sync_engine, "before_cursor_execute", count)
        try:
            page = await paginate(session, select(User), order=(User.id,), first=2, after=None)
        finally:
            event.remove(app_engine.sync_engine, "before_cursor_execute", count)
    assert (len(page.items), page.total_count) == (2, 3)
    assert len(statements) == 1, statements


@pytest.mark.parametrize("values", [[1], ["zhāng sān", 5], ["张三", 7], [None, 3], ["2026-11-25 10:00:00+00:00", 9],
                                    ['a"b\\c\n', 1], [2**40, -3]])
def test_cursors_are_the_compact_json_they_always_were(values):
    """Cursors handed out before (json.dumps) and after (orjson) the change read the same."""
    import base64
    import json
    before = base64.urlsafe_b64encode(json.dumps(["k1", values], ensure_ascii=False, separators=(",", ":"))
                                      .encode()).decode().rstrip("=")
    assert encode_cursor(values) == before
    assert decode_cursor(before, len(values)) == values
