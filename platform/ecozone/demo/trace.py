"""Demo traceability: a spring tea lot from two Jiangxi gardens, combined by a factory, split in
three packs and sold by three shops (one in Guizhou) — made by the real services as the zones'
secretaries and the enterprises' own people. Every name and code is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession
from stdnum.cn import uscc as uscc_check

from ecozone.auth.models import User
from ecozone.catalogs import codes
from ecozone.db.scoping import Scope, apply_scope
from ecozone.demo.workflow import People
from ecozone.trace import enterprises, service

# key: (zone, username, name_zh, name_en, region of the credit code, producer code, kinds)
ENTERPRISES = {
    "garden_a": ("jiangxi", "jx-tea-garden-a", "婺源云雾示范茶园", "Wuyuan Cloud-Mist Demonstration Tea Garden",
                 "361130", "000101", ["producer"]),
    "garden_b": ("jiangxi", "jx-tea-garden-b", "浮梁瑶里生态茶园", "Fuliang Yaoli Eco Tea Garden", "360222", "000102",
                 ["producer"]),
    "factory": ("jiangxi", "jx-tea-factory", "赣东绿源茶叶加工厂", "Gandong Lüyuan Tea Works", "361100", "000201",
                ["processor"]),
    "carrier": ("jiangxi", "jx-tea-carrier", "鄱湖冷链物流", "Poyang Cold-Chain Logistics", "360100", "000401",
                ["logistics"]),
    "shop_1": ("jiangxi", "jx-tea-shop-1", "南昌滕阁茶庄", "Nanchang Tengge Tea House", "360100", "000301", ["seller"]),
    "shop_2": ("jiangxi", "jx-tea-shop-2", "九江庐峰茶行", "Jiujiang Lufeng Tea Store", "360400", "000302", ["seller"]),
    "shop_3": ("guizhou", "gz-tea-shop-3", "贵阳筑城茶铺", "Guiyang Zhucheng Tea Shop", "520100", "000303", ["seller"]),
}


def credit_code(region: str, n: int) -> str:
    body = f"93{region}MA{n:07d}"  # 93: a farmers' cooperative or business, invented serials
    return body + uscc_check.calc_check_digit(body)


def _code(producer: str, day: dt.date, batch: int) -> str:
    return codes.make_code(zone="36", category="tea", producer=producer, date=day, batch=batch, serial=1)


def _at(day: dt.date, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00+08:00"


def records(today: dt.date) -> dict[str, list[dict]]:
    picked, made, packed, sold = (today - dt.timedelta(days=d) for d in (20, 17, 16, 10))
    uscc = {k: credit_code(v[4], n) for n, (k, v) in enumerate(ENTERPRISES.items(), 1)}
    garden_a, garden_b = _code("000101", picked, 1), _code("000102", picked, 1)
    blend = _code("000201", made, 1)
    packs = [_code("000201", packed, n) for n in (2, 3, 4)]

    def rec(key, enterprise, code, event, when, place, data=None, **extra):
        return {"id": key, "enterprise": uscc[enterprise], "code": code, "event": event, "time": when,
                "place": place, "data": data or {}, **extra}

    def origin(name, county, altitude):
        return {"producer_name": name, "origin_county_code": county, "tea_type": "green", "cultivar": "上梅洲",
                "garden_altitude": altitude, "picking_date": picked.isoformat(), "leaf_grade": "one_bud_one_leaf"}
    return {
        "garden_a": [rec("WY-2026-001", "garden_a", garden_a, "production", _at(picked, 9), "江西省上饶市婺源县",
                         origin("婺源云雾示范茶园", "361130", 860), placeCode="361130",
                         gtin="06901234567892", lot=f"WY{picked:%y%m%d}")],
        "garden_b": [rec("FL-2026-001", "garden_b", garden_b, "production", _at(picked, 10), "江西省景德镇市浮梁县",
                         origin("浮梁瑶里生态茶园", "360222", 620), placeCode="360222")],
        "factory": [
            rec("GD-P-001", "factory", blend, "processing", _at(made, 8), "江西省上饶市", inputs=[garden_a, garden_b],
                reason="两园鲜叶拼配加工", data={"processing_steps": "摊青-杀青-揉捻-干燥",
                                          "processing_date": made.isoformat()}),
            rec("GD-T-001", "factory", blend, "testing", _at(made, 16), "江西省上饶市", reason="出厂检验",
                data={"pesticide_test": "pass", "moisture": 6.2}),
            *[rec(f"GD-K-00{n}", "factory", pack, "processing", _at(packed, 9), "江西省上饶市", inputs=[blend],
                  reason="分装为 250 g 罐装", data={"processing_steps": "分装", "processing_date": packed.isoformat()},
                  gtin="06901234567908", lot=f"GD{packed:%y%m%d}{n}") for n, pack in enumerate(packs, 1)],
        ],
        "carrier": [rec(f"PH-S-00{n}", "carrier", pack, "transport", _at(packed, 15), "江西省南昌市",
                        reason="冷链配送至门店") for n, pack in enumerate(packs, 1)],
        "shop_1": [rec("TG-S-001", "shop_1", packs[0], "sale", _at(sold, 11), "江西省南昌市东湖区",
                       data={"net_weight": 250})],
        "shop_2": [rec("LF-S-001", "shop_2", packs[1], "sale", _at(sold, 14), "江西省九江市浔阳区",
                       data={"net_weight": 250})],
        "shop_3": [rec("ZC-S-001", "shop_3", packs[2], "sale", _at(sold, 16), "贵州省贵阳市南明区",
                       data={"net_weight": 250})],
    }


async def load_trace_demo(session: AsyncSession, *, today: dt.date | None = None,
                          progress: Callable[[str], None] | None = None) -> str:
    """Run after the catalogs are published. Returns a summary, e.g. 7 enterprises, 12 trace records."""
    today = today or dt.date.today()
    people = People(session)
    await people.load()
    stored = 0
    for n, (key, (zone, username, name_zh, name_en, region, producer, kinds)) in enumerate(ENTERPRISES.items(), 1):
        secretary = await people.act(f"{'jx' if zone == 'jiangxi' else 'gz'}-secretary", zone)
        enterprise = await enterprises.register(session, secretary, name_zh=name_zh, name_en=name_en,
                                                uscc=credit_code(region, n), producer_code=producer, kinds=kinds)
        await apply_scope(session, Scope.system())
        user = User(username=username, display_name=name_zh, home_zone_id=people.zones[zone].id)
        session.add(user)
        await session.flush()
        secretary = await people.act(f"{'jx' if zone == 'jiangxi' else 'gz'}-secretary", zone)
        await enterprises.add_member(session, secretary, enterprise_id=enterprise.id, user_id=user.id)
    for key, batch in records(today).items():
        person = await people.act(ENTERPRISES[key][1], ENTERPRISES[key][0])
        report = await service.submit(session, person, records=batch)
        if report.rejected_count:
            raise RuntimeError(f"demo trace records refused: {report.as_json()['rejected']}")
        stored += report.accepted
    await apply_scope(session, Scope.system())
    summary = f"{len(ENTERPRISES)} trace enterprises, {stored} trace records"
    if progress:
        progress(f"traceability: {summary} (a tea lot from two gardens to three shops)")
    return summary
