"""The spend: one upsert … RETURNING of the client's window row, the same on both engines.

It lets the request through only if its cost still fits, and answers the budget in force (an
operator's raise, else the kind's default, ``:default``) and what is spent. ``SPEND_ASYNCPG`` is
the same text with positional parameters for asyncpg (``ASYNCPG_ORDER``); SQLite's counters'
file names its own tables (fairuse/sqlite_counters.py).
"""

from __future__ import annotations

import re

from sqlalchemy import text

SPEND = text("""
WITH b AS MATERIALIZED (
    SELECT COALESCE((SELECT r.budget FROM rate_limit_raises r
                     WHERE r.client_key = CAST(:key AS VARCHAR)
                       AND (r.expires_at IS NULL OR r.expires_at > CAST(:now AS BIGINT))),
                    CAST(:default AS BIGINT)) AS budget)
INSERT INTO rate_limit_windows AS w (client_key, window_start, budget, spent, accepted, refused)
SELECT CAST(:key AS VARCHAR), CAST(:start AS BIGINT), b.budget,
       CASE WHEN CAST(:cost AS BIGINT) <= b.budget THEN CAST(:cost AS BIGINT) ELSE 0 END,
       CAST(:cost AS BIGINT) <= b.budget,
       CASE WHEN CAST(:cost AS BIGINT) <= b.budget THEN 0 ELSE 1 END
FROM b
WHERE true
ON CONFLICT (client_key, window_start) DO UPDATE SET
    budget = excluded.budget,
    accepted = w.spent + CAST(:cost AS BIGINT) <= excluded.budget,
    spent = CASE WHEN w.spent + CAST(:cost AS BIGINT) <= excluded.budget
                 THEN w.spent + CAST(:cost AS BIGINT) ELSE w.spent END,
    refused = w.refused + CASE WHEN w.spent + CAST(:cost AS BIGINT) <= excluded.budget
                               THEN 0 ELSE 1 END
RETURNING spent, budget, accepted""")
# The same statement for asyncpg, with positional parameters.
ASYNCPG_ORDER = ("key", "start", "cost", "now", "default")
SPEND_ASYNCPG = re.sub(r":(key|start|cost|now|default)\b",
                       lambda m: f"${ASYNCPG_ORDER.index(m.group(1)) + 1}", SPEND.text)

