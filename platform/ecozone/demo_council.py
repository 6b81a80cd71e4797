"""Demo data for the council (章程): a consultation on one of the base's own documents, and
Jiangxi's council through one year — member units, officers, a general meeting, minutes.

Everything goes through the real services as the right people, like the rest of the demo.
The texts are written for the demo; no real unit, person or contact appears.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.consultation import documents
from ecozone.consultation import service as consultation
from ecozone.demo_workflow import People

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


async def load_council_demo(session: AsyncSession, progress: Callable[[str], None] | None = None
                            ) -> str:
    people = People(session)
    await people.load()
    consultation_id = await load_document_consultation(session, people)
    if progress:
        progress(f"council: document consultation {consultation_id} with {len(DOCUMENT_COMMENTS)} comments")
    return f"1 document consultation ({len(DOCUMENT_COMMENTS)} comments)"


_ = dt  # dates are used by the council year below
