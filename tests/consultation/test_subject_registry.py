"""Every way of changing the subject registry tells the data layer its scope criteria changed.

Consultation.visible_to and Comment.visible_to ask every registered adapter, so a change
that did not bump the criteria version would leave statements built with the old adapters."""

from __future__ import annotations

import pytest

from ecozone.consultation import subjects
from ecozone.db.statement_analysis import criteria_version

ADAPTER = object()

MUTATIONS = [
    ("set", lambda r: r.__setitem__("probe", ADAPTER)),
    ("delete", lambda r: r.__delitem__("probe")),
    ("pop", lambda r: r.pop("probe")),
    ("pop absent with default", lambda r: r.pop("absent", None)),
    ("popitem", lambda r: r.popitem()),
    ("setdefault", lambda r: r.setdefault("probe2", ADAPTER)),
    ("update", lambda r: r.update({"probe2": ADAPTER})),
    ("update by keywords", lambda r: r.update(probe2=ADAPTER)),
    ("in-place union", lambda r: r.__ior__({"probe2": ADAPTER})),
    ("clear", lambda r: r.clear()),
]


@pytest.fixture
def registry(monkeypatch):
    """A registry of the real class holding one probe, so nothing real is disturbed."""
    fresh = subjects._Registry()
    dict.__setitem__(fresh, "probe", ADAPTER)
    monkeypatch.setattr(subjects, "_REGISTRY", fresh)
    return fresh


@pytest.mark.parametrize("name,mutate", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_each_mutation_bumps_the_criteria_version(registry, name, mutate):
    before = criteria_version()
    mutate(registry)
    assert criteria_version() > before, name


def test_reading_does_not_bump(registry):
    before = criteria_version()
    assert registry.get("probe") is ADAPTER and "probe" in registry and list(registry.items())
    assert criteria_version() == before
