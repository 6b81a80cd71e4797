"""Settings from ECOZONE_* variables: defaults, refusals, production rules."""

from __future__ import annotations

import pytest

from ecozone.settings import load_settings


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("ECOZONE_ENV", "ECOZONE_SECRET", "ECOZONE_DATABASE_URL", "ECOZONE_INTROSPECTION",
                 "ECOZONE_MAX_DEPTH", "ECOZONE_CORS_ORIGINS", "ECOZONE_MIGRATION_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ECOZONE_VAR_DIR", str(tmp_path))
    return monkeypatch


def test_development_defaults(env, tmp_path):
    settings = load_settings()
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'ecozone.sqlite3'}"
    assert settings.migration_database_url == settings.database_url
    assert settings.allow_introspection and not settings.production
    assert len(settings.secret) >= 32
    assert load_settings().secret == settings.secret  # generated once, kept in ./var
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("variables", "message"), [
    ({"ECOZONE_ENV": "staging"}, "ECOZONE_ENV"),
    ({"ECOZONE_ENV": "production"}, "ECOZONE_SECRET must be set"),
    ({"ECOZONE_SECRET": "short"}, "at least 32 bytes"),
    ({"ECOZONE_MAX_DEPTH": "twelve"}, "ECOZONE_MAX_DEPTH must be a whole number"),
])
def test_refusals(env, variables, message):
    for name, value in variables.items():
        env.setenv(name, value)
    with pytest.raises(SystemExit, match=message):
        load_settings()


def test_production(env):
    env.setenv("ECOZONE_ENV", "production")
    env.setenv("ECOZONE_SECRET", "x" * 40)
    env.setenv("ECOZONE_CORS_ORIGINS", "https://portal-a.example.org, https://portal-b.example.org")
    settings = load_settings()
    assert settings.production and not settings.allow_introspection
    assert settings.cors_origins == ["https://portal-a.example.org", "https://portal-b.example.org"]
    env.setenv("ECOZONE_INTROSPECTION", "on")
    assert load_settings().allow_introspection
