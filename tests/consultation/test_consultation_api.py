"""Consultation on a document of the base, end to end through the HTTP API, on both databases."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select

from ecozone.audit.models import AuditEntry
from ecozone.consultation.models import Consultation, ConsultedDocument
from ecozone.notifications.models import Notification
from tests.consultation.client import COMMENT_INPUT, DOCUMENT, POST
from tests.consultation.conftest import START
from tests.support.api import gid


async def opened(consultations, **overrides) -> dict:
    result = await consultations.open(**overrides)
    assert result["__typename"] == "Consultation", result
    return result


async def posted(consultations, consultation_id: str, user: str = "commenter", **overrides) -> dict:
    result = await consultations.post(consultation_id, user, **overrides)
    assert result["__typename"] == "ConsultationComment", result
    return result


# ---------------------------------------------------------------------------- opening

async def test_secretary_opens_a_document_consultation_for_the_zone_period(consultations):
    c = await opened(consultations)
    assert c["state"] == "OPEN" and c["subjectType"] == "document"
    assert c["titleZh"] == DOCUMENT["titleZh"] and c["document"]["articles"] == DOCUMENT["articles"]
    assert c["subjectId"] == c["document"]["id"]
    assert c["days"] == 30  # tenants/jiangxi.toml [consultation] days
    assert c["deadline"] == (START + dt.timedelta(days=30)).isoformat()
    assert c["acceptingComments"] and c["daysLeft"] == 30 and c["isPublic"]
    assert c["zone"]["slug"] == "jiangxi" and c["openedBy"]["username"] == "jx-secretary"
    assert c["commentCount"] == 0 and c["undecidedCount"] == 0
    number = c["id"]
    assert c["summaryDownload"]["xlsxUrl"].startswith("/exports/consultations/")
    assert c["summaryDownload"]["xlsxUrl"].endswith("/comments.xlsx")
    # anyone reads it, anonymous included, from any zone
    assert (await consultations.get(number))["titleZh"] == DOCUMENT["titleZh"]
    assert (await consultations.get(number, user="gz-member"))["state"] == "OPEN"


async def test_period_can_be_overridden_within_bounds(consultations):
    assert (await opened(consultations, days=1))["deadline"] == "2026-03-03"
    assert (await opened(consultations, days=180))["days"] == 180
    for days in (0, 181):
        refused = await consultations.open(days=days)
        assert refused["__typename"] == "ValidationFailed"
        assert refused["fieldErrors"][0]["field"] == "days"


async def test_only_a_secretary_opens(consultations):
    for user in ("jx-member", "jx-director", None):
        refused = await consultations.open(user=user)
        assert refused["__typename"] == "PermissionDenied", user
    # a secretary of Guizhou holds no role in Jiangxi: may not act there at all
    await consultations.api.zone_refused(
        "mutation($i: OpenDocumentConsultationInput!) { openDocumentConsultation(input: $i) { __typename } }",
        {"i": DOCUMENT}, user="gz-secretary", zone="jiangxi")
    # nothing was written by the refusals
    documents = await consultations.api.operator(
        lambda s: s.scalars(select(ConsultedDocument.id)))
    assert documents.all() == []


async def test_invalid_document_lists_every_problem(consultations):
    refused = await consultations.open(titleZh=" ", titleEn="x" * 301, articles="")
    assert refused["__typename"] == "ValidationFailed"
    assert {f["field"] for f in refused["fieldErrors"]} == {"titleZh", "titleEn", "articles"}


async def test_opening_notifies_the_zone_staff_and_is_audited(consultations):
    c = await opened(consultations)
    api = consultations.api

    async def rows(session):
        notes = (await session.scalars(select(Notification).where(
            Notification.kind == "consultation.opened"))).all()
        audit = (await session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("consult%")))).all()
        return [n.user_id for n in notes], list(audit)
    notified, audit = await api.operator(rows)
    assert notified == [api.users["jx-director"]]  # not the secretary who opened it
    assert audit == ["consulted_document.create", "consultation.open"]
    assert c["id"]


# ---------------------------------------------------------------------------- commenting

async def test_signed_in_users_of_any_zone_comment_and_get_numbers(consultations):
    c = await opened(consultations)
    first = await posted(consultations, c["id"])
    second = await posted(consultations, c["id"], "gz-member", clause="5.2.1", proposedChange=None)
    assert (first["seq"], second["seq"]) == (1, 2)
    assert first["proposerUnit"] == COMMENT_INPUT["proposerUnit"] and first["decision"] is None
    assert first["isMine"] and first["author"]["username"] == "commenter"
    view = await consultations.get(c["id"])  # anonymous
    assert view["commentCount"] == 2 and view["undecidedCount"] == 2
    nodes = [e["node"] for e in view["comments"]["edges"]]
    assert [n["seq"] for n in nodes] == [1, 2]
    assert nodes[0]["author"] is None and not nodes[0]["isMine"]  # authors are not public
    staff_view = await consultations.get(c["id"], user="jx-director")
    # the running zone's staff see who commented from another zone; the sign-in name stays with
    # the author and their home zone's staff
    assert staff_view["comments"]["edges"][0]["node"]["author"] == {"username": None,
                                                                    "displayName": "commenter"}


async def test_anonymous_cannot_comment(consultations):
    c = await opened(consultations)
    refused = await consultations.post(c["id"], user=None)
    assert refused["__typename"] == "PermissionDenied"
    assert "sign in" in refused["message"] and "登录" in refused["messageZh"]


async def test_bad_comment_input_is_refused_with_every_field(consultations):
    c = await opened(consultations)
    refused = await consultations.post(c["id"], clause="5" * 51, text=" ", proposerUnit="")
    assert refused["__typename"] == "ValidationFailed"
    assert {f["field"] for f in refused["fieldErrors"]} == {"clause", "text", "proposerUnit"}
    wrong_id = await consultations.post(gid("ConsultedDocument", 1))
    assert wrong_id["__typename"] == "NotFound"
    missing = await consultations.post(gid("Consultation", 999))
    assert missing["__typename"] == "NotFound"


async def test_deadline_day_is_allowed_the_day_after_is_not(consultations):
    c = await opened(consultations, days=10)
    consultations.calendar.today = START + dt.timedelta(days=10)
    on_deadline = await posted(consultations, c["id"])
    assert (await consultations.get(c["id"]))["daysLeft"] == 0
    consultations.calendar.today = START + dt.timedelta(days=11)
    late = await consultations.post(c["id"])
    assert late["__typename"] == "Conflict"
    assert "2026-03-12" in late["message"] and "截止" in late["messageZh"]
    assert not (await consultations.get(c["id"]))["acceptingComments"]
    # and the author can no longer edit, but the comment stands
    edited = await consultations.update(on_deadline["id"], text="改过的意见")
    assert edited["__typename"] == "Conflict"


async def test_author_edits_and_withdraws_only_their_own_undecided_comment(consultations):
    c = await opened(consultations)
    mine = await posted(consultations, c["id"])
    other = await consultations.update(mine["id"], user="gz-member", text="不是我的")
    assert other["__typename"] == "PermissionDenied"
    edited = await consultations.update(mine["id"], clause="第三条", proposedChange=None)
    assert edited["clause"] == "第三条" and edited["proposedChange"] is None
    assert edited["text"] == COMMENT_INPUT["text"]  # not sent, kept
    blank = await consultations.update(mine["id"], text="")
    assert blank["__typename"] == "ValidationFailed"
    assert (await consultations.withdraw(mine["id"], user="gz-member"))["__typename"] == "PermissionDenied"
    withdrawn = await consultations.withdraw(mine["id"])
    assert withdrawn["withdrawnAt"] is not None and withdrawn["seq"] == 1
    again = await consultations.withdraw(mine["id"])
    assert again["__typename"] == "Conflict"
    # a withdrawn comment needs no decision and cannot get one
    assert (await consultations.decide(mine["id"], "ADOPTED"))["__typename"] == "Conflict"
    assert (await consultations.get(c["id"]))["undecidedCount"] == 0
    # numbers never move: the next comment is No. 2
    assert (await posted(consultations, c["id"]))["seq"] == 2


async def test_a_decided_comment_can_no_longer_be_edited(consultations):
    c = await opened(consultations)
    mine = await posted(consultations, c["id"])
    await consultations.decide(mine["id"], "ADOPTED")
    assert (await consultations.update(mine["id"], text="再改"))["__typename"] == "Conflict"
    assert (await consultations.withdraw(mine["id"]))["__typename"] == "Conflict"


# ---------------------------------------------------------------------------- deciding and closing

async def test_decisions_by_the_running_zones_staff_only(consultations):
    c = await opened(consultations)
    comment = await posted(consultations, c["id"])
    for user, zone in (("jx-member", None), ("commenter", None), ("gz-secretary", None)):
        refused = await consultations.decide(comment["id"], "ADOPTED", user=user, zone=zone)
        assert refused["__typename"] == "PermissionDenied", (user, zone)
    no_reason = await consultations.decide(comment["id"], "NOT_ADOPTED")
    assert no_reason["__typename"] == "ValidationFailed"
    assert no_reason["fieldErrors"][0]["field"] == "reason"
    decided = await consultations.decide(comment["id"], "PARTLY_ADOPTED", "前半部分采纳", user="jx-director")
    assert (decided["decision"], decided["decisionZh"]) == ("PARTLY_ADOPTED", "部分采纳")
    assert decided["decidedBy"]["username"] == "jx-director"
    changed = await consultations.decide(comment["id"], "ADOPTED")  # may change while open
    assert changed["decision"] == "ADOPTED" and changed["decisionReason"] is None


async def test_close_is_refused_while_a_comment_is_undecided(consultations):
    c = await opened(consultations)
    first = await posted(consultations, c["id"])
    second = await posted(consultations, c["id"], "gz-member", clause="5.2.1")
    await consultations.decide(first["id"], "ADOPTED")
    assert (await consultations.close(c["id"], user="jx-member"))["__typename"] == "PermissionDenied"
    refused = await consultations.close(c["id"])
    assert refused["__typename"] == "Conflict"
    assert "1 comment is still undecided (the first is No. 2)" in refused["message"]
    assert "尚有 1 条意见未处理（第一条为序号 2）" in refused["messageZh"]
    undecided = await consultations.api.gql(
        """query($id: ID!) { consultation(id: $id) { ... on Consultation {
             comments(undecidedOnly: true) { ... on ConsultationCommentConnection {
               edges { node { seq } } } } } } }""", {"id": c["id"]})
    assert [e["node"]["seq"] for e in undecided["consultation"]["comments"]["edges"]] == [2]
    await consultations.decide(second["id"], "NOT_ADOPTED", "超出本细则范围")
    closed = await consultations.close(c["id"], user="jx-director")
    assert closed["state"] == "CLOSED" and not closed["acceptingComments"]
    # closed is final: no comment, no decision, no second close
    assert (await consultations.post(c["id"]))["__typename"] == "Conflict"
    assert (await consultations.decide(first["id"], "NOT_ADOPTED", "改主意"))["__typename"] == "Conflict"
    again = await consultations.close(c["id"])
    assert again["__typename"] == "Conflict" and again["code"] == "illegal_transition"

    async def notified(session):
        rows = await session.scalars(select(Notification.user_id).where(
            Notification.kind == "consultation.closed"))
        return sorted(rows.all())
    api = consultations.api  # the running zone's staff and the commenters, not the closer
    assert await api.operator(notified) == sorted(
        api.users[u] for u in ("jx-secretary", "commenter", "gz-member"))


async def test_summary_rows_follow_annex_3(consultations):
    c = await opened(consultations)
    first = await posted(consultations, c["id"])
    second = await posted(consultations, c["id"], "gz-member", clause="5.2.1", text="数值有误。",
                          proposedChange=None)
    await consultations.decide(first["id"], "ADOPTED")
    await consultations.decide(second["id"], "NOT_ADOPTED", "已核对，数值无误")
    rows = [e["node"] for e in (await consultations.get(c["id"]))["summaryRows"]["edges"]]
    assert rows == [
        {"seq": 1, "clause": "第二条",
         "content": f"{COMMENT_INPUT['text']}\n建议修改为：{COMMENT_INPUT['proposedChange']}",
         "proposerUnit": COMMENT_INPUT["proposerUnit"], "handling": "采纳"},
        {"seq": 2, "clause": "5.2.1", "content": "数值有误。", "proposerUnit": COMMENT_INPUT["proposerUnit"],
         "handling": "不采纳：已核对，数值无误"},
    ]


async def test_lists_and_nodes(consultations):
    first = await opened(consultations)
    await opened(consultations, titleZh="第二份文件")
    await consultations.post(first["id"])
    await consultations.decide((await consultations.get(first["id"]))["comments"]["edges"][0]["node"]["id"],
                               "ADOPTED")
    await consultations.close(first["id"])
    api = consultations.api
    query = """query($state: ConsultationState, $type: String) {
      consultations(state: $state, subjectType: $type, first: 10) {
        __typename ... on ConsultationConnection { totalCount edges { node { titleZh state } } }
        ... on ValidationFailed { fieldErrors { field } } } }"""
    everything = (await api.gql(query, {}))["consultations"]
    assert everything["totalCount"] == 2
    open_ones = (await api.gql(query, {"state": "OPEN", "type": "document"}))["consultations"]
    assert [e["node"]["titleZh"] for e in open_ones["edges"]] == ["第二份文件"]
    unknown = (await api.gql(query, {"type": "nonsense"}))["consultations"]
    assert unknown["__typename"] == "ValidationFailed"
    node = await api.gql("""query($id: ID!) { node(id: $id) { ... on ConsultedDocument {
        titleZh consultation { state } } } }""", {"id": first["document"]["id"]})
    assert node["node"]["consultation"]["state"] == "CLOSED"


# ---------------------------------------------------------------------------- numbering under concurrency

async def test_concurrent_comments_get_numbers_1_to_n_without_gaps(consultations):
    c = await opened(consultations)
    api = consultations.api
    users = ["commenter", "gz-member", "jx-member", "gz-secretary"] * 2
    responses = await asyncio.gather(*[
        api.post(POST, {"input": {**COMMENT_INPUT, "consultationId": c["id"], "clause": f"{n}.1"}},
                 user=user, zone=consultations.zone_of(user))
        for n, user in enumerate(users, start=1)])
    results = [r.json()["data"]["postComment"] for r in responses]
    assert all(r["__typename"] == "ConsultationComment" for r in results), results
    assert sorted(r["seq"] for r in results) == list(range(1, 9))

    async def stored(session):
        row = await session.scalar(select(Consultation).where(Consultation.id.is_not(None)))
        return row.last_seq
    assert await api.operator(stored) == 8
