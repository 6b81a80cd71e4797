"""standards search: a product category per standard, and Chinese full-text indexes

Why trigrams (DESIGN §7; ecozone/standards/search.py): Chinese has no spaces, so word
tokenizers see whole sentences as one token; trigrams need no dictionary and find any
substring of three characters or more, the same on both engines.

- SQLite: an FTS5 table with the ``trigram`` tokenizer over each standard's titles, scope and
  published text, kept in step by triggers on ``standards`` and ``standard_versions`` (so the
  services and the bulk loaders alike keep it current), filled here from the existing rows.
- PostgreSQL: ``pg_trgm`` GIN indexes on the same columns, which serve ``ILIKE '%…%'``.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

from ecozone.db import rls

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_BODY = "coalesce((SELECT text FROM standard_versions WHERE id = new.final_version_id), '')"
_ROW = f"new.id, new.title_zh || char(10) || new.title_en, new.scope, {_BODY}"

SQLITE_UP = [
    "CREATE VIRTUAL TABLE standards_fts USING fts5(title, scope, body, tokenize = 'trigram')",
    f"""CREATE TRIGGER standards_fts_insert AFTER INSERT ON standards BEGIN
          INSERT INTO standards_fts (rowid, title, scope, body) VALUES ({_ROW});
        END""",
    f"""CREATE TRIGGER standards_fts_update
          AFTER UPDATE OF title_zh, title_en, scope, final_version_id ON standards BEGIN
          DELETE FROM standards_fts WHERE rowid = old.id;
          INSERT INTO standards_fts (rowid, title, scope, body) VALUES ({_ROW});
        END""",
    """CREATE TRIGGER standards_fts_delete AFTER DELETE ON standards BEGIN
          DELETE FROM standards_fts WHERE rowid = old.id;
        END""",
    """CREATE TRIGGER standards_fts_text AFTER UPDATE OF text ON standard_versions BEGIN
          UPDATE standards_fts SET body = new.text
          WHERE rowid IN (SELECT id FROM standards WHERE final_version_id = new.id);
        END""",
    """INSERT INTO standards_fts (rowid, title, scope, body)
         SELECT s.id, s.title_zh || char(10) || s.title_en, s.scope, coalesce(v.text, '')
         FROM standards s LEFT JOIN standard_versions v ON v.id = s.final_version_id""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS standards_fts_text",
    "DROP TRIGGER IF EXISTS standards_fts_delete",
    "DROP TRIGGER IF EXISTS standards_fts_update",
    "DROP TRIGGER IF EXISTS standards_fts_insert",
    "DROP TABLE IF EXISTS standards_fts",
]
PG_INDEXES = {
    "ix_standards_title_zh_trgm": ("standards", "title_zh"),
    "ix_standards_title_en_trgm": ("standards", "title_en"),
    "ix_standards_scope_trgm": ("standards", "scope"),
    "ix_standard_versions_text_trgm": ("standard_versions", "text"),
}


def upgrade() -> None:
    with op.batch_alter_table("standards") as batch_op:
        batch_op.add_column(sa.Column("category", sa.String(length=32), nullable=True))
    if rls.is_postgresql():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, column) in PG_INDEXES.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")
    else:
        for statement in SQLITE_UP:
            op.execute(statement)


def downgrade() -> None:
    if rls.is_postgresql():
        for name in PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    else:
        for statement in SQLITE_DOWN:
            op.execute(statement)
    with op.batch_alter_table("standards") as batch_op:
        batch_op.drop_column("category")
