"""Role grants and the audit log in the workspace, on the demo data, both engines: a director
grants and revokes through the API (the API's list then shows it), a secretary's grant the API
refuses is shown above the form with the choice kept, made-up roles and people never reach a
500, every form refuses a forged CSRF token, and the audit log is paginated with Beijing times."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.workspace.conftest import Browser, signed_in

ROLES = """{ roleAssignments(first: 100) { ... on RoleAssignmentConnection {
  edges { node { role user { username } } } } } }"""


async def holds(demo_api, username: str, zone_user: str = "jx-director") -> set[str]:
    found = await demo_api.gql(ROLES, user=zone_user)
    return {e["node"]["role"] for e in found["roleAssignments"]["edges"]
            if e["node"]["user"] and e["node"]["user"]["username"] == username}


def person_id(html: str, username: str) -> str:
    return html_lib.unescape(re.search(rf'<option value="([^"]+)"[^>]*>[^<]*\({username}\)</option>', html).group(1))


async def test_a_director_grants_and_revokes_a_role(demo_api):
    assert "SECRETARY" not in await holds(demo_api, "jx-member2")
    async with signed_in(demo_api, "jx-director") as director:
        page = await director.get("/workspace/roles")
        assert page.status_code == 200 and "<time datetime=" in page.text and "+08:00</time>" in page.text
        user = person_id(page.text, "jx-member2")
        granted = await director.post("/workspace/roles", {"csrf": Browser.csrf(page.text), "do": "grant",
                                                           "user": user, "role": "SECRETARY"})
        assert granted.status_code == 303 and granted.headers["location"] == "/workspace/roles?done=granted"
        assert "SECRETARY" in await holds(demo_api, "jx-member2")
        again = await director.post("/workspace/roles?lang=en", {"csrf": Browser.csrf(page.text), "do": "grant",
                                                                  "user": user, "role": "SECRETARY"})
        assert again.status_code == 409 and "already holds" in again.text and 'role="alert"' in again.text
        revoked = await director.post("/workspace/roles", {"csrf": Browser.csrf(page.text), "do": "revoke",
                                                           "user": user, "role": "SECRETARY"})
        assert revoked.status_code == 303 and "SECRETARY" not in await holds(demo_api, "jx-member2")
        log = await director.get("/workspace/audit?action=role.grant")
        assert log.status_code == 200 and "<code>role.grant</code>" in log.text and "role.revoke" not in log.text


@pytest.mark.parametrize("language, message", [("zh", "无权"), ("en", "not allowed")])
async def test_a_grant_the_api_refuses_is_shown_with_the_choice_kept(demo_api, language, message):
    suffix = "?lang=en" if language == "en" else ""
    async with signed_in(demo_api, "jx-secretary") as secretary:
        page = await secretary.get("/workspace/roles" + suffix)
        user = person_id(page.text, "jx-member1")
        refused = await secretary.post("/workspace/roles" + suffix, {
            "csrf": Browser.csrf(page.text), "do": "grant", "user": user, "role": "DIRECTOR"})
        assert refused.status_code == 403 and 'role="alert"' in refused.text
        alert = re.search(r'<p class="error" role="alert">([^<]+)</p>', refused.text).group(1)
        assert message in alert
        assert '<option value="DIRECTOR" selected>' in refused.text
        assert re.search(r'<option value="[^"]+" selected>[^<]*\(jx-member1\)</option>', refused.text)
    assert "DIRECTOR" not in await holds(demo_api, "jx-member1")


async def test_a_director_cannot_revoke_their_own_director_role(demo_api):
    async with signed_in(demo_api, "jx-director") as director:
        page = await director.get("/workspace/roles")
        refused = await director.post("/workspace/roles", {"csrf": Browser.csrf(page.text), "do": "revoke",
                                                           "user": person_id(page.text, "jx-director"),
                                                           "role": "DIRECTOR"})
        assert refused.status_code == 409 and "主任不能撤销自己的主任角色" in refused.text
    assert "DIRECTOR" in await holds(demo_api, "jx-director")


@pytest.mark.parametrize("user, role, status", [
    ("VXNlcjo5OTk5OTk=", "EXPERT", 404),       # User:999999
    ("not-an-id", "EXPERT", 404),
    ("U3RhbmRhcmQ6MQ==", "EXPERT", 404),       # a Standard's ID where a person's goes
    (None, "KING", 400),                        # a made-up role is named, not sent
    (None, "", 400),
])
async def test_made_up_people_and_roles_never_reach_a_500(demo_api, user, role, status):
    async with signed_in(demo_api, "jx-director") as director:
        page = await director.get("/workspace/roles")
        user = user or person_id(page.text, "jx-member1")
        for do in ("grant", "revoke"):
            answer = await director.post("/workspace/roles", {"csrf": Browser.csrf(page.text), "do": do,
                                                              "user": user, "role": role})
            assert answer.status_code == status, (do, answer.text[-500:])


async def test_every_role_form_refuses_a_missing_or_forged_csrf_token(demo_api):
    async with signed_in(demo_api, "jx-director") as director:
        page = await director.get("/workspace/roles")
        user = person_id(page.text, "jx-member1")
        for do in ("grant", "revoke"):
            for csrf in ("", "y" * 43, None):
                form = {"do": do, "user": user, "role": "SECRETARY"}
                if csrf is not None:
                    form["csrf"] = csrf
                assert (await director.post("/workspace/roles", form)).status_code == 403
    assert "SECRETARY" not in await holds(demo_api, "jx-member1")


async def test_a_member_sees_the_apis_refusal_of_roles_and_audit(demo_api):
    async with signed_in(demo_api, "jx-member1") as member:
        for path in ("/workspace/roles", "/workspace/audit", "/workspace/roles?lang=en"):
            answer = await member.get(path)
            assert answer.status_code == 403 and 'role="alert"' in answer.text, path


async def test_the_audit_log_is_paginated_oldest_first_with_beijing_times(demo_api):
    async with signed_in(demo_api, "jx-director") as director:
        first = await director.get("/workspace/audit")
        assert first.status_code == 200
        seqs = [int(s) for s in re.findall(r'<th scope="row">(\d+)</th>', first.text)]
        assert len(seqs) == 20 and seqs == sorted(seqs)
        assert re.search(r'<time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d \+08:00</time>', first.text)
        following = html_lib.unescape(re.search(r'<a rel="next" href="([^"]+)"', first.text).group(1))
        second = await director.get(following)
        more = [int(s) for s in re.findall(r'<th scope="row">(\d+)</th>', second.text)]
        assert more and min(more) > max(seqs)
        narrowed = await director.get("/workspace/audit?objectType=standard&lang=en")
        assert narrowed.status_code == 200 and "<code>standard." in narrowed.text
        assert "<code>role." not in narrowed.text
        bad = await director.get("/workspace/audit?after=not-a-cursor")
        assert bad.status_code == 400 and 'role="alert"' in bad.text  # the API's refusal, not a 500
