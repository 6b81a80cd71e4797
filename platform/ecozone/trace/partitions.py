"""PostgreSQL: trace records partitioned by month of the event (declarative partitioning).

``trace_records`` is ``PARTITION BY RANGE (occurred_at)``: one partition per month, named
``trace_records_yYYYYmMM``, and a default partition that catches a month nobody created yet so
that ingest never fails for want of one. Partitions are made ahead by the migration (2024–2027)
and by ``ecozone trace partitions --until YYYY-MM`` (the operator, who owns the table: the app's
role cannot create tables). A month whose rows already sit in the default partition is moved
into its own partition by the same command.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

FIRST_MONTH = dt.date(2024, 1, 1)
LAST_MONTH = dt.date(2027, 12, 1)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def partition_name(month: dt.date) -> str:
    return f"trace_records_y{month:%Y}m{month:%m}"


def _bounds(month: dt.date) -> tuple[str, str]:
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return f"{month:%Y-%m-01} 00:00:00+00", f"{following:%Y-%m-01} 00:00:00+00"


def create_statements(month: dt.date) -> list[str]:
    low, high = _bounds(month)
    name = partition_name(month)
    return [(f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF trace_records "
            f"FOR VALUES FROM ('{low}') TO ('{high}')")]


COPY_POLICIES = """
DO $$ DECLARE p record; BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', '{table}');
  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', '{table}');
  FOR p IN SELECT * FROM pg_policies WHERE schemaname = 'public' AND tablename = 'trace_records' LOOP
    IF NOT EXISTS (SELECT FROM pg_policies WHERE tablename = '{table}' AND policyname = p.policyname) THEN
      EXECUTE format('CREATE POLICY %I ON %I AS %s FOR %s TO %s %s %s', p.policyname, '{table}', p.permissive,
                     p.cmd, array_to_string(p.roles, ', '),
                     CASE WHEN p.qual IS NULL THEN '' ELSE 'USING (' || p.qual || ')' END,
                     CASE WHEN p.with_check IS NULL THEN '' ELSE 'WITH CHECK (' || p.with_check || ')' END);
    END IF;
  END LOOP;
END $$"""


def copy_policies(table: str) -> str:
    """The parent's row-level security on a partition too: the app reaches records only through
    ``trace_records`` (it has no grant on a partition), but a partition is a table of its own and
    keeps the same fence should anyone grant it."""
    return COPY_POLICIES.replace("{table}", table)


def partition_names_sql() -> str:
    return ("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'trace_records'")


async def ensure_partitions(connection, first: dt.date, last: dt.date) -> list[str]:
    """Create the months from ``first`` to ``last`` that are missing (operator connection).

    Rows of such a month already in the default partition are moved into the new partition
    in the same transaction (PostgreSQL refuses to attach over them otherwise).
    """
    existing = set((await connection.execute(text(partition_names_sql()))).scalars())
    created = []
    for month in months(first, last):
        name = partition_name(month)
        if name in existing:
            continue
        low, high = _bounds(month)
        await connection.execute(text(
            f"CREATE TABLE {name} (LIKE trace_records INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"))
        await connection.execute(text(
            f"WITH moved AS (DELETE FROM trace_records_default WHERE occurred_at >= '{low}' "
            f"AND occurred_at < '{high}' RETURNING *) INSERT INTO {name} SELECT * FROM moved"))
        await connection.execute(text(
            f"ALTER TABLE trace_records ATTACH PARTITION {name} FOR VALUES FROM ('{low}') TO ('{high}')"))
        await connection.execute(text(copy_policies(name)))
        created.append(name)
    return created
