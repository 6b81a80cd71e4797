"""Shared steps of the joint-meeting tests, all through the HTTP API."""

from __future__ import annotations

from tests.support.api import Api, gid

FAILURE = "... on Failure { code message messageZh } ... on ValidationFailed { fieldErrors { field code } }"
SERIES = (f"__typename ... on JointMeetingSeries {{ id kind recurrence firstStart hostZone {{ slug }} "
          f"invitations {{ zone {{ slug }} forZone {{ slug }} }} meetings {{ id sequence startsAt endsAt }} }} {FAILURE}")
MEETING = (f"__typename ... on JointMeeting {{ id sequence startsAt minutesSummary minutesPublishedAt "
           f"attendance {{ present zone {{ slug }} }} materials {{ titleZh url zone {{ slug }} }} "
           f"decisions {{ number textZh textEn }} followUps {{ id state dueOn zone {{ slug }} }} }} {FAILURE}")
FOLLOW_UP = f"__typename ... on JointMeetingFollowUp {{ id state dueOn decisionNumber zone {{ slug }} }} {FAILURE}"

# Who takes part: Jiangxi hosts, Guizhou and Fujian are invited; Hainan is not.
PEOPLE = [("jx-secretary", "jiangxi", ("secretary",)), ("jx-director", "jiangxi", ("director",)),
          ("jx-member", "jiangxi", ("member",)), ("gz-director", "guizhou", ("director",)),
          ("fj-director", "fujian", ("director",)), ("fj-head", "fujian", ()), ("gz-head", "guizhou", ()),
          ("fj-member", "fujian", ("member",)), ("hn-director", "hainan", ("director",)),
          ("hn-secretary", "hainan", ("secretary",))]


async def people(api: Api) -> None:
    for username, zone, roles in PEOPLE:
        await api.add_user(username, zone, *roles)


async def op(api: Api, mutation: str, input_: dict, fields: str, user: str | None, zone: str | None) -> dict:
    input_type = mutation[0].upper() + mutation[1:] + "Input"
    query = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {fields} }} }}"
    return (await api.gql(query, {"input": input_}, user=user, zone=zone))[mutation]


async def yearly_series(api: Api, **overrides) -> dict:
    """The regional meeting of the zones' authorities and institute heads (办法 第四条(八)), hosted
    by Jiangxi every March from 2025, four times; Guizhou and Fujian invited."""
    return await op(api, "createJointMeetingSeries", {
        "kind": "REGIONAL", "titleZh": "试验区标准化主管部门负责同志和院（所）长会",
        "titleEn": "Regional meeting of standardisation authorities and institute heads",
        "firstStart": "2025-03-10T09:00:00+08:00", "durationMinutes": 180,
        "recurrence": "FREQ=YEARLY;COUNT=4", "location": "南昌市 某会议中心",
        "invitedZones": ["guizhou", "fujian"], **overrides}, SERIES, "jx-secretary", "jiangxi")


def user_id(api: Api, username: str) -> str:
    return gid("User", api.users[username])
