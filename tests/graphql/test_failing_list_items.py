"""A hostile client asks for a field that fails on every item of a page (a diff between drafts
that do not exist): the answer is the errors, promptly — the failing items' siblings must not be
left running statements on the request's one session (they did, and the request never answered)."""

from __future__ import annotations

import asyncio

QUERY = """{ standards(first: 6) { ... on StandardConnection { edges { node { id
  diff(fromVersion: 1, toVersion: 99) } } } } }"""


async def test_a_field_failing_on_every_item_answers_promptly(demo_api):
    response = await asyncio.wait_for(demo_api.post(QUERY), timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    # diff is non-null and so is the list's item: the null reaches the nullable root field
    assert body["data"] is None or body["data"]["standards"] is None, body
    assert body["errors"] and all(e["path"][-1] == "diff" for e in body["errors"]), body
    assert "draft 99" in body["errors"][0]["message"]
    # and the session is whole again for the next request
    again = await asyncio.wait_for(demo_api.post("{ standards(first: 1) { ... on StandardConnection { totalCount } } }"),
                                   timeout=60)
    assert again.status_code == 200 and again.json()["data"]["standards"]["totalCount"] > 0
