"""The README's first queries: the README, the IDE's start tabs and ``GET /`` show the same
operations (ecozone/web/first_queries.py), each valid against the schema and answering as
its comment says."""

from __future__ import annotations

import re

from ecozone.graphql.schema import build_schema
from ecozone.settings import PROJECT_ROOT
from ecozone.web.first_queries import FIRST_QUERIES, SECRETARY, SECRETARY_ZONE
from graphql import parse, validate

from tests.experts.test_experts_api import create as create_profile


def readme_first_queries() -> str:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## First queries")
    return text[start:text.index("\n## ", start + 1)]


def test_each_example_is_valid_against_the_schema():
    schema = build_schema()._schema
    for example in FIRST_QUERIES:
        assert validate(schema, parse(example.query)) == [], example.key
        assert validate(schema, parse(example.document())) == [], example.key


def test_the_readme_sends_exactly_the_examples():
    section = readme_first_queries()
    payloads = re.findall(r"-d '([^']*)'", section)
    assert payloads == [example.payload() for example in FIRST_QUERIES]
    for example in FIRST_QUERIES:
        if example.user:
            assert f".venv/bin/ecozone token {example.user}" in section
    # Each curl line, joined from its continuation lines, is the example's own.
    commands = [re.sub(r"\\\n\s*", "", block).strip()
                for block in re.findall(r"(curl -s .*?-d '[^']*')", section, re.DOTALL)]
    assert commands == [example.curl() for example in FIRST_QUERIES]


async def test_the_examples_answer_as_their_comments_say(api):
    await api.add_user(SECRETARY, SECRETARY_ZONE, "secretary")
    by_key = {example.key: example for example in FIRST_QUERIES}
    for example in FIRST_QUERIES:
        response = await api.post(example.query, example.variables, user=example.user, zone=example.zone)
        assert response.status_code == 200, (example.key, response.text)
        assert "errors" not in response.json(), (example.key, response.json())
    viewer = await api.gql(by_key["viewer"].query, user=SECRETARY, zone=SECRETARY_ZONE)
    assert viewer["viewer"]["user"]["username"] == SECRETARY
    assert viewer["viewer"]["roles"] == ["SECRETARY"]
    verify = by_key["verify-expert"]
    # As it is (the placeholder id): a typed NotFound.
    data = await api.gql(verify.query, verify.variables, user=SECRETARY, zone=SECRETARY_ZONE)
    assert data["verifyExpert"]["__typename"] == "NotFound"
    assert data["verifyExpert"]["code"] and data["verifyExpert"]["messageZh"]
    # With an id from the pending-experts example: verified, then a typed Conflict; the expert
    # may not verify their own profile: PermissionDenied.
    await api.add_user("jx-expert", SECRETARY_ZONE)
    await create_profile(api, "jx-expert", SECRETARY_ZONE)
    pending = await api.gql(by_key["pending-experts"].query, user=SECRETARY, zone=SECRETARY_ZONE)
    expert_id = pending["experts"]["edges"][0]["node"]["id"]
    mine = await api.gql(verify.query, {"id": expert_id}, user="jx-expert", zone=SECRETARY_ZONE)
    assert mine["verifyExpert"]["__typename"] == "PermissionDenied"
    first = await api.gql(verify.query, {"id": expert_id}, user=SECRETARY, zone=SECRETARY_ZONE)
    assert first["verifyExpert"] == {"__typename": "Expert", "state": "VERIFIED"}
    again = await api.gql(verify.query, {"id": expert_id}, user=SECRETARY, zone=SECRETARY_ZONE)
    assert again["verifyExpert"]["__typename"] == "Conflict"
