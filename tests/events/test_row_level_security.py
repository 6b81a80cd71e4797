"""PostgreSQL row-level security of migration 0017, as the application's login sees it: a venue's
calendar (bookings and their slots) is its zone's; venues are read by all and written only in the
zone the transaction acts in. (SQLite has no row-level security: there the data layer's rule is the
fence, checked through HTTP in test_events_api.py and test_visibility.py.)"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from tests.events.support import book, venue

SET_ZONE = text("SELECT set_config('ecozone.zone', :zone, true)")


async def test_bookings_fenced_by_zone_venues_written_in_own_zone(engine_kind, api, database):
    if engine_kind != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    hall = await venue(api)
    held = await book(api, hall["id"], "2099-04-22T01:00:00Z", "2099-04-22T02:00:00Z", "jx-secretary")
    assert held["__typename"] == "VenueBooking"
    engine = create_async_engine(database.app_url)  # the app's login: bound by row-level security
    try:
        async with engine.connect() as connection:
            async with connection.begin():
                zones = dict((await connection.execute(text("SELECT slug, id FROM zones"))).all())

            async def counts(zone: str) -> tuple[int, int, int]:
                async with connection.begin():
                    await connection.execute(SET_ZONE, {"zone": str(zones[zone])})
                    return tuple((await connection.execute(text(
                        "SELECT (SELECT count(*) FROM venues), (SELECT count(*) FROM venue_bookings), "
                        "(SELECT count(*) FROM venue_booking_slots)"))).one())
            assert await counts("jiangxi") == (1, 1, 2)
            assert await counts("guizhou") == (1, 0, 0)  # the venue is public, its calendar is not

            insert = text("INSERT INTO venues (zone_id, kind, name_zh, name_en) VALUES (:zone, 'room', '厅', 'Hall')")
            with pytest.raises(DBAPIError, match="row-level security"):
                async with connection.begin():
                    await connection.execute(SET_ZONE, {"zone": str(zones["guizhou"])})
                    await connection.execute(insert, {"zone": zones["jiangxi"]})
            async with connection.begin():
                await connection.execute(SET_ZONE, {"zone": str(zones["guizhou"])})
                await connection.execute(insert, {"zone": zones["guizhou"]})
                deleted = await connection.execute(text("DELETE FROM venue_booking_slots"))
                assert deleted.rowcount == 0  # another zone's slots cannot be freed behind its back
    finally:
        await engine.dispose()
