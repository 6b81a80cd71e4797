"""``ecozone documents register/list/revoke`` run as the operator would, on both databases,
and what they registered answered through HTTP (issue 15)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from ecozone.audit.models import AuditEntry
from ecozone.settings import RateLimits
from ecozone.trusted.rules import document_id

ECOZONE = str(Path(sys.executable).parent / "ecozone")
GQL = "application/graphql-response+json"
ZONES = "query Zones {\n  zones { totalCount }\n}\n"
ZONE = "query Zone($slug: String!) { zone(slug: $slug) { slug nameZh } }"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def cli(database, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOZONE_")}
    env.update(ECOZONE_VAR_DIR=str(tmp_path), ECOZONE_DATABASE_URL=database.operator_url,
               ECOZONE_MIGRATION_DATABASE_URL=database.operator_url, ECOZONE_ENV="test",
               ECOZONE_TRUSTED_DOCUMENTS_RECHECK_SECONDS="0")

    def run(*args: str, expect: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run([ECOZONE, "documents", *args], check=False, env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == expect, (args, done.stdout, done.stderr)
        return done
    return run


async def test_register_list_revoke(cli, api, tmp_path):
    zones = tmp_path / "zones.graphql"
    zones.write_text(ZONES, encoding="utf-8")
    manifest = tmp_path / "persisted-documents.json"  # graphql-codegen's client preset: bare hex ids
    manifest.write_text(json.dumps({document_id(ZONE).removeprefix("sha256:"): ZONE}), encoding="utf-8")
    done = cli("register", "--client", "hainan-portal", str(zones), str(manifest))
    assert f"registered {document_id(ZONES)} for hainan-portal" in done.stdout
    assert f"registered {document_id(ZONE)} for hainan-portal" in done.stdout
    [key] = re.findall(r"^  (hainan-portal\.\S+)$", done.stdout, re.MULTILINE)
    # again: nothing new, and the key is never shown again
    again = cli("register", "--client", "hainan-portal", str(zones))
    assert f"already registered {document_id(ZONES)}" in again.stdout and "hainan-portal." not in again.stdout
    # served by id, and the printed key proves the client (its own budget)
    response = await api.client.get("/graphql", params={"documentId": document_id(ZONE),
                                                        "variables": json.dumps({"slug": "hainan"})},
                                    headers={"Accept": GQL, "X-Ecozone-Client-Key": key})
    assert response.json() == {"data": {"zone": {"slug": "hainan", "nameZh": "海南"}}}
    assert response.headers["x-ratelimit-limit"] == str(RateLimits().client)
    listed = cli("list").stdout
    assert "client hainan-portal: active" in listed
    assert f"{document_id(ZONES)}  hainan-portal  Zones" in listed and f"{document_id(ZONE)}  hainan-portal  Zone" in listed
    cli("revoke", document_id(ZONES))
    assert document_id(ZONES) not in cli("list").stdout
    assert "revoked" in cli("list", "--all").stdout
    # the API (its recheck time 0 here: the app of the fixture caches 30 s) refuses it to a new worker
    audit = await api.operator(lambda s: s.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type.in_(["trusted_document", "trusted_client"])).order_by(AuditEntry.id)))
    assert list(audit) == ["trusted_client.create", "trusted_document.register", "trusted_document.register",
                           "trusted_document.revoke"]
    # revoking the client: its key proves nothing and its documents are gone
    done = cli("revoke", "--client", "hainan-portal")
    assert "revoked client hainan-portal and its 1 live documents" in done.stdout
    refused = cli("register", "--client", "hainan-portal", str(zones), expect=2)
    assert "revoked" in refused.stderr and HAN.search(refused.stderr)


async def test_documents_that_would_not_run_are_not_registered(cli, api, tmp_path):
    bad = tmp_path / "bad.graphql"
    bad.write_text("{ zones { nope } }", encoding="utf-8")
    good = tmp_path / "good.graphql"
    good.write_text(ZONES, encoding="utf-8")
    done = cli("register", "--client", "fujian-portal", str(good), str(bad), expect=2)
    assert "nope" in done.stderr and HAN.search(done.stderr)
    assert "no registered documents" in cli("list").stdout  # nothing of the refused batch was kept


@pytest.mark.parametrize("args, expected", [
    (["register", "--client", "Bad_Name", "FILE"], "lower-case letters"),
    (["register", "--client", "portal", "FILE"], "the platform's own"),
    (["register", "--client", "gz-portal", "MISSING"], "cannot read"),
    (["register", "--client", "gz-portal", "LIAR"], "HASH_MISMATCH"),
    (["revoke", "sha256:abc"], "BAD_REQUEST"),
    (["revoke", "sha256:" + "0" * 64], "NOT_FOUND"),
    (["revoke", "--client", "nobody"], "NOT_FOUND"),
    (["revoke"], "--client"),
])
def test_refusals_in_both_languages(cli, tmp_path, args, expected):
    good = tmp_path / "good.graphql"
    good.write_text(ZONES, encoding="utf-8")
    liar = tmp_path / "liar.json"
    liar.write_text(json.dumps({"0" * 64: ZONES}), encoding="utf-8")
    paths = {"FILE": str(good), "MISSING": str(tmp_path / "missing.graphql"), "LIAR": str(liar)}
    done = cli(*[paths.get(a, a) for a in args], expect=2)
    assert expected in done.stderr and HAN.search(done.stderr), done.stderr
