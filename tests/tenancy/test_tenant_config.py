"""Tenant files (``tenants/*.toml``): every refusal, and the defaults they are merged with."""

from __future__ import annotations

import re

import shutil
from pathlib import Path

import pytest

from ecozone.settings import PROJECT_ROOT
from ecozone.tenancy.config import (
    DEFAULT_SETTINGS,
    TenantConfig,
    TenantConfigError,
    load_tenant_dir,
    parse_tenant_file,
)

MINIMAL = """\
slug = "yunnan"
name_zh = "云南"
name_en = "Yunnan"
standard_code = "DB53/T"
admin_code = "53"
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def without(key: str) -> str:
    return "".join(line + "\n" for line in MINIMAL.splitlines() if not line.startswith(f"{key} "))


def replaced(key: str, value: str) -> str:
    return "".join((f"{key} = {value}" if line.startswith(f"{key} ") else line) + "\n"
                   for line in MINIMAL.splitlines())


def with_section(section: str, body: str) -> str:
    return MINIMAL + f"\n[{section}]\n{body}\n"


REFUSALS = [
    # (id, file name, content, words the message must contain)
    ("missing-slug", "yunnan.toml", without("slug"), ["missing or empty: slug"]),
    ("missing-name_zh", "yunnan.toml", without("name_zh"), ["missing or empty: name_zh"]),
    ("missing-name_en", "yunnan.toml", without("name_en"), ["name_en"]),
    ("missing-standard_code", "yunnan.toml", without("standard_code"), ["standard_code"]),
    ("missing-admin_code", "yunnan.toml", without("admin_code"), ["admin_code"]),
    ("missing-several", "yunnan.toml", 'slug = "yunnan"\n',
     ["name_zh, name_en, standard_code, admin_code"]),
    ("empty-name", "yunnan.toml", replaced("name_zh", '"  "'), ["missing or empty: name_zh"]),
    ("slug-not-a-string", "yunnan.toml", replaced("slug", "5"), ["slug"]),
    ("slug-upper-case", "Yunnan.toml", replaced("slug", '"Yunnan"'), ["slug 'Yunnan'"]),
    ("slug-with-space", "yun nan.toml", replaced("slug", '"yun nan"'), ["slug 'yun nan'"]),
    ("slug-digit-first", "5zone.toml", replaced("slug", '"5zone"'), ["slug '5zone'"]),
    ("slug-one-letter", "y.toml", replaced("slug", '"y"'), ["slug 'y'"]),
    ("slug-too-long", f"{'y' * 33}.toml", replaced("slug", f'"{"y" * 33}"'), ["slug"]),
    ("file-name-not-slug", "dian.toml", MINIMAL, ["dian.toml", "file name must be <slug>.toml",
                                                  "yunnan.toml"]),
    ("standard-code-gb", "yunnan.toml", replaced("standard_code", '"GB53/T"'), ["DB36/T"]),
    ("standard-code-no-t", "yunnan.toml", replaced("standard_code", '"DB53"'), ["standard_code"]),
    ("standard-code-3-digits", "yunnan.toml", replaced("standard_code", '"DB530/T"'),
     ["standard_code"]),
    ("standard-code-lower", "yunnan.toml", replaced("standard_code", '"db53/t"'), ["standard_code"]),
    ("admin-code-one-digit", "yunnan.toml", replaced("admin_code", '"5"'), ["two digits"]),
    ("admin-code-letters", "yunnan.toml", replaced("admin_code", '"ab"'), ["two digits"]),
    ("admin-code-3-digits", "yunnan.toml", replaced("admin_code", '"530"'), ["two digits"]),
    ("admin-code-int", "yunnan.toml", replaced("admin_code", "53"), ["admin_code"]),
    ("fraction-zero", "yunnan.toml", with_section("review", "turnout = [0, 4]"),
     ["review.turnout", "[0, 4]"]),
    ("fraction-above-one", "yunnan.toml", with_section("review", "approval = [5, 4]"),
     ["review.approval", "[5, 4]"]),
    ("fraction-string", "yunnan.toml", with_section("review", 'turnout = ["3", 4]'),
     ["review.turnout", "['3', 4]"]),
    ("fraction-three-numbers", "yunnan.toml", with_section("review", "turnout = [1, 2, 3]"),
     ["review.turnout"]),
    ("fraction-bool", "yunnan.toml", with_section("review", "turnout = [true, 4]"),
     ["review.turnout"]),
    ("fraction-float", "yunnan.toml", with_section("review", "turnout = [0.75, 1]"),
     ["review.turnout"]),
    ("fraction-negative", "yunnan.toml", with_section("review", "turnout = [-1, -4]"),
     ["review.turnout"]),
    ("fraction-not-a-list", "yunnan.toml", with_section("review", "turnout = 0.75"),
     ["review.turnout"]),
    ("days-0", "yunnan.toml", with_section("consultation", "days = 0"),
     ["consultation.days must be 1..365, got 0"]),
    ("days-366", "yunnan.toml", with_section("consultation", "days = 366"),
     ["consultation.days", "366"]),
    ("days-negative", "yunnan.toml", with_section("consultation", "days = -3"), ["consultation.days"]),
    ("days-string", "yunnan.toml", with_section("consultation", 'days = "30"'), ["consultation.days"]),
    ("days-float", "yunnan.toml", with_section("consultation", "days = 30.5"), ["consultation.days"]),
    ("days-bool", "yunnan.toml", with_section("consultation", "days = true"), ["consultation.days"]),
    ("notice-days-0", "yunnan.toml", with_section("projects", "notice_days = 0"),
     ["projects.notice_days"]),
    ("agenda-days-366", "yunnan.toml", with_section("council", "agenda_working_days = 366"),
     ["council.agenda_working_days"]),
    ("not-toml", "yunnan.toml", 'slug = "yunnan\n', ["yunnan.toml: not valid TOML"]),
]


@pytest.mark.parametrize("name, content, words", [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])
def test_parse_refuses(tmp_path, name, content, words):
    path = write(tmp_path, name, content)
    with pytest.raises(TenantConfigError) as refused:
        parse_tenant_file(path)
    message = str(refused.value)
    assert message.startswith(f"{name}: "), message  # always names the file
    for word in words:
        assert word in message, message
    # the same refusal in Chinese, as precisely: the file, the key and the value named again
    chinese = refused.value.chinese
    assert chinese.startswith(f"{name}：") and re.search(r"[\u4e00-\u9fff]", chinese), chinese
    for word in words:  # its keys, names, quoted values, lists and numbers
        for token in re.findall(r"\w+\.\w+|\w+_\w+|'[^']*'|\[[^\]]*\]|\d+", word):
            assert token in chinese, (token, chinese)


def test_minimal_file_gets_every_default(tmp_path):
    config = parse_tenant_file(write(tmp_path, "yunnan.toml", MINIMAL))
    assert config == TenantConfig(slug="yunnan", name_zh="云南", name_en="Yunnan",
                                  standard_code="DB53/T", admin_code="53", is_host=False,
                                  settings=DEFAULT_SETTINGS)


@pytest.mark.parametrize("section, body, expected", [
    ("review", "turnout = [2, 3]", {"review": {"turnout": [2, 3], "approval": [3, 4]}}),
    ("review", "approval = [1, 1]", {"review": {"turnout": [3, 4], "approval": [1, 1]}}),
    ("consultation", "days = 60", {"consultation": {"days": 60}}),
    ("consultation", "days = 1", {"consultation": {"days": 1}}),
    ("consultation", "days = 365", {"consultation": {"days": 365}}),
    ("projects", "notice_days = 10", {"projects": {"notice_days": 10}}),
    ("council", "agenda_working_days = 7", {"council": {"agenda_working_days": 7}}),
])
def test_sections_override_only_what_they_name(tmp_path, section, body, expected):
    config = parse_tenant_file(write(tmp_path, "yunnan.toml", with_section(section, body)))
    assert config.settings == {**DEFAULT_SETTINGS, **expected}


def test_defaults_are_not_shared_between_files(tmp_path):
    changed = parse_tenant_file(write(tmp_path, "yunnan.toml",
                                      with_section("review", "turnout = [1, 2]")))
    changed.settings["consultation"]["days"] = 99
    (tmp_path / "other").mkdir()
    untouched = parse_tenant_file(write(tmp_path / "other", "yunnan.toml", MINIMAL))
    assert untouched.settings == DEFAULT_SETTINGS
    assert DEFAULT_SETTINGS["consultation"]["days"] == 30


def test_default_fractions_are_not_shared(tmp_path):
    config = parse_tenant_file(write(tmp_path, "yunnan.toml", MINIMAL))
    try:
        config.settings["review"]["approval"][0] = 1
        assert DEFAULT_SETTINGS["review"]["approval"] == [3, 4]
    finally:
        DEFAULT_SETTINGS["review"]["approval"][:] = [3, 4]


def test_names_are_trimmed_and_host_flag_read(tmp_path):
    text = replaced("name_en", '"  Yunnan  "') + "is_host = true\n"
    config = parse_tenant_file(write(tmp_path, "yunnan.toml", text))
    assert config.name_en == "Yunnan"
    assert config.is_host is True


def test_the_shipped_tenants_load():
    configs = load_tenant_dir(PROJECT_ROOT / "tenants")
    assert [(c.slug, c.standard_code, c.admin_code) for c in configs] == [
        ("fujian", "DB35/T", "35"), ("guizhou", "DB52/T", "52"),
        ("hainan", "DB46/T", "46"), ("jiangxi", "DB36/T", "36")]
    assert [c.slug for c in configs if c.is_host] == ["jiangxi"]


@pytest.fixture
def tenants(tmp_path) -> Path:
    directory = tmp_path / "tenants"
    shutil.copytree(PROJECT_ROOT / "tenants", directory)
    return directory


def test_a_fifth_file_is_a_fifth_zone(tenants):
    write(tenants, "yunnan.toml", MINIMAL)
    write(tenants, "README.md", "not a tenant")  # only *.toml files are read
    assert [c.slug for c in load_tenant_dir(tenants)] == [
        "fujian", "guizhou", "hainan", "jiangxi", "yunnan"]


@pytest.mark.parametrize("content, words", [
    (replaced("standard_code", '"DB36/T"'), ["standard_code", "DB36/T"]),
    (replaced("admin_code", '"52"'), ["admin_code", "52"]),
], ids=["standard-code", "admin-code"])
def test_duplicate_codes_across_files_are_refused(tenants, content, words):
    write(tenants, "yunnan.toml", content)
    with pytest.raises(TenantConfigError) as refused:
        load_tenant_dir(tenants)
    message = str(refused.value)
    assert "two zones share" in message
    for word in words:
        assert word in message and word in refused.value.chinese
    assert "两个区使用了相同的" in refused.value.chinese


def test_one_bad_file_refuses_the_whole_directory(tenants):
    write(tenants, "yunnan.toml", with_section("consultation", "days = 0"))
    with pytest.raises(TenantConfigError, match="yunnan.toml"):
        load_tenant_dir(tenants)


def test_an_empty_directory_is_refused(tmp_path):
    with pytest.raises(TenantConfigError, match="no tenant files"):
        load_tenant_dir(tmp_path)


# Mistakes that were once silently accepted.
def test_a_section_that_is_not_a_table_is_refused(tmp_path):
    with pytest.raises(TenantConfigError, match="review"):
        parse_tenant_file(write(tmp_path, "yunnan.toml", MINIMAL + "review = 5\n"))


def test_is_host_must_be_a_boolean(tmp_path):
    with pytest.raises(TenantConfigError, match="is_host"):
        parse_tenant_file(write(tmp_path, "yunnan.toml", MINIMAL + 'is_host = "no"\n'))


@pytest.mark.parametrize("content, word", [
    (with_section("review", "turnuot = [1, 2]"), "review.turnuot"),
    (with_section("reveiw", "turnout = [1, 2]"), "reveiw"),
    (MINIMAL + 'name_fr = "Yunnan"\n', "name_fr"),
], ids=["section-key", "section", "top-level-key"])
def test_a_misspelt_key_is_refused(tmp_path, content, word):
    with pytest.raises(TenantConfigError, match=word) as refused:
        parse_tenant_file(write(tmp_path, "yunnan.toml", content))
    assert str(refused.value).startswith("yunnan.toml: unknown key")
