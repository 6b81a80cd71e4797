"""An invented holiday arrangement for 2027 (the installed calendar stops at 2026), for tests only:
the days are made up to put the bounds where the tests want them, not the State Council's."""

import json

ARRANGEMENT = {
    "year": 2027,
    "publishedOn": "2026-11-10",
    "source": "测试用节假日安排（虚构）",
    "holidays": [
        {"nameZh": "元旦", "nameEn": "New Year's Day", "days": ["2027-01-01", "2027-01-02", "2027-01-03"]},
        {"nameZh": "春节", "nameEn": "Spring Festival",
         "days": [f"2027-02-{d:02d}" for d in range(6, 15)]},  # Sat 6 – Sun 14 February
    ],
    "workdays": ["2027-01-31", "2027-02-20"],  # a Sunday and a Saturday worked
}


def file_bytes(**changes) -> bytes:
    return json.dumps({**ARRANGEMENT, **changes}, ensure_ascii=False).encode()
