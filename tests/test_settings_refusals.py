"""Every ECOZONE_* setting the app reads as a number or a word: what it accepts, and the refusal of
what a mistaken or hostile operator types, which stops the app at start naming the variable, in
English and in Chinese. Pure: no database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ecozone.settings import MOST, YEAR_SECONDS, RateLimits, SettingsInvalid, load_settings

ECOZONE = Path(sys.executable).parent / "ecozone"
HAN = re.compile(r"[\u4e00-\u9fff]")

# (variable, where load_settings puts it, least, most, default)
INTEGERS = [
    ("ECOZONE_TOKEN_TTL_SECONDS", lambda s: s.token_ttl_seconds, 1, YEAR_SECONDS, 8 * 3600),
    ("ECOZONE_MAX_DEPTH", lambda s: s.limits.max_depth, 1, MOST, 12),
    ("ECOZONE_MAX_ALIASES", lambda s: s.limits.max_aliases, 0, MOST, 15),
    ("ECOZONE_MAX_TOKENS", lambda s: s.limits.max_tokens, 1, MOST, 2000),
    ("ECOZONE_MAX_PAGE_SIZE", lambda s: s.limits.max_page_size, 1, MOST, 100),
    ("ECOZONE_MAX_BATCH", lambda s: s.limits.max_batch, 1, MOST, 10),
    ("ECOZONE_MAX_COST", lambda s: s.limits.max_cost, 1, MOST, 20_000),
    ("ECOZONE_MAX_BODY_BYTES", lambda s: s.limits.max_body_bytes, 1, MOST, 1_000_000),
    ("ECOZONE_RATE_LIMIT_WINDOW", lambda s: s.rate_limits.window_seconds, 1, YEAR_SECONDS, 3600),
    ("ECOZONE_RATE_LIMIT_ANONYMOUS", lambda s: s.rate_limits.anonymous, 1, MOST, 2_000_000),
    ("ECOZONE_RATE_LIMIT_USER", lambda s: s.rate_limits.user, 1, MOST, 5_000_000),
    ("ECOZONE_RATE_LIMIT_CLIENT", lambda s: s.rate_limits.client, 1, MOST, 10_000_000),
    ("ECOZONE_RATE_LIMIT_MUTATION_COST", lambda s: s.rate_limits.mutation_cost, 0, MOST, 100),
    ("ECOZONE_IDEMPOTENCY_TTL_SECONDS", lambda s: s.idempotency_ttl_seconds, 1, YEAR_SECONDS, 86400),
    ("ECOZONE_SHUTDOWN_TIMEOUT", lambda s: s.shutdown_timeout_seconds, 1, YEAR_SECONDS, 30),
    ("ECOZONE_TRUSTED_DOCUMENTS_RECHECK_SECONDS", lambda s: s.trusted_documents_recheck_seconds,
     0, YEAR_SECONDS, 30),
    ("ECOZONE_HTTP_CACHE_MAX_AGE", lambda s: s.http_cache_max_age, 0, YEAR_SECONDS, 0),
    ("ECOZONE_SESSION_TTL_SECONDS", lambda s: s.session_ttl_seconds, 1, YEAR_SECONDS, 8 * 3600),
    ("ECOZONE_RESPONSE_CACHE_BYTES", lambda s: s.response_cache_bytes, 0, MOST, 64 * 1024 * 1024),
    ("ECOZONE_RESPONSE_CACHE_SECONDS", lambda s: s.response_cache_seconds, 0, YEAR_SECONDS, 60),
]
BOOLEANS = [
    ("ECOZONE_INTROSPECTION", lambda s: s.introspection, None),
    ("ECOZONE_RATE_LIMITS", lambda s: s.rate_limits.enabled, True),
    ("ECOZONE_TRUSTED_DOCUMENTS_ONLY", lambda s: s.trusted_documents_only, False),
]
DELAY = ("ECOZONE_TEST_WRITE_DELAY", lambda s: s.test_write_delay_seconds, 0.0)
COST = ("ECOZONE_POSTGRESQL_RANDOM_PAGE_COST", lambda s: s.postgresql_random_page_cost, 1.1)

# What is typed by mistake, or to see what gets through, into any number.
NOT_NUMBERS = ["twelve", "ture", "nan", "NaN", "inf", "-inf", "1e3", "1E3", "0x10", "1_000", "1,000",
               "+5", "--5", "12abc", " 12abc", "12 34", "1.0", "１２", "١٢", "\u200b5", "9" * 400]
NOT_WORDS = ["ture", "of", "onn", "y", "n", "t", "f", "2", "-1", "enabled", "disable", "ｏｎ", "o n",
             "nan", "none", "null", "\u200bon"]
NOT_DECIMALS = ["-1", "-0.5", "nan", "inf", "Infinity", "1e3", "1_0", "1,5", "１", "fast", "0x1",
                "+1", "9" * 400]
EVERY_VARIABLE = ([row[0] for row in INTEGERS] + [row[0] for row in BOOLEANS]
                  + [DELAY[0], COST[0], "ECOZONE_ENV", "ECOZONE_SECRET"])


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in EVERY_VARIABLE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ECOZONE_ENV", "test")  # the one env that reads ECOZONE_TEST_WRITE_DELAY
    monkeypatch.setenv("ECOZONE_SECRET", "x" * 40)
    monkeypatch.setenv("ECOZONE_VAR_DIR", str(tmp_path))
    return monkeypatch


def refused(env, name: str, raw: str) -> SettingsInvalid:
    """The refusal of ``name=raw``, checked to say it in both languages, each naming the variable."""
    env.setenv(name, raw)
    with pytest.raises(SettingsInvalid) as caught:
        load_settings()
    refusal = caught.value
    assert isinstance(refusal, SystemExit) and refusal.name == name
    english, chinese = refusal.code.split("\n")
    assert (english, chinese) == (refusal.english, refusal.chinese)
    assert english.startswith(f"{name} must ") and not HAN.search(english)
    assert name in chinese and HAN.search(chinese)
    return refusal


def integer_values(least: int, most: int):
    yield str(least), least
    yield str(most), most
    yield f" {least + 7} ", least + 7  # trimmed, as a line from an env file may carry
    yield f"\t{least + 7}\n", least + 7
    yield f"00{least + 7}", least + 7


@pytest.mark.parametrize(("name", "read", "raw", "loaded"), [
    pytest.param(name, read, raw, loaded, id=f"{name}={raw!r}")
    for name, read, least, most, _ in INTEGERS for raw, loaded in integer_values(least, most)])
def test_an_integer_in_range_is_read(env, name, read, raw, loaded):
    env.setenv(name, raw)
    assert read(load_settings()) == loaded


@pytest.mark.parametrize(("name", "read", "default"), [
    pytest.param(row[0], row[1], row[-1], id=row[0]) for row in INTEGERS + BOOLEANS + [DELAY, COST]])
@pytest.mark.parametrize("raw", [None, "", "   "])
def test_unset_or_blank_is_the_default(env, name, read, default, raw):
    if raw is not None:
        env.setenv(name, raw)
    assert read(load_settings()) == default


def integer_refusals(least: int, most: int):
    yield from NOT_NUMBERS
    yield "-1"
    yield "-0" if least == 0 else str(least - 1)  # no sign, even on a zero
    yield str(most + 1)
    yield str(MOST * 10)


@pytest.mark.parametrize(("name", "least", "most", "raw"), [
    pytest.param(name, least, most, raw, id=f"{name}={raw[:20]!r}")
    for name, _, least, most, _ in INTEGERS for raw in integer_refusals(least, most)])
def test_an_integer_out_of_range_or_not_plain_digits_stops_the_app(env, name, least, most, raw):
    refusal = refused(env, name, raw)
    assert f"from {least} to {most}" in refusal.english and "plain digits" in refusal.english
    assert f"{least} 到 {most}" in refusal.chinese and "半角阿拉伯数字" in refusal.chinese
    shown = repr(raw) if len(raw) <= 40 else repr(raw[:40]) + "…"
    assert refusal.english.endswith(f"got {shown}") and refusal.chinese.endswith(f"实际为 {shown}")


def test_the_seconds_settings_say_their_unit(env):
    refusal = refused(env, "ECOZONE_SESSION_TTL_SECONDS", "0")
    assert "from 1 to 31536000 seconds (a year)" in refusal.english
    assert "1 到 31536000 秒（一年）" in refusal.chinese


@pytest.mark.parametrize(("name", "read"), [pytest.param(n, r, id=n) for n, r, _ in BOOLEANS])
@pytest.mark.parametrize(("raw", "loaded"), [
    ("1", True), ("true", True), ("yes", True), ("on", True), ("TRUE", True), (" On ", True),
    ("Yes", True), ("0", False), ("false", False), ("no", False), ("off", False), ("OFF", False),
    ("\tNo\n", False), ("False", False)])
def test_a_boolean_word_is_read(env, name, read, raw, loaded):
    env.setenv(name, raw)
    assert read(load_settings()) is loaded


@pytest.mark.parametrize("name", [row[0] for row in BOOLEANS])
@pytest.mark.parametrize("raw", NOT_WORDS)
def test_any_other_word_stops_the_app_instead_of_meaning_off(env, name, raw):
    refusal = refused(env, name, raw)
    assert "1, true, yes, on (on) or 0, false, no, off (off)" in refusal.english
    assert "1、true、yes、on（开启）或 0、false、no、off（关闭）" in refusal.chinese


@pytest.mark.parametrize(("raw", "loaded"), [("0", 0.0), ("3", 3.0), ("0.5", 0.5), (".5", 0.5),
                                             ("4.", 4.0), (" 2 ", 2.0)])
def test_the_test_write_delay_is_a_decimal(env, raw, loaded):
    env.setenv(DELAY[0], raw)
    assert load_settings().test_write_delay_seconds == loaded


@pytest.mark.parametrize("raw", NOT_DECIMALS)
def test_a_test_write_delay_that_is_not_a_decimal_stops_the_app(env, raw):
    refusal = refused(env, DELAY[0], raw)
    assert "decimal number of seconds, 0 or more" in refusal.english and "十进制秒数" in refusal.chinese


def test_the_test_write_delay_is_not_read_outside_the_test_env(env):
    env.setenv("ECOZONE_ENV", "development")
    env.setenv(DELAY[0], "fast")  # ignored, as every value of it there (README: test env only)
    assert load_settings().test_write_delay_seconds == 0.0


@pytest.mark.parametrize("raw", ["-1", "0", "nan", "1e3", "１", "fast"])
def test_a_planner_cost_refusal_is_bilingual(env, raw):
    refusal = refused(env, COST[0], raw)
    assert "positive decimal number" in refusal.english and "正的十进制数" in refusal.chinese


@pytest.mark.parametrize("raw", ["staging", "", " production", "Production", "prod", "ｐｒｏｄｕｃｔｉｏｎ"])
def test_an_unknown_env_stops_the_app(env, raw):
    # Blank too: a deployment that meant production must not start as development.
    refusal = refused(env, "ECOZONE_ENV", raw)
    assert "development, production or test" in refusal.english
    assert "development、production 或 test" in refusal.chinese


def test_production_needs_a_secret(env):
    env.setenv("ECOZONE_ENV", "production")
    env.delenv("ECOZONE_SECRET")
    refusal = refused(env, "ECOZONE_SECRET", "")
    assert refusal.english == "ECOZONE_SECRET must be set in production"


@pytest.mark.parametrize("secret", ["short", "s3cr3t-but-31-bytes-long-!!!!!!", "密钥" * 5])
def test_a_short_secret_stops_the_app_without_showing_it(env, secret):
    refusal = refused(env, "ECOZONE_SECRET", secret)
    assert f"got {len(secret.encode())}" in refusal.english
    assert secret not in refusal.code


def test_a_rate_limit_window_built_in_code_is_checked_too():
    with pytest.raises(SettingsInvalid) as caught:
        RateLimits(window_seconds=0)
    assert caught.value.english.startswith("ECOZONE_RATE_LIMIT_WINDOW must be at least 1 second")
    assert HAN.search(caught.value.chinese)


@pytest.mark.parametrize(("command", "variable", "raw"), [
    (["token", "nobody"], "ECOZONE_RATE_LIMITS", "ture"),
    (["db", "upgrade"], "ECOZONE_MAX_PAGE_SIZE", "-1"),
])
def test_the_command_stops_with_the_message_alone(tmp_path, command, variable, raw):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOZONE_")}
    env.update(ECOZONE_VAR_DIR=str(tmp_path), **{variable: raw})
    done = subprocess.run([str(ECOZONE), *command], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, (done.stdout, done.stderr)
    english, chinese = done.stderr.strip().split("\n")
    assert english.startswith(f"{variable} must ") and english.endswith(f"got {raw!r}")
    assert chinese.startswith(variable) and HAN.search(chinese)
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "ecozone.sqlite3").exists()  # stopped before touching the database
