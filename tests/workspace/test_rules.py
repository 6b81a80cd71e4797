"""The sign-in's pure rules at their bounds: passwords, the failure limit, return paths, expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from ecozone.workspace import rules


@pytest.mark.parametrize("password, username, code", [
    ("a1b2c3d4e5f", "jx-member1", "PASSWORD_TOO_SHORT"),  # 11: one short
    ("a1b2c3d4e5f6", "jx-member1", None),  # 12 exactly
    ("绿色生态标准创新基地茶叶追溯", "jx-member1", None),  # Chinese counts by character
    ("x" * 256 + "", "u", "PASSWORD_TOO_SIMPLE"),
    ("ab" * 128, "u", "PASSWORD_TOO_SIMPLE"),  # 256 allowed in length, too few different characters
    ("abcd" * 64 + "e", "u", "PASSWORD_TOO_LONG"),  # 257
    ("abcdefghijk\x00l", "u", "PASSWORD_CONTROL_CHARACTER"),
    ("abcdefghijk\nl", "u", "PASSWORD_CONTROL_CHARACTER"),
    ("my-JX-MEMBER1-pass", "jx-member1", "PASSWORD_CONTAINS_USERNAME"),
    ("aaaaaaaaaaaaaaabbbcc", "u", "PASSWORD_TOO_SIMPLE"),  # three different characters
    ("aaaaaaaaaaaaaaabbbccd", "u", None),  # four
])
def test_password_rules(password, username, code):
    problem = rules.password_problem(password, username)
    assert (problem.code if problem else None) == code
    if problem:
        assert problem.message_zh and problem.message_en


def test_a_password_is_compared_as_the_same_characters_however_typed():
    composed, decomposed = "caf\u00e9-passw0rd!", "cafe\u0301-passw0rd!"
    assert rules.normalise_password(composed) == rules.normalise_password(decomposed)


@pytest.mark.parametrize("user, address, allowed", [
    (0, 0, True), (4, 29, True), (5, 0, False), (0, 30, False), (5, 30, False),
])
def test_failures_allowed_below_both_limits(user, address, allowed):
    assert rules.sign_in_allowed(user, address) is allowed


@pytest.mark.parametrize("now, start, retry", [
    (900, 900, 900), (901, 900, 899), (1799, 900, 1), (1800, 1800, 900),
])
def test_windows_and_retry_after_at_their_edges(now, start, retry):
    assert rules.window_start(now) == start
    assert rules.retry_after(now) == retry


@pytest.mark.parametrize("target, expected", [
    (None, "/workspace/"), ("", "/workspace/"),
    ("/workspace/profile", "/workspace/profile"),
    ("/workspace/?lang=en", "/workspace/?lang=en"),
    ("https://evil.example/workspace/", "/workspace/"),
    ("//evil.example/workspace", "/workspace/"),
    ("/\\evil.example", "/workspace/"),
    ("/workspace\\@evil.example", "/workspace/"),
    ("/graphql", "/workspace/"),
    ("javascript:alert(1)", "/workspace/"),
    ("/workspace/\r\nSet-Cookie: x=1", "/workspace/"),
    ("/workspace/" + "a" * 490, "/workspace/"),
])
def test_a_sign_in_returns_only_into_the_workspace(target, expected):
    assert rules.safe_return_to(target) == expected


def test_a_session_ends_at_its_expiry_instant():
    expiry = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
    assert not rules.expired(expiry, expiry - dt.timedelta(microseconds=1))
    assert rules.expired(expiry, expiry)
