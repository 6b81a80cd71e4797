"""The project operations used by the API tests, and the people who perform them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ecozone.audit.models import AuditEntry
from ecozone.notifications.models import Notification
from ecozone.projects.models import Project
from sqlalchemy import select

from tests.support.api import Api

PROJECT = """id kind kindNameZh kindNameEn titleZh titleEn summary proposerUnit leadUnit state
             stateNameZh stateNameEn year noticeEndsOn closureReport nextActions zone { slug }
             proposer { username }"""
FAILURE = """... on ValidationFailed { fieldErrors { field code message messageZh } }
             ... on PermissionDenied { action }
             ... on Failure { code message messageZh }"""

# action -> (mutation, input type)
MUTATIONS = {
    "approve": ("approveProject", "ApproveProjectInput"),
    "reject": ("rejectProject", "RejectProjectInput"),
    "open_notice": ("openProjectNotice", "OpenProjectNoticeInput"),
    "start": ("startProject", "StartProjectInput"),
    "request_adjustment": ("requestProjectAdjustment", "RequestProjectAdjustmentInput"),
    "approve_adjustment": ("approveProjectAdjustment", "ApproveProjectAdjustmentInput"),
    "refuse_adjustment": ("refuseProjectAdjustment", "RefuseProjectAdjustmentInput"),
    "terminate": ("terminateProject", "TerminateProjectInput"),
    "submit_closure": ("submitProjectClosure", "SubmitProjectClosureInput"),
    "pass_closure": ("passProjectClosure", "PassProjectClosureInput"),
    "return_closure": ("returnProjectClosure", "ReturnProjectClosureInput"),
    "archive": ("archiveProject", "ArchiveProjectInput"),
}
# Actions whose input requires a reason (a String! in the schema).
NEEDS_REASON = {"reject", "request_adjustment", "refuse_adjustment", "terminate", "return_closure"}

PROPOSAL = {
    "kind": "STANDARD_DEVELOPMENT",
    "titleZh": "绿色食品 茶叶生产技术规程",
    "titleEn": "Green food: technical code of practice for tea production",
    "summary": "制定茶叶绿色生产的技术要求，覆盖产地环境、投入品与加工。",
    "proposerUnit": "示例茶业科学研究所",
}
JOIN = """id unitName note status user { username } decidedBy { username }"""
MEMBER = """id unitName role roleNameZh roleNameEn user { username }"""


class Calendar:
    """The service's "today", moved by the tests (China time in production)."""

    def __init__(self, today: dt.date):
        self.today = today


def mutation(name: str, input_type: str, fields: str = PROJECT, node: str = "Project") -> str:
    return f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{
        __typename ... on {node} {{ {fields} }} {FAILURE} }} }}"""


class Projects:
    """Calls through HTTP as a named user acting in a zone; returns the union result."""

    def __init__(self, api: Api, calendar: Calendar):
        self.api = api
        self.calendar = calendar

    async def call(self, name: str, input_type: str, input_: dict, user: str | None,
                   zone: str | None, *, fields: str = PROJECT, node: str = "Project") -> dict:
        data = await self.api.gql(mutation(name, input_type, fields, node), {"input": input_},
                                  user=user, zone=zone)
        return data[name]

    async def propose(self, user: str | None = "jx-proposer", zone: str | None = "jiangxi",
                      **changes: Any) -> dict:
        return await self.call("proposeProject", "ProposeProjectInput", {**PROPOSAL, **changes},
                               user, zone)

    async def act(self, action: str, project_id: str, user: str | None,
                  zone: str | None = "jiangxi", **extra: Any) -> dict:
        name, input_type = MUTATIONS[action]
        input_ = {"id": project_id, **extra}
        if action in NEEDS_REASON and "reason" not in input_:
            input_["reason"] = "按工作计划处理"
        if action == "submit_closure" and "closureReport" not in input_:
            input_["closureReport"] = "项目已完成全部任务，形成标准草案一项。"
        return await self.call(name, input_type, input_, user, zone)

    async def ask_to_join(self, project_id: str, user: str | None, zone: str | None,
                          unit: str = "示例检测中心", note: str | None = "希望参与起草") -> dict:
        return await self.call("requestToJoinProject", "RequestToJoinProjectInput",
                               {"projectId": project_id, "unitName": unit, "note": note},
                               user, zone, fields=JOIN, node="JoinRequest")

    async def decide(self, accept: bool, request_id: str, user: str | None,
                     zone: str | None = "jiangxi") -> dict:
        name = "acceptJoinRequest" if accept else "declineJoinRequest"
        return await self.call(name, f"{name[0].upper()}{name[1:]}Input", {"id": request_id},
                               user, zone, fields=JOIN, node="JoinRequest")

    async def add_member(self, project_id: str, role: str, unit: str, user: str | None,
                         zone: str | None = "jiangxi", member: str | None = None) -> dict:
        input_ = {"projectId": project_id, "role": role, "unitName": unit}
        if member is not None:
            input_["userId"] = member
        return await self.call("addWorkingGroupMember", "AddWorkingGroupMemberInput", input_,
                               user, zone, fields=MEMBER, node="WorkingGroupMember")

    async def remove_member(self, member_id: str, user: str | None, zone: str | None = "jiangxi"
                            ) -> dict:
        return await self.call("removeWorkingGroupMember", "RemoveWorkingGroupMemberInput",
                               {"id": member_id}, user, zone, fields=MEMBER,
                               node="WorkingGroupMember")

    async def get(self, project_id: str, user: str | None = None, zone: str | None = None,
                  extra: str = "") -> dict:
        query = f"""query($id: ID!) {{ project(id: $id) {{ __typename
            ... on Project {{ {PROJECT} {extra} }} ... on Failure {{ code }} }} }}"""
        return (await self.api.gql(query, {"id": project_id}, user=user, zone=zone))["project"]

    async def to_state(self, state: str, user: str = "jx-proposer") -> dict:
        """A new project of ``user`` walked to ``state`` by the Jiangxi secretary."""
        project = await self.propose(user)
        steps = {"proposed": [], "rejected": ["reject"], "approved": ["approve"],
                 "public_notice": ["approve", "open_notice"],
                 "in_progress": ["approve", "open_notice", "start"]}[state]
        for action in steps:
            if action == "start":  # the notice has to pass first
                self.calendar.today = dt.date.fromisoformat(project["noticeEndsOn"]) + dt.timedelta(1)
            project = await self.act(action, project["id"], "jx-secretary")
            assert project["__typename"] == "Project", project
        return project

    # ------------------------------------------------------------------ database checks

    async def notifications(self, username: str) -> list[Notification]:
        user_id = self.api.users[username]
        return await self.api.operator(lambda s: _all(s, select(Notification).where(
            Notification.user_id == user_id).order_by(Notification.id)))

    async def audit(self, action_prefix: str = "project.") -> list[AuditEntry]:
        return await self.api.operator(lambda s: _all(s, select(AuditEntry).where(
            AuditEntry.action.like(f"{action_prefix}%")).order_by(AuditEntry.id)))

    async def set_notice_days(self, zone: str, days: int) -> None:
        from ecozone.tenancy.models import Zone

        async def work(session):
            row = await session.scalar(select(Zone).where(Zone.slug == zone))
            row.settings = {**row.settings, "projects": {"notice_days": days}}
        await self.api.operator(work)

    async def raw_project(self, project_id: int) -> Project:
        return await self.api.operator(lambda s: s.get(Project, project_id))


async def _all(session, stmt) -> list:
    return list((await session.scalars(stmt)).all())


async def add_people(api: Api) -> Api:
    await api.add_user("jx-proposer", "jiangxi", "member")
    await api.add_user("jx-member", "jiangxi", "member")
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("jx-director", "jiangxi", "director")
    await api.add_user("jx-nobody", "jiangxi")
    await api.add_user("gz-secretary", "guizhou", "secretary")
    await api.add_user("gz-member", "guizhou", "member")
    await api.add_user("fj-user", "fujian")
    return api
