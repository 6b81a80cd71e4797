"""POST/GET /graphql against the GraphQL-over-HTTP specification, through the ASGI app: media
types, request errors, body size, batches and GET (headers in test_graphql_http_headers.py)."""

from __future__ import annotations

import dataclasses
import json

import httpx
import pytest

from ecozone.web.app import create_app
from tests.web.graphql_http_support import (
    GQL,
    ZONES,
    assert_request_error,
    media_type,
    raw_post,
)

# --- media types ---------------------------------------------------------------------------

async def test_post_json_gets_graphql_response_json(api):
    response = await api.post(ZONES)
    assert response.status_code == 200
    assert media_type(response) == GQL
    assert response.json()["data"]["zones"]["totalCount"] == 4


@pytest.mark.parametrize("accept, expected", [
    ("application/json", "application/json"),
    ("application/json, text/plain", "application/json"),
    ("*/*", GQL),
    ("", GQL),
    (f"{GQL}, application/json;q=0.9", GQL),
    (f"{GQL};q=0, application/json", "application/json"),
    # the highest weight wins, the most specific range sets a type's weight
    (f"application/json, {GQL};q=0.5", "application/json"),
    ("application/json;q=0.9, */*;q=0.1", "application/json"),
    ("*/*;q=0.1, application/json", "application/json"),
    ("application/*;q=0.5, application/json", "application/json"),
    ("*/*, application/json;q=0", GQL),
    ("application/*", GQL),
    # equal weights: ours first
    (f"application/json, {GQL}", GQL),
    ("application/json, */*", GQL),
    # the spec's recommended header; charset parameters are UTF-8 or not ours to serve
    (f"{GQL}; charset=utf-8, application/json; charset=utf-8", GQL),
    (f"{GQL}; charset=utf-16, application/json; charset=UTF-8", "application/json"),
    (f"{GQL};q=abc, application/json", "application/json"),  # a malformed weight is ignored
])
async def test_accept_negotiation(api, accept, expected):
    response = await raw_post(api, json.dumps({"query": ZONES}), accept=accept)
    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    assert response.json()["data"]["zones"]["totalCount"] == 4


@pytest.mark.parametrize("accept", ["text/plain", "application/xml", "image/png, text/csv",
                                    "application/json;q=0", f"{GQL};q=0, application/json;q=0.0",
                                    "application/json; charset=iso-8859-1"])
async def test_unacceptable_accept_is_406(api, accept):
    response = await raw_post(api, json.dumps({"query": ZONES}), accept=accept)
    errors = assert_request_error(response, 406)
    assert errors[0]["extensions"]["code"] == "NOT_ACCEPTABLE"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/graphql", None])
async def test_other_content_types_are_415(api, content_type):
    response = await raw_post(api, json.dumps({"query": ZONES}), content_type=content_type)
    errors = assert_request_error(response, 415)
    assert errors[0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/json;charset=UTF-8",
                                          'application/json; charset="utf-8"', "Application/JSON"])
async def test_json_content_type_with_charset_is_accepted(api, content_type):
    response = await raw_post(api, json.dumps({"query": ZONES}), content_type=content_type)
    assert response.status_code == 200


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-16", "application/json; charset=latin1"])
async def test_json_in_another_charset_is_415(api, content_type):
    response = await raw_post(api, json.dumps({"query": ZONES}), content_type=content_type)
    errors = assert_request_error(response, 415)
    assert errors[0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert "UTF-8" in errors[0]["message"] and "UTF-8" in errors[0]["extensions"]["messageZh"]


async def test_body_is_read_as_utf8_only(api):
    body = json.dumps({"query": '{ zone(slug: "jiangxi") { nameZh } }'})
    response = await raw_post(api, body.encode("utf-16"))  # json.loads(bytes) would guess UTF-16
    errors = assert_request_error(response, 400)
    assert errors[0]["extensions"]["code"] == "BAD_REQUEST"
    response = await raw_post(api, body.encode("utf-8"))
    assert response.json() == {"data": {"zone": {"nameZh": "江西"}}}


@pytest.mark.parametrize("accept", [GQL, "application/json"])
async def test_responses_name_their_charset(api, accept):
    ok = await raw_post(api, json.dumps({"query": ZONES}), accept=accept)
    parse_error = await raw_post(api, json.dumps({"query": "{"}), accept=accept)
    malformed = await raw_post(api, "[1, 2]", accept=accept)
    for response in (ok, parse_error, malformed):
        assert response.headers["content-type"] == f"{accept}; charset=utf-8"


# --- request errors: 400 and no data key --------------------------------------------------

REQUEST_ERRORS = [
    pytest.param({"query": "{ zones { totalCount "}, "GRAPHQL_PARSE_FAILED", id="parse"),
    pytest.param({"query": "{ zones { nope } }"}, "GRAPHQL_VALIDATION_FAILED", id="validation"),
    pytest.param({"query": "query($n: Int!) { zones(first: $n) { totalCount } }",
                  "variables": {"n": "ten"}}, "BAD_USER_INPUT", id="coercion"),
    pytest.param({"query": "query($n: Int!) { zones(first: $n) { totalCount } }"},
                 "BAD_USER_INPUT", id="missing-variable"),
    pytest.param({"query": ""}, "GRAPHQL_PARSE_FAILED", id="empty-query"),
    pytest.param({"query": "  "}, "GRAPHQL_PARSE_FAILED", id="blank-query"),
    pytest.param({"query": "query A { zones { totalCount } } query B { viewer { roles } }",
                  "operationName": "C"}, "BAD_REQUEST", id="unknown-operation"),
    pytest.param({"query": "query A { zones { totalCount } } query B { viewer { roles } }"},
                 "BAD_REQUEST", id="operation-not-named"),
    pytest.param({"query": "subscription { notifications { id } }"}, "BAD_REQUEST", id="subscription"),
]


@pytest.mark.parametrize("body, code", REQUEST_ERRORS)
async def test_request_errors_are_400_without_data(api, body, code):
    response = await api.client.post("/graphql", json=body, headers={"Accept": GQL})
    errors = assert_request_error(response)
    assert media_type(response) == GQL
    assert errors[0]["extensions"]["code"] == code


@pytest.mark.parametrize("body, code", REQUEST_ERRORS)
async def test_request_errors_are_200_for_legacy_json_clients(api, body, code):
    response = await api.client.post("/graphql", json=body, headers={"Accept": "application/json"})
    errors = assert_request_error(response, 200)
    assert media_type(response) == "application/json"
    assert errors[0]["extensions"]["code"] == code


@pytest.mark.parametrize("content", [
    "42", '"x"', "null", "[1, 2]", "true", "{}", '{"query": 42}', '{"query": null}',
    '{"query": "{ zones { totalCount } }", "variables": [1]}',
    '{"query": "{ zones { totalCount } }", "variables": "{not json"}',
    '{"query": "{ zones { totalCount } }", "variables": "{}"}',  # a JSON string only in a URL
    '{"query": "{ zones { totalCount } }", "operationName": 7}',
    '[{"query": "{ zones { totalCount } }"}, 5]',
])
async def test_malformed_bodies_are_400_never_500(api, content):
    for accept in (GQL, "application/json"):  # not well-formed: 400 for legacy clients too
        response = await raw_post(api, content, accept=accept)
        errors = assert_request_error(response, 400)
        assert errors[0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("content", ["{", "{'query': 1}", b"\xff\xfe{}", "", "[" * 100_000])
async def test_invalid_json_is_400(api, content):
    response = await raw_post(api, content)
    assert_request_error(response, 400)


@pytest.mark.parametrize("extensions", ["x", "", 1, 0, True, False, [], [1], '{"a": 1}'])
async def test_extensions_must_be_an_object(api, extensions):
    for accept in (GQL, "application/json"):  # not well-formed: 400 for legacy clients too
        response = await api.client.post("/graphql", headers={"Accept": accept}, json={
            "query": ZONES, "extensions": extensions})
        errors = assert_request_error(response, 400)
        assert errors[0]["extensions"] == {"code": "BAD_REQUEST", "messageZh": "extensions 必须是 JSON 对象"}
        assert errors[0]["message"] == "extensions must be a JSON object"


@pytest.mark.parametrize("extensions", [{}, {"persistedQuery": {"version": 1}, "tracing": True}, None])
async def test_object_extensions_are_accepted(api, extensions):
    response = await api.client.post("/graphql", headers={"Accept": GQL}, json={
        "query": ZONES, "extensions": extensions})
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body and body["data"]["zones"]["totalCount"] == 4


async def test_unknown_operation_name_is_400(api):
    response = await api.client.post("/graphql", headers={"Accept": GQL}, json={
        "query": "query A { zones { totalCount } } query B { viewer { roles } }",
        "operationName": "C"})
    errors = assert_request_error(response)
    assert errors[0]["message"] == "the document has no operation named C"
    assert errors[0]["extensions"]["messageZh"] == "文档中没有名为 C 的操作"
    response = await api.client.post("/graphql", headers={"Accept": GQL}, json={
        "query": "query A { zones { totalCount } } query B { viewer { roles } }",
        "operationName": "B"})
    assert response.json() == {"data": {"viewer": {"roles": []}}}


# --- body size ----------------------------------------------------------------------------

def _small_limit_app(settings, app_engine, **limits) -> httpx.AsyncClient:
    settings = dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, **limits))
    app = create_app(settings, engine=app_engine)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test")


async def test_body_over_the_limit_is_413(settings, app_engine):
    async with _small_limit_app(settings, app_engine, max_body_bytes=200) as client:
        padding = " " * 300
        body = f'{{"query": "{ZONES}"{padding}}}'.encode()
        response = await client.post("/graphql", content=body,
                                     headers={"Content-Type": "application/json", "Accept": GQL})
        errors = assert_request_error(response, 413)
        assert errors[0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"

        async def chunks():  # no Content-Length: Transfer-Encoding: chunked
            yield b'{"query": "{ zones { totalCount } }"'
            for _ in range(10):
                yield b" " * 50
            yield b"}"

        response = await client.post("/graphql", content=chunks(),
                                     headers={"Content-Type": "application/json", "Accept": GQL})
        assert "content-length" not in response.request.headers
        assert_request_error(response, 413)

        async def small():
            yield b'{"query": "{ zones { totalCount } }"}'

        response = await client.post("/graphql", content=small(),
                                     headers={"Content-Type": "application/json", "Accept": GQL})
        assert response.status_code == 200
        assert response.json()["data"]["zones"]["totalCount"] == 4


# --- batches ------------------------------------------------------------------------------

async def test_batch_of_two_gets_two_results(api):
    response = await api.client.post("/graphql", headers={"Accept": GQL}, json=[
        {"query": "{ zones { totalCount } }"},
        {"query": "query($s: String!) { zone(slug: $s) { nameEn } }", "variables": {"s": "hainan"}},
    ])
    assert response.status_code == 200
    assert response.json() == [{"data": {"zones": {"totalCount": 4}}},
                               {"data": {"zone": {"nameEn": "Hainan"}}}]


@pytest.mark.parametrize("size", [0, 11])
async def test_batch_size_is_limited(api, size):
    response = await api.client.post("/graphql", headers={"Accept": GQL},
                                     json=[{"query": "{ zones { totalCount } }"}] * size)
    errors = assert_request_error(response)
    assert errors[0]["extensions"]["code"] == "BATCH_TOO_LARGE"


async def test_batch_of_ten_is_accepted(api):
    response = await api.client.post("/graphql", headers={"Accept": GQL},
                                     json=[{"query": "{ zones { totalCount } }"}] * 10)
    assert response.status_code == 200
    assert len(response.json()) == 10


async def test_batch_with_one_invalid_operation_is_refused_as_a_whole(api):
    response = await api.client.post("/graphql", headers={"Accept": GQL}, json=[
        {"query": "{ zones { totalCount } }"}, {"query": "{ nope }"}])
    assert_request_error(response)


# --- GET ----------------------------------------------------------------------------------

async def test_get_runs_queries_with_json_variables(api):
    response = await api.client.get("/graphql", headers={"Accept": GQL}, params={
        "query": "query($s: String!) { zone(slug: $s) { standardCode } }",
        "variables": json.dumps({"s": "guizhou"})})
    assert response.status_code == 200
    assert media_type(response) == GQL
    assert response.json() == {"data": {"zone": {"standardCode": "DB52/T"}}}


async def test_get_with_operation_name(api):
    response = await api.client.get("/graphql", headers={"Accept": GQL}, params={
        "query": "query A { zones { totalCount } } query B { viewer { roles } }",
        "operationName": "A"})
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}


async def test_get_without_query_is_400(api):
    for accept in (GQL, "application/json"):
        response = await api.client.get("/graphql", headers={"Accept": accept})
        errors = assert_request_error(response)
        assert errors[0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("params, code", [
    ({"query": "{ zones { totalCount "}, "GRAPHQL_PARSE_FAILED"),
    ({"query": ""}, "GRAPHQL_PARSE_FAILED"),
    ({"query": "{ nope }"}, "GRAPHQL_VALIDATION_FAILED"),
    ({"query": "query($n: Int!) { zones(first: $n) { totalCount } }", "variables": '{"n": "ten"}'},
     "BAD_USER_INPUT"),
])
async def test_get_request_errors_follow_the_media_type(api, params, code):
    response = await api.client.get("/graphql", params=params, headers={"Accept": GQL})
    assert assert_request_error(response, 400)[0]["extensions"]["code"] == code
    response = await api.client.get("/graphql", params=params, headers={"Accept": "application/json"})
    assert assert_request_error(response, 200)[0]["extensions"]["code"] == code
    assert media_type(response) == "application/json"


async def test_get_with_json_extensions(api):
    response = await api.client.get("/graphql", headers={"Accept": GQL}, params={
        "query": ZONES, "extensions": json.dumps({"persistedQuery": {"version": 1}})})
    assert response.status_code == 200
    assert response.json()["data"]["zones"]["totalCount"] == 4
    response = await api.client.get("/graphql", headers={"Accept": GQL}, params={
        "query": ZONES, "extensions": "", "variables": "", "operationName": ""})  # empty: absent
    assert response.status_code == 200


@pytest.mark.parametrize("extensions, message", [
    ("{not json", "extensions is not valid JSON"), ("[]", "extensions must be a JSON object"),
    ('"x"', "extensions must be a JSON object"), ("1", "extensions must be a JSON object"),
    ("[" * 10_000, "extensions is not valid JSON"),  # nested too deep
])
async def test_get_with_bad_extensions_is_400(api, extensions, message):
    for accept in (GQL, "application/json"):
        response = await api.client.get("/graphql", headers={"Accept": accept}, params={
            "query": ZONES, "extensions": extensions})
        errors = assert_request_error(response, 400)
        assert errors[0]["message"] == message
        assert errors[0]["extensions"]["code"] == "BAD_REQUEST"
        assert errors[0]["extensions"]["messageZh"].startswith("extensions ")


async def test_mutation_over_get_is_405(api):
    mutation = 'mutation { revokeRole(input: {userId: "VXNlcjox", role: DIRECTOR}) { __typename } }'
    for accept in (GQL, "application/json"):
        response = await api.client.get("/graphql", params={"query": mutation},
                                        headers={"Accept": accept})
        errors = assert_request_error(response, 405)
        assert response.headers["allow"] == "POST"
        assert errors[0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_parallel_root_fields_of_a_query_share_the_session(api):
    # Root fields of a query run concurrently: no SAVEPOINT may wrap them.
    response = await api.post("{ zones { totalCount } z2: zones { totalCount } viewer { roles } }")
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    assert body["data"]["zones"] == body["data"]["z2"] == {"totalCount": 4}
