"""`ecozone catalogs load` and `ecozone catalogs validate` as subprocesses (embedded SQLite)."""

from __future__ import annotations

import json

import pytest
from ecozone.catalogs import samples, service

from tests.test_cli import Cli


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Cli:
    var_dir = tmp_path_factory.mktemp("catalogs") / "var"
    var_dir.mkdir()
    cli = Cli(var_dir)
    cli("db", "upgrade")
    first = cli("catalogs", "load")
    assert "11 loaded" in first.stdout
    assert "0 loaded" in cli("catalogs", "load").stdout  # idempotent
    return cli


def write(path, records) -> str:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                            for r in records), encoding="utf-8")
    return str(path)


def test_valid_file(loaded, tmp_path):
    tea = service.starter_catalog("tea")["indicators"]
    file = write(tmp_path / "tea.jsonl", [samples.sample_record(tea, "tea", n) for n in range(250)])
    done = loaded("catalogs", "validate", file, "--category", "tea", "--every", "100")
    assert "tea catalog v1: 250 valid, 0 invalid" in done.stdout
    assert "200 records checked" in done.stderr and "250 records checked, 0 invalid" in done.stderr


def test_invalid_records_exit_1_with_the_first_errors(loaded, tmp_path):
    tea = service.starter_catalog("tea")["indicators"]
    good = samples.sample_record(tea, "tea")
    file = write(tmp_path / "tea.jsonl", [good, {**good, "tea_type": "puer"}, "", "{not json", good])
    done = loaded("catalogs", "validate", file, "--category", "tea", expect=1)
    assert "2 valid, 2 invalid" in done.stdout
    assert "line 2: $.tea_type: type of tea must be one of" in done.stdout
    assert "line 4: $: not JSON" in done.stdout


def test_unknown_version_and_category(loaded, tmp_path):
    file = write(tmp_path / "x.jsonl", [{}])
    done = loaded("catalogs", "validate", file, "--category", "tea", "--version", "5", expect=2)
    assert "no version 5" in done.stderr
    loaded("catalogs", "validate", file, "--category", "coffee", expect=2)
