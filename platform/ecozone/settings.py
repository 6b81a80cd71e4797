"""Settings from ``ECOZONE_*`` environment variables, read once per process."""

from __future__ import annotations

import math
import os
import re
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _var_dir() -> Path:
    return Path(os.environ.get("ECOZONE_VAR_DIR", PROJECT_ROOT / "var"))


def _default_database_url() -> str:
    return f"sqlite+aiosqlite:///{_var_dir() / 'ecozone.sqlite3'}"


def _development_secret() -> str:
    """A random secret generated on first use and kept in ./var, never a constant in code."""
    path = _var_dir() / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class SettingsInvalid(SystemExit):
    """A setting refused at start: the message in English, then the same in Chinese (one line each).

    A SystemExit, so that ``ecozone serve`` and every other command stop before doing anything,
    with status 1 and this message alone on stderr (Python prints an uncaught SystemExit's text,
    no traceback): a mistaken or hostile value is refused by name, never guessed at.
    """

    def __init__(self, name: str, english: str, chinese: str) -> None:
        super().__init__(f"{english}\n{chinese}")
        self.name, self.english, self.chinese = name, english, chinese


def _shown(raw: str) -> str:
    """The refused value as the operator can read it: quoted, control characters escaped, cut short."""
    return repr(raw) if len(raw) <= 40 else repr(raw[:40]) + "…"


def _raw(name: str) -> str | None:
    """The variable's text, trimmed; None when unset or blank (the default applies, as for every setting)."""
    raw = os.environ.get(name)
    return None if raw is None or raw.strip() == "" else raw.strip()


# The largest count a setting may hold: PostgreSQL's bigint, in which the fair-use budgets and
# spends are stored (fairuse/models.py). The longest duration: a year (an HTTP max-age's usual
# ceiling); longer is a typo, and a year keeps every "now + duration" a date the clock, cookies and
# PostgreSQL hold.
MOST = 2**63 - 1
YEAR_SECONDS = 365 * 24 * 3600
# Plain ASCII digits only: int() would also take "+5", "1_000", full-width "１２" and other
# Unicode digits. A minus sign is refused with the rest: no setting may be negative.
_DIGITS = re.compile(r"[0-9]+")


def _int(name: str, default: int, least: int, most: int = MOST,
         unit: tuple[str, str] = ("", "")) -> int:
    """A whole number from ``least`` to ``most``; ``unit`` names what it counts (English, Chinese)."""
    text = _raw(name)
    if text is None:
        return default
    # Leading zeros aside, more digits than MOST has is out of range (and spares int() a huge text).
    plain = _DIGITS.fullmatch(text) is not None and len(text.lstrip("0")) <= len(str(MOST))
    value = int(text) if plain else None
    if value is None or not least <= value <= most:
        raise SettingsInvalid(
            name,
            f"{name} must be a whole number from {least} to {most}{unit[0]}, written in plain digits "
            f"(no sign, separator, decimal point or exponent); got {_shown(os.environ[name])}",
            f"{name} 必须是 {least} 到 {most}{unit[1]} 之间的整数，只用半角阿拉伯数字书写"
            f"（不带正负号、分隔符、小数点或指数）；实际为 {_shown(os.environ[name])}")
    return value


def _seconds(name: str, default: int, least: int) -> int:
    return _int(name, default, least, YEAR_SECONDS, (" seconds (a year)", " 秒（一年）"))


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _bool(name: str, default: bool | None) -> bool | None:
    text = _raw(name)
    if text is None:
        return default
    word = text.lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    # Not False: "of" or "ture" is a typo of someone who meant something, and may have meant on.
    raise SettingsInvalid(
        name,
        f"{name} must be one of {', '.join(_TRUE)} (on) or {', '.join(_FALSE)} (off), in any case; "
        f"got {_shown(os.environ[name])}",
        f"{name} 必须是 {'、'.join(_TRUE)}（开启）或 {'、'.join(_FALSE)}（关闭）之一，大小写均可；"
        f"实际为 {_shown(os.environ[name])}")


# The planner's price of a random page read on the app's PostgreSQL connections: 1.1, the usual
# figure for data in memory or on SSD (why, and what it changed: db/engine.py).
DEFAULT_RANDOM_PAGE_COST = 1.1
# ECOZONE_POSTGRESQL_RANDOM_PAGE_COST's word for "send nothing": a setting sent at connection start
# wins over ALTER ROLE / ALTER DATABASE, so an operator who tunes it in PostgreSQL needs this.
SERVER_DECIDES = "server"
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


def _decimal(text: str) -> float:
    """A plain decimal's value, NaN for anything else: float() would also take "nan", "inf",
    "1e3", "1_0" and full-width digits."""
    return float(text) if _DECIMAL.fullmatch(text) else math.nan


def _planner_cost(name: str, default: float) -> float | None:
    """A positive decimal number, or ``server`` (None: nothing sent, PostgreSQL's own applies)."""
    text = _raw(name)
    if text is None:
        return default
    if text.lower() == SERVER_DECIDES:
        return None
    value = _decimal(text)
    if not (math.isfinite(value) and value > 0):
        raw = _shown(os.environ[name])
        raise SettingsInvalid(
            name,
            f"{name} must be a positive decimal number (1.1: data in memory or on SSD; 4: "
            f"PostgreSQL's default, for spinning disks) or {SERVER_DECIDES!r} (send nothing: the "
            f"server's, database's or role's setting applies), got {raw}",
            f"{name} 必须是正的十进制数（1.1：数据在内存或 SSD 上；4：PostgreSQL 的默认值，适用于机械硬盘）"
            f"或 {SERVER_DECIDES!r}（不发送：由服务器、数据库或角色的设置决定），实际为 {raw}")
    return value


def _delay(name: str) -> float:
    """Seconds as a decimal number, 0 or more (0 when unset)."""
    text = _raw(name)
    if text is None:
        return 0.0
    value = _decimal(text)
    if not math.isfinite(value):
        raw = _shown(os.environ[name])
        raise SettingsInvalid(
            name,
            f"{name} must be a decimal number of seconds, 0 or more (such as 3 or 0.5), got {raw}",
            f"{name} 必须是不小于 0 的十进制秒数（如 3 或 0.5），实际为 {raw}")
    return value


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


@dataclass(frozen=True)
class QueryLimits:
    max_depth: int = 12
    max_aliases: int = 15
    max_tokens: int = 2000
    max_page_size: int = 100
    max_batch: int = 10
    max_cost: int = 20_000
    max_body_bytes: int = 1_000_000


@dataclass(frozen=True)
class RateLimits:
    """Fair use (issue 22): query cost a client may spend per window, by kind of client.

    The cost is the query limits' estimate (web/limits.py); a mutation adds ``mutation_cost``.
    The defaults are far above what the demo, the tests or a person at a portal spend in an
    hour: they stop crawlers and loops, not people.
    """

    enabled: bool = True
    window_seconds: int = 3600
    anonymous: int = 2_000_000    # per network address (an IPv6 /64)
    user: int = 5_000_000         # per signed-in user: never shares the public's budgets
    client: int = 10_000_000      # per partner's registered client key (trusted documents)
    mutation_cost: int = 100      # added to a mutation's estimate: writes cost more than reads

    def __post_init__(self) -> None:
        if self.window_seconds < 1:
            raise SettingsInvalid(
                "ECOZONE_RATE_LIMIT_WINDOW",
                f"ECOZONE_RATE_LIMIT_WINDOW must be at least 1 second, got {self.window_seconds}",
                f"ECOZONE_RATE_LIMIT_WINDOW 至少为 1 秒，实际为 {self.window_seconds}")


@dataclass(frozen=True)
class Settings:
    database_url: str
    # Migrations run as the role that owns the tables; the app connects as one that does not,
    # so that PostgreSQL row-level security binds it.
    migration_database_url: str
    secret: str
    env: str = "development"
    app_db_role: str = "ecozone_app"
    token_ttl_seconds: int = 8 * 3600
    jwks_url: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    # None: on except in production (ECOZONE_INTROSPECTION overrides).
    introspection: bool | None = None
    cors_origins: list[str] = field(default_factory=list)
    limits: QueryLimits = field(default_factory=QueryLimits)
    rate_limits: RateLimits = field(default_factory=RateLimits)
    tenants_dir: Path = PROJECT_ROOT / "tenants"
    policies_dir: Path = PROJECT_ROOT / "policies"
    # Operations (issue 21): how long a mutation's answer is kept under its Idempotency-Key;
    # how long a stopping worker lets its requests finish (uvicorn's timeout_graceful_shutdown).
    idempotency_ttl_seconds: int = 24 * 3600
    shutdown_timeout_seconds: int = 30
    # Test env only (ECOZONE_TEST_WRITE_DELAY): a write transaction waits this long before it
    # commits, so that the fault tests can kill a worker or restart the database meanwhile.
    test_write_delay_seconds: float = 0.0
    # Trusted documents (issue 15): anonymous callers may run registered documents only
    # (ECOZONE_TRUSTED_DOCUMENTS_ONLY; off unless set, turn it on in production once the partners'
    # documents are registered); how long a worker trusts a looked-up registration or client key
    # before asking the database again (revocations take effect within it); max-age of anonymous
    # GET answers (0: caches revalidate every time, nothing is served stale).
    trusted_documents_only: bool = False
    trusted_documents_recheck_seconds: int = 30
    http_cache_max_age: int = 0
    # The workspace's sign-in (issue 16): the deployment's OpenID Connect provider (authorization
    # code flow with PKCE; off unless an issuer is set), where its callback is reached from the
    # browser (default: this request's own origin + /workspace/oidc/callback), and how long a
    # browser session lasts.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_redirect_url: str | None = None
    session_ttl_seconds: int = 8 * 3600
    # Public reads (issue 20, web/response_cache.py, db/replica.py): the per-worker cache of
    # anonymous answers to registered documents (bytes; 0: off) and the longest an entry is
    # trusted for what the clock changes (data changes drop it at once); a PostgreSQL hot
    # standby for anonymous queries (None: the primary answers everything).
    response_cache_bytes: int = 64 * 1024 * 1024
    response_cache_seconds: int = 60
    database_replica_url: str | None = None
    # random_page_cost of the app's PostgreSQL connections, sent when each connects (db/engine.py);
    # None: nothing sent, so the server's, database's or role's setting applies.
    postgresql_random_page_cost: float | None = DEFAULT_RANDOM_PAGE_COST

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def allow_introspection(self) -> bool:
        return (not self.production) if self.introspection is None else self.introspection

    @property
    def is_postgresql(self) -> bool:
        return self.database_url.startswith("postgresql")


def load_settings() -> Settings:
    env = os.environ.get("ECOZONE_ENV", "development")
    if env not in {"development", "production", "test"}:
        # Empty is refused too: a deployment that meant production must not start as development.
        raise SettingsInvalid("ECOZONE_ENV",
                              f"ECOZONE_ENV must be development, production or test, got {_shown(env)}",
                              f"ECOZONE_ENV 必须是 development、production 或 test，实际为 {_shown(env)}")
    secret = os.environ.get("ECOZONE_SECRET")
    if not secret:
        if env == "production":
            raise SettingsInvalid("ECOZONE_SECRET", "ECOZONE_SECRET must be set in production",
                                  "生产环境（ECOZONE_ENV=production）必须设置 ECOZONE_SECRET")
        secret = _development_secret()
    elif len(secret.encode()) < 32:
        # HS256 keys shorter than the hash are brute-forceable (RFC 7518 §3.2).
        # The message says how long it is, never what it is.
        size = len(secret.encode())
        raise SettingsInvalid("ECOZONE_SECRET",
                              f"ECOZONE_SECRET must be at least 32 bytes long, got {size}",
                              f"ECOZONE_SECRET 至少需要 32 字节，实际只有 {size} 字节")
    database_url = os.environ.get("ECOZONE_DATABASE_URL") or _default_database_url()
    return Settings(
        database_url=database_url,
        migration_database_url=os.environ.get("ECOZONE_MIGRATION_DATABASE_URL") or database_url,
        secret=secret,
        env=env,
        app_db_role=os.environ.get("ECOZONE_APP_DB_ROLE", "ecozone_app"),
        token_ttl_seconds=_seconds("ECOZONE_TOKEN_TTL_SECONDS", 8 * 3600, 1),
        jwks_url=os.environ.get("ECOZONE_JWKS_URL") or None,
        jwt_issuer=os.environ.get("ECOZONE_JWT_ISSUER") or None,
        jwt_audience=os.environ.get("ECOZONE_JWT_AUDIENCE") or None,
        introspection=_bool("ECOZONE_INTROSPECTION", None),
        cors_origins=_list("ECOZONE_CORS_ORIGINS"),
        limits=QueryLimits(
            max_depth=_int("ECOZONE_MAX_DEPTH", 12, 1),
            max_aliases=_int("ECOZONE_MAX_ALIASES", 15, 0),
            max_tokens=_int("ECOZONE_MAX_TOKENS", 2000, 1),
            max_page_size=_int("ECOZONE_MAX_PAGE_SIZE", 100, 1),
            max_batch=_int("ECOZONE_MAX_BATCH", 10, 1),
            max_cost=_int("ECOZONE_MAX_COST", 20_000, 1),
            max_body_bytes=_int("ECOZONE_MAX_BODY_BYTES", 1_000_000, 1),
        ),
        rate_limits=RateLimits(
            enabled=_bool("ECOZONE_RATE_LIMITS", True),
            window_seconds=_seconds("ECOZONE_RATE_LIMIT_WINDOW", 3600, 1),
            anonymous=_int("ECOZONE_RATE_LIMIT_ANONYMOUS", 2_000_000, 1),
            user=_int("ECOZONE_RATE_LIMIT_USER", 5_000_000, 1),
            client=_int("ECOZONE_RATE_LIMIT_CLIENT", 10_000_000, 1),
            mutation_cost=_int("ECOZONE_RATE_LIMIT_MUTATION_COST", 100, 0),
        ),
        tenants_dir=Path(os.environ.get("ECOZONE_TENANTS_DIR", PROJECT_ROOT / "tenants")),
        policies_dir=Path(os.environ.get("ECOZONE_POLICIES_DIR", PROJECT_ROOT / "policies")),
        idempotency_ttl_seconds=_seconds("ECOZONE_IDEMPOTENCY_TTL_SECONDS", 24 * 3600, 1),
        shutdown_timeout_seconds=_seconds("ECOZONE_SHUTDOWN_TIMEOUT", 30, 1),
        test_write_delay_seconds=_delay("ECOZONE_TEST_WRITE_DELAY") if env == "test" else 0.0,
        trusted_documents_only=bool(_bool("ECOZONE_TRUSTED_DOCUMENTS_ONLY", False)),
        trusted_documents_recheck_seconds=_seconds("ECOZONE_TRUSTED_DOCUMENTS_RECHECK_SECONDS", 30, 0),
        http_cache_max_age=_seconds("ECOZONE_HTTP_CACHE_MAX_AGE", 0, 0),
        oidc_issuer=os.environ.get("ECOZONE_OIDC_ISSUER") or None,
        oidc_client_id=os.environ.get("ECOZONE_OIDC_CLIENT_ID") or None,
        oidc_client_secret=os.environ.get("ECOZONE_OIDC_CLIENT_SECRET") or None,
        oidc_redirect_url=os.environ.get("ECOZONE_OIDC_REDIRECT_URL") or None,
        session_ttl_seconds=_seconds("ECOZONE_SESSION_TTL_SECONDS", 8 * 3600, 1),
        response_cache_bytes=_int("ECOZONE_RESPONSE_CACHE_BYTES", 64 * 1024 * 1024, 0),
        response_cache_seconds=_seconds("ECOZONE_RESPONSE_CACHE_SECONDS", 60, 0),
        database_replica_url=os.environ.get("ECOZONE_DATABASE_REPLICA_URL") or None,
        postgresql_random_page_cost=_planner_cost("ECOZONE_POSTGRESQL_RANDOM_PAGE_COST",
                                                  DEFAULT_RANDOM_PAGE_COST),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
