"""Valid sample trace records made from a version's indicators (tests, bench, documentation)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ecozone.catalogs import codes

# Values for the indicators whose pattern a generic value cannot meet.
PATTERNED: dict[str, Any] = {
    "origin_county_code": "360702", "ear_tag": "360702000012345",
    "quarantine_certificate": "3607021234AB",
}


def sample_value(ind: dict[str, Any], n: int, category: str) -> Any:
    code, data_type = ind["code"], ind["data_type"]
    if code == "trace_code":
        return codes.make_code(zone="36", category=category, producer="000123",
                               date=dt.date(2026, 4, 2), batch=1 + n // 9999 % 9999, serial=1 + n % 9999)
    if code == "batch_no":
        return f"{1 + n // 9999 % 9999:04d}"
    if code in PATTERNED:
        return PATTERNED[code]
    if data_type == "string":
        return f"示例{ind['name_zh']}{n}"
    if data_type == "enum":
        return ind["allowed_values"][n % len(ind["allowed_values"])]
    if data_type == "boolean":
        return n % 2 == 0
    if data_type == "date":
        return (dt.date(2026, 1, 1) + dt.timedelta(days=n % 300)).isoformat()
    if data_type == "datetime":
        return f"{dt.date(2026, 1, 1) + dt.timedelta(days=n % 300)}T08:30:00+08:00"
    low = Decimal(ind["minimum"]) if ind.get("minimum") is not None else Decimal(1)
    high = Decimal(ind["maximum"]) if ind.get("maximum") is not None else low + 1000
    if data_type == "integer":
        return int(low.to_integral_value(rounding="ROUND_CEILING")) + n % max(1, int(high - low))
    return float(low + (high - low) * (n % 7) / 8)


def sample_record(indicators: list[dict[str, Any]], category: str, n: int = 0) -> dict[str, Any]:
    return {ind["code"]: sample_value(ind, n, category) for ind in indicators}
