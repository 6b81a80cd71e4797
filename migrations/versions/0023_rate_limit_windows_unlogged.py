"""fair use: the counters' table is UNLOGGED on PostgreSQL

Every request spends its cost with one autocommitted upsert on ``rate_limit_windows``. In a
logged table that commit is a WAL record flushed to disk before the request may go on (with
``synchronous_commit`` on, the default): a read-only request would wait for a disk flush, and
every request would send WAL to the standbys. An unlogged table writes no WAL, so the spend's
commit waits for no flush and nothing of it is replicated. What is given up is fine for
counters: after a crash (or on a promoted standby) the table starts empty, i.e. every client has
its whole budget again for the current window, as deleting SQLite's counters file does. The
operators' raises (``rate_limit_raises``) stay logged: they are decisions, audited.

Revision ID: 0023
Revises: 0022
"""

from alembic import op

from ecozone.db import rls

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if rls.is_postgresql():
        op.execute("ALTER TABLE rate_limit_windows SET UNLOGGED")


def downgrade() -> None:
    if rls.is_postgresql():
        op.execute("ALTER TABLE rate_limit_windows SET LOGGED")
