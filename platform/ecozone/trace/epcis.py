"""A product's events as an EPCIS 2.0 JSON-LD document (GS1 EPCIS 2.0, JSON/JSON-LD binding).

Each trace record becomes one event: a processing record with inputs a TransformationEvent
(inputs → output batch), the others ObjectEvents (production ``ADD``/commissioning; testing,
transport and sale ``OBSERVE`` with inspecting, shipping, retail_selling). A batch is named by
its GS1 Digital Link class (``https://id.gs1.org/01/{gtin}/10/{lot}``) when it has a GTIN and
lot, else by ``urn:ecozone:batch:{22 digits}``. What GS1 has no field for (the enterprise, the
public indicators, the code) goes in ``ecozone:`` extension properties declared in the
``@context``. Public indicators only: the export is public, like ``trace(code:)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.authz.actor import ANONYMOUS_ACTOR
from ecozone.db.base import utcnow
from ecozone.trace import chain, rules

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
NAMESPACE = {"ecozone": "https://ecozone.example.org/voc/trace#"}


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def batch_class(batch: str, gtin: str | None, lot: str | None) -> str:
    if gtin and lot:
        return f"https://id.gs1.org/01/{gtin}/10/{quote(lot, safe='')}"
    return f"urn:ecozone:batch:{batch}"


def event_of(event: chain.ChainEvent, classes: dict[str, str], links: list[tuple[str, str]]) -> dict[str, Any]:
    r = event.record
    _, _, _, biz_step = rules.EVENT_TYPES[r.event_type]
    output = classes[r.batch]
    common: dict[str, Any] = {
        "eventTime": _iso(r.occurred_at), "eventTimeZoneOffset": "+00:00", "recordTime": _iso(r.received_at),
        "eventID": f"urn:ecozone:trace:{r.enterprise_id}:{quote(r.record_key, safe='')}",
        "bizStep": biz_step,
        "ecozone:code": r.code, "ecozone:place": r.place,
        "ecozone:enterprise": {"uscc": event.enterprise.uscc, "nameZh": event.enterprise.name_zh,
                               "nameEn": event.enterprise.name_en},
        "ecozone:indicators": dict(r.public_data),
    }
    if r.place_code:
        common["readPoint"] = {"id": f"urn:ecozone:place:{r.place_code}"}
    if r.reason:
        common["ecozone:reason"] = r.reason
    parents = [p for p, c in links if c == r.batch]
    if r.event_type == "processing" and parents:
        return {"type": "TransformationEvent", **common,
                "inputQuantityList": [{"epcClass": classes.get(p, batch_class(p, None, None))} for p in parents],
                "outputQuantityList": [{"epcClass": output}]}
    action = "ADD" if r.event_type in rules.MAKING_EVENTS else "OBSERVE"
    return {"type": "ObjectEvent", "action": action, **common, "quantityList": [{"epcClass": output}]}


def document(found: chain.Chain, now: dt.datetime) -> dict[str, Any]:
    classes: dict[str, str] = {}
    for e in found.events:
        if e.record.gtin and e.record.lot:
            classes[e.record.batch] = batch_class(e.record.batch, e.record.gtin, e.record.lot)
        classes.setdefault(e.record.batch, batch_class(e.record.batch, None, None))
    return {"@context": [EPCIS_CONTEXT, NAMESPACE], "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": _iso(now),
            "epcisBody": {"eventList": [event_of(e, classes, found.links) for e in found.events]}}


async def export(session: AsyncSession, code: str) -> dict[str, Any]:
    """The EPCIS document of ``code``'s chain (its batch and upstream), public indicators only."""
    found = await chain.trace(session, ANONYMOUS_ACTOR, code)
    return document(found, utcnow())
