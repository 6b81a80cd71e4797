"""One project from proposal to archive through HTTP, with the right person at each step."""

from __future__ import annotations

import datetime as dt

from tests.support.api import gid

HISTORY = """events { action fromState toState reason actor { username } createdAt }
             workingGroup { role unitName user { displayName } }"""


async def test_full_lifecycle_from_proposal_to_archive(projects):
    api, calendar = projects.api, projects.calendar

    # 1. a member unit of Jiangxi proposes
    project = await projects.propose("jx-proposer", "jiangxi")
    pid = project["id"]
    assert project["state"] == "PROPOSED"

    # 2. the Jiangxi secretary approves: public from now on
    project = await projects.act("approve", pid, "jx-secretary", reason="列入年度工作计划")
    assert project["state"] == "APPROVED"
    assert (await projects.get(pid))["state"] == "APPROVED"

    # 3. the director opens the public notice for the zone's 7 days
    project = await projects.act("open_notice", pid, "jx-director")
    assert project["state"] == "PUBLIC_NOTICE" and project["noticeEndsOn"] == "2026-03-09"

    # 4. a Guizhou member asks to join, from Guizhou; the proposer accepts
    asked = await projects.ask_to_join(pid, "gz-member", "guizhou", unit="示例贵州茶叶检测站")
    assert (await projects.decide(True, asked["id"], "jx-proposer"))["status"] == "ACCEPTED"

    # 5. the secretary starts the work the day after the notice
    calendar.today = dt.date(2026, 3, 10)
    project = await projects.act("start", pid, "jx-secretary")
    assert project["state"] == "IN_PROGRESS"

    # 6. the proposer names a leader of the group, then asks for an adjustment
    leader = gid("User", api.users["jx-member"])
    added = await projects.add_member(pid, "LEADER", "示例茶业科学研究所", "jx-proposer", member=leader)
    assert added["role"] == "LEADER"
    project = await projects.act("request_adjustment", pid, "jx-proposer",
                                 reason="增加福建作为参与试验区，延期三个月")
    assert project["state"] == "ADJUSTMENT_REQUESTED"
    project = await projects.act("approve_adjustment", pid, "jx-director")
    assert project["state"] == "IN_PROGRESS"

    # 7. the leader submits the closure report; the secretary returns it; the proposer resubmits
    project = await projects.act("submit_closure", pid, "jx-member", closureReport="初稿")
    assert project["state"] == "CLOSURE_SUBMITTED" and project["closureReport"] == "初稿"
    project = await projects.act("return_closure", pid, "jx-secretary", reason="缺少经费决算")
    assert project["state"] == "IN_PROGRESS"
    project = await projects.act("submit_closure", pid, "jx-proposer",
                                 closureReport="完成标准草案一项，附经费决算。")
    assert project["state"] == "CLOSURE_SUBMITTED"

    # 8. the director passes the closure review; the secretary archives
    project = await projects.act("pass_closure", pid, "jx-director")
    assert project["state"] == "CLOSED"
    project = await projects.act("archive", pid, "jx-secretary")
    assert project["state"] == "ARCHIVED" and project["nextActions"] == []
    assert project["closureReport"] == "完成标准草案一项，附经费决算。"

    # every step: when and why are public now; who, for the staff of the zone (accounts are
    # private: the people are null for anyone else, DESIGN §2)
    public = await projects.get(pid, extra=HISTORY)
    assert all(e["actor"] is None for e in public["events"])
    assert all(m["user"] is None for m in public["workingGroup"])
    history = await projects.get(pid, "jx-secretary", "jiangxi", HISTORY)
    assert [e["reason"] for e in public["events"]] == [e["reason"] for e in history["events"]]
    steps = [(e["action"], e["fromState"], e["toState"], e["actor"]["username"], e["reason"])
             for e in history["events"]]
    assert steps == [
        ("PROPOSE", None, "PROPOSED", "jx-proposer", None),
        ("APPROVE", "PROPOSED", "APPROVED", "jx-secretary", "列入年度工作计划"),
        ("OPEN_NOTICE", "APPROVED", "PUBLIC_NOTICE", "jx-director", None),
        ("START", "PUBLIC_NOTICE", "IN_PROGRESS", "jx-secretary", None),
        ("REQUEST_ADJUSTMENT", "IN_PROGRESS", "ADJUSTMENT_REQUESTED", "jx-proposer",
         "增加福建作为参与试验区，延期三个月"),
        ("APPROVE_ADJUSTMENT", "ADJUSTMENT_REQUESTED", "IN_PROGRESS", "jx-director", None),
        ("SUBMIT_CLOSURE", "IN_PROGRESS", "CLOSURE_SUBMITTED", "jx-member", None),
        ("RETURN_CLOSURE", "CLOSURE_SUBMITTED", "IN_PROGRESS", "jx-secretary", "缺少经费决算"),
        ("SUBMIT_CLOSURE", "IN_PROGRESS", "CLOSURE_SUBMITTED", "jx-proposer", None),
        ("PASS_CLOSURE", "CLOSURE_SUBMITTED", "CLOSED", "jx-director", None),
        ("ARCHIVE", "CLOSED", "ARCHIVED", "jx-secretary", None),
    ]
    assert all(e["createdAt"] for e in history["events"])
    assert [(m["role"], m["user"]["displayName"] if m["user"] else None)
            for m in history["workingGroup"]] == [
        ("LEAD_UNIT", None), ("LEADER", "jx-proposer"), ("PARTICIPATING_UNIT", None),
        ("MEMBER", "gz-member"), ("LEADER", "jx-member")]

    # one audit row per transition, in the acting zone's chain
    audit = [e for e in await projects.audit() if e.object_type == "project"]
    assert [e.action.removeprefix("project.") for e in audit] == [
        s[0].lower() for s in steps]
    assert all(e.outcome == "ok" for e in audit)
    assert audit[0].after["titleZh"] == "绿色食品 茶叶生产技术规程" and audit[0].before is None
    assert audit[2].after["noticeEndsOn"] == "2026-03-09"

    # the people concerned were told of each step someone else took
    def state_changes(notifications):
        return [n for n in notifications if n.kind == "project.state_changed"]
    proposer = state_changes(await projects.notifications("jx-proposer"))
    assert len(proposer) == 8  # all but his own proposal, adjustment request and resubmission
    assert proposer[-1].title_zh.endswith("已归档") and proposer[-1].title_en.endswith("archived")
    joiner = state_changes(await projects.notifications("gz-member"))
    assert len(joiner) == 8  # from the start on (he joined during the notice)
    staff = [n.kind for n in await projects.notifications("jx-secretary")]
    assert staff[0] == "project.proposed"
    assert staff.count("project.state_changed") == 3  # the adjustment request, two submissions
    assert not await projects.notifications("gz-secretary")


async def test_statistics_count_only_public_projects(projects):
    """Counted anonymously by kind, zone, state and year; proposals are never counted."""
    await projects.to_state("proposed")
    await projects.to_state("rejected")
    await projects.to_state("approved")
    await projects.to_state("in_progress")
    gz = await projects.propose("gz-member", "guizhou", kind="RESEARCH_TOPIC")
    await projects.act("approve", gz["id"], "gz-secretary", "guizhou")
    query = """query($year: Int, $zone: String) { projectStatistics(year: $year, zone: $zone) {
        __typename ... on ValidationFailed { fieldErrors { field code } }
        ... on ProjectStatistics { total groups { kind zone { slug } state year count }
            byKind { kind nameZh count } byZone { zone { slug nameZh nameEn } count }
            byState { state nameEn count } byYear { year count } } } }"""
    stats = (await projects.api.gql(query))["projectStatistics"]
    assert stats["total"] == 3
    assert stats["groups"] == [
        {"kind": "RESEARCH_TOPIC", "zone": {"slug": "guizhou"}, "state": "APPROVED", "year": 2026, "count": 1},
        {"kind": "STANDARD_DEVELOPMENT", "zone": {"slug": "jiangxi"}, "state": "APPROVED", "year": 2026, "count": 1},
        {"kind": "STANDARD_DEVELOPMENT", "zone": {"slug": "jiangxi"}, "state": "IN_PROGRESS", "year": 2026, "count": 1},
    ]
    # enum-valued keys are the enums, as in `groups` (one convention across the schema)
    assert {k["kind"]: k["count"] for k in stats["byKind"]} == {
        "RESEARCH_TOPIC": 1, "STANDARD_DEVELOPMENT": 2, "TECHNICAL_EXCHANGE": 0, "KEY_COMMON": 0}
    assert stats["byKind"][1]["nameZh"] == "标准研制"
    assert stats["byZone"] == [
        {"zone": {"slug": "guizhou", "nameZh": "贵州", "nameEn": "Guizhou"}, "count": 1},
        {"zone": {"slug": "jiangxi", "nameZh": "江西", "nameEn": "Jiangxi"}, "count": 2}]
    assert stats["byYear"] == [{"year": 2026, "count": 3}]
    assert "PROPOSED" not in {s["state"] for s in stats["byState"]}
    assert {"state": "APPROVED", "nameEn": "Approved", "count": 2} in stats["byState"]
    # the same numbers for the staff who can see their zone's proposals
    staff = (await projects.api.gql(query, user="jx-secretary", zone="jiangxi"))["projectStatistics"]
    assert staff["total"] == 3
    jiangxi = (await projects.api.gql(query, {"zone": "jiangxi"}))["projectStatistics"]
    assert jiangxi["total"] == 2
    assert (await projects.api.gql(query, {"year": 2025}))["projectStatistics"]["total"] == 0
    unknown = (await projects.api.gql(query, {"zone": "atlantis"}))["projectStatistics"]
    assert unknown["__typename"] == "ValidationFailed" and unknown["fieldErrors"][0]["field"] == "zone"
    empty_zone = (await projects.api.gql(query, {"zone": "hainan"}))["projectStatistics"]
    assert empty_zone["total"] == 0


async def test_statistics_take_one_query(projects, app_engine):
    from sqlalchemy import event
    for state in ("approved", "in_progress"):
        await projects.to_state(state)
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)
    event.listen(app_engine.sync_engine, "before_cursor_execute", seen)
    try:
        data = await projects.api.gql("{ projectStatistics { ... on ProjectStatistics { total } } }")
    finally:
        event.remove(app_engine.sync_engine, "before_cursor_execute", seen)
    assert data["projectStatistics"]["total"] == 2
    assert len([s for s in statements if "FROM projects" in s]) == 1
    assert any("GROUP BY" in s for s in statements)
