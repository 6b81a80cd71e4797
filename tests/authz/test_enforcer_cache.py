"""Decisions are remembered per role set, never per user: roles change, answers follow."""

from __future__ import annotations

from ecozone.authz import enforcer
from ecozone.authz.actor import ANONYMOUS_ACTOR, Actor
from ecozone.settings import PROJECT_ROOT

POLICIES = PROJECT_ROOT / "policies"


def _actor(user_id: int, *roles: str) -> Actor:
    return Actor(user_id=user_id, username=f"u{user_id}", zone_id=1, zone_slug="jiangxi",
                 roles=frozenset(roles), policies_dir=POLICIES)


def test_a_cached_answer_follows_the_roles_of_each_request():
    assert _actor(1, "director").can("role.director", "grant")
    assert not _actor(1).can("role.director", "grant")  # revoked: the next request knows
    assert not _actor(2, "member").can("role.director", "grant")
    assert _actor(2, "director").can("role.director", "grant")  # granted


def test_cached_answers_equal_the_enforcer_for_every_policy_row():
    rows = enforcer.permissions_table(POLICIES)
    for role, obj, act in rows:
        for roles in (frozenset(), frozenset({role}), frozenset({"member"})):
            for subject in (None, "user:7"):
                expected = enforcer._enforce_now(POLICIES, subject=subject, zone_slug="fujian",
                                                 roles=roles if subject else frozenset(),
                                                 obj=obj, act=act)
                assert enforcer.enforce(POLICIES, subject=subject, zone_slug="fujian",
                                        roles=roles if subject else frozenset(), obj=obj,
                                        act=act) == expected


def test_anonymous_and_signed_in_are_told_apart():
    assert not ANONYMOUS_ACTOR.can("consultation", "comment")
    assert _actor(3).can("consultation", "comment")
