"""The ``ecozone`` console script, run as a subprocess on its default embedded SQLite database.

SQLite only: the commands are the same on PostgreSQL, and the default database (a file under
``ECOZONE_VAR_DIR``) is what an operator trying the platform gets.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import jwt
import pytest

from ecozone.cli import build_parser
from ecozone.settings import PROJECT_ROOT

ECOZONE = Path(sys.executable).parent / "ecozone"

SUBCOMMANDS = [[], ["serve"], ["db"], ["db", "upgrade"], ["tenants"], ["tenants", "sync"], ["demo"],
               ["grant"], ["token"], ["users"], ["export-schema"], ["audit"], ["audit", "verify"],
               ["catalogs"], ["catalogs", "load"], ["catalogs", "validate"], ["catalogs", "sample"],
               ["backup"], ["restore"]]
HAN = re.compile(r"[\u4e00-\u9fff]")

FIFTH = """\
slug = "yunnan"
name_zh = "云南"
name_en = "Yunnan"
standard_code = "DB53/T"
admin_code = "53"

[consultation]
days = 45
"""


class Cli:
    def __init__(self, var_dir: Path):
        self.var_dir = var_dir
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ECOZONE_")}
        self.env["ECOZONE_VAR_DIR"] = str(var_dir)

    def __call__(self, *args: str, expect: int | None = 0) -> subprocess.CompletedProcess:
        done = subprocess.run([str(ECOZONE), *args], env=self.env, cwd=self.var_dir,
                              capture_output=True, text=True, timeout=120)
        if expect is not None:
            assert done.returncode == expect, (args, done.returncode, done.stdout, done.stderr)
        return done

    @property
    def database(self) -> Path:
        return self.var_dir / "ecozone.sqlite3"


@pytest.fixture
def cli(tmp_path) -> Cli:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    return Cli(var_dir)


@pytest.fixture(scope="module")
def synced_var_dir(tmp_path_factory) -> Path:
    """A var dir upgraded and synced once; each test that needs one gets a copy."""
    var_dir = tmp_path_factory.mktemp("cli") / "var"
    var_dir.mkdir()
    cli = Cli(var_dir)
    cli("db", "upgrade")
    cli("tenants", "sync")
    return var_dir


@pytest.fixture
def ready(synced_var_dir, tmp_path) -> Cli:
    var_dir = tmp_path / "ready"
    shutil.copytree(synced_var_dir, var_dir)
    return Cli(var_dir)


def test_console_script_is_installed():
    assert ECOZONE.exists(), f"{ECOZONE} missing: pip install -e . in the venv"


@pytest.mark.parametrize("command", SUBCOMMANDS, ids=lambda c: " ".join(c) or "ecozone")
def test_help_of_every_subcommand(cli, command):
    done = cli(*command, "--help")
    assert done.stdout.startswith("usage: ecozone")
    assert done.stderr == ""
    if not command:
        for name in ("serve", "db", "tenants", "demo", "grant", "token", "users", "export-schema", "audit"):
            assert name in done.stdout
    else:  # each help page says what the command does, under its usage
        description = _parsers()[" ".join(command)].description
        assert description and " ".join(description.split()) in " ".join(done.stdout.split())


def _parsers(parser: argparse.ArgumentParser | None = None, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every (sub)command's parser, by its words: {"": ecozone, "db upgrade": …}."""
    parser = parser or build_parser()
    found = {prefix: parser}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(_parsers(sub, f"{prefix} {name}".strip()))
    return found


def test_every_command_has_a_description_and_every_option_help():
    parsers = _parsers()
    assert {" ".join(c) for c in SUBCOMMANDS} <= set(parsers), set(parsers) - {" ".join(c) for c in SUBCOMMANDS}
    for words, parser in parsers.items():
        assert parser.description, f"`ecozone {words}` has no description"
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            assert action.help and action.help != argparse.SUPPRESS, \
                f"`ecozone {words}`: {'/'.join(action.option_strings) or action.dest} has no help"


def test_missing_subcommand_is_a_usage_error(cli):
    done = cli(expect=2)
    assert "usage: ecozone" in done.stderr


def test_upgrade_then_sync_is_idempotent(cli):
    assert not cli.database.exists()
    done = cli("db", "upgrade")
    assert "upgraded to head" in done.stdout
    assert cli.database.exists()
    with sqlite3.connect(cli.database) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"zones", "users", "audit_log", "alembic_version"} <= tables
    assert "upgraded" in cli("db", "upgrade").stdout  # again: nothing to do, no error

    first = cli("tenants", "sync").stdout
    assert "4 zones: 4 created, 0 updated, 0 unchanged" in first
    for slug in ("fujian", "guizhou", "hainan", "jiangxi"):
        assert f"  {slug}" in first
    second = cli("tenants", "sync").stdout
    assert "4 zones: 0 created, 0 updated, 4 unchanged" in second
    assert "created\n" not in second
    with sqlite3.connect(cli.database) as db:
        assert db.execute("SELECT count(*) FROM zones").fetchone() == (4,)


def test_sync_before_upgrade_explains_what_to_do(cli):
    done = cli("tenants", "sync", expect=2)
    assert "ecozone db upgrade" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_fifth_zone_is_a_file_and_a_sync(ready, tmp_path):
    tenants = tmp_path / "tenants"
    shutil.copytree(PROJECT_ROOT / "tenants", tenants)
    (tenants / "yunnan.toml").write_text(FIFTH, encoding="utf-8")
    done = ready("tenants", "sync", "--dir", str(tenants))
    assert "yunnan" in done.stdout
    assert "5 zones: 1 created, 0 updated, 4 unchanged" in done.stdout
    with sqlite3.connect(ready.database) as db:
        row = db.execute("SELECT name_zh, standard_code, admin_code, settings FROM zones "
                         "WHERE slug = 'yunnan'").fetchone()
        assert db.execute("SELECT count(*) FROM zones").fetchone() == (5,)
    assert row[:3] == ("云南", "DB53/T", "53")
    assert '"days": 45' in row[3] or '"days":45' in row[3]

    (tenants / "yunnan.toml").write_text(FIFTH.replace("云南", "云南省"), encoding="utf-8")
    done = ready("tenants", "sync", "--dir", str(tenants))
    assert "5 zones: 0 created, 1 updated, 4 unchanged" in done.stdout


@pytest.mark.parametrize("content, expected", [
    (FIFTH.replace('"DB53/T"', '"GB53/T"'), "yunnan.toml: standard_code must look like DB36/T"),
    (FIFTH.replace('admin_code = "53"', 'admin_code = "36"'), "share the admin_code 36"),
    (FIFTH.replace('slug = "yunnan"', 'slug = "dian"'), "file name must be <slug>.toml"),
    (FIFTH.replace("days = 45", "days = 0"), "consultation.days must be 1..365"),
    (FIFTH.replace('name_en = "Yunnan"\n', ""), "missing or empty: name_en"),
    ("slug = \n", "yunnan.toml: not valid TOML"),
], ids=["standard-code", "duplicate-admin-code", "file-name", "days", "missing-key", "toml"])
def test_an_invalid_tenant_file_is_refused_with_a_clear_message(ready, tmp_path, content, expected):
    tenants = tmp_path / "tenants"
    shutil.copytree(PROJECT_ROOT / "tenants", tenants)
    (tenants / "yunnan.toml").write_text(content, encoding="utf-8")
    done = ready("tenants", "sync", "--dir", str(tenants), expect=2)
    assert done.stderr.startswith("error: ")
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    with sqlite3.connect(ready.database) as db:  # nothing half-synced
        assert db.execute("SELECT count(*) FROM zones").fetchone() == (4,)


def test_empty_tenant_dir_is_refused(ready, tmp_path):
    done = ready("tenants", "sync", "--dir", str(tmp_path), expect=2)
    assert "no tenant files" in done.stderr


def test_grant_token_schema_and_audit(ready):
    done = ready("grant", "u", "director", "jiangxi", "--create")
    assert "granted director in jiangxi to u" in done.stdout
    refused = ready("grant", "nobody", "director", "jiangxi", expect=2)
    assert "--create" in refused.stderr and "Traceback" not in refused.stderr
    unknown_zone = ready("grant", "u", "director", "atlantis", expect=2)
    assert "atlantis" in unknown_zone.stderr and "未知的试验区" in unknown_zone.stderr
    bad_role = ready("grant", "u", "emperor", "jiangxi", expect=2)
    assert "invalid choice" in bad_role.stderr

    token = ready("token", "u").stdout.strip()
    secret = (ready.var_dir / "secret.key").read_text().strip()
    claims = jwt.decode(token, secret, algorithms=["HS256"], issuer="ecozone")
    assert claims["sub"] == "u" and claims["exp"] > claims["iat"]
    short = jwt.decode(ready("token", "u", "--ttl", "60").stdout.strip(), secret,
                       algorithms=["HS256"], issuer="ecozone")
    assert short["exp"] - short["iat"] == 60
    assert "no user 'ghost'" in ready("token", "ghost", expect=2).stderr

    sdl = ready("export-schema", "-o", "-").stdout
    assert "type Query {" in sdl and "type Mutation {" in sdl
    out = ready.var_dir / "schema.graphql"
    ready("export-schema", "-o", str(out))
    assert out.read_text(encoding="utf-8") == sdl

    intact = ready("audit", "verify").stdout
    assert "chain jiangxi: 1 entries checked" in intact
    assert "audit log intact: 1 entries in 1 chains" in intact

    with sqlite3.connect(ready.database) as db:
        assert db.execute("UPDATE audit_log SET action = 'x' WHERE seq = 1").rowcount == 1
    broken = ready("audit", "verify", expect=1)
    assert "BROKEN: chain jiangxi, entry 1" in broken.stdout
    assert "content was changed after it was written" in broken.stdout and "内容在写入后被改动" in broken.stdout
    assert "intact" not in broken.stdout


def _bilingual(text: str) -> bool:
    return "error" in text and HAN.search(text) is not None


def test_users_lists_accounts_with_zones_and_roles(ready):
    ready("grant", "ann", "director", "jiangxi", "--create", "--display-name", "安")
    ready("grant", "bob", "member", "hainan", "--create")
    ready("grant", "bob", "expert", "hainan")
    listed = ready("users").stdout
    assert re.search(r"^ann\s+jiangxi\s+jiangxi: director\s+安$", listed, re.M), listed
    assert re.search(r"^bob\s+hainan\s+hainan: expert, member\s+bob$", listed, re.M), listed
    assert "2 users / 共 2 个用户" in listed
    hainan = ready("users", "--zone", "hainan", "--page-size", "1").stdout
    assert "bob" in hainan and "ann" not in hainan and "1 users in hainan" in hainan
    unknown = ready("users", "--zone", "atlantis", expect=2).stderr
    assert "unknown zone 'atlantis'" in unknown and "未知的试验区" in unknown


@pytest.mark.parametrize("args", [
    ["token", "nobody"],
    ["grant", "nobody", "director", "jiangxi"],
    ["grant", "u", "emperor", "jiangxi"],
    ["serve", "--port", "eighty"],
    ["catalogs", "validate", "missing.jsonl", "--category", "tea"],
    ["catalogs", "validate", "missing.jsonl"],
    ["users", "--zone", "atlantis"],
    ["catalogs", "sample", "tea", "--count", "2", "--invalid", "3"],
], ids=lambda a: " ".join(a))
def test_every_cli_error_is_bilingual(ready, args):
    done = ready(*args, expect=2)
    assert _bilingual(done.stderr), done.stderr
    assert "Traceback" not in done.stderr


def test_an_empty_database_is_explained_in_both_languages(cli):
    done = cli("token", "nobody", expect=2)
    assert "ecozone db upgrade" in done.stderr and _bilingual(done.stderr)


def _readme_commands() -> list[str]:
    """The `ecozone …` command lines of the README's shell code blocks, as written."""
    lines, block, fence = [], None, re.compile(r"^\s*```(\w*)")
    for line in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        opened = fence.match(line)
        if opened:
            block = None if block is not None else opened.group(1)
            continue
        if block in ("sh", "") and block is not None:
            text = re.sub(r"\s+#.*$", "", line).strip()
            if re.search(r"(^|\s|\$\(|&&\s*)(\.venv/bin/)?ecozone\s", text) and not text.startswith("#"):
                lines.append(text)
    return lines


# Not run: the server (it does not end), and the operator's backup paths (tests/ops/test_backup.py).
# Not run here: a server, the backup commands (tests/ops), and loading a holiday file the operator
# receives from the State Council (tests/governance loads real files of that shape).
README_NOT_RUN = re.compile(r"ecozone (serve|backup|restore|calendar load)\b")


def test_the_readme_cli_lines_run_as_written(tmp_path):
    commands = _readme_commands()
    assert any("catalogs validate" in c for c in commands) and any("token jx-secretary" in c for c in commands)
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / ".venv").symlink_to(PROJECT_ROOT / ".venv")  # `.venv/bin/ecozone` as in a clone
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOZONE_")}
    env.update(ECOZONE_VAR_DIR=str(tmp_path / "var"), ECOZONE_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'readme.sqlite3'}",
               PATH=f"{ECOZONE.parent}{os.pathsep}{env.get('PATH', '')}")
    (tmp_path / "var").mkdir()

    def run(command: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=clone, env=env,
                              capture_output=True, text=True, timeout=300)

    for setup in ("ecozone db upgrade", "ecozone tenants sync", "ecozone demo"):  # what `make run` does
        assert run(setup).returncode == 0, setup
    ran = 0
    for command in commands:
        if README_NOT_RUN.search(command):
            continue
        done = run(command)
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
        ran += 1
    assert ran >= 5, commands


def test_the_catalog_benchmark_runs_as_written():
    done = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "bench/catalog_validation.py",
                           "--records", "2000"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "records/s" in done.stdout, done.stderr
