"""Talent bases, chief-expert calls and talent statistics through the HTTP API, on both databases."""

from __future__ import annotations

import datetime as dt

from tests.talent.support import FAILURE, add_session, enrol, make_expert, op, programme

APPLICATION = f"__typename ... on ChiefExpertApplication {{ id state expert {{ nameZh isChief }} }} {FAILURE}"
STATS = """query($year: Int!) { talentStatistics(year: $year) { __typename
  ... on TalentStatistics { year zones { zone { slug } programmes sessions enrolments completions certificates
                                         expertsByField { field count } } }
  ... on ValidationFailed { fieldErrors { field code } } } }"""


async def test_bases_with_partner_universities_and_people(api):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    expert = await make_expert(api, "jx-expert", "jiangxi", "jx-secretary", "曾晓明")
    created = await op(api, "createTalentBase", {
        "kind": "ACADEMICIAN_WORKSTATION", "nameZh": "绿色生态标准化院士工作站",
        "nameEn": "Green ecology standardization academician workstation",
        "hostUnit": "江西省某标准化研究院", "partnerUniversity": "某农业大学", "startsOn": "2026-03-01"},
        f"__typename ... on TalentBase {{ id kindNameZh zone {{ slug }} }} {FAILURE}", "jx-secretary", "jiangxi")
    assert created["kindNameZh"] == "院士工作站" and created["zone"]["slug"] == "jiangxi"
    attached = await op(api, "attachTalentBasePerson", {"baseId": created["id"], "name": "曾晓明",
                                                        "role": "首席专家", "expertId": expert},
                        f"__typename ... on TalentBase {{ people {{ name role expert {{ nameZh }} }} }} {FAILURE}",
                        "jx-secretary", "jiangxi")
    assert attached["people"] == [{"name": "曾晓明", "role": "首席专家", "expert": {"nameZh": "曾晓明"}}]
    await api.add_user("fj-secretary", "fujian", "secretary")
    other = await op(api, "attachTalentBasePerson", {"baseId": created["id"], "name": "某人", "role": "导师"},
                     "__typename", "fj-secretary", "fujian")
    assert other["__typename"] == "PermissionDenied"
    bad = await op(api, "createTalentBase", {"kind": "TRAINING_BASE", "nameZh": "x", "nameEn": "x",
                                             "hostUnit": "u", "startsOn": "2026-03-01", "endsOn": "2026-01-01"},
                   f"__typename {FAILURE}", "jx-secretary", "jiangxi")
    assert bad["fieldErrors"] == [{"field": "endsOn", "code": "order"}]
    listed = await api.gql("{ talentBases(kind: ACADEMICIAN_WORKSTATION) { ... on TalentBaseConnection "
                           "{ totalCount edges { node { nameZh partnerUniversity } } } } }")
    assert listed["talentBases"]["totalCount"] == 1


async def test_chief_expert_call_across_zones(api, monkeypatch):
    from ecozone.talent import service
    await api.add_user("hn-director", "hainan", "director")
    await api.add_user("hn-secretary", "hainan", "secretary")
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await make_expert(api, "jx-expert", "jiangxi", "jx-secretary", "曾晓明")
    await make_expert(api, "jx-pending", "jiangxi", None, "邓文杰")
    call = await op(api, "openChiefExpertCall", {
        "titleZh": "面向国内外征集热带农业标准化首席专家", "titleEn": "Call for chief experts: tropical agriculture",
        "field": "热带农业标准化", "deadline": "2099-12-31T00:00:00Z"},
        f"__typename ... on ChiefExpertCall {{ id zone {{ slug }} }} {FAILURE}", "hn-secretary", "hainan")
    assert call["zone"]["slug"] == "hainan"
    applied = await op(api, "applyToChiefExpertCall", {"callId": call["id"], "statement": "二十年热带作物标准研制经验。"},
                       APPLICATION, "jx-expert", "jiangxi")
    assert applied["state"] == "SUBMITTED"
    twice = await op(api, "applyToChiefExpertCall", {"callId": call["id"], "statement": "再次申请"},
                     "__typename", "jx-expert", "jiangxi")
    assert twice["__typename"] == "Conflict"
    pending = await op(api, "applyToChiefExpertCall", {"callId": call["id"], "statement": "申请"},
                       "__typename", "jx-pending", "jiangxi")
    assert pending["__typename"] == "Conflict"  # not verified
    # Only the calling zone's director decides; the expert's own zone cannot.
    secretary = await op(api, "decideChiefExpertApplication", {"id": applied["id"], "accept": True},
                         "__typename", "hn-secretary", "hainan")
    assert secretary["__typename"] == "PermissionDenied"
    await api.add_user("jx-director", "jiangxi", "director")
    foreign = await op(api, "decideChiefExpertApplication", {"id": applied["id"], "accept": True},
                       "__typename", "jx-director", "jiangxi")
    assert foreign["__typename"] == "NotFound"  # not theirs to see (ChiefExpertApplication.visible_to)
    decided = await op(api, "decideChiefExpertApplication", {"id": applied["id"], "accept": True},
                       APPLICATION, "hn-director", "hainan")
    assert decided["state"] == "ACCEPTED" and decided["expert"]["isChief"] is True
    again = await op(api, "decideChiefExpertApplication", {"id": applied["id"], "accept": False},
                     "__typename", "hn-director", "hainan")
    assert again["__typename"] == "Conflict"
    # After the deadline nobody applies.
    await make_expert(api, "jx-late", "jiangxi", "jx-secretary", "黄立群")
    monkeypatch.setattr(service, "now", lambda: dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    late = await op(api, "applyToChiefExpertCall", {"callId": call["id"], "statement": "申请"},
                    f"__typename {FAILURE}", "jx-late", "jiangxi")
    assert late["__typename"] == "Conflict"


async def test_statistics_per_zone_and_year_anonymous(api):
    await api.add_user("hn-secretary", "hainan", "secretary")
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    teacher = await make_expert(api, "jx-expert", "jiangxi", "jx-secretary", "曾晓明")
    created = await programme(api)
    session = await add_session(api, created["id"], [teacher], capacity=1)
    await api.add_user("gz-member", "guizhou", "member")
    await api.add_user("fj-member", "fujian", "member")
    seated = await enrol(api, session["id"], "gz-member", "guizhou")
    await enrol(api, session["id"], "fj-member", "fujian")  # waiting: not counted
    await op(api, "recordAttendance", {"sessionId": session["id"], "enrolmentIds": [seated["id"]]},
             "__typename", "hn-secretary", "hainan")
    await op(api, "issueCertificates", {"programmeId": created["id"]}, "__typename", "hn-secretary", "hainan")
    this_year = dt.datetime.now(dt.UTC).year
    stats = (await api.gql(STATS, {"year": this_year}))["talentStatistics"]
    zones = {z["zone"]["slug"]: z for z in stats["zones"]}
    assert {k: zones["hainan"][k] for k in ("programmes", "certificates", "enrolments")} == \
        {"programmes": 1, "certificates": 1, "enrolments": 0}
    assert (zones["guizhou"]["enrolments"], zones["guizhou"]["completions"]) == (1, 1)
    assert zones["fujian"]["enrolments"] == 0
    assert zones["jiangxi"]["expertsByField"] == [{"field": "标准化管理", "count": 1}]
    sessions_2099 = (await api.gql(STATS, {"year": 2099}))["talentStatistics"]["zones"]
    assert {z["zone"]["slug"]: z["sessions"] for z in sessions_2099}["hainan"] == 1
    bad = (await api.gql(STATS, {"year": 1800}))["talentStatistics"]
    assert bad["__typename"] == "ValidationFailed"
