"""Shared steps of the training tests, all through the HTTP API."""

from __future__ import annotations

from tests.support.api import Api

FAILURE = "... on Failure { code message messageZh } ... on ValidationFailed { fieldErrors { field code } }"
ENROLMENT = f"__typename ... on Enrolment {{ id state waitPosition attended zone {{ slug }} }} {FAILURE}"


async def op(api: Api, mutation: str, input_: dict, fields: str, user: str | None, zone: str | None) -> dict:
    input_type = mutation[0].upper() + mutation[1:] + "Input"
    query = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {fields} }} }}"
    return (await api.gql(query, {"input": input_}, user=user, zone=zone))[mutation]


async def make_expert(api: Api, username: str, zone: str, secretary: str | None, name_zh: str) -> str:
    """A registry expert of ``zone``; verified by ``secretary`` unless None."""
    await api.add_user(username, zone, "expert", display_name=name_zh)
    created = await op(api, "createExpertProfile", {"nameZh": name_zh, "fields": ["标准化管理"]},
                       "... on Expert { id }", username, zone)
    if secretary:
        await op(api, "verifyExpert", {"id": created["id"]}, "__typename", secretary, zone)
    return created["id"]


async def programme(api: Api, user: str = "hn-secretary", zone: str = "hainan", **overrides) -> dict:
    return await op(api, "createTrainingProgramme", {
        "titleZh": "绿色食品标准化实务培训", "titleEn": "Green food standardization in practice",
        "topic": "标准化", "audience": "各试验区成员单位、专家", **overrides},
        f"__typename ... on TrainingProgramme {{ id completionRule hostZone {{ slug }} }} {FAILURE}",
        user, zone)


async def add_session(api: Api, programme_id: str, teachers: list[str], *, capacity: int = 2,
                      deadline: str = "2099-05-31T16:00:00Z", user: str = "hn-secretary",
                      zone: str = "hainan") -> dict:
    return await op(api, "addTrainingSession", {
        "programmeId": programme_id, "titleZh": "第一讲：标准体系", "titleEn": "Session 1: standard systems",
        "startsAt": "2099-06-01T01:00:00Z", "endsAt": "2099-06-01T09:00:00Z", "capacity": capacity,
        "enrolmentDeadline": deadline, "venue": "海口市 某培训中心", "teacherIds": teachers},
        f"__typename ... on TrainingSession {{ id capacity seatsLeft teachers {{ nameZh homeZone {{ slug }} }} }} "
        f"{FAILURE}", user, zone)


async def enrol(api: Api, session_id: str, user: str | None, zone: str | None) -> dict:
    return await op(api, "enrolInTrainingSession", {"sessionId": session_id}, ENROLMENT, user, zone)
