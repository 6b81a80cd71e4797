"""A council member unit's page, on the demo data, both engines: it lists the unit's own officers (name,
office, term, where the term stands) in zh and en, read through councilOfficers(memberUnitId:); an
exit's reason is shown in the page's language (the API's exitReasonNameZh/En, not the stored English);
a charter rule's refusal of a form (an election without the motion that decided it, 章程 第五条) is a
state conflict: 409, its message above the form, the input kept, nothing recorded."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.workspace.conftest import Browser
from tests.workspace.test_council_units_unit import OFFICERS, path_of, unit


def section(html: str, heading_id: str) -> str:
    """The part of the page from the heading ``heading_id`` to the next heading, its text unescaped."""
    return html_lib.unescape(html.split(f'id="{heading_id}"', 1)[1].split("<h2", 1)[0])


@pytest.mark.parametrize("language, office, serving", [("zh", "秘书长", "在任"), ("en", "Secretary-general", "serving")])
async def test_a_units_page_lists_its_own_officers(demo_api, sign_in, language, office, serving):
    suffix = "?lang=en" if language == "en" else ""
    listed = (await demo_api.gql(OFFICERS, user="jx-secretary"))["councilOfficers"]["edges"]
    ours = next(o["node"] for o in listed if o["node"]["personName"] == "邱明澜")  # the demo's secretary-general
    member = await sign_in("jx-member1")  # a member reads the council: the list is not the secretariat's only
    page = await member.get(path_of((await unit(demo_api, "江西某计量测试研究院"))["id"]) + suffix)
    assert page.status_code == 200
    officers = section(page.text, "officers")
    assert ("本单位的理事会负责人" if language == "zh" else "This unit's council officers") in officers
    assert f'<a href="/workspace/council/officers/{ours["id"]}{suffix}">邱明澜</a>' in officers
    assert f"<td>{office}</td>" in officers and f"<td>{serving}</td>" in officers
    assert '<time datetime="2025-01-06">2025-01-06</time> – <time datetime="2028-01-05">2028-01-05</time>' in officers
    assert ("共 1 条" if language == "zh" else "1 in all") in officers
    assert "黄国栋" not in officers  # the chair holds office for another unit
    none = section((await member.get(path_of((await unit(demo_api, "江西某粮油加工公司"))["id"]) + suffix)).text,
                   "officers")
    assert ("暂无。" if language == "zh" else "None yet.") in none


@pytest.mark.parametrize("language, refusal", [
    ("zh", "只有首届理事会可不附议案登记；章程第五条、第十八条(三)"),
    ("en", "only the founding council is recorded without one; Council Charter, Articles 5 and 18(3)")])
async def test_an_election_without_its_motion_is_the_charters_409(demo_api, sign_in, language, refusal):
    suffix = "?lang=en" if language == "en" else ""
    name = "江西某粮油加工公司"
    path = path_of((await unit(demo_api, name))["id"])
    person = f"未附议案者（{language}）"
    secretary = await sign_in("jx-secretary")
    page = await secretary.get(path + suffix)
    form = {"csrf": Browser.csrf(page.text), "do": "elect", "personName": person, "birthDate": "1972-05-04",
            "office": "STANDING_DIRECTOR", "termStart": "2026-12-01", "motionId": ""}
    refused = await secretary.post(path + suffix, form)
    assert refused.status_code == 409  # a rule of the charter refusing this state, like any Conflict
    above = re.search(r'<h2 id="h-elect">.*?<p class="error" role="alert">([^<]*)</p>', refused.text, re.S)
    assert above and refusal in above.group(1)
    assert f'value="{person}"' in refused.text and '<option value="STANDING_DIRECTOR" selected>' in refused.text
    listed = (await demo_api.gql(OFFICERS, user="jx-secretary"))["councilOfficers"]["edges"]
    assert all(o["node"]["personName"] != person for o in listed)


@pytest.mark.parametrize("language, name, shown, not_shown", [
    ("zh", "赣西某猕猴桃合作社", "主动提出退出（章程第十四条(三)） — 合并到上级公司", "left of its own accord"),
    ("en", "江西某冷链物流公司", "left of its own accord (Council Charter, Article 14(3)) — 合并到上级公司",
     "主动提出退出"),
])
async def test_an_exit_reason_is_shown_in_the_pages_language(demo_api, sign_in, language, name, shown, not_shown):
    suffix = "?lang=en" if language == "en" else ""
    path = path_of((await unit(demo_api, name))["id"])
    secretary = await sign_in("jx-secretary")
    page = await secretary.get(path + suffix)
    exited = await secretary.post(path + suffix, {"csrf": Browser.csrf(page.text), "do": "exit",
                                                  "reason": "VOLUNTARY", "motionId": "", "note": "合并到上级公司"})
    assert exited.status_code == 303
    decisions = section((await secretary.get(path + suffix)).text, "decisions")
    assert shown in decisions and not_shown not in decisions and "voluntary:" not in decisions
