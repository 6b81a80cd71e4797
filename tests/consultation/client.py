"""Consultation operations used by the API tests, and the people who perform them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tests.support.api import Api

FAILURE = """... on ValidationFailed { fieldErrors { field code message messageZh } }
             ... on PermissionDenied { action }
             ... on Failure { code message messageZh }"""
CONSULTATION = """id subjectType subjectId titleZh titleEn state days deadline acceptingComments daysLeft
                  isPublic commentCount undecidedCount zone { slug } openedBy { username }
                  document { id titleZh articles }
                  summaryDownload { xlsxUrl csvUrl }"""
COMMENT = """id seq clause text proposedChange proposerUnit decision decisionZh decisionReason
             withdrawnAt isMine author { username displayName } decidedBy { username }"""

OPEN = f"""mutation($input: OpenDocumentConsultationInput!) {{
  openDocumentConsultation(input: $input) {{ __typename ... on Consultation {{ {CONSULTATION} }} {FAILURE} }}
}}"""
POST = f"""mutation($input: PostCommentInput!) {{
  postComment(input: $input) {{ __typename ... on ConsultationComment {{ {COMMENT} }} {FAILURE} }}
}}"""
UPDATE = f"""mutation($input: UpdateCommentInput!) {{
  updateComment(input: $input) {{ __typename ... on ConsultationComment {{ {COMMENT} }} {FAILURE} }}
}}"""
WITHDRAW = f"""mutation($id: ID!) {{
  withdrawComment(input: {{id: $id}}) {{ __typename ... on ConsultationComment {{ {COMMENT} }} {FAILURE} }}
}}"""
DECIDE = f"""mutation($input: DecideCommentInput!) {{
  decideComment(input: $input) {{ __typename ... on ConsultationComment {{ {COMMENT} }} {FAILURE} }}
}}"""
CLOSE = f"""mutation($id: ID!) {{
  closeConsultation(input: {{id: $id}}) {{ __typename ... on Consultation {{ {CONSULTATION} }} {FAILURE} }}
}}"""
GET = f"""query($id: ID!) {{
  consultation(id: $id) {{ __typename ... on Consultation {{ {CONSULTATION}
    comments(first: 50) {{ ... on ConsultationCommentConnection {{ totalCount edges {{ node {{ {COMMENT} }} }} }} }}
    summaryRows(first: 50) {{ ... on CommentSummaryRowConnection {{
      totalCount edges {{ node {{ seq clause content proposerUnit handling }} }} }} }}
  }} {FAILURE} }}
}}"""

DOCUMENT = {
    "titleZh": "试验区标准化协作细则（征求意见稿）",
    "titleEn": "Rules of standardization cooperation between the pilot zones (draft for comments)",
    "articles": "第一条 为规范各试验区之间的标准化协作，制定本细则。\n第二条 本细则适用于……",
}
COMMENT_INPUT = {"clause": "第二条", "text": "适用范围表述过宽，建议限定为联合标准。",
                 "proposerUnit": "某市农产品质量安全检测站", "proposedChange": "本细则适用于联合地方标准的研制。"}

PEOPLE = {
    "jx-secretary": ("jiangxi", "secretary"),
    "jx-director": ("jiangxi", "director"),
    "jx-member": ("jiangxi", "member"),
    "gz-secretary": ("guizhou", "secretary"),
    "gz-member": ("guizhou", "member"),
    "commenter": ("fujian",),
}


@dataclass
class Calendar:
    today: dt.date


class Consultations:
    """The operations, each run as a user acting in their home zone unless told otherwise."""

    def __init__(self, api: Api, calendar: Calendar):
        self.api, self.calendar = api, calendar

    def zone_of(self, user: str | None) -> str | None:
        return PEOPLE[user][0] if user else None

    async def call(self, query: str, variables: dict[str, Any], field: str, *, user: str | None,
                   zone: str | None = None) -> dict[str, Any]:
        data = await self.api.gql(query, variables, user=user, zone=zone or self.zone_of(user) or "jiangxi")
        return data[field]

    async def open(self, user: str | None = "jx-secretary", **overrides) -> dict[str, Any]:
        return await self.call(OPEN, {"input": {**DOCUMENT, **overrides}}, "openDocumentConsultation",
                               user=user)

    async def post(self, consultation_id: str, user: str | None = "commenter", **overrides
                   ) -> dict[str, Any]:
        return await self.call(POST, {"input": {**COMMENT_INPUT, "consultationId": consultation_id,
                                                **overrides}}, "postComment", user=user)

    async def update(self, comment_id: str, user: str = "commenter", **changes) -> dict[str, Any]:
        return await self.call(UPDATE, {"input": {"id": comment_id, **changes}}, "updateComment",
                               user=user)

    async def withdraw(self, comment_id: str, user: str = "commenter") -> dict[str, Any]:
        return await self.call(WITHDRAW, {"id": comment_id}, "withdrawComment", user=user)

    async def decide(self, comment_id: str, decision: str, reason: str | None = None,
                     user: str = "jx-secretary", zone: str | None = None) -> dict[str, Any]:
        return await self.call(DECIDE, {"input": {"id": comment_id, "decision": decision,
                                                  "reason": reason}}, "decideComment",
                               user=user, zone=zone)

    async def close(self, consultation_id: str, user: str = "jx-secretary") -> dict[str, Any]:
        return await self.call(CLOSE, {"id": consultation_id}, "closeConsultation", user=user)

    async def get(self, consultation_id: str, user: str | None = None) -> dict[str, Any]:
        return await self.call(GET, {"id": consultation_id}, "consultation", user=user)


async def add_people(api: Api) -> None:
    for username, (zone, *roles) in PEOPLE.items():
        await api.add_user(username, zone, *roles)
