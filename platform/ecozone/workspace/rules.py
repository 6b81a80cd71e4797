"""The sign-in's rules, pure: passwords, the failed-sign-in limit, where a sign-in may return
to, and when a session ends. Each is table-tested at its bounds (tests/workspace/test_rules.py)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256  # argon2 would take more, but a longer one is a mistake or an attack
# Failed password sign-ins allowed per window, per username and per address (the address limit
# is wider: an office shares one).
FAILURE_WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 30
SESSION_TTL = dt.timedelta(hours=8)  # a working day; signing in again is cheap
PENDING_TTL = dt.timedelta(minutes=10)  # an identity provider's round trip


@dataclass(frozen=True)
class Refusal:
    code: str
    message_zh: str
    message_en: str


def normalise_password(password: str) -> str:
    """NFC, so that the same typed characters hash alike on every keyboard (RFC 8265 spirit)."""
    return unicodedata.normalize("NFC", password)


def password_problem(password: str, username: str) -> Refusal | None:
    """Why ``password`` cannot be set, or None."""
    normalised = normalise_password(password)
    if len(normalised) < MIN_PASSWORD_LENGTH:
        return Refusal("PASSWORD_TOO_SHORT", f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符",
                       f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(normalised) > MAX_PASSWORD_LENGTH:
        return Refusal("PASSWORD_TOO_LONG", f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符",
                       f"the password must be at most {MAX_PASSWORD_LENGTH} characters")
    if "\x00" in normalised or any(unicodedata.category(c) == "Cc" for c in normalised):
        return Refusal("PASSWORD_CONTROL_CHARACTER", "密码不能包含控制字符",
                       "the password must not contain control characters")
    if username and username.casefold() in normalised.casefold():
        return Refusal("PASSWORD_CONTAINS_USERNAME", "密码不能包含用户名",
                       "the password must not contain the username")
    if len(set(normalised)) < 4:
        return Refusal("PASSWORD_TOO_SIMPLE", "密码过于简单（不同字符太少）",
                       "the password is too simple (too few different characters)")
    return None


def window_start(now_seconds: int) -> int:
    return now_seconds - now_seconds % FAILURE_WINDOW_SECONDS


def sign_in_allowed(user_failures: int, address_failures: int) -> bool:
    """Whether one more attempt may be checked: below both limits."""
    return user_failures < MAX_FAILURES_PER_USER and address_failures < MAX_FAILURES_PER_ADDRESS


def retry_after(now_seconds: int) -> int:
    """Seconds until the window of ``now_seconds`` ends (at least 1)."""
    return max(1, window_start(now_seconds) + FAILURE_WINDOW_SECONDS - now_seconds)


def safe_return_to(target: str | None, default: str = "/workspace/") -> str:
    """Where a sign-in may send the browser afterwards: a path of this site under the workspace,
    never another host (an open redirect would lend our sign-in page to a phishing link)."""
    if not target or len(target) > 500:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/workspace") or target.startswith("//") \
            or "\\" in target or any(ord(c) < 32 for c in target):
        return default
    return target


def expired(expires_at: dt.datetime, now: dt.datetime) -> bool:
    """A session is over at its expiry instant, not a moment after."""
    return now >= expires_at
