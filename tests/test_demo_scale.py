"""``ecozone demo --scale``: the benchmark's bulk loader writes rows the API can read."""

from __future__ import annotations

from ecozone.db.engine import create_engine
from ecozone.demo.scale import load_scale
from ecozone.experts.models import ExpertField, ExpertProfile
from ecozone.standards.models import NumberSequence, Standard
from sqlalchemy import func, select

SCALE = 0.005  # 100 experts, 25 standards


async def test_scale_loader_counts_and_the_api_reads_the_rows(api, database):
    engine = create_engine(database.operator_url, pool_size=2)
    try:
        progress: list[str] = []
        report = await load_scale(engine, SCALE, progress=progress.append)
    finally:
        await engine.dispose()
    assert report.counts["expert_profiles"] == 100
    assert report.counts["standards"] == 25
    assert report.counts["expert_fields"] >= 100
    assert any("rows/s" in line and "standards" in line for line in progress)

    async def facts(session):
        published = await session.scalar(select(func.count()).select_from(Standard).where(
            Standard.number.is_not(None)))
        last = {s.kind: s.last_value for s in (await session.scalars(select(NumberSequence))).all()}
        top = {kind: await session.scalar(select(func.max(Standard.number)).where(Standard.kind == kind))
               for kind in ("joint_local", "group")}
        verified = await session.scalar(select(func.count()).select_from(ExpertProfile).where(
            ExpertProfile.state == "verified"))
        return published, last, top, verified
    published, last, top, verified = await api.operator(facts)
    assert published > 0
    for kind, value in top.items():  # the next number the service gives follows the loaded ones
        assert value is None or last[kind] >= value

    data = await api.gql("""{ experts(first: 100) { ... on ExpertConnection {
        totalCount edges { node { nameZh namePinyin fields categories { code } } } } } }""")
    experts = data["experts"]
    assert experts["totalCount"] == verified  # anonymous: the verified ones
    assert all(e["node"]["fields"] and e["node"]["categories"] for e in experts["edges"])
    found = await api.gql("""query($t: String) { experts(first: 5, filter: {text: $t}) {
        ... on ExpertConnection { totalCount } } }""",
                          {"t": experts["edges"][0]["node"]["namePinyin"].split()[0].lower()})
    assert found["experts"]["totalCount"] >= 1  # search_text filled as the service fills it

    data = await api.gql("""{ standards(first: 50) { ... on StandardConnection {
        totalCount edges { node { number stage { code } zones { zone { slug } }
        versions { number } ballot { yes cast } consultation { commentCount } } } } } }""")
    nodes = [e["node"] for e in data["standards"]["edges"]]
    assert nodes and {n["stage"]["code"] for n in nodes} <= {30, 60, 90}  # anonymous: public ones
    assert any(n["ballot"] and n["ballot"]["yes"] > 0 for n in nodes)
    assert any(n["consultation"] and n["consultation"]["commentCount"] > 0 for n in nodes)
    assert all(n["zones"] for n in nodes)
    fields = await api.operator(lambda s: s.scalar(select(func.count()).select_from(ExpertField)))
    assert fields >= report.counts["expert_fields"]
