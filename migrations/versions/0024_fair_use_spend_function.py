"""fair use: the spend as a function, so that it travels with the request's BEGIN

A request's spend (``fairuse/budget.py``) was a round trip of its own before the request's
transaction began. ``ecozone_fair_use_spend`` runs the same upsert and reports its outcome as a
NOTICE (SQLSTATE ``EZ001``, detail ``<spent> <budget> <t|f>``): a function's notice, unlike a
row, reaches the client from a simple-protocol message of several statements, so the spend, its
commit and the request's ``BEGIN`` go in one message (``fairuse/postgresql_spend.py``): one
round trip fewer per request. Invoker's rights: the app's login may write the counters anyway.

Revision ID: 0024
Revises: 0023
"""

from alembic import op

from ecozone.db import rls

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

SIGNATURE = "ecozone_fair_use_spend(varchar, bigint, bigint, bigint, bigint)"


def upgrade() -> None:
    if not rls.is_postgresql():
        return
    op.execute("""
        CREATE OR REPLACE FUNCTION ecozone_fair_use_spend(
            client varchar, window_begins bigint, cost bigint, now_seconds bigint, default_budget bigint)
        RETURNS void LANGUAGE plpgsql AS $spend$
        DECLARE
            outcome record;
        BEGIN
            WITH b AS MATERIALIZED (
                SELECT COALESCE((SELECT r.budget FROM rate_limit_raises r
                                 WHERE r.client_key = client
                                   AND (r.expires_at IS NULL OR r.expires_at > now_seconds)),
                                default_budget) AS budget)
            INSERT INTO rate_limit_windows AS w (client_key, window_start, budget, spent, accepted, refused)
            SELECT client, window_begins, b.budget,
                   CASE WHEN cost <= b.budget THEN cost ELSE 0 END,
                   cost <= b.budget,
                   CASE WHEN cost <= b.budget THEN 0 ELSE 1 END
            FROM b
            WHERE true
            ON CONFLICT (client_key, window_start) DO UPDATE SET
                budget = excluded.budget,
                accepted = w.spent + cost <= excluded.budget,
                spent = CASE WHEN w.spent + cost <= excluded.budget THEN w.spent + cost ELSE w.spent END,
                refused = w.refused + CASE WHEN w.spent + cost <= excluded.budget THEN 0 ELSE 1 END
            RETURNING w.spent, w.budget, w.accepted INTO outcome;
            RAISE NOTICE USING ERRCODE = 'EZ001', MESSAGE = 'ecozone fair use spend',
                DETAIL = outcome.spent || ' ' || outcome.budget || ' ' || outcome.accepted;
        END
        $spend$""")
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {rls.app_role()}")


def downgrade() -> None:
    if rls.is_postgresql():
        op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
