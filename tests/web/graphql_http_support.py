"""What the GraphQL-over-HTTP tests share: the media type, a query and the checks of a request error."""

from __future__ import annotations

import httpx

GQL = "application/graphql-response+json"
ZONES = "{ zones { totalCount edges { node { slug } } } }"


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


async def raw_post(api, content: bytes | str, *, content_type: str | None = "application/json",
                   accept: str = GQL, **headers: str) -> httpx.Response:
    sent = {"Accept": accept, **headers}
    if content_type is not None:
        sent["Content-Type"] = content_type
    return await api.client.post("/graphql", content=content, headers=sent)


def assert_request_error(response: httpx.Response, status: int = 400) -> list[dict]:
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body, body
    assert body["errors"] and all(e["message"] for e in body["errors"])
    return body["errors"]
