"""`ecozone rate-limit raise` refuses what an operator mistypes, in both languages, before it
touches the database (the raise itself: tests/web/test_rate_limits.py)."""

from __future__ import annotations

import argparse
import re

import pytest

from ecozone.cli import CliError
from ecozone.cli_rate_limit import cmd_rate_limit_raise

GOOD = {"client": "ip:192.0.2.40", "budget": 5000, "reason": "partner crawler, ticket 42", "hours": None}


@pytest.mark.parametrize("field,value,english,chinese", [
    ("client", "alice", "ip:", "ip:"),                          # no kind: whose budget would it be?
    ("client", "ip:" + "9" * 200, "200 characters", "200 个字符"),  # longer than the counters' key
    ("budget", 0, "between 1 and 2147483647, got 0", "1 到 2147483647 之间，实际为 0"),
    ("budget", -5, "got -5", "实际为 -5"),
    ("budget", 2**31, "got 2147483648", "实际为 2147483648"),  # above GraphQL's Int: viewer { rateLimit }
    ("reason", "   ", "--reason", "--reason"),
    ("hours", 0.0, "--hours", "--hours"),
    ("hours", -1.0, "got -1.0", "实际为 -1.0"),
    ("hours", float("nan"), "got nan", "实际为 nan"),          # int(nan) was a traceback
    ("hours", float("inf"), "got inf", "实际为 inf"),          # int(inf) was a traceback
    ("hours", 365 * 24 + 1.0, "at most 8760", "不超过 8760"),
])
def test_a_mistyped_raise_is_refused_in_both_languages(field, value, english, chinese):
    with pytest.raises(CliError) as refused:
        cmd_rate_limit_raise(argparse.Namespace(**{**GOOD, field: value}))
    said_en, said_zh = str(refused.value).split(" / ", 1)
    assert english in said_en and chinese in said_zh, str(refused.value)
    assert re.search(r"[\u4e00-\u9fff]", said_zh) and not re.search(r"[\u4e00-\u9fff]", said_en)


def test_a_counters_file_that_cannot_be_written_is_explained_after_the_commit(monkeypatch):
    """The raise has committed (audited); only the running app's copy failed: say so, and how to
    apply it, in both languages (not a traceback that reads as if nothing was saved)."""
    import ecozone.cli as cli
    from ecozone.fairuse import sqlite_counters

    async def committed(work):
        return None
    monkeypatch.setattr(cli, "_in_operator_transaction", committed)

    def unwritable(url):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(sqlite_counters, "mirror_raises", unwritable)
    with pytest.raises(CliError) as refused:
        cmd_rate_limit_raise(argparse.Namespace(**GOOD))
    said_en, said_zh = str(refused.value).split(" / ", 1)
    assert "saved and audited" in said_en and "run this command again" in said_en
    assert "已保存并记入审计日志" in said_zh and "再次运行本命令" in said_zh
