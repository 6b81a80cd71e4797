"""What a viewer may see of a profile: field visibility, decided in one place."""

from __future__ import annotations

from typing import Any

from ecozone.authz.actor import Actor
from ecozone.experts.models import ExpertProfile
from ecozone.experts.rules import can_see

# Fields whose visibility the expert chooses (GraphQL names). Name, zone, fields of expertise
# and categories are always public: they are what the registry is for.
DEFAULT_VISIBILITY: dict[str, str] = {
    "title": "public",
    "organisation": "public",
    "orcid": "public",
    "biography": "public",
    "standardsAuthored": "public",
    "email": "partners",
    "availability": "partners",
    "phone": "private",
}
ATTRIBUTE = {"title": "title", "organisation": "organisation", "orcid": "orcid",
             "biography": "biography", "standardsAuthored": "standards_authored",
             "email": "email", "availability": "availability", "phone": "phone"}


def visibility_of(profile: ExpertProfile) -> dict[str, str]:
    return {**DEFAULT_VISIBILITY, **{k: v for k, v in (profile.visibility or {}).items()
                                     if k in DEFAULT_VISIBILITY}}


def is_owner(profile: ExpertProfile, actor: Actor) -> bool:
    return actor.user_id is not None and profile.user_id == actor.user_id


def is_home_zone_staff(profile: ExpertProfile, actor: Actor) -> bool:
    return actor.zone_staff and actor.zone_id == profile.home_zone_id


def can_manage(profile: ExpertProfile, actor: Actor) -> bool:
    """Owner or home-zone staff: sees the visibility settings and conflict declarations."""
    return is_owner(profile, actor) or is_home_zone_staff(profile, actor)


# Contact fields: a read of one kept private by its expert is recorded (DESIGN §3.7).
CONTACT_FIELDS = ("email", "phone")


def audited_reads(profile: ExpertProfile, actor: Actor) -> frozenset[str]:
    """The contact fields the actor sees only because the expert's home-zone staff may read
    private fields: reading them writes an audit row. The expert reading their own is not
    recorded; nor is a field the expert made visible to partners or to everyone."""
    if is_owner(profile, actor) or not is_home_zone_staff(profile, actor):
        return frozenset()
    settings = visibility_of(profile)
    return frozenset(name for name in CONTACT_FIELDS if settings[name] == "private")


def visible_values(profile: ExpertProfile, actor: Actor) -> dict[str, Any]:
    """The controlled fields the actor may read; hidden ones are None."""
    settings = visibility_of(profile)
    owner, staff = is_owner(profile, actor), is_home_zone_staff(profile, actor)
    return {name: getattr(profile, ATTRIBUTE[name])
            if can_see(settings[name], viewer_is_signed_in=actor.signed_in,
                       viewer_is_owner=owner, viewer_is_home_zone_staff=staff) else None
            for name in DEFAULT_VISIBILITY}
