"""/workspace/ballots lists the expert's panels from the API's ``viewer { reviewPanels }``, page by
page, on the demo data with standards added by the operator, both engines, through HTTP: a
panel behind many newer standards the expert may see (which a page of all standards would have
missed) is listed, and more panels than a page continue on the next one, none lost or repeated."""

from __future__ import annotations

import html
import re

from ecozone.auth.models import User as _User
from ecozone.experts.models import ExpertProfile
from ecozone.projects.models import Project
from ecozone.standards.models import PanelMember, Standard
from ecozone.tenancy.models import Zone
from sqlalchemy import select

from tests.support.api import gid
from tests.workspace.test_expert_ballots import path_of

EXPERT = "jx-expert01"  # on the panel of a published demo standard; no ballot open for them
PANELS = """{ viewer { reviewPanels(first: 100) { ... on StandardConnection {
  totalCount edges { node { id titleZh } } } } } }"""


async def _add_standards(demo_api, count: int, *, on_panel_of: str | None = None, state: str = "published"
                         ) -> list[str]:
    """``count`` new standards of Jiangxi (newer than every demo one), on ``on_panel_of``'s panel if
    given; their global IDs, newest first."""
    async def work(session):
        project_id = await session.scalar(select(Project.id).order_by(Project.id).limit(1))
        jiangxi = await session.scalar(select(Zone.id).where(Zone.slug == "jiangxi"))
        rows = [Standard(project_id=project_id, kind="joint_local", title_zh=f"新增标准{n}", title_en=f"Added {n}",
                         scope="范围。", lead_zone_id=jiangxi, state=state) for n in range(count)]
        session.add_all(rows)
        await session.flush()
        if on_panel_of:
            profile = await session.scalar(select(ExpertProfile.id).join(
                _User, _User.id == ExpertProfile.user_id).where(_User.username == on_panel_of))
            session.add_all([PanelMember(standard_id=s.id, expert_id=profile) for s in rows])
        return [gid("Standard", s.id) for s in sorted(rows, key=lambda s: -s.id)]
    return await demo_api.operator(work)


def _listed(text: str) -> list[str]:
    """The standards' ballot links of a page, in order."""
    return re.findall(r'href="(/workspace/ballots/[^"?]+)', text)


def _next(text: str) -> str:
    return html.unescape(re.search(r'rel="next" href="(/workspace/ballots\?after=[^"]+)"', text).group(1))


async def _panels(demo_api) -> list[str]:
    found = (await demo_api.gql(PANELS, user=EXPERT))["viewer"]["reviewPanels"]
    return [edge["node"]["id"] for edge in found["edges"]]


async def test_a_panel_behind_many_newer_standards_is_listed(demo_api, sign_in):
    before = await _panels(demo_api)
    assert before, "the demo expert sits on a panel"
    await _add_standards(demo_api, 60)  # public, newer, the expert's to see but not their panels
    expert = await sign_in(EXPERT)
    page = await expert.get("/workspace/ballots")
    assert page.status_code == 200 and "目前没有您所在专家组正在进行的表决" in page.text
    assert _listed(page.text) == [path_of(i) for i in before]
    assert 'rel="next"' not in page.text


async def test_more_panels_than_a_page_continue_on_the_next_one(demo_api, sign_in):
    before = await _panels(demo_api)
    added = await _add_standards(demo_api, 55, on_panel_of=EXPERT, state="drafting")
    expert = await sign_in(EXPERT)
    first = await expert.get("/workspace/ballots")
    assert first.status_code == 200
    assert _listed(first.text) == [path_of(i) for i in added[:50]]  # a page of the API's list: 50
    second = await expert.get(_next(first.text))
    assert second.status_code == 200
    assert _listed(second.text) == [path_of(i) for i in added[50:] + before]
    assert 'rel="next"' not in second.text
