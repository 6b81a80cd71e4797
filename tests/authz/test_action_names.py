"""Every action of the permission table has a name in Chinese and English (authz/actions.py),
and a refusal says it in words, not by its internal name."""

from __future__ import annotations

import re

import pytest

from ecozone.authz.actions import ACTION_NAMES
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.errors import PermissionDenied
from ecozone.settings import PROJECT_ROOT

HAN = re.compile(r"[\u4e00-\u9fff]")


def policy_actions() -> set[tuple[str, str]]:
    found = set()
    for line in (PROJECT_ROOT / "policies" / "policy.csv").read_text(encoding="utf-8").splitlines():
        parts = [p.strip() for p in line.split(",")]
        if parts and parts[0] == "p":
            found.add((parts[2], parts[3]))
    return found


def test_every_action_of_the_policy_file_has_both_names():
    actions = policy_actions()
    assert len(actions) > 50
    missing = sorted(actions - set(ACTION_NAMES))
    assert not missing, f"actions without a name in authz/actions.py: {missing}"
    for action in actions:
        zh, en = ACTION_NAMES[action]
        assert HAN.search(zh) and not re.search(r"[a-z_]{3,}", zh), (action, zh)
        assert en and en.isascii() and not HAN.search(en) and "_" not in en, (action, en)


def test_no_name_for_an_action_the_policy_file_lacks():
    assert not set(ACTION_NAMES) - policy_actions()


@pytest.mark.parametrize(("signed_in", "en", "zh"), [
    (True, "not allowed to read the council's member units in zone jiangxi", "无权查看理事会成员单位（试验区 jiangxi）"),
    (False, "sign in first: not allowed to read the council's member units in zone jiangxi",
     "请先登录：无权查看理事会成员单位（试验区 jiangxi）"),
])
def test_a_refusal_names_the_action_in_words(signed_in, en, zh):
    actor = Actor(user_id=7 if signed_in else None, zone_id=1, zone_slug="jiangxi", roles=frozenset())
    with pytest.raises(PermissionDenied) as refused:
        require(actor, "council_unit", "read")
    assert (refused.value.message_en, refused.value.message_zh) == (en, zh)
    assert refused.value.action == "council_unit.read"  # the internal name stays, for programs
