"""The peer a user would pick instead of ecozone: PostGraphile 4.14 (``bench/run.py --peer postgraphile``).

Installed with ``npm ci`` from ``bench/peer_postgraphile/package-lock.json`` (pinned PostGraphile,
connection-filter plugin, graphql, pg) into a cache folder outside the checkout, only when the
installed versions differ from the lock. It runs ``bench/peer_postgraphile/server.js``: a node
cluster of 2 workers, each PostGraphile over the same database as the app's login role (bound
by row-level security) with the per-transaction settings ecozone sets for an anonymous viewer
(``set_config('ecozone.zone', '', true)``, ``ecozone.user`` likewise; db/scoping.py).

Its Q2 and Q3 ask for what the bench's Q2 and Q3 ask of ecozone: the same visibility (verified
experts, standards in a public state) as filters, the same order, and the latest draft and
ballot as ``first: 1`` of a descending order. The comment count crosses a polymorphic link
(consultations name their subject by type and id, no foreign key), which PostGraphile reaches
through a computed column: ``standards_comment_count(standards)``, created by ``prepare``, as a
PostGraphile user would. Names and stage labels that ecozone keeps in code (category and stage
names) are the client's lookup with the peer; ``same_rows`` compares what comes from the
database, row by row, in order.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent / "peer_postgraphile"
PACKAGES = ("postgraphile", "postgraphile-plugin-connection-filter", "graphql", "pg")
PUBLIC_STATES = ("consultation", "published", "withdrawn", "superseded")  # standards/models.py

Q2 = """query Q2($after: Cursor) { allExpertProfiles(first: 100, after: $after,
  orderBy: [NAME_PINYIN_ASC, ID_ASC], filter: {state: {equalTo: "verified"}}) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id nameZh nameEn namePinyin isChief
    expertFieldsByExpertId(orderBy: POSITION_ASC) { nodes { name } }
    expertCategoriesByExpertId(orderBy: CATEGORY_ASC) { nodes { category } } } } } }"""
Q3 = """query Q3 { allStandards(first: 50, orderBy: ID_ASC, filter: {state: {in: %s}}) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id number titleZh titleEn state
    standardZonesByStandardId(orderBy: [IS_LEAD_DESC, ID_ASC]) {
      nodes { isLead decision zoneByZoneId { slug nameZh nameEn } } }
    standardVersionsByStandardId(orderBy: NUMBER_DESC, first: 1) { nodes { number changeNote } }
    standardBallotsByStandardId(orderBy: ROUND_DESC, first: 1) { nodes {
      round state panelSize turnoutNum turnoutDen approvalNum approvalDen
      cast: standardVotesByBallotId { totalCount }
      yes: standardVotesByBallotId(filter: {choice: {in: ["yes", "yes_with_comments"]}}) { totalCount }
      no: standardVotesByBallotId(filter: {choice: {equalTo: "no"}}) { totalCount }
      abstain: standardVotesByBallotId(filter: {choice: {equalTo: "abstain"}}) { totalCount } } }
    commentCount } } } }""" % json.dumps(list(PUBLIC_STATES))

# The computed column behind Q3's commentCount (security invoker: row-level security applies).
COMMENT_COUNT = """CREATE OR REPLACE FUNCTION standards_comment_count(s standards) RETURNS integer
  LANGUAGE sql STABLE AS $$
    SELECT count(m.id)::integer FROM consultations c
    JOIN consultation_comments m ON m.consultation_id = c.id
    WHERE c.subject_type = 'standard' AND c.subject_id = s.id $$"""


def cache_folder() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ecozone-bench" / "postgraphile"


def installed_matches_lock(folder: Path) -> bool:
    lock_path = folder / "package-lock.json"
    if not lock_path.is_file():
        return False
    lock = json.loads(lock_path.read_text())
    for package in PACKAGES:
        manifest = folder / "node_modules" / package / "package.json"
        if not manifest.is_file():
            return False
        if json.loads(manifest.read_text())["version"] != lock["packages"][f"node_modules/{package}"]["version"]:
            return False
    return True


def install(folder: Path | None = None) -> Path:
    """The cache folder with the locked packages and the server script; ``npm ci`` when needed."""
    folder = folder or cache_folder()
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise RuntimeError("--peer postgraphile needs node and npm on the PATH")
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json", "server.js"):
        shutil.copyfile(HERE / name, folder / name)
    if not installed_matches_lock(folder):
        done = subprocess.run(["npm", "ci", "--prefix", str(folder), "--no-audit", "--no-fund",
                               "--ignore-scripts"], capture_output=True, text=True, timeout=900)
        if done.returncode != 0 or not installed_matches_lock(folder):
            raise RuntimeError(f"npm ci failed in {folder}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return folder


def version(folder: Path) -> str:
    return json.loads((folder / "node_modules" / "postgraphile" / "package.json").read_text())["version"]


def prepare(psql) -> None:
    """Create the computed column in the bench's database (``psql(sql, db)`` as the operator)."""
    psql(COMMENT_COUNT, "ecozone")


def server_argv(folder: Path) -> list[str]:
    return [shutil.which("node") or "node", str(folder / "server.js")]


def server_env(folder: Path, database_url: str, port: int, workers: int) -> dict[str, str]:
    return {**os.environ, "NODE_ENV": "production", "NODE_PATH": str(folder / "node_modules"),
            "DATABASE_URL": database_url, "PORT": str(port), "WORKERS": str(workers)}


# ---------------------------------------------------------------------------- same rows


def _row_id(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().rsplit(":", 1)[1])


def experts_of_api(data: dict) -> dict:
    page = data["experts"]
    return {"totalCount": page["totalCount"], "hasNextPage": page["pageInfo"]["hasNextPage"],
            "rows": [(_row_id(n["id"]), n["nameZh"], n["nameEn"], n["namePinyin"], n["isChief"],
                      list(n["fields"]), [c["code"] for c in n["categories"]])
                     for n in (e["node"] for e in page["edges"])]}


def experts_of_peer(data: dict) -> dict:
    page = data["allExpertProfiles"]
    return {"totalCount": page["totalCount"], "hasNextPage": page["pageInfo"]["hasNextPage"],
            "rows": [(n["id"], n["nameZh"], n["nameEn"], n["namePinyin"], n["isChief"],
                      [f["name"] for f in n["expertFieldsByExpertId"]["nodes"]],
                      [c["category"].upper() for c in n["expertCategoriesByExpertId"]["nodes"]])
                     for n in (e["node"] for e in page["edges"])]}


def standards_of_api(data: dict) -> dict:
    page = data["standards"]
    rows = []
    for n in (e["node"] for e in page["edges"]):
        b = n["ballot"]
        rows.append((_row_id(n["id"]), n["number"], n["titleZh"], n["titleEn"], n["stage"]["code"],
                     [(z["isLead"], z["decision"], z["zone"]["slug"], z["zone"]["nameZh"], z["zone"]["nameEn"])
                      for z in n["zones"]],
                     (n["latestVersion"]["number"], n["latestVersion"]["changeNote"]) if n["latestVersion"] else None,
                     (b["round"], b["state"], b["panelSize"], b["cast"], b["yes"], b["no"], b["abstain"])
                     if b else None, n["commentCount"]))
    return {"totalCount": page["totalCount"], "hasNextPage": page["pageInfo"]["hasNextPage"], "rows": rows}


def standards_of_peer(data: dict, stage_code_of: dict[str, str]) -> dict:
    page = data["allStandards"]
    rows = []
    for n in (e["node"] for e in page["edges"]):
        versions = n["standardVersionsByStandardId"]["nodes"]
        ballots = n["standardBallotsByStandardId"]["nodes"]
        b = ballots[0] if ballots else None
        rows.append((n["id"], n["number"], n["titleZh"], n["titleEn"], stage_code_of[n["state"]],
                     [(z["isLead"], z["decision"].upper(), z["zoneByZoneId"]["slug"], z["zoneByZoneId"]["nameZh"],
                       z["zoneByZoneId"]["nameEn"]) for z in n["standardZonesByStandardId"]["nodes"]],
                     (versions[0]["number"], versions[0]["changeNote"]) if versions else None,
                     (b["round"], b["state"].upper(), b["panelSize"], b["cast"]["totalCount"], b["yes"]["totalCount"],
                      b["no"]["totalCount"], b["abstain"]["totalCount"]) if b else None,
                     n["commentCount"]))
    return {"totalCount": page["totalCount"], "hasNextPage": page["pageInfo"]["hasNextPage"], "rows": rows}


def differences(api: dict, peer: dict) -> list[str]:
    """What differs between two normalised pages (empty: the same rows in the same order)."""
    found = [f"{key}: ecozone {api[key]!r}, peer {peer[key]!r}" for key in ("totalCount", "hasNextPage")
             if api[key] != peer[key]]
    if len(api["rows"]) != len(peer["rows"]):
        found.append(f"rows: ecozone {len(api['rows'])}, peer {len(peer['rows'])}")
    for index, (a, p) in enumerate(zip(api["rows"], peer["rows"])):
        if a != p:
            found.append(f"row {index}: ecozone {a!r}, peer {p!r}")
    return found[:5]
