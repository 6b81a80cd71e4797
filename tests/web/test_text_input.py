"""A NUL character in any text is refused before execution, on both engines alike.

Found by the isolation property test: PostgreSQL cannot store U+0000, so ``auditLog(objectType:
"\\u0000")`` reached the database and came back as an unexpected error.
"""

from __future__ import annotations

import pytest

from ecozone.web.text_input import nul_paths

SEARCH = 'query($text: String) { experts(filter: {text: $text}) { __typename } }'


async def test_a_nul_in_a_string_literal_is_a_validation_error(api):
    response = await api.post('{ experts(filter: {text: "ab\\u0000c"}) { __typename } }')
    body = response.json()
    assert response.status_code == 400 and "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "U+0000" in body["errors"][0]["message"] and body["errors"][0]["extensions"]["messageZh"]


async def test_a_nul_in_a_variable_is_refused_naming_where(api):
    response = await api.post(SEARCH, {"text": "tea\x00"})
    body = response.json()
    assert response.status_code == 400 and "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["message"].endswith("variables.text")


async def test_ordinary_text_still_passes(api):
    response = await api.post(SEARCH, {"text": "茶 tea \\0 \u2400"})
    assert response.status_code == 200 and "errors" not in response.json()


@pytest.mark.parametrize(("value", "paths"), [
    ("plain", []),
    ("a\x00", ["variables"]),
    ({"a": ["x", "y\x00"], "b": {"c": 1}}, ["variables.a[1]"]),
    ({"k\x00": "v"}, ["variables (key)"]),
    ([1, None, True, 2.5], []),
])
def test_nul_paths(value, paths):
    assert nul_paths(value) == paths
