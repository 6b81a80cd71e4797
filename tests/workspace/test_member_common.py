"""What the member pages' tests share — a browser's reading of a page's forms, a signed-in
browser per demo user, the API's IDs by title — and the table-driven tests of the member
pages' pure functions (who is offered which form, "my" projects, clause numbers)."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from ecozone.workspace.member_consultations import clauses
from ecozone.workspace.member_project import offered
from ecozone.workspace.member_projects import mine



class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "id": a.get("id"), "fields": {}, "buttons": [],
                               "class": a.get("class", "")})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            if self._select not in fields or "selected" in a:
                fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            fields[self._textarea] = ""
        elif tag == "button":
            self.forms[-1]["buttons"].append((a.get("name"), a.get("value")))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def forms(html: str) -> list[dict]:
    """The page's forms as a browser would submit them unchanged (the first option of a select
    unless one is selected; a textarea's text)."""
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["action"] not in ("/workspace/zone", "/workspace/sign-out")]


def form_with(html: str, **fields: str) -> dict:
    """The one form whose fields include all of ``fields`` (name → value)."""
    found = [f for f in forms(html) if all(f["fields"].get(k) == v for k, v in fields.items())]
    assert len(found) == 1, (fields, [f["fields"] for f in forms(html)])
    return found[0]


def alerts(html: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in re.findall(r'role="alert"[^>]*>(.*?)</p>', html, re.DOTALL)]


def alerted(html: str, text: str) -> bool:
    """``text`` is said in one of the page's alerts."""
    return any(text in alert for alert in alerts(html))


def beside(html: str, field_id: str) -> str:
    """The refusal shown beside the field ``field_id`` (its ``aria-describedby`` target)."""
    match = re.search(rf'id="{re.escape(field_id)}"[^>]*aria-invalid="true" aria-describedby="([^"]+)"', html)
    assert match, f"{field_id} is not marked invalid"
    message = re.search(rf'id="{re.escape(match.group(1))}">([^<]*)<', html)
    return unescape(message.group(1))


async def project_id(demo_api, title_zh: str, user: str = "jx-director") -> str:
    answer = await demo_api.gql("query($t: String) { projects(filter: {text: $t}) { ... on ProjectConnection {"
                                " edges { node { id titleZh } } } } }", {"t": title_zh}, user=user)
    found = [e["node"]["id"] for e in answer["projects"]["edges"] if e["node"]["titleZh"] == title_zh]
    assert len(found) == 1, answer
    return found[0]


# ---------------------------------------------------------------------------- pure functions

ME, OTHER = "VXNlcjox", "VXNlcjoy"


def _project(state="IN_PROGRESS", proposer=ME, group=(), actions=("REQUEST_ADJUSTMENT", "SUBMIT_CLOSURE"),
             zone="jiangxi", standards=()):
    return {"state": state, "proposer": {"id": proposer} if proposer else None, "zone": {"slug": zone},
            "nextActions": list(actions), "standards": list(standards),
            "workingGroup": [{"id": f"W{n}", "role": role, "user": {"id": user} if user else None}
                             for n, (role, user) in enumerate(group)]}


def _standard(state="DRAFTING", lead="jiangxi", sid="S1"):
    return {"id": sid, "stage": {"state": state}, "leadZone": {"slug": lead}}


def _viewer(roles=("MEMBER",), zone="jiangxi", me=ME):
    return {"user": {"id": me} if me else None, "roles": list(roles), "zone": {"slug": zone}}


@pytest.mark.parametrize("project, viewer, expected", [
    # the proposer manages the group, decides requests, asks for adjustment and closure, drafts
    (_project(standards=[_standard()]), _viewer(),
     {"add_member": True, "decide_join": True, "request_join": False, "request_adjustment": True,
      "submit_closure": True, "add_draft:S1": True}),
    # someone else, not in the group: may only ask to join
    (_project(proposer=OTHER, standards=[_standard()]), _viewer(),
     {"add_member": False, "decide_join": False, "request_join": True, "request_adjustment": False,
      "submit_closure": False, "add_draft:S1": False}),
    # a drafter in the group: drafts, neither adjusts nor closes, does not ask to join again
    (_project(proposer=OTHER, group=[("DRAFTER", ME)], standards=[_standard()]), _viewer(),
     {"add_member": False, "request_join": False, "request_adjustment": False, "add_draft:S1": True}),
    # a leader: adjusts and closes
    (_project(proposer=OTHER, group=[("LEADER", ME)]), _viewer(),
     {"request_adjustment": True, "submit_closure": True, "decide_join": False}),
    # the standard is not in drafting: nobody drafts
    (_project(standards=[_standard(state="CONSULTATION")]), _viewer(), {"add_draft:S1": False}),
    # the project's zone's secretary, acting there: manages the group, drafts in the lead zone
    (_project(proposer=OTHER, standards=[_standard()]), _viewer(roles=("SECRETARY",)),
     {"add_member": True, "remove_member": True, "decide_join": False, "add_draft:S1": True}),
    # the same secretary acting in another zone: nothing of the office's
    (_project(proposer=OTHER, standards=[_standard()]), _viewer(roles=("SECRETARY",), zone="guizhou"),
     {"add_member": False, "add_draft:S1": False}),
    # the lead zone's office differs from the project's zone (a standard led elsewhere)
    (_project(proposer=OTHER, standards=[_standard(lead="guizhou")]), _viewer(roles=("DIRECTOR",)),
     {"add_member": True, "add_draft:S1": False}),
    # joining closes with the notice and the work: a closed project offers nothing to join
    (_project(proposer=OTHER, state="CLOSED", actions=()), _viewer(), {"request_join": False}),
    (_project(proposer=OTHER, state="PUBLIC_NOTICE", actions=()), _viewer(), {"request_join": True}),
    # the lifecycle does not allow it in this state: not offered, even to the proposer
    (_project(state="ADJUSTMENT_REQUESTED", actions=()), _viewer(),
     {"request_adjustment": False, "submit_closure": False}),
])
def test_offered_forms_follow_the_api_rules(project, viewer, expected):
    shown = offered(project, viewer)
    assert {key: shown[key] for key in expected} == expected


@pytest.mark.parametrize("project, me, parts", [
    (_project(), ME, [{"proposer": True}]),
    (_project(proposer=OTHER), ME, []),
    (_project(proposer=None, group=[("LEAD_UNIT", None), ("DRAFTER", ME)]), ME, ["DRAFTER"]),
    (_project(group=[("LEADER", ME)]), ME, [{"proposer": True}, "LEADER"]),
    (_project(), None, []),
])
def test_my_part_in_a_project(project, me, parts):
    found = [p if "proposer" in p else p["role"] for p in mine(project, me)]
    assert found == parts


@pytest.mark.parametrize("text, expected", [
    ("茶叶\n1 范围\n2 规范性引用文件\n3 术语和定义\n3.1 富硒茶\n3.1 重复\n", ["1", "2", "3", "3.1"]),
    ("第一条 为了规范……\n第二条 适用范围\n  第十二条　全角空格\n", ["第一条", "第二条", "第十二条"]),
    ("2026年发布\n1.2.3.4 深层条款\n12345 not a clause\n", ["1.2.3.4"]),
    ("", []),
    (None, []),
])
def test_clause_numbers_are_found_at_line_starts(text, expected):
    assert clauses(text) == expected
