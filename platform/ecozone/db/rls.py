"""PostgreSQL row-level security for zone-private tables, used by the migrations.

The app connects as a member of the application role (``ECOZONE_APP_DB_ROLE``), which owns
nothing; the migration role owns the tables. Tables get ``FORCE ROW LEVEL SECURITY`` so that
the rule holds even for an owner connection, which is given an explicit operator policy.
"""

from __future__ import annotations

from alembic import op

CURRENT_ZONE = "ecozone_current_zone()"


def app_role() -> str:
    return op.get_context().config.get_main_option("app_role") or "ecozone_app"


def is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def create_app_role_and_zone_function() -> None:
    role = app_role()
    op.execute(f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
            CREATE ROLE {role} NOLOGIN;
          END IF;
        END $$""")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    # The zone set by the app with set_config('ecozone.zone', ..., true) in each transaction.
    op.execute("""
        CREATE OR REPLACE FUNCTION ecozone_current_zone() RETURNS integer
        LANGUAGE sql STABLE AS
        $$ SELECT nullif(current_setting('ecozone.zone', true), '')::integer $$""")
    op.execute(f"GRANT EXECUTE ON FUNCTION ecozone_current_zone() TO {role}")


def grant(table: str, privileges: str = "SELECT, INSERT, UPDATE, DELETE") -> None:
    role = app_role()
    op.execute(f"GRANT {privileges} ON {table} TO {role}")
    op.execute(f"""
        DO $$ DECLARE seq text; BEGIN
          FOR seq IN SELECT pg_get_serial_sequence('{table}', a.attname)
                     FROM pg_attribute a
                     WHERE a.attrelid = '{table}'::regclass AND a.attnum > 0
                       AND pg_get_serial_sequence('{table}', a.attname) IS NOT NULL
          LOOP
            EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO {role}', seq);
          END LOOP;
        END $$""")


def isolate_by_zone(table: str, *, allow_null_zone: bool = False) -> None:
    """Rows of ``table`` are seen and written by the app only in their own zone."""
    role = app_role()
    rule = f"zone_id = {CURRENT_ZONE}"
    if allow_null_zone:
        rule = f"zone_id IS NOT DISTINCT FROM {CURRENT_ZONE}"
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY zone_isolation ON {table} TO {role} USING ({rule}) WITH CHECK ({rule})")
    op.execute(f"CREATE POLICY operator_access ON {table} TO CURRENT_USER USING (true) WITH CHECK (true)")


def create_user_function() -> None:
    """``ecozone_current_user()``: the signed-in user the app sets per transaction."""
    op.execute("""
        CREATE OR REPLACE FUNCTION ecozone_current_user() RETURNS integer
        LANGUAGE sql STABLE AS
        $$ SELECT nullif(current_setting('ecozone.user', true), '')::integer $$""")
    op.execute(f"GRANT EXECUTE ON FUNCTION ecozone_current_user() TO {app_role()}")


def isolate_by_user(table: str) -> None:
    """Rows of ``table`` belong to one user (``user_id``): the app sees only the current user's.

    The app may insert rows for anyone (it notifies other people) but read and change only
    the signed-in user's own.
    """
    role = app_role()
    mine = "user_id = ecozone_current_user()"
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY own_rows_read ON {table} FOR SELECT TO {role} USING ({mine})")
    op.execute(f"CREATE POLICY own_rows_update ON {table} FOR UPDATE TO {role} USING ({mine}) WITH CHECK ({mine})")
    op.execute(f"CREATE POLICY any_insert ON {table} FOR INSERT TO {role} WITH CHECK (true)")
    op.execute(f"CREATE POLICY operator_access ON {table} TO CURRENT_USER USING (true) WITH CHECK (true)")
