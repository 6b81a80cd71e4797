"""README "Who sees joint meetings", cell by cell, through HTTP, on SQLite and PostgreSQL.

Jiangxi hosts a yearly series to which Guizhou is invited, and Guizhou's office names its
institute head (an account with no role); the first meeting has attendance, a material, a decision and a follow-up item. Every
identity asks for each row's object by id, in the lists, through nested fields and by
``node(id:)``, before and after the host publishes the first meeting's minutes; every identity
with an account makes its own calendar feed token; Jiangxi's office drafts and publishes news.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.meetings.support import (
    FOLLOW_UP,
    MEETING,
    SERIES,
    op,
    people,
    user_id,
    yearly_series,
)
from tests.support.api import Api
from tests.support.readme_tables import NO, OWN, YES, Identity, check_table_shape
from tests.support.readme_tables import readme_table as read_table

HEADING = "### Who sees joint meetings"
IDENTITIES = [
    Identity("anonymous", None, None),
    Identity("staff of a zone not taking part (Hainan)", "hn-director", "hainan"),
    Identity("member of the host zone", "jx-member", "jiangxi"),
    Identity("staff of an invited zone", "gz-director", "guizhou"),
    Identity("host-zone staff", "jx-secretary", "jiangxi"),
    Identity("person invited by name", "gz-head", "guizhou"),
]
NODE = "query($id: ID!) { node(id: $id) { id } }"
MEETING_QUERY = """query($m: ID!, $s: ID!) {
  jointMeeting(id: $m) { __typename ... on JointMeeting { attendance { present } materials { url }
    decisions { number } followUps { id } series { invitations { invitedAt } } } }
  jointMeetingSeriesById(id: $s) { __typename }
  jointMeetings(first: 100) { ... on JointMeetingConnection { edges { node { id } } } }
  jointMeetingSeries(first: 100) { ... on JointMeetingSeriesConnection { edges { node { id } } } }
  jointMeetingFollowUps(first: 100) { ... on JointMeetingFollowUpConnection { edges { node { id } } } } }"""
ARTICLE_QUERY = """query($id: ID!) { newsArticle(id: $id) { __typename }
  newsArticles(first: 100) { ... on NewsArticleConnection { edges { node { id } } } } }"""


@dataclass
class Story:
    api: Api
    series: str = ""
    meetings: list[str] = field(default_factory=list)
    follow_up: str = ""
    draft: str = ""
    article: str = ""


def readme_table():
    return read_table(HEADING, "joint meeting object")


def test_the_table_names_every_identity_and_object():
    check_table_shape(*readme_table(), IDENTITIES, PROBES)


def verdict(seen: list[bool]) -> str:
    return YES if all(seen) else NO if not any(seen) else f"partly ({seen})"


async def probe_meeting(story: Story, who: Identity, meeting: str, *, with_rows: bool) -> str:
    api = story.api
    data = await api.gql(MEETING_QUERY, {"m": meeting, "s": story.series}, user=who.user, zone=who.zone)
    found = data["jointMeeting"]["__typename"] == "JointMeeting"
    seen = [found, meeting in {e["node"]["id"] for e in data["jointMeetings"]["edges"]},
            (await api.gql(NODE, {"id": meeting}, user=who.user, zone=who.zone))["node"] is not None]
    if with_rows:
        seen += [data["jointMeetingSeriesById"]["__typename"] == "JointMeetingSeries",
                 story.series in {e["node"]["id"] for e in data["jointMeetingSeries"]["edges"]},
                 story.follow_up in {e["node"]["id"] for e in data["jointMeetingFollowUps"]["edges"]},
                 (await api.gql(NODE, {"id": story.follow_up}, user=who.user, zone=who.zone))["node"] is not None]
        if found:
            m = data["jointMeeting"]
            seen += [len(m["attendance"]) == 1, len(m["materials"]) == 1, len(m["decisions"]) == 1,
                     len(m["followUps"]) == 1, len(m["series"]["invitations"]) == 2]
    return verdict(seen)


async def probe_first(story: Story, who: Identity) -> str:
    return await probe_meeting(story, who, story.meetings[0], with_rows=True)


async def probe_next(story: Story, who: Identity) -> str:
    return await probe_meeting(story, who, story.meetings[1], with_rows=False)


async def probe_feed(story: Story, who: Identity) -> str:
    api = story.api
    made = await api.gql("mutation { makeCalendarFeedToken { __typename ... on CalendarFeed { url } } }",
                         user=who.user, zone=who.zone)
    if made["makeCalendarFeedToken"]["__typename"] != "CalendarFeed":
        return NO
    url = made["makeCalendarFeedToken"]["url"]
    own = await api.client.get(url.removeprefix("http://ecozone.test"))
    guessed = await api.client.get("/calendar/me/ezc_" + "A" * 43 + ".ics")
    return OWN if own.status_code == 200 and guessed.status_code == 404 else f"feed {own.status_code}"


async def probe_article(story: Story, who: Identity, article: str) -> str:
    data = await story.api.gql(ARTICLE_QUERY, {"id": article}, user=who.user, zone=who.zone)
    return verdict([data["newsArticle"]["__typename"] == "NewsArticle",
                    article in {e["node"]["id"] for e in data["newsArticles"]["edges"]},
                    (await story.api.gql(NODE, {"id": article}, user=who.user, zone=who.zone))["node"] is not None])


async def probe_draft(story: Story, who: Identity) -> str:
    return await probe_article(story, who, story.draft)


async def probe_published(story: Story, who: Identity) -> str:
    return await probe_article(story, who, story.article)


PROBES = {
    # README row → (probe, the moment it is asked)
    "meeting before its minutes are published, with series, invitations, attendance, materials, decisions, "
    "follow-ups": (probe_first, "before"),
    "meeting after its minutes are published, with the same": (probe_first, "after"),
    "the series' next meeting, minutes not published": (probe_next, "after"),
    "personal calendar feed (by its token)": (probe_feed, "after"),
    "news article of the host zone, drafted": (probe_draft, "after"),
    "news article, published": (probe_published, "after"),
}


async def test_every_cell_of_the_readme_table(api):
    _, rows = readme_table()
    story = Story(api)
    await people(api)
    series = await yearly_series(api, invitedZones=["guizhou"])
    story.series, story.meetings = series["id"], [m["id"] for m in series["meetings"]]
    first = story.meetings[0]
    await op(api, "inviteZoneToJointMeeting", {"seriesId": story.series, "zone": "guizhou"}, SERIES,
             "jx-secretary", "jiangxi")  # a Conflict (invited already): changes nothing
    named = await op(api, "invitePersonToJointMeeting", {"seriesId": story.series,
                     "userId": user_id(api, "gz-head")}, SERIES, "gz-director", "guizhou")
    assert named["__typename"] == "JointMeetingSeries", named
    recorded = await op(api, "recordJointMeetingAttendance", {"meetingId": first, "presences": [
        {"userId": user_id(api, "gz-head")}]}, MEETING, "jx-secretary", "jiangxi")
    assert recorded["__typename"] == "JointMeeting", recorded
    await op(api, "addJointMeetingMaterial", {"meetingId": first, "titleZh": "议程", "titleEn": "Agenda",
             "url": "https://example.org/agenda.pdf"}, MEETING, "gz-director", "guizhou")
    await op(api, "writeJointMeetingMinutes", {"meetingId": first, "summary": "纪要", "decisions": [
        {"textZh": "决定", "textEn": "Decision"}]}, MEETING, "jx-secretary", "jiangxi")
    story.follow_up = (await op(api, "addJointMeetingFollowUp", {"meetingId": first, "zone": "guizhou",
                       "titleZh": "事项", "titleEn": "Item", "dueOn": "2025-12-31"}, FOLLOW_UP,
                       "jx-secretary", "jiangxi"))["id"]
    wrong: list[str] = []

    async def check(moment: str) -> None:
        for row, (probe, at) in PROBES.items():
            if at != moment:
                continue
            for who in IDENTITIES:
                expected, got = rows[row][who.column], await probe(story, who)
                if got != expected:
                    wrong.append(f"{row} × {who.column}: README says {expected}, the API answers {got}")

    await check("before")
    published = await op(api, "publishJointMeetingMinutes", {"meetingId": first}, MEETING, "jx-secretary", "jiangxi")
    assert published["minutesPublishedAt"], published
    article = ("__typename ... on NewsArticle { id state }")
    texts = {"kind": "NEWS", "titleZh": "联席会议召开", "titleEn": "Joint meeting held", "bodyZh": "正文",
             "bodyEn": "Text"}
    story.draft = (await op(api, "draftNewsArticle", texts, article, "jx-secretary", "jiangxi"))["id"]
    story.article = (await op(api, "draftNewsArticle", texts, article, "jx-secretary", "jiangxi"))["id"]
    assert (await op(api, "publishNewsArticle", {"id": story.article}, article, "jx-director", "jiangxi")
            )["state"] == "PUBLISHED"
    await check("after")
    assert not wrong, "README “Who sees joint meetings” and the API disagree:\n" + "\n".join(wrong)
