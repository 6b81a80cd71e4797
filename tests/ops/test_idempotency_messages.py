"""The reused-key refusal says how long keys are kept in the unit that says it exactly."""

from __future__ import annotations

import pytest

from ecozone.idempotency.store import kept_for


@pytest.mark.parametrize("seconds,en,zh", [
    (24 * 3600, "24 hours", " 24 小时"),
    (3600, "1 hour", " 1 小时"),
    (5400, "90 minutes", " 90 分钟"),   # 1.5 hours: not "1 hours"
    (1800, "30 minutes", " 30 分钟"),   # was "0 hours"
    (60, "1 minute", " 1 分钟"),
    (3601, "3601 seconds", " 3601 秒"),
    (59, "59 seconds", " 59 秒"),
    (1, "1 second", " 1 秒"),
])
def test_the_keeping_time_in_the_largest_exact_unit(seconds, en, zh):
    assert kept_for(seconds) == (en, zh)
