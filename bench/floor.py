"""The floor: Q2 and Q3 answered by hand, to know what the GraphQL layer could approach.

A plain Starlette app with raw SQL on the same engine and driver as the API, orjson, no
GraphQL, no Casbin, as an anonymous viewer sees the data (verified experts; standards in a
public state). The JSON has the same content as the API's answer to the bench's Q2 and Q3
(same global IDs and cursors), so the comparison is of the machinery, not of the work.

    ECOZONE_DATABASE_URL=... uvicorn --factory bench.floor:create_app --workers 2
"""

from __future__ import annotations

import base64
import os
from collections import defaultdict
from contextlib import asynccontextmanager

import orjson
from sqlalchemy import bindparam, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ecozone.db.engine import create_engine
from ecozone.db.pagination import decode_cursor, encode_cursor
from ecozone.experts.rules import PRODUCT_CATEGORIES
from ecozone.standards.models import PUBLIC_STATES
from ecozone.standards.rules import STAGE_CODES, STATE_NAMES, YES_CHOICES


def _gid(type_name: str, row_id: int) -> str:
    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


def _expanding(sql: str, *names: str):
    return text(sql).bindparams(*(bindparam(n, expanding=True) for n in names))


EXPERT_COUNT = text("SELECT count(*) FROM expert_profiles WHERE state = 'verified'")
EXPERT_PAGE = text("SELECT id, name_zh, name_en, name_pinyin, is_chief FROM expert_profiles "
                   "WHERE state = 'verified' ORDER BY name_pinyin, id LIMIT :limit")
EXPERT_PAGE_AFTER = text(
    "SELECT id, name_zh, name_en, name_pinyin, is_chief FROM expert_profiles "
    "WHERE state = 'verified' AND (name_pinyin, id) > (:pinyin, :id) ORDER BY name_pinyin, id LIMIT :limit")
EXPERT_FIELDS = _expanding("SELECT expert_id, name FROM expert_fields WHERE expert_id IN :ids "
                           "ORDER BY expert_id, position", "ids")
EXPERT_CATEGORIES = _expanding("SELECT expert_id, category FROM expert_categories WHERE expert_id IN :ids "
                               "ORDER BY expert_id, category", "ids")
STANDARD_COUNT = _expanding("SELECT count(*) FROM standards WHERE state IN :states", "states")
STANDARD_PAGE = _expanding("SELECT id, number, title_zh, title_en, state FROM standards "
                           "WHERE state IN :states AND id > :after ORDER BY id LIMIT :limit", "states")
STANDARD_ZONES = _expanding(
    "SELECT sz.standard_id, sz.is_lead, sz.decision, z.slug, z.name_zh, z.name_en "
    "FROM standard_zones sz JOIN zones z ON z.id = sz.zone_id WHERE sz.standard_id IN :ids "
    "ORDER BY sz.standard_id, sz.is_lead DESC, sz.id", "ids")
LATEST_VERSIONS = _expanding(
    "SELECT v.standard_id, v.id, v.number, v.change_note FROM standard_versions v "
    "WHERE v.standard_id IN :ids AND v.number = "
    "(SELECT max(w.number) FROM standard_versions w WHERE w.standard_id = v.standard_id)", "ids")
BALLOTS = _expanding(
    "SELECT b.standard_id, b.id, b.round, b.state, b.panel_size, b.turnout_num, b.turnout_den, "
    "b.approval_num, b.approval_den, "
    "sum(CASE WHEN v.choice IN ('yes', 'yes_with_comments') THEN 1 ELSE 0 END), "
    "sum(CASE WHEN v.choice = 'no' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN v.choice = 'abstain' THEN 1 ELSE 0 END), count(v.id) "
    "FROM standard_ballots b LEFT JOIN standard_votes v ON v.ballot_id = b.id "
    "WHERE b.standard_id IN :ids AND b.round = "
    "(SELECT max(c.round) FROM standard_ballots c WHERE c.standard_id = b.standard_id) "
    "GROUP BY b.standard_id, b.id, b.round, b.state, b.panel_size, b.turnout_num, b.turnout_den, "
    "b.approval_num, b.approval_den", "ids")
COMMENT_COUNTS = _expanding(
    "SELECT c.subject_id, count(m.id) FROM consultations c "
    "JOIN consultation_comments m ON m.consultation_id = c.id "
    "WHERE c.subject_type = 'standard' AND c.subject_id IN :ids GROUP BY c.subject_id", "ids")
assert "yes" in YES_CHOICES  # the CASE above spells the yes choices out


def _json(payload) -> Response:
    return Response(orjson.dumps(payload), media_type="application/json")


def create_app() -> Starlette:
    engine = create_engine(os.environ["ECOZONE_DATABASE_URL"])

    async def experts(request: Request) -> Response:
        first = int(request.query_params.get("first", "100"))
        after = request.query_params.get("after")
        async with engine.connect() as c:
            total = await c.scalar(EXPERT_COUNT)
            if after:
                pinyin, after_id = decode_cursor(after, 2)
                rows = (await c.execute(EXPERT_PAGE_AFTER, {"pinyin": pinyin, "id": after_id,
                                                            "limit": first + 1})).all()
            else:
                rows = (await c.execute(EXPERT_PAGE, {"limit": first + 1})).all()
            has_next, rows = len(rows) > first, rows[:first]
            ids = [r.id for r in rows]
            fields, cats = defaultdict(list), defaultdict(list)
            if ids:
                for expert_id, name in (await c.execute(EXPERT_FIELDS, {"ids": ids})).all():
                    fields[expert_id].append(name)
                for expert_id, category in (await c.execute(EXPERT_CATEGORIES, {"ids": ids})).all():
                    zh, en = PRODUCT_CATEGORIES[category]
                    cats[expert_id].append({"code": category.upper(), "nameZh": zh, "nameEn": en})
        edges = [{"cursor": encode_cursor([r.name_pinyin, r.id]), "node": {
            "id": _gid("Expert", r.id), "nameZh": r.name_zh, "nameEn": r.name_en,
            "namePinyin": r.name_pinyin, "isChief": bool(r.is_chief), "fields": fields[r.id],
            "categories": cats[r.id]}} for r in rows]
        return _json({"data": {"experts": {"totalCount": total, "pageInfo": {
            "hasNextPage": has_next, "endCursor": edges[-1]["cursor"] if edges else None},
            "edges": edges}}})

    async def standards(request: Request) -> Response:
        first = int(request.query_params.get("first", "50"))
        after = request.query_params.get("after")
        after_id = decode_cursor(after, 1)[0] if after else 0
        states = list(PUBLIC_STATES)
        async with engine.connect() as c:
            total = await c.scalar(STANDARD_COUNT, {"states": states})
            rows = (await c.execute(STANDARD_PAGE, {"states": states, "after": after_id,
                                                    "limit": first + 1})).all()
            has_next, rows = len(rows) > first, rows[:first]
            ids = [r.id for r in rows]
            zones, latest, ballots, comments = defaultdict(list), {}, {}, {}
            if ids:
                for z in (await c.execute(STANDARD_ZONES, {"ids": ids})).all():
                    zones[z.standard_id].append({"isLead": bool(z.is_lead), "decision": z.decision.upper(),
                                                 "zone": {"slug": z.slug, "nameZh": z.name_zh,
                                                          "nameEn": z.name_en}})
                for v in (await c.execute(LATEST_VERSIONS, {"ids": ids})).all():
                    latest[v.standard_id] = {"number": v.number, "changeNote": v.change_note}
                for b in (await c.execute(BALLOTS, {"ids": ids})).all():
                    (sid, _bid, rnd, state, panel, t_num, t_den, a_num, a_den, yes, no, abstain,
                     cast) = b
                    yes, no, abstain = int(yes or 0), int(no or 0), int(abstain or 0)
                    passes = (panel > 0 and cast * t_den >= panel * t_num
                              and cast > 0 and yes * a_den >= cast * a_num)
                    ballots[sid] = {"round": rnd, "state": state, "panelSize": panel, "cast": cast,
                                    "yes": yes, "no": no, "abstain": abstain, "passesNow": passes}
                comments = dict((await c.execute(COMMENT_COUNTS, {"ids": ids})).tuples().all())
        edges = []
        for r in rows:
            zh, en = STATE_NAMES[r.state]
            edges.append({"cursor": encode_cursor([r.id]), "node": {
                "id": _gid("Standard", r.id), "number": r.number, "titleZh": r.title_zh,
                "titleEn": r.title_en,
                "stage": {"code": STAGE_CODES[r.state], "nameZh": zh, "nameEn": en},
                "zones": zones[r.id], "latestVersion": latest.get(r.id),
                "ballot": ballots.get(r.id), "commentCount": comments.get(r.id, 0)}})
        return _json({"data": {"standards": {"totalCount": total, "pageInfo": {
            "hasNextPage": has_next, "endCursor": edges[-1]["cursor"] if edges else None},
            "edges": edges}}})

    async def pid(_request: Request) -> Response:  # which worker answers this connection (bench/load.py)
        return Response(str(os.getpid()), media_type="text/plain")

    @asynccontextmanager
    async def lifespan(_app):
        yield
        await engine.dispose()

    return Starlette(routes=[Route("/q2", experts), Route("/q3", standards), Route("/pid", pid)],
                     lifespan=lifespan)
