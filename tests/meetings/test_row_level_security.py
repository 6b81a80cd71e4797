"""PostgreSQL row-level security of migration 0016, as the application's login sees it: a joint
meeting and its rows are seen in the zones taking part (and by the person invited by name) until
its minutes are published, then by all; a series is written only by its host zone; a news draft
stays in its zone; a feed token is its person's, found by its hash only through the narrow
function. (SQLite has no row-level security: there the data layer's rule is the fence, checked
through HTTP in test_visibility.py.)"""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from tests.meetings.support import MEETING, SERIES, op, people, user_id, yearly_series

SET = text("SELECT set_config('ecozone.zone', :zone, true), set_config('ecozone.user', :user, true)")
COUNTS = text("SELECT (SELECT count(*) FROM meeting_series), (SELECT count(*) FROM joint_meetings), "
              "(SELECT count(*) FROM meeting_invitations), (SELECT count(*) FROM meeting_decisions), "
              "(SELECT count(*) FROM news_articles), (SELECT count(*) FROM calendar_feed_tokens)")


async def test_meetings_news_and_tokens_fenced_by_the_database(engine_kind, api, database):
    if engine_kind != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    await people(api)
    series = await yearly_series(api, invitedZones=["guizhou"])
    first = series["meetings"][0]["id"]
    await op(api, "invitePersonToJointMeeting", {"seriesId": series["id"], "userId": user_id(api, "gz-head")},
             SERIES, "gz-director", "guizhou")
    await op(api, "writeJointMeetingMinutes", {"meetingId": first, "summary": "纪要", "decisions": [
        {"textZh": "决定", "textEn": "Decision"}]}, MEETING, "jx-secretary", "jiangxi")
    await api.gql("""mutation { draftNewsArticle(input: {kind: NEWS, titleZh: "草稿", titleEn: "Draft", bodyZh: "正文",
        bodyEn: "Text"}) { __typename } }""", user="jx-secretary", zone="jiangxi")
    made = await api.gql("mutation { makeCalendarFeedToken { ... on CalendarFeed { url } } }", user="gz-head",
                         zone="guizhou")
    token = made["makeCalendarFeedToken"]["url"].rsplit("/", 1)[1].removesuffix(".ics")

    engine = create_async_engine(database.app_url)  # the app's login: bound by row-level security
    try:
        async with engine.connect() as connection:
            async with connection.begin():
                zones = dict((await connection.execute(text("SELECT slug, id FROM zones"))).all())

            async def counts(zone: str | None, user: str | None = None) -> tuple[int, ...]:
                async with connection.begin():
                    await connection.execute(SET, {"zone": str(zones[zone]) if zone else "",
                                                   "user": str(api.users[user]) if user else ""})
                    return tuple((await connection.execute(COUNTS)).one())

            # series, meetings, invitations, decisions, news, tokens
            assert await counts("jiangxi") == (1, 4, 2, 1, 1, 0)
            assert await counts("guizhou") == (1, 4, 2, 1, 0, 0)
            assert await counts(None, "gz-head") == (1, 4, 2, 1, 0, 1)       # invited by name; own token
            assert await counts("hainan") == (0, 0, 0, 0, 0, 0)
            assert await counts(None) == (0, 0, 0, 0, 0, 0)

            await op(api, "publishJointMeetingMinutes", {"meetingId": first}, MEETING, "jx-secretary", "jiangxi")
            assert await counts("hainan") == (1, 1, 2, 1, 0, 0)               # the published meeting only
            assert await counts(None) == (1, 1, 2, 1, 0, 0)

            # Writes outside one's zone are refused by the database itself: reading a published
            # meeting gives Hainan no right to invite itself to its series.
            for statement, zone in (
                (("INSERT INTO meeting_series (host_zone_id, kind, title_zh, title_en, first_start, duration_minutes, "
                 f"time_zone) VALUES ({zones['jiangxi']}, 'regional', 'x', 'x', now(), 60, 'UTC')"), "hainan"),
                (("INSERT INTO meeting_invitations (series_id, zone_id, invited_at) "
                 f"SELECT id, {zones['hainan']}, now() FROM meeting_series"), "hainan"),
                (("INSERT INTO news_articles (zone_id, kind, title_zh, title_en, body_zh, body_en, state) "
                 f"VALUES ({zones['jiangxi']}, 'news', 'x', 'x', 'x', 'x', 'published')"), "guizhou")):
                with pytest.raises(DBAPIError, match="row-level security"):
                    async with connection.begin():
                        await connection.execute(SET, {"zone": str(zones[zone]), "user": ""})
                        await connection.execute(text(statement))
            # The token's person is found by the hash only, through the narrow function.
            async with connection.begin():
                await connection.execute(SET, {"zone": "", "user": ""})
                digest = hashlib.sha256(token.encode()).hexdigest()
                found = await connection.scalar(text("SELECT ecozone_calendar_feed_user(:h)"), {"h": digest})
                assert found == api.users["gz-head"]
                assert await connection.scalar(text("SELECT ecozone_calendar_feed_user(:h)"),
                                               {"h": "0" * 64}) is None
    finally:
        await engine.dispose()
