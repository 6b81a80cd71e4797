"""Permission checks and role assignments (grant, revoke, list)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.auth.models import User
from ecozone.authz.actions import action_names
from ecozone.authz.actor import Actor
from ecozone.authz.models import ROLES, RoleAssignment
from ecozone.errors import Conflict, FieldError, NotFound, PermissionDenied, raise_if_invalid

ROLE_NAMES_ZH = {"director": "主任", "secretary": "秘书", "expert": "专家", "member": "成员",
                 "enterprise": "追溯企业填报人员", "supervisor": "监督人员"}


def require(actor: Actor, obj: str, act: str, *, object_id: object = None) -> None:
    """First line of every write: raise PermissionDenied unless the policy allows it."""
    if actor.can(obj, act):
        return
    where_en = f" in zone {actor.zone_slug}" if actor.zone_slug else ""
    where_zh = f"（试验区 {actor.zone_slug}）" if actor.zone_slug else ""
    who_en = "sign in first: " if not actor.signed_in else ""
    who_zh = "请先登录：" if not actor.signed_in else ""
    name_zh, name_en = action_names(obj, act)
    raise PermissionDenied(
        f"{who_en}not allowed to {name_en}{where_en}",
        f"{who_zh}无权{name_zh}{where_zh}",
        action=f"{obj}.{act}", object_type=obj.split(".")[0],
        object_id=None if object_id is None else str(object_id))


async def zones_to_act_in(session: AsyncSession, actor: Actor) -> list[int]:
    """The zone ids where ``actor``'s user may act: home first, then each zone (by id) where
    they hold a role; none when anonymous. What the acting-zone check of every request allows."""
    if not actor.signed_in:
        return []
    from ecozone.tenancy.models import Zone
    zone_ids = (await session.execute(select(Zone.id).order_by(Zone.id))).scalars().all()
    held = [z for z in zone_ids if z != actor.home_zone_id and await roles_in_zone(session, actor.user_id, z)]
    return [actor.home_zone_id, *held]


async def roles_in_zone(session: AsyncSession, user_id: int, zone_id: int) -> frozenset[str]:
    """The user's roles in ``zone_id``, read before the session's zone is set (the acting zone
    depends on them). On PostgreSQL through a narrow SECURITY DEFINER function, since
    row-level security hides role assignments until the zone is set (migration 0010)."""
    from sqlalchemy import text
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        rows = await session.execute(text("SELECT ecozone_roles_in_zone(:user, :zone)"),
                                     {"user": user_id, "zone": zone_id})
    else:  # a text statement: the data layer's zone scoping applies to ORM statements only
        rows = await session.execute(text("SELECT role FROM role_assignments "
                                          "WHERE user_id = :user AND zone_id = :zone"),
                                     {"user": user_id, "zone": zone_id})
    return frozenset(rows.scalars().all())


def roles_in_zone_column(dialect: str, user_id, zone_id):
    """``roles_in_zone`` as a column of a larger statement (the actor's, auth/service.py), for
    the user and zone columns given: an array on PostgreSQL (through the same SECURITY DEFINER
    function), a comma-separated list on SQLite (role names hold no comma)."""
    from sqlalchemy import literal_column
    if dialect == "postgresql":
        return literal_column(f"ARRAY(SELECT ecozone_roles_in_zone({user_id}, {zone_id}))")
    return literal_column(f"(SELECT group_concat(role, ',') FROM role_assignments "
                          f"WHERE role_assignments.user_id = {user_id} AND role_assignments.zone_id = {zone_id})")


def roles_of_column(value) -> frozenset[str]:
    """The roles of a ``roles_in_zone_column`` value."""
    if value is None:
        return frozenset()
    return frozenset(value.split(",") if isinstance(value, str) else value)


def _check_role(role: str) -> None:
    raise_if_invalid([] if role in ROLES else [FieldError(
        "role", "choice", f"role must be one of {', '.join(ROLES)}",
        f"角色必须是以下之一：{', '.join(ROLES)}")])


async def _user(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found", f"用户 {user_id} 不存在")
    return user


async def grant_role(session: AsyncSession, actor: Actor, *, user_id: int, role: str
                     ) -> RoleAssignment:
    _check_role(role)
    require(actor, f"role.{role}", "grant", object_id=user_id)
    await _user(session, user_id)
    existing = await session.scalar(select(RoleAssignment).where(
        RoleAssignment.user_id == user_id, RoleAssignment.role == role))
    if existing is not None:
        raise Conflict(f"user already holds the role {role} in this zone",
                       f"该用户在本试验区已有{ROLE_NAMES_ZH[role]}角色")
    assignment = RoleAssignment(zone_id=actor.zone_id, user_id=user_id, role=role,
                                granted_by_id=actor.user_id)
    session.add(assignment)
    await session.flush()
    await record(session, actor, action="role.grant", object_type="role_assignment",
                 object_id=assignment.id, after={"user_id": user_id, "role": role})
    return assignment


async def revoke_role(session: AsyncSession, actor: Actor, *, user_id: int, role: str
                      ) -> RoleAssignment:
    _check_role(role)
    # Revoking needs the same right as granting that role.
    require(actor, f"role.{role}", "grant", object_id=user_id)
    assignment = await session.scalar(select(RoleAssignment).where(
        RoleAssignment.user_id == user_id, RoleAssignment.role == role))
    if assignment is None:
        raise NotFound(f"user does not hold the role {role} in this zone",
                       f"该用户在本试验区没有{ROLE_NAMES_ZH[role]}角色")
    if role == "director" and assignment.user_id == actor.user_id:
        raise Conflict("a director cannot revoke their own director role",
                       "主任不能撤销自己的主任角色")
    await session.delete(assignment)
    await session.flush()
    await record(session, actor, action="role.revoke", object_type="role_assignment",
                 object_id=assignment.id, before={"user_id": user_id, "role": role})
    return assignment


async def list_role_assignments(session: AsyncSession, actor: Actor):
    require(actor, "role", "list")
    return select(RoleAssignment).order_by(RoleAssignment.id)


async def zone_directors(session: AsyncSession, zone_ids) -> set[int]:
    """The directors of ``zone_ids``, across zones: the one cross-zone fact a workflow needs
    (who signs a joint standard). On PostgreSQL it goes through a narrow SECURITY DEFINER
    function, since row-level security hides other zones' role assignments from the app."""
    from sqlalchemy import bindparam, text
    ids = sorted({int(z) for z in zone_ids})
    if not ids:
        return set()
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        rows = await session.execute(text("SELECT ecozone_zone_directors(CAST(:ids AS integer[]))"),
                                     {"ids": ids})
    else:
        rows = await session.execute(
            text("SELECT user_id FROM role_assignments WHERE role = 'director' AND zone_id IN :ids")
            .bindparams(bindparam("ids", expanding=True)), {"ids": ids})
    return set(rows.scalars().all())
