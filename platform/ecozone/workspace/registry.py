"""The workspace's page modules. Each one has ``routes(workspace) -> list[Route]``, ``SECTIONS``
(its links in the navigation, in order) and ``TEXTS`` (its words, key → (Chinese, English));
adding a page area is one line here."""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

PAGE_MODULES: tuple[str, ...] = (
    "ecozone.workspace.profile",
    "ecozone.workspace.expert",
    "ecozone.workspace.director",
    "ecozone.workspace.director_roles",
    "ecozone.workspace.council",
    "ecozone.workspace.council_meeting",
    "ecozone.workspace.council_units",
    "ecozone.workspace.member",
    "ecozone.workspace.secretary",
)


@cache
def modules() -> tuple[ModuleType, ...]:
    return tuple(importlib.import_module(name) for name in PAGE_MODULES)


@cache
def texts() -> dict[str, tuple[str, str]]:
    """The workspace's own words and every page module's; a key used twice is a mistake."""
    from ecozone.workspace.i18n import TEXTS
    merged = dict(TEXTS)
    for module in modules():
        for key, words in getattr(module, "TEXTS", {}).items():
            if key in merged and merged[key] != words:
                raise ValueError(f"workspace text {key!r} defined twice ({module.__name__})")
            merged[key] = words
    return merged


def sections() -> list:
    return [section for module in modules() for section in getattr(module, "SECTIONS", ())]
