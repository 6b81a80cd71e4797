"""Beside /graphql: the GraphiQL page and its local static files, /healthz and /metrics."""

from __future__ import annotations

from tests.web.graphql_http_support import ZONES, media_type

# --- the IDE, static files, health and metrics --------------------------------------------

async def test_browser_gets_the_graphiql_page_served_locally(api):
    response = await api.client.get("/graphql", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.status_code == 200
    assert media_type(response) == "text/html"
    page = response.text
    assert "<title>ecozone GraphiQL</title>" in page
    for src in ("/static/graphiql/graphiql.min.js", "/static/graphiql/react.production.min.js",
                "/static/graphiql/react-dom.production.min.js", "/static/graphiql/init.js"):
        assert f'src="{src}"' in page
        script = await api.client.get(src)
        assert script.status_code == 200, src
        assert "javascript" in script.headers["content-type"]
        assert len(script.content) > 100
    css = await api.client.get("/static/graphiql/graphiql.min.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert "https://" not in page.replace('lang="en"', "")  # no CDN


async def test_text_html_only_gets_the_page_not_406(api):
    response = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text


async def test_healthz_says_the_process_is_alive(api):
    # The database is /readyz's business (tests/web/test_readiness.py).
    response = await api.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_metrics_count_requests(api):
    await api.post(ZONES)
    response = await api.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "# TYPE ecozone_graphql_requests_total counter" in response.text
    assert 'ecozone_graphql_requests_total{method="POST",status="200"}' in response.text
    assert "ecozone_graphql_request_seconds_bucket" in response.text
