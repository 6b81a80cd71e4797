"""Casbin enforcement: permissions from ``policies/``, role assignments from the database.

The enforcer is shared by the process, but holds no one's roles between requests: each
request loads the acting user's assignments in the acting zone (one indexed query) and
``Actor.can`` syncs them into the enforcer right before enforcing. So a grant or revoke
takes effect on the next request in every worker, without a restart.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import casbin

ANONYMOUS_SUBJECT = "anonymous"


@lru_cache(maxsize=4)
def _enforcer(policies_dir: str) -> casbin.Enforcer:
    directory = Path(policies_dir)
    return casbin.Enforcer(str(directory / "model.conf"), str(directory / "policy.csv"))


def enforcer(policies_dir: Path) -> casbin.Enforcer:
    return _enforcer(str(policies_dir))


def enforce(policies_dir: Path, *, subject: str | None, zone_slug: str | None,
            roles: frozenset[str], obj: str, act: str) -> bool:
    """True when ``subject`` holding ``roles`` in ``zone_slug`` may do ``act`` on ``obj``.

    ``subject`` is None for an anonymous request. The answer depends only on whether there
    is a subject, its roles there, the object and the action (the policy has no per-user
    rule), so it is remembered per role set: syncing the roles into the shared enforcer costs
    ~0.4 ms a check. Roles still come from the database on every request, so a grant or
    revoke applies at once.
    """
    return _decide(str(policies_dir), subject is not None, zone_slug, roles, obj, act)


@lru_cache(maxsize=4096)
def _decide(policies_dir: str, signed_in: bool, zone_slug: str | None, roles: frozenset[str],
            obj: str, act: str) -> bool:
    # A stand-in subject: the matcher only tells "anonymous" from anyone signed in.
    return _enforce_now(Path(policies_dir), subject="user:cached-decision" if signed_in else None,
                        zone_slug=zone_slug, roles=roles, obj=obj, act=act)


def _enforce_now(policies_dir: Path, *, subject: str | None, zone_slug: str | None,
                 roles: frozenset[str], obj: str, act: str) -> bool:
    e = enforcer(policies_dir)
    sub = subject or ANONYMOUS_SUBJECT
    dom = zone_slug or "-"
    if subject is not None:
        # Replace whatever this user had before with the roles read in this request.
        e.remove_filtered_grouping_policy(0, sub)
        if roles:
            e.add_grouping_policies([[sub, role, dom] for role in sorted(roles)])
    try:
        return bool(e.enforce(sub, dom, obj, act))
    finally:
        if subject is not None:
            e.remove_filtered_grouping_policy(0, sub)


def permissions_table(policies_dir: Path) -> list[tuple[str, str, str]]:
    """The (role, object, action) rows of the policy, for documentation and tests."""
    return [tuple(rule) for rule in enforcer(policies_dir).get_policy()]
