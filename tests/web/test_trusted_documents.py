"""Trusted documents (issue 15) through HTTP on both databases: by id over GET and POST
(GraphQL over HTTP persisted documents: ``documentId=sha256:<hex>``), Apollo's hash, the
portal's built-in documents, unknown, malformed and revoked ids, and the refusal of
unregistered documents for anonymous callers when the setting says so."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache

import httpx
import pytest
from ecozone.authz.actor import system_actor
from ecozone.graphql.schema import build_schema
from ecozone.settings import QueryLimits
from ecozone.trusted.registry import PORTAL_DOCUMENTS
from ecozone.trusted.rules import Entry, document_id
from ecozone.trusted.service import register, revoke_client, revoke_documents
from ecozone.web.app import create_app

GQL = "application/graphql-response+json"
ZONES = "query Zones { zones { totalCount } }"
ZONE = "query Zone($slug: String!) { zone(slug: $slug) { slug nameEn } }"
GRANT = 'mutation Grant { grantRole(input: {userId: "VXNlcjox", role: SECRETARY}) { __typename } }'
UNREGISTERED = "{ zones { totalCount } }"


@lru_cache(maxsize=1)
def schema():
    return build_schema()._schema


async def register_documents(api, client: str, *texts: str):
    entries = [Entry(document_id(text), text) for text in texts]
    return await api.operator(lambda session: register(session, system_actor(), client=client, entries=entries,
                                                       schema=schema(), limits=QueryLimits()))


@pytest.fixture
async def make_client(settings, app_engine):
    clients = []

    async def make(**changes) -> tuple[httpx.AsyncClient, object]:
        app = create_app(replace(settings, **changes), engine=app_engine)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test")
        clients.append(client)
        return client, app

    yield make
    for client in clients:
        await client.aclose()


async def by_id(client, key: str, variables: dict | None = None, *, method: str = "GET",
                headers: dict | None = None, **extra) -> httpx.Response:
    headers = {"Accept": GQL, **(headers or {})}
    if method == "GET":
        params = {"documentId": key, **extra}
        if variables is not None:
            params["variables"] = json.dumps(variables)
        return await client.get("/graphql", params=params, headers=headers)
    return await client.post("/graphql", json={"documentId": key, "variables": variables, **extra},
                              headers=headers)


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_registered_document_runs_by_its_id(api, method):
    report = await register_documents(api, "guizhou-portal", ZONES, ZONE)
    assert report.added == [document_id(ZONES), document_id(ZONE)] and report.new_key
    response = await by_id(api.client, document_id(ZONES), method=method)
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}
    response = await by_id(api.client, document_id(ZONE), {"slug": "hainan"}, method=method,
                           operationName="Zone")
    assert response.json() == {"data": {"zone": {"slug": "hainan", "nameEn": "Hainan"}}}
    assert ("etag" in response.headers) is (method == "GET")  # anonymous GETs are cacheable


async def test_the_portal_documents_are_built_in(api):
    view = api.client._transport.app.state.graphql_view
    files = sorted(PORTAL_DOCUMENTS.glob("*.graphql"))
    assert files, "the portal's documents directory"
    for path in files:
        key = document_id(path.read_text(encoding="utf-8"))
        assert view.trusted.builtin()[key][0] == "portal"
    zones = document_id((PORTAL_DOCUMENTS / "zones.graphql").read_text(encoding="utf-8"))
    response = await by_id(api.client, zones)
    assert response.status_code == 200 and len(response.json()["data"]["zones"]["edges"]) == 4
    # add_builtin: the id of a document registered by code, known at once
    key = view.trusted.add_builtin("portal", "query PortalCount { zones { totalCount } }")
    assert key == document_id("query PortalCount { zones { totalCount } }")
    assert (await by_id(api.client, key)).json() == {"data": {"zones": {"totalCount": 4}}}


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_an_unknown_id_is_a_typed_error(api, method):
    key = document_id("{ zones { totalCount } } # never registered")
    response = await by_id(api.client, key, method=method)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "PERSISTED_DOCUMENT_NOT_FOUND" and key in error["message"]
    assert "已登记" in error["extensions"]["messageZh"] and "data" not in response.json()
    legacy = await by_id(api.client, key, method=method, headers={"Accept": "application/json"})
    assert legacy.status_code == 200  # a well-formed request: application/json clients get 200


@pytest.mark.parametrize("key", ["sha256:abc", "md5:" + "0" * 32, "0" * 64, "sha256:" + "G" * 64, "",
                                 "sha256:" + "A" * 64])
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_malformed_id_is_400_for_every_media_type(api, key, method):
    for accept in (GQL, "application/json"):
        response = await by_id(api.client, key, method=method, headers={"Accept": accept})
        assert response.status_code == 400, (key, accept)
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_non_string_id_is_400(api):
    for value in (None, 7, ["sha256:" + "0" * 64], {"id": 1}):
        response = await api.client.post("/graphql", json={"documentId": value}, headers={"Accept": GQL})
        assert response.status_code == 400, value


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_query_and_document_id_together_are_400(api, method):
    await register_documents(api, "guizhou-portal", ZONES)
    response = await by_id(api.client, document_id(ZONES), method=method, query=ZONES)
    assert response.status_code == 400
    assert "not both" in response.json()["errors"][0]["message"]


async def test_a_mutation_by_get_is_still_405(api):
    await register_documents(api, "guizhou-portal", GRANT)
    response = await by_id(api.client, document_id(GRANT))
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    response = await by_id(api.client, document_id(GRANT), method="POST")
    assert response.status_code == 200
    assert response.json()["data"]["grantRole"]["__typename"] == "PermissionDenied"  # anonymous


async def test_apollo_hashes_name_registered_documents_only(api):
    await register_documents(api, "guizhou-portal", ZONES)
    sha = document_id(ZONES).removeprefix("sha256:")
    apollo = {"persistedQuery": {"version": 1, "sha256Hash": sha}}
    response = await api.client.post("/graphql", json={"extensions": apollo}, headers={"Accept": GQL})
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}
    response = await api.client.get("/graphql", params={"extensions": json.dumps(apollo)},
                                    headers={"Accept": GQL})
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}
    # an unknown hash: Apollo's code, so that its link sends the text; the text then runs as any text
    other = document_id(UNREGISTERED).removeprefix("sha256:")
    unknown = {"persistedQuery": {"version": 1, "sha256Hash": other}}
    response = await api.client.post("/graphql", json={"extensions": unknown}, headers={"Accept": GQL})
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    response = await api.client.post("/graphql", json={"query": UNREGISTERED, "extensions": unknown},
                                     headers={"Accept": GQL})
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}
    # nothing was registered by that: the hash is still unknown
    response = await api.client.post("/graphql", json={"extensions": unknown}, headers={"Accept": GQL})
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    # a hash that is not the text's is a lie
    response = await api.client.post("/graphql", json={"query": ZONES, "extensions": unknown},
                                     headers={"Accept": GQL})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_a_revoked_document_stops_running(api, make_client):
    client, _app = await make_client(trusted_documents_recheck_seconds=0)
    await register_documents(api, "guizhou-portal", ZONES, ZONE)
    assert (await by_id(client, document_id(ZONES))).status_code == 200
    await api.operator(lambda s: revoke_documents(s, system_actor(), document_ids=[document_id(ZONES)]))
    response = await by_id(client, document_id(ZONES))
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_DOCUMENT_NOT_FOUND"
    # revoking the client revokes its other documents
    assert (await by_id(client, document_id(ZONE), {"slug": "fujian"})).status_code == 200
    assert await api.operator(lambda s: revoke_client(s, system_actor(), client="guizhou-portal")) == 1
    assert (await by_id(client, document_id(ZONE), {"slug": "fujian"})).status_code == 400


async def test_a_worker_trusts_its_lookup_for_the_recheck_time(api, make_client):
    client, _app = await make_client(trusted_documents_recheck_seconds=3600)
    await register_documents(api, "guizhou-portal", ZONES)
    assert (await by_id(client, document_id(ZONES))).status_code == 200
    await api.operator(lambda s: revoke_documents(s, system_actor(), document_ids=[document_id(ZONES)]))
    # within the recheck time the worker still runs it (the README says so); a new worker does not
    assert (await by_id(client, document_id(ZONES))).status_code == 200
    fresh, _ = await make_client(trusted_documents_recheck_seconds=3600)
    assert (await by_id(fresh, document_id(ZONES))).status_code == 400


async def test_trusted_only_refuses_unregistered_documents_to_anonymous_callers(api, make_client):
    client, _app = await make_client(trusted_documents_only=True)
    await api.add_user("gz_director", "guizhou", "director")
    await register_documents(api, "guizhou-portal", ZONES)
    for method in ("GET", "POST"):
        if method == "GET":
            response = await client.get("/graphql", params={"query": UNREGISTERED}, headers={"Accept": GQL})
        else:
            response = await client.post("/graphql", json={"query": UNREGISTERED}, headers={"Accept": GQL})
        assert response.status_code == 400, method
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "PERSISTED_DOCUMENT_REQUIRED"
        assert "匿名" in error["extensions"]["messageZh"] and "data" not in response.json()
    # a registered document runs by id, and as its exact text too (the same content address)
    assert (await by_id(client, document_id(ZONES))).status_code == 200
    response = await client.post("/graphql", json={"query": ZONES}, headers={"Accept": GQL})
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}
    # the portal's built-in documents too
    portal = (PORTAL_DOCUMENTS / "zones.graphql").read_text(encoding="utf-8")
    assert (await client.post("/graphql", json={"query": portal}, headers={"Accept": GQL})).status_code == 200
    # a batch with one unregistered document is refused whole
    response = await client.post("/graphql", json=[{"query": ZONES}, {"query": UNREGISTERED}],
                                 headers={"Accept": GQL})
    assert response.status_code == 400
    # signed-in users run any document
    token = api.token("gz_director")
    response = await client.post("/graphql", json={"query": UNREGISTERED},
                                 headers={"Accept": GQL, "Authorization": f"Bearer {token}"})
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}
    # a forged token does not count as signed in
    response = await client.post("/graphql", json={"query": UNREGISTERED},
                                 headers={"Accept": GQL, "Authorization": "Bearer forged"})
    assert response.status_code == 401


async def test_unregistered_documents_run_by_default(api):
    assert not api.settings.trusted_documents_only
    response = await api.client.get("/graphql", params={"query": UNREGISTERED}, headers={"Accept": GQL})
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}


async def test_the_ide_still_opens_and_a_document_id_does_not_open_it(api):
    await register_documents(api, "guizhou-portal", ZONES)
    page = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    response = await api.client.get("/graphql", params={"documentId": document_id(ZONES)},
                                    headers={"Accept": f"text/html, {GQL}"})
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}
