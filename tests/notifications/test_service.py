"""Notification service on both databases: recipients only, inbox pages, marking read."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from ecozone.audit.models import AuditEntry
from ecozone.authz.actor import Actor
from ecozone.db.engine import transaction
from ecozone.errors import NotFound, PermissionDenied, ValidationFailed
from ecozone.notifications import service
from ecozone.notifications.models import Notification
from tests.notifications.support import message, user_actor, zone_ids


@pytest.fixture
async def people(api):
    zones = await zone_ids(api)
    ids = {name: await api.add_user(name, zone) for name, zone in
           (("proposer", "jiangxi"), ("drafter", "jiangxi"), ("neighbour", "jiangxi"),
            ("gz-director", "guizhou"))}
    actors = {name: user_actor(uid, zones["guizhou" if name.startswith("gz") else "jiangxi"],
                               "guizhou" if name.startswith("gz") else "jiangxi")
              for name, uid in ids.items()}
    return actors


async def send(app_engine, actor: Actor, recipients: list[int], n: int = 1) -> list[int]:
    """Notify as the app does: through the app's role, in the actor's scope."""
    async with transaction(app_engine, actor.scope) as session:
        rows = await service.notify(session, actor, recipients, message(n))
        return [r.id for r in rows]


async def as_user(app_engine, actor: Actor, work):
    async with transaction(app_engine, actor.scope) as session:
        return await work(session)


async def test_notify_writes_one_row_per_other_recipient(app_engine, people):
    director, proposer, drafter = people["gz-director"], people["proposer"], people["drafter"]
    # The app's role writes rows for other users that it may not read back (PostgreSQL RLS).
    ids = await send(app_engine, director, [proposer.user_id, drafter.user_id, proposer.user_id,
                                            director.user_id, None])
    assert len(ids) == 2 and len(set(ids)) == 2
    for recipient in (proposer, drafter):
        page = await as_user(app_engine, recipient, lambda s, r=recipient: service.inbox(s, r))
        assert [n.title_zh for n in page.items] == ["《茶叶分级标准 1》进入征求意见阶段"]
        assert page.items[0].origin_zone_id == director.zone_id
    mine = await as_user(app_engine, director, lambda s: service.inbox(s, director))
    assert mine.items == []  # the actor is not told what they did themselves


async def test_only_the_recipient_sees_a_notification(app_engine, people, database):
    proposer, neighbour = people["proposer"], people["neighbour"]
    [nid] = await send(app_engine, people["gz-director"], [proposer.user_id])

    async def lookups(session, actor):
        page = await service.inbox(session, actor)
        try:
            found = (await service.get_notification(session, nid)).id
        except NotFound:
            found = None
        return [n.id for n in page.items], found, await service.unread_count(session, actor)

    assert await as_user(app_engine, proposer, lambda s: lookups(s, proposer)) == ([nid], nid, 1)
    # Same zone, signed in: still nothing.
    assert await as_user(app_engine, neighbour, lambda s: lookups(s, neighbour)) == ([], None, 0)
    if database.kind == "postgresql":
        # Row-level security says the same to raw SQL on the app's connection.
        async with transaction(app_engine, neighbour.scope) as session:
            assert (await session.execute(text("SELECT count(*) FROM notifications"))).scalar() == 0
            changed = await session.execute(text("UPDATE notifications SET read_at = now()"))
            assert changed.rowcount == 0


async def test_anonymous_is_refused_and_counts_nothing(app_engine, people):
    await send(app_engine, people["gz-director"], [people["proposer"].user_id])
    anonymous = Actor(zone_id=people["proposer"].zone_id, zone_slug="jiangxi")
    async with transaction(app_engine, anonymous.scope) as session:
        with pytest.raises(PermissionDenied, match="sign in"):
            await service.inbox(session, anonymous)
        with pytest.raises(PermissionDenied):
            await service.mark_read(session, anonymous, notification_ids=None)
        assert await service.unread_count(session, anonymous) == 0


async def test_inbox_is_newest_first_in_pages_and_filters_unread(app_engine, people):
    proposer = people["proposer"]
    ids = [(await send(app_engine, people["gz-director"], [proposer.user_id], n))[0] for n in range(5)]

    async def walk(session):
        seen, after = [], None
        while True:
            page = await service.inbox(session, proposer, first=2, after=after)
            assert page.total_count == 5
            seen.append([n.id for n in page.items])
            if not page.has_next_page:
                return seen
            after = page.cursors[-1]
    assert await as_user(app_engine, proposer, walk) == [ids[4:2:-1], ids[2:0:-1], ids[:1]]

    await as_user(app_engine, proposer, lambda s: service.mark_read(
        s, proposer, notification_ids=[ids[4], ids[1]]))
    unread = await as_user(app_engine, proposer, lambda s: service.inbox(s, proposer, unread_only=True))
    assert [n.id for n in unread.items] == [ids[3], ids[2], ids[0]] and unread.total_count == 3


@pytest.mark.parametrize(("first", "after"), [(0, None), (101, None), (5, "not-a-cursor")])
async def test_bad_page_arguments_are_refused(app_engine, people, first, after):
    proposer = people["proposer"]
    with pytest.raises(ValidationFailed):
        await as_user(app_engine, proposer, lambda s: service.inbox(s, proposer, first=first, after=after))


async def test_a_cursor_of_another_list_is_refused(app_engine, people):
    from ecozone.db.pagination import encode_cursor
    proposer = people["proposer"]
    with pytest.raises(ValidationFailed):
        await as_user(app_engine, proposer, lambda s: service.inbox(
            s, proposer, after=encode_cursor(["pinyin"])))


async def test_mark_read_some_then_all_and_it_is_audited(app_engine, people, api):
    proposer = people["proposer"]
    ids = [(await send(app_engine, people["gz-director"], [proposer.user_id], n))[0] for n in range(3)]
    first = await as_user(app_engine, proposer, lambda s: service.mark_read(
        s, proposer, notification_ids=[ids[0], ids[0]]))
    assert (first.changed, first.unread) == (1, 2)
    again = await as_user(app_engine, proposer, lambda s: service.mark_read(
        s, proposer, notification_ids=[ids[0]]))
    assert (again.changed, again.unread) == (0, 2)  # already read: nothing changes
    rest = await as_user(app_engine, proposer, lambda s: service.mark_read(
        s, proposer, notification_ids=None))
    assert (rest.changed, rest.unread) == (2, 0)
    audit = await api.operator(lambda s: s.scalars(select(AuditEntry).where(
        AuditEntry.action == "notification.mark_read").order_by(AuditEntry.id)))
    assert [(e.actor_id, e.after) for e in audit.all()] == [
        (proposer.user_id, {"ids": [ids[0]], "changed": 1}),
        (proposer.user_id, {"ids": [ids[0]], "changed": 0}),
        (proposer.user_id, {"ids": "all", "changed": 2})]


async def test_marking_another_users_notification_is_not_found_and_changes_nothing(app_engine, people, api):
    proposer, neighbour = people["proposer"], people["neighbour"]
    [theirs] = await send(app_engine, people["gz-director"], [proposer.user_id])
    [mine] = await send(app_engine, people["gz-director"], [neighbour.user_id])
    with pytest.raises(NotFound, match=f"no notification {theirs}"):
        await as_user(app_engine, neighbour, lambda s: service.mark_read(
            s, neighbour, notification_ids=[mine, theirs]))
    everything = await as_user(app_engine, neighbour, lambda s: service.mark_read(
        s, neighbour, notification_ids=None))
    assert everything.changed == 1  # only their own
    unread = await api.operator(lambda s: s.scalar(select(func.count()).select_from(Notification)
                                                   .where(Notification.read_at.is_(None))))
    assert unread == 1  # the proposer's is untouched


async def test_too_many_ids_at_once_is_refused(app_engine, people):
    proposer = people["proposer"]
    with pytest.raises(ValidationFailed, match="at most 3"):
        await as_user(app_engine, proposer, lambda s: service.mark_read(
            s, proposer, notification_ids=[1, 2, 3, 4], max_ids=3))


async def test_operator_sees_every_notification(app_engine, people, api):
    await send(app_engine, people["gz-director"], [people["proposer"].user_id, people["drafter"].user_id])
    count = await api.operator(lambda s: s.scalar(select(func.count()).select_from(Notification)))
    assert count == 2
