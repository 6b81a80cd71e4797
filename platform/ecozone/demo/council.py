"""Demo data for the council (章程): a consultation on one of the base's own documents, and
Jiangxi's council through one year — member units, officers, a general meeting, minutes.

Everything goes through the real services as the right people, like the rest of the demo.
The texts are written for the demo; no real unit, person or contact appears.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum.cn import uscc as stdnum_uscc

from ecozone.consultation import documents
from ecozone.consultation import service as consultation
from ecozone.db.scoping import Scope, apply_scope
from ecozone.demo.workflow import People
from ecozone.governance import clock, meetings, minutes, motions, officers, tasks, units
from ecozone.oversight import service as oversight
from ecozone.rulebook import service as rulebook
from ecozone.governance.models import CouncilPublication, Meeting, MemberUnit, Officer

DOCUMENT_TITLE_ZH = "创新基地标准化成果转化激励办法（征求意见稿）"
DOCUMENT_TITLE_EN = "Incentives for putting the base's standardisation results into practice (draft for comments)"
DOCUMENT_ARTICLES = """第一条 为鼓励成员单位将标准化成果转化应用，制定本办法。
第二条 本办法适用于创新基地立项并已发布的标准及其配套成果。
第三条 成果转化应用案例由成员单位申报，秘书处每年汇总一次。
第四条 经评审的优秀案例在创新基地官网公开，并在理事大会上通报。
第五条 申报材料应包括应用单位、应用范围、取得的成效及佐证材料。
第六条 本办法自理事会审议通过之日起施行。"""

# (commenter, article, comment, proposed change, decision, reason)
DOCUMENT_COMMENTS = (
    ("jx-member1", "第三条", "每年汇总一次间隔较长，成果难以及时推广。", "改为每半年汇总一次", "adopted", None),
    ("gz-member1", "第四条", "建议明确优秀案例的评审主体。", "增加“由专家委员会评审”", "partly_adopted",
     "评审主体在第四条中明确，具体程序另行规定"),
    ("fj-member1", "第五条", "佐证材料范围不清楚。", "列举检测报告、用户证明等材料", "adopted", None),
    ("hn-member1", "第六条", "建议设置过渡期。", "增加六个月过渡期", "not_adopted",
     "办法为激励性质，不涉及义务，无需过渡期"),
)

UNIT_KINDS = ("某生态农业公司", "某检验检测中心", "某标准化研究所", "某茶业协会")


async def load_document_consultation(session: AsyncSession, people: People) -> int:
    """The Jiangxi office puts a draft of its own out for comments; four zones answer."""
    secretary = await people.act("jx-secretary")
    opened = await documents.open_document_consultation(
        session, secretary, title_zh=DOCUMENT_TITLE_ZH, title_en=DOCUMENT_TITLE_EN,
        articles=DOCUMENT_ARTICLES, days=30)
    for n, (username, article, text, change, decision, reason) in enumerate(DOCUMENT_COMMENTS):
        commenter = await people.act(username)
        unit = f"{people.zones[commenter.zone_slug].name_zh}{UNIT_KINDS[n % len(UNIT_KINDS)]}"
        comment = await consultation.post_comment(
            session, commenter, consultation_id=opened.id, clause=article, text=text,
            proposer_unit=unit, proposed_change=change)
        # The last comment stays undecided: the demo shows a consultation still at work.
        if n < len(DOCUMENT_COMMENTS) - 1:
            await consultation.decide_comment(session, await people.act("jx-secretary"),
                                              comment_id=comment.id, decision=decision, reason=reason)
    return opened.id


# ---------------------------------------------------------------------------- Jiangxi's council

# The council's year, on fixed dates so the demo is the same whatever the real date.
FOUNDED_ON = dt.date(2025, 1, 6)            # the founding meeting; the officers' term starts too
APPLIED_ON = dt.date(2025, 9, 15)
CALLED_2025_ON = dt.date(2025, 11, 3)
GENERAL_MEETING_2025 = dt.date(2025, 12, 16)  # a Tuesday, a working day
AGENDA_DAYS = (dt.date(2025, 11, 20), dt.date(2025, 12, 1))  # both before the cut-off of 2025-12-09
PUBLISHED_ON = dt.date(2025, 12, 19)
CALLED_2026_ON = dt.date(2026, 11, 16)
GENERAL_MEETING_2026 = dt.date(2026, 12, 15)  # a Tuesday, a working day
EVALUATED_ON = dt.date(2026, 1, 15)
DEMO_CHARTER = """第一条 为规范创新基地理事会的运行，制定本章程（演示文本）。
第五条 理事会设理事长1名，副理事长5名，秘书长1名，常任理事若干名。
第三十二条 本章程经理事会成员大会审议表决通过；修订草案需经理事会全体会议表决通过。"""

# USCC registration-authority and kind prefixes (GB 32100): 91 company, 12 public institution,
# 51 social organisation; 360100 is Nanchang.
USCC_PREFIX = {"enterprise": "91360100", "institution": "12360100", "standards_body": "12360000",
               "industry_organisation": "51360100"}

# (name zh, name en, unit type, head name) — invented units and people.
FOUNDING_UNITS = (
    ("江西某绿色生态标准化研究中心", "Jiangxi Green Ecology Standardisation Research Centre (demo)", "standards_body", "黄国栋"),
    ("赣北某富硒农业公司", "North Jiangxi Selenium Agriculture Co. (demo)", "enterprise", "熊丽萍"),
    ("赣南某脐橙产业集团", "South Jiangxi Navel Orange Group (demo)", "enterprise", "谢远航"),
    ("江西某农产品检验检测中心", "Jiangxi Farm Produce Testing Centre (demo)", "institution", "胡清源"),
    ("鄱阳湖某水产技术推广站", "Poyang Lake Aquaculture Extension Station (demo)", "institution", "付春林"),
    ("江西某茶叶行业协会", "Jiangxi Tea Industry Association (demo)", "industry_organisation", "聂雨桐"),
    ("赣中某生猪养殖合作社", "Central Jiangxi Hog Farming Cooperative (demo)", "enterprise", "龚建华"),
    ("江西某中药材种植公司", "Jiangxi Medicinal Herb Growers Co. (demo)", "enterprise", "汪若溪"),
    ("江西某计量测试研究院", "Jiangxi Metrology and Testing Institute (demo)", "standards_body", "邓启明"),
    ("赣东某油茶科技公司", "East Jiangxi Camellia Oil Technology Co. (demo)", "enterprise", "饶秋实"),
    ("江西某农业大学标准化研究所", "Jiangxi Agricultural University Standardisation Institute (demo)",
     "institution", "戴文谦"),
    ("江西某生态农业联合会", "Jiangxi Ecological Agriculture Federation (demo)", "industry_organisation", "程晓岚"),
    ("赣西某猕猴桃合作社", "West Jiangxi Kiwifruit Cooperative (demo)", "enterprise", "袁立新"),
    ("江西某冷链物流公司", "Jiangxi Cold Chain Logistics Co. (demo)", "enterprise", "万一舟"),
    ("江西某食品质量监督检验院", "Jiangxi Food Quality Inspection Institute (demo)", "institution", "詹明德"),
    ("江西某大宗淡水鱼产业协会", "Jiangxi Freshwater Fish Industry Association (demo)", "industry_organisation", "彭雅静"),
    ("赣南某生态茶园公司", "South Jiangxi Ecological Tea Garden Co. (demo)", "enterprise", "钟山岳"),
    ("江西某追溯信息技术公司", "Jiangxi Traceability IT Co. (demo)", "enterprise", "梅子涵"),
    ("江西某绿色食品发展中心", "Jiangxi Green Food Development Centre (demo)", "institution", "严子墨"),
    ("江西某标准化协会", "Jiangxi Standardisation Association (demo)", "industry_organisation", "江楚然"),
    ("江西某粮油加工公司", "Jiangxi Grain and Oil Processing Co. (demo)", "enterprise", "宋景行"),
)
APPLICANT = ("江西某特色水产品养殖公司", "Jiangxi Specialty Aquatic Products Co. (demo)", "enterprise", "罗成蹊")

# (office, index of the unit in FOUNDING_UNITS, person name or None for the unit's head, birth date)
OFFICERS = (
    ("chair", 0, None, dt.date(1966, 3, 12)),
    *(("vice_chair", i, None, dt.date(1964 + i, i + 1, 10 + i)) for i in range(1, 6)),
    ("secretary_general", 8, "邱明澜", dt.date(1978, 8, 21)),
    ("standing_director", 9, None, dt.date(1970, 11, 2)),
    ("standing_director", 10, None, dt.date(1975, 6, 30)),
)
PRESENT_2025 = 16  # units 0..15 attend: the chair's, all five vice-chairs' and ten more


def demo_uscc(unit_type: str, n: int) -> str:
    body = f"{USCC_PREFIX[unit_type]}MA{n:07d}"
    return body + stdnum_uscc.calc_check_digit(body)


async def _user_id(people: People, username: str) -> int:
    return (await people.act(username)).user_id


async def load_council_year(session: AsyncSession, people: People) -> dict[str, int]:
    """Jiangxi's council from its founding to the 2025 general meeting's published minutes,
    and the 2026 general meeting called. Each step on its own day, as the services see it."""
    day = {"today": FOUNDED_ON}
    real_today = clock.today
    clock.today = lambda: day["today"]  # the services read the date from here; restored below
    try:
        # -- the founding units, recorded by the secretariat; jx-member1/2 head the first two
        heads = {0: await _user_id(people, "jx-member1"), 1: await _user_id(people, "jx-member2")}
        founders: list[MemberUnit] = []
        for n, (name_zh, name_en, unit_type, head) in enumerate(FOUNDING_UNITS):
            founders.append(await units.register_founding_unit(
                session, await people.act("jx-secretary"), name_zh=name_zh, name_en=name_en,
                uscc=demo_uscc(unit_type, n + 1), unit_type=unit_type, head_name=head,
                joined_on=FOUNDED_ON, head_user_id=heads.get(n)))
        # -- officers for the first three-year term; the chair is jx-member1 (approves written votes)
        for office, index, person, born in OFFICERS:
            unit = founders[index]
            await officers.elect_officer(
                session, await people.act("jx-secretary"), member_unit_id=unit.id,
                person_name=person or unit.head_name, birth_date=born, office=office, term_start=FOUNDED_ON,
                user_id=unit.head_user_id, motion_id=None)  # the founding council: no meeting held yet
        # -- a unit applies; an expert of the registry works there and heads the application
        day["today"] = APPLIED_ON
        name_zh, name_en, unit_type, head = APPLICANT
        applicant_user = await people.act("jx-expert01")
        applicant = await units.apply_for_membership(
            session, applicant_user, name_zh=name_zh, name_en=name_en,
            uscc=demo_uscc(unit_type, len(FOUNDING_UNITS) + 1), unit_type=unit_type, head_name=head,
            head_user_id=applicant_user.user_id)
        # -- the 2025 general meeting (第十八条) and two agenda items in time (第二十一条)
        day["today"] = CALLED_2025_ON
        meeting = await meetings.call_meeting(
            session, await people.act("jx-secretary"), kind="general", title_zh="2025年度理事大会",
            title_en="General meeting 2025", meets_on=GENERAL_MEETING_2025, venue="南昌")
        day["today"] = AGENDA_DAYS[0]
        admission_item = await meetings.submit_agenda_item(
            session, await people.act("jx-secretary"), meeting_id=meeting.id,
            title_zh=f"审议{name_zh}的入会申请", title_en=f"The application of {name_en}",
            summary="秘书处已审核申请材料，提请大会审议。")
        day["today"] = AGENDA_DAYS[1]
        plan_item = await meetings.submit_agenda_item(
            session, await people.act("jx-member2"), meeting_id=meeting.id,
            title_zh="2026—2028年创新基地发展规划", title_en="Development plan of the base 2026–2028",
            summary="提请大会审议未来三年的重点标准研制方向。", member_unit_id=founders[1].id)
        # -- the meeting day: attendance, quorum, two motions voted and counted
        day["today"] = GENERAL_MEETING_2025
        await meetings.record_attendance(session, await people.act("jx-secretary"), meeting_id=meeting.id, entries=[
            meetings.AttendanceEntry(member_unit_id=u.id, present=i < PRESENT_2025,
                                     attendee_name=u.head_name if i < PRESENT_2025 else None)
            for i, u in enumerate(founders)])
        await meetings.open_meeting(session, await people.act("jx-secretary"), meeting_id=meeting.id)
        present = founders[:PRESENT_2025]
        admission = await _vote(session, people, meeting.id, admission_item.id, present, "ordinary",
                                f"接纳{name_zh}为成员单位", f"Admit {name_en} as a member unit",
                                yes=13, no=1)  # needs 11 of 16 present (3 × 11 ≥ 2 × 16)
        plan = await _vote(session, people, meeting.id, plan_item.id, present, "major",
                           "审议通过2026—2028年创新基地发展规划", "Adopt the development plan 2026–2028",
                           yes=15, no=0)  # needs 14 of all 21 members (3 × 14 ≥ 2 × 21)
        # the resolution carried out (第九条(二), 第十三条(三)): a task for the unit that proposed the plan
        await tasks.assign_task(session, await people.act("jx-secretary"), motion_id=plan.id,
                                title_zh="编制2026年度重点标准研制清单", title_en="List the priority standards of 2026",
                                due_on=dt.date(2026, 3, 31), member_unit_id=founders[1].id)
        await units.decide_application(session, await people.act("jx-secretary"), unit_id=applicant.id,
                                       admit=True, motion_id=admission.id)
        await meetings.close_meeting(session, await people.act("jx-secretary"), meeting_id=meeting.id)
        await minutes.write_minutes(
            session, await people.act("jx-secretary"), meeting_id=meeting.id,
            discussion=f"会议应到成员单位21家，实到{PRESENT_2025}家，五位副理事长均出席，符合章程第二十二条规定。"
                       f"会议审议了{name_zh}的入会申请和2026—2028年创新基地发展规划，两项议案均获通过。")
        day["today"] = PUBLISHED_ON
        await minutes.publish_minutes(session, await people.act("jx-director"), meeting_id=meeting.id)
        # the Charter as adopted on 2024-12-30 (第三十二条), and the chair's evaluation for 2025 (第二十五条)
        await rulebook.register_document(
            session, await people.act("jx-secretary"), key="charter", title_zh="创新基地理事会章程（演示）",
            title_en="Council Charter of the base (demo)", text=DEMO_CHARTER, adopted_on=dt.date(2024, 12, 30),
            effective_from=dt.date(2024, 12, 30))
        day["today"] = EVALUATED_ON
        chair = await session.scalar(select(Officer).where(Officer.office == "chair"))
        await oversight.evaluate_officer(session, await people.act("jx-director"), officer_id=chair.id, year=2025,
                                         outcome="commended", summary="组织召开年度理事大会，推动发展规划审议通过。",
                                         evaluated_on=EVALUATED_ON)
        # -- the 2026 general meeting is called; nobody has attended yet
        day["today"] = CALLED_2026_ON
        await meetings.call_meeting(
            session, await people.act("jx-secretary"), kind="general", title_zh="2026年度理事大会",
            title_en="General meeting 2026", meets_on=GENERAL_MEETING_2026, venue="南昌")
    finally:
        clock.today = real_today
    await apply_scope(session, Scope.system())
    zone_id = people.zones["jiangxi"].id

    async def count(model) -> int:
        return await session.scalar(select(func.count()).select_from(model).where(model.zone_id == zone_id)) or 0
    return {"units": await count(MemberUnit), "officers": await count(Officer),
            "meetings": await count(Meeting), "publications": await count(CouncilPublication)}


async def _vote(session: AsyncSession, people: People, meeting_id: int, agenda_item_id: int,
                present: list[MemberUnit], kind: str, title_zh: str, title_en: str, *, yes: int, no: int):
    """Propose, vote in person (the secretariat records each present unit's vote) and count."""
    motion = await motions.propose_motion(session, await people.act("jx-secretary"), meeting_id=meeting_id,
                                          title_zh=title_zh, title_en=title_en, kind=kind,
                                          agenda_item_id=agenda_item_id)
    await motions.start_vote(session, await people.act("jx-secretary"), motion_id=motion.id)
    choices = ["yes"] * yes + ["no"] * no + ["abstain"] * (len(present) - yes - no)
    await motions.record_votes(session, await people.act("jx-secretary"), motion_id=motion.id, votes=[
        motions.VoteEntry(member_unit_id=u.id, choice=c) for u, c in zip(present, choices, strict=True)])
    counted, _tally = await motions.count_votes(session, await people.act("jx-secretary"), motion_id=motion.id)
    return counted


async def load_council_demo(session: AsyncSession, progress: Callable[[str], None] | None = None
                            ) -> str:
    people = People(session)
    await people.load()
    consultation_id = await load_document_consultation(session, people)
    if progress:
        progress(f"council: document consultation {consultation_id} with {len(DOCUMENT_COMMENTS)} comments")
    year = await load_council_year(session, people)
    council = (f"council: {year['units']} member units, {year['officers']} officers, "
               f"{year['meetings']} meetings, {year['publications']} publication"
               f"{'' if year['publications'] == 1 else 's'}")
    if progress:
        progress(f"{council} (jiangxi: general meeting {GENERAL_MEETING_2025} minuted and published, "
                 f"{GENERAL_MEETING_2026} called)")
    return f"1 document consultation ({len(DOCUMENT_COMMENTS)} comments), {council}"
