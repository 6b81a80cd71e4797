"""The council's units and officers in the workspace (issue 16), on the demo data, both engines: the
index of units and officers a page at a time with links to their pages; applying for membership
(any signed-in person of the zone, 章程 第十条) and the secretariat's founding units, each through the
API's mutation, refusals beside their field in zh and en with the input kept, forged tokens
refused, a role without the right refused by the API."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from stdnum.cn import uscc as stdnum_uscc

from tests.workspace.conftest import Browser

NEW = "/workspace/council/units/new"
UNITS = """query($state: CouncilUnitState) { councilMemberUnits(state: $state, first: 100) {
  ... on CouncilMemberUnitConnection { totalCount edges { node { id nameZh state headName joinedOn } } } } }"""


def uscc(n: int) -> str:
    body = f"91360100MA{n:07d}"
    return body + stdnum_uscc.calc_check_digit(body)


async def units_named(demo_api, name: str) -> list[dict]:
    edges = (await demo_api.gql(UNITS, user="jx-secretary"))["councilMemberUnits"]["edges"]
    return [edge["node"] for edge in edges if edge["node"]["nameZh"] == name]


async def test_the_index_lists_units_and_officers_a_page_at_a_time_with_links(demo_api, sign_in):
    member = await sign_in("jx-member1")
    page = await member.get("/workspace/council/units")
    assert page.status_code == 200 and 'href="/workspace/council/units"' in page.text  # in the navigation
    assert "共 22 条" in page.text and "共 9 条" in page.text  # 21 founders and one admitted; 9 officers
    unit_links = re.findall(r'href="/workspace/council/units/([^"?/]+)"', page.text)
    officer_links = re.findall(r'href="/workspace/council/officers/([^"?/]+)"', page.text)
    assert len([u for u in unit_links if u != "new"]) == 20 and len(officer_links) == 9
    following = html_lib.unescape(re.search(r'<a rel="next" href="([^"]+)"', page.text).group(1))
    second = await member.get(following)
    assert second.status_code == 200 and len(re.findall(r'href="/workspace/council/units/(?!new)', second.text)) == 2
    english = await member.get("/workspace/council/units?lang=en")
    assert "22 in all" in english.text and "Jiangxi Green Ecology Standardisation" in english.text
    expert = await sign_in("jx-expert01")
    refused = await expert.get("/workspace/council/units?lang=en")
    assert refused.status_code == 403 and 'role="alert"' in refused.text
    navigation = refused.text.split("<nav ")[1].split("</nav>")[0]
    assert 'href="/workspace/council/units"' not in navigation and f'href="{NEW}"' in navigation


@pytest.mark.parametrize("language, wrong_length", [("zh", "统一社会信用代码应为 18 位"),
                                                    ("en", "a unified social credit code has 18 characters")])
async def test_an_expert_applies_for_a_unit_refusals_beside_the_field(demo_api, sign_in, language, wrong_length):
    suffix = "?lang=en" if language == "en" else ""
    name = f"江西某林下经济公司（{language}）"
    expert = await sign_in("jx-expert02")
    page = await expert.get(NEW + suffix)
    assert page.status_code == 200 and 'name="do" value="found"' not in page.text  # the secretariat's form
    form = {"csrf": Browser.csrf(page.text), "do": "apply", "nameZh": name, "nameEn": "Jiangxi Forest Economy Co.",
            "uscc": "913601", "unitType": "ENTERPRISE", "headName": "测试负责人"}
    refused = await expert.post(NEW + suffix, form)
    assert refused.status_code == 400
    beside = re.search(r'<span class="error" role="alert" id="e-apply-uscc">([^<]+)</span>', refused.text)
    assert beside and wrong_length in html_lib.unescape(beside.group(1))
    assert f'value="{name}"' in refused.text and 'value="913601"' in refused.text
    made_up = await expert.post(NEW + suffix, dict(form, unitType="SECRET_SOCIETY"))
    assert made_up.status_code == 400 and 'id="e-apply-unitType"' in made_up.text
    for forged in ("", "x" * 43):
        assert (await expert.post(NEW, dict(form, csrf=forged, uscc=uscc(9000001)))).status_code == 403
    assert await units_named(demo_api, name) == []
    number = 9000002 if language == "zh" else 9000003
    applied = await expert.post(NEW + suffix, dict(form, uscc=uscc(number)))
    assert applied.status_code == 303 and applied.headers["location"] == NEW + "?done=apply" + (
        "&lang=en" if language == "en" else "")
    shown = await expert.get(applied.headers["location"])
    assert ("入会申请已提交" if language == "zh" else "The application is submitted") in shown.text
    [unit] = await units_named(demo_api, name)
    assert unit["state"] == "APPLICANT" and unit["headName"] == "测试负责人"
    again = await expert.post(NEW + suffix, dict(form, uscc=uscc(number)))  # the same code twice: the API's Conflict
    assert again.status_code == 409 and uscc(number) in again.text and 'role="alert"' in again.text


@pytest.mark.parametrize("language, future", [("zh", "加入日期不能晚于今天"),
                                              ("en", "the joining date cannot be in the future")])
async def test_the_secretariat_records_a_founding_unit(demo_api, sign_in, language, future):
    suffix = "?lang=en" if language == "en" else ""
    name = f"江西某发起研究院（{language}）"
    secretary = await sign_in("jx-secretary")
    page = await secretary.get(NEW + suffix)
    assert 'name="do" value="found"' in page.text
    form = {"csrf": Browser.csrf(page.text), "do": "found", "nameZh": name, "nameEn": "Jiangxi Founding Institute",
            "uscc": uscc(9100001 if language == "zh" else 9100002), "unitType": "STANDARDS_BODY",
            "headName": "测试院长", "joinedOn": "2099-01-06"}
    refused = await secretary.post(NEW + suffix, form)
    assert refused.status_code == 400
    assert f'<span class="error" role="alert" id="e-found-joinedOn">{future}</span>' in refused.text
    assert f'value="{name}"' in refused.text and 'value="2099-01-06"' in refused.text
    not_a_date = await secretary.post(NEW + suffix, dict(form, joinedOn="soon"))
    assert not_a_date.status_code == 400 and 'id="e-found-joinedOn"' in not_a_date.text
    assert await units_named(demo_api, name) == []
    found = await secretary.post(NEW + suffix, dict(form, joinedOn="2025-01-06"))
    assert found.status_code == 303 and "/workspace/council/units/" in found.headers["location"]
    shown = await secretary.get(found.headers["location"])
    assert shown.status_code == 200 and (name if language == "zh" else "Jiangxi Founding Institute") in shown.text
    assert ("发起单位已登记" if language == "zh" else "The founding unit is recorded") in shown.text
    [unit] = await units_named(demo_api, name)
    assert unit["state"] == "ACTIVE" and unit["joinedOn"] == "2025-01-06"


async def test_a_member_may_not_record_a_founding_unit(demo_api, sign_in):
    member = await sign_in("jx-member2")
    page = await member.get(NEW)
    assert page.status_code == 200 and 'name="do" value="found"' not in page.text
    forged = await member.post(NEW + "?lang=en", {
        "csrf": Browser.csrf(page.text), "do": "found", "nameZh": "越权登记的单位", "nameEn": "Not theirs",
        "uscc": uscc(9200001), "unitType": "ENTERPRISE", "headName": "某人", "joinedOn": "2025-01-06"})
    assert forged.status_code == 403 and "not allowed" in forged.text and 'role="alert"' in forged.text
    assert await units_named(demo_api, "越权登记的单位") == []


@pytest.mark.parametrize("lang, html_lang", [("zh", "zh-CN"), ("en", "en")])
async def test_the_unit_and_officer_pages_pass_the_html_audit(demo_api, sign_in, lang, html_lang):
    from tests.portal.html_audit import audit
    suffix = "?lang=en" if lang == "en" else ""
    secretary = await sign_in("jx-secretary")
    index = await secretary.get("/workspace/council/units" + suffix)
    unit = re.search(r'href="(/workspace/council/units/(?!new)[^"?]+)', index.text).group(1)
    officer = re.search(r'href="(/workspace/council/officers/[^"?]+)', index.text).group(1)
    for path in ("/workspace/council/units", NEW, unit, officer):
        page = await secretary.get(path + suffix)
        assert page.status_code == 200 and audit(page.text).problems(html_lang) == [], path
    refused = await secretary.post(unit + suffix, {"csrf": Browser.csrf(index.text), "do": "rate", "year": "x",
                                                   "rating": "GOOD"})
    assert refused.status_code == 400 and audit(refused.text).problems(html_lang) == []


def test_each_document_is_explained_valid_and_selects_the_refusals():
    from ecozone.graphql.schema import build_schema
    from ecozone.workspace.page import DOCUMENTS
    from graphql import OperationType, parse, validate
    schema = build_schema()._schema
    names = sorted(name for name in DOCUMENTS if name.startswith(("council_unit", "council_officer")))
    assert len(names) == 13
    for name in names:
        text = DOCUMENTS[name]
        assert text.startswith("# ") and len(text.splitlines()[0]) > 20, name
        document = parse(text)
        assert validate(schema, document) == [], name
        if document.definitions[0].operation == OperationType.MUTATION:
            for needed in ("__typename", "... on Failure { code message messageZh }",
                           "... on ValidationFailed { fieldErrors { field message messageZh } }"):
                assert needed in text, (name, needed)
