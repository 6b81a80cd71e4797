"""Reading and validating ``tenants/*.toml``: a new zone is a new file, never code."""

from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SLUG = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
STANDARD_CODE = re.compile(r"^DB\d{2}/T$")

DEFAULT_SETTINGS: dict[str, Any] = {
    "review": {"turnout": [3, 4], "approval": [3, 4]},
    "consultation": {"days": 30},
    "projects": {"notice_days": 7},
    "council": {"agenda_working_days": 5},
}


class TenantConfigError(ValueError):
    """A tenant file refused: ``str()`` is the English, ``chinese`` the same as precisely."""

    def __init__(self, english: str, chinese: str):
        super().__init__(english)
        self.english, self.chinese = english, chinese


@dataclass(frozen=True)
class TenantConfig:
    slug: str
    name_zh: str
    name_en: str
    standard_code: str
    admin_code: str
    is_host: bool = False
    settings: dict[str, Any] = field(default_factory=dict)


def _fraction(value: Any, file_name: str, key: str) -> list[int]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            or not 0 < value[0] <= value[1]):
        raise TenantConfigError(f"{file_name}: {key} must be [numerator, denominator] with 0 < n <= d, "
                                f"got {value!r}",
                                f"{file_name}：{key} 必须是 [分子, 分母]，且 0 < 分子 <= 分母，实际为 {value!r}")
    return value


TOP_LEVEL_KEYS = {"slug", "name_zh", "name_en", "standard_code", "admin_code", "is_host",
                  *DEFAULT_SETTINGS}


def _merged_settings(raw: dict[str, Any], path: Path) -> dict[str, Any]:
    settings = copy.deepcopy(DEFAULT_SETTINGS)  # never share the default lists between zones
    for section, defaults in DEFAULT_SETTINGS.items():
        given = raw.get(section, {})
        if not isinstance(given, dict):
            raise TenantConfigError(f"{path.name}: [{section}] must be a table",
                                    f"{path.name}：[{section}] 必须是表")
        unknown = sorted(set(given) - set(defaults))
        if unknown:
            raise TenantConfigError(f"{path.name}: unknown key {section}.{unknown[0]}; "
                                    f"known: {', '.join(defaults)}",
                                    f"{path.name}：未知的键 {section}.{unknown[0]}；可用的键：{'、'.join(defaults)}")
        settings[section].update(copy.deepcopy(given))
    for key in ("turnout", "approval"):
        _fraction(settings["review"][key], path.name, f"review.{key}")
    for section, key in (("consultation", "days"), ("projects", "notice_days"),
                         ("council", "agenda_working_days")):
        value = settings[section][key]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 365:
            raise TenantConfigError(f"{path.name}: {section}.{key} must be 1..365, got {value!r}",
                                    f"{path.name}：{section}.{key} 必须在 1 到 365 之间，实际为 {value!r}")
    return settings


def parse_tenant_file(path: Path) -> TenantConfig:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TenantConfigError(f"{path.name}: not valid TOML: {exc}",
                                f"{path.name}：不是有效的 TOML：{exc}") from exc
    unknown = sorted(set(raw) - TOP_LEVEL_KEYS)
    if unknown:
        raise TenantConfigError(f"{path.name}: unknown key {unknown[0]!r}; known: "
                                f"{', '.join(sorted(TOP_LEVEL_KEYS))}",
                                f"{path.name}：未知的键 {unknown[0]!r}；可用的键：{'、'.join(sorted(TOP_LEVEL_KEYS))}")
    if not isinstance(raw.get("is_host", False), bool):
        raise TenantConfigError(f"{path.name}: is_host must be true or false",
                                f"{path.name}：is_host 必须是 true 或 false")
    missing = [k for k in ("slug", "name_zh", "name_en", "standard_code", "admin_code")
               if not isinstance(raw.get(k), str) or not raw[k].strip()]
    if missing:
        raise TenantConfigError(f"{path.name}: missing or empty: {', '.join(missing)}",
                                f"{path.name}：缺少或为空：{'、'.join(missing)}")
    if not SLUG.match(raw["slug"]):
        raise TenantConfigError(f"{path.name}: slug {raw['slug']!r} must be lower-case letters, "
                                "digits, '-' or '_'",
                                f"{path.name}：slug {raw['slug']!r} 只能由小写字母、数字、'-' 或 '_' 组成")
    if path.stem != raw["slug"]:
        raise TenantConfigError(f"{path.name}: file name must be <slug>.toml ({raw['slug']}.toml)",
                                f"{path.name}：文件名必须是 <slug>.toml（{raw['slug']}.toml）")
    if not STANDARD_CODE.match(raw["standard_code"]):
        raise TenantConfigError(f"{path.name}: standard_code must look like DB36/T",
                                f"{path.name}：standard_code 的格式应如 DB36/T")
    if not re.fullmatch(r"\d{2}", raw["admin_code"]):
        raise TenantConfigError(f"{path.name}: admin_code must be two digits",
                                f"{path.name}：admin_code 必须是两位数字")
    return TenantConfig(slug=raw["slug"], name_zh=raw["name_zh"].strip(),
                        name_en=raw["name_en"].strip(), standard_code=raw["standard_code"],
                        admin_code=raw["admin_code"], is_host=raw.get("is_host", False),
                        settings=_merged_settings(raw, path))


def load_tenant_dir(directory: Path) -> list[TenantConfig]:
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise TenantConfigError(f"no tenant files (*.toml) in {directory}",
                                f"{directory} 中没有租户文件（*.toml）")
    configs = [parse_tenant_file(f) for f in files]
    for attr in ("standard_code", "admin_code"):
        values = [getattr(c, attr) for c in configs]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise TenantConfigError(f"two zones share the {attr} {', '.join(duplicates)}",
                                    f"两个区使用了相同的 {attr}：{'、'.join(duplicates)}")
    return configs
