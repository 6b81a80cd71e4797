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


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from exc


def _bool(name: str, default: bool | None) -> bool | None:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


# The planner's price of a random page read on the app's PostgreSQL connections: 1.1, the usual
# figure for data in memory or on SSD (why, and what it changed: db/engine.py).
DEFAULT_RANDOM_PAGE_COST = 1.1
# ECOZONE_POSTGRESQL_RANDOM_PAGE_COST's word for "send nothing": a setting sent at connection start
# wins over ALTER ROLE / ALTER DATABASE, so an operator who tunes it in PostgreSQL needs this.
SERVER_DECIDES = "server"
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


def _planner_cost(name: str, default: float) -> float | None:
    """A positive decimal number, or ``server`` (None: nothing sent, PostgreSQL's own applies)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    if text.lower() == SERVER_DECIDES:
        return None
    # A plain decimal only: float() would also take "nan", "inf", "1e3" and "1_0".
    value = float(text) if _DECIMAL.fullmatch(text) else math.nan
    if not (math.isfinite(value) and value > 0):
        raise SystemExit(
            f"{name} must be a positive decimal number (1.1: data in memory or on SSD; 4: "
            f"PostgreSQL's default, for spinning disks) or {SERVER_DECIDES!r} (send nothing: the "
            f"server's, database's or role's setting applies), got {raw!r}")
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
            raise SystemExit("ECOZONE_RATE_LIMIT_WINDOW must be at least 1 second")


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
        raise SystemExit(f"ECOZONE_ENV must be development, production or test, got {env!r}")
    secret = os.environ.get("ECOZONE_SECRET")
    if not secret:
        if env == "production":
            raise SystemExit("ECOZONE_SECRET must be set in production")
        secret = _development_secret()
    elif len(secret.encode()) < 32:
        # HS256 keys shorter than the hash are brute-forceable (RFC 7518 §3.2).
        raise SystemExit("ECOZONE_SECRET must be at least 32 bytes long")
    database_url = os.environ.get("ECOZONE_DATABASE_URL") or _default_database_url()
    return Settings(
        database_url=database_url,
        migration_database_url=os.environ.get("ECOZONE_MIGRATION_DATABASE_URL") or database_url,
        secret=secret,
        env=env,
        app_db_role=os.environ.get("ECOZONE_APP_DB_ROLE", "ecozone_app"),
        token_ttl_seconds=_int("ECOZONE_TOKEN_TTL_SECONDS", 8 * 3600),
        jwks_url=os.environ.get("ECOZONE_JWKS_URL") or None,
        jwt_issuer=os.environ.get("ECOZONE_JWT_ISSUER") or None,
        jwt_audience=os.environ.get("ECOZONE_JWT_AUDIENCE") or None,
        introspection=_bool("ECOZONE_INTROSPECTION", None),
        cors_origins=_list("ECOZONE_CORS_ORIGINS"),
        limits=QueryLimits(
            max_depth=_int("ECOZONE_MAX_DEPTH", 12),
            max_aliases=_int("ECOZONE_MAX_ALIASES", 15),
            max_tokens=_int("ECOZONE_MAX_TOKENS", 2000),
            max_page_size=_int("ECOZONE_MAX_PAGE_SIZE", 100),
            max_batch=_int("ECOZONE_MAX_BATCH", 10),
            max_cost=_int("ECOZONE_MAX_COST", 20_000),
            max_body_bytes=_int("ECOZONE_MAX_BODY_BYTES", 1_000_000),
        ),
        rate_limits=RateLimits(
            enabled=_bool("ECOZONE_RATE_LIMITS", True),
            window_seconds=_int("ECOZONE_RATE_LIMIT_WINDOW", 3600),
            anonymous=_int("ECOZONE_RATE_LIMIT_ANONYMOUS", 2_000_000),
            user=_int("ECOZONE_RATE_LIMIT_USER", 5_000_000),
            client=_int("ECOZONE_RATE_LIMIT_CLIENT", 10_000_000),
            mutation_cost=_int("ECOZONE_RATE_LIMIT_MUTATION_COST", 100),
        ),
        tenants_dir=Path(os.environ.get("ECOZONE_TENANTS_DIR", PROJECT_ROOT / "tenants")),
        policies_dir=Path(os.environ.get("ECOZONE_POLICIES_DIR", PROJECT_ROOT / "policies")),
        idempotency_ttl_seconds=_int("ECOZONE_IDEMPOTENCY_TTL_SECONDS", 24 * 3600),
        shutdown_timeout_seconds=_int("ECOZONE_SHUTDOWN_TIMEOUT", 30),
        test_write_delay_seconds=(float(os.environ.get("ECOZONE_TEST_WRITE_DELAY") or 0)
                                  if env == "test" else 0.0),
        trusted_documents_only=bool(_bool("ECOZONE_TRUSTED_DOCUMENTS_ONLY", False)),
        trusted_documents_recheck_seconds=_int("ECOZONE_TRUSTED_DOCUMENTS_RECHECK_SECONDS", 30),
        http_cache_max_age=_int("ECOZONE_HTTP_CACHE_MAX_AGE", 0),
        oidc_issuer=os.environ.get("ECOZONE_OIDC_ISSUER") or None,
        oidc_client_id=os.environ.get("ECOZONE_OIDC_CLIENT_ID") or None,
        oidc_client_secret=os.environ.get("ECOZONE_OIDC_CLIENT_SECRET") or None,
        oidc_redirect_url=os.environ.get("ECOZONE_OIDC_REDIRECT_URL") or None,
        session_ttl_seconds=_int("ECOZONE_SESSION_TTL_SECONDS", 8 * 3600),
        response_cache_bytes=_int("ECOZONE_RESPONSE_CACHE_BYTES", 64 * 1024 * 1024),
        response_cache_seconds=_int("ECOZONE_RESPONSE_CACHE_SECONDS", 60),
        database_replica_url=os.environ.get("ECOZONE_DATABASE_REPLICA_URL") or None,
        postgresql_random_page_cost=_planner_cost("ECOZONE_POSTGRESQL_RANDOM_PAGE_COST",
                                                  DEFAULT_RANDOM_PAGE_COST),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
