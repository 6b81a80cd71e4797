"""authz: the roles a user holds in a zone, answered before the zone is set

The acting zone is earned (DESIGN §2): a signed-in user acts in their home zone or in a zone
where they hold a role. The app must decide that before it sets the zone for row-level
security, and role assignments are zone-private, so PostgreSQL answers this one fact through
a narrow SECURITY DEFINER function, as it does for the directors of a joint standard (0005).

Revision ID: 0010
Revises: 0009
"""

from alembic import op

from ecozone.db import rls

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if rls.is_postgresql():
        op.execute("""
            CREATE OR REPLACE FUNCTION ecozone_roles_in_zone(for_user integer, in_zone integer)
            RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
            $$ SELECT role FROM role_assignments WHERE user_id = for_user AND zone_id = in_zone $$""")
        op.execute("REVOKE ALL ON FUNCTION ecozone_roles_in_zone(integer, integer) FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION ecozone_roles_in_zone(integer, integer) TO {rls.app_role()}")


def downgrade() -> None:
    if rls.is_postgresql():
        op.execute("DROP FUNCTION IF EXISTS ecozone_roles_in_zone(integer, integer)")
