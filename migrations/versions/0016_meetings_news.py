"""joint meetings and news (issue 18, first half)

Revision ID: 0016
Revises: 0015

Row-level security (PostgreSQL) enforces again what the models' ``visible_to`` decide: a
meeting and its rows are seen by its participating zones (the zone set for the transaction is
the host's or an invited zone's) and its invited people, or by everyone once its minutes are
published; a news article is seen by everyone once published, else in its zone only. The
checks read other tables through SECURITY DEFINER functions, so a policy never recurses into
another table's policy; the functions answer only the yes or no the policy needs.
"""

import sqlalchemy as sa
from alembic import op
from ecozone.db import rls

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

MEETING_TABLES = ("meeting_series", "meeting_invitations", "joint_meetings", "meeting_attendance",
                  "meeting_materials", "meeting_decisions", "meeting_follow_ups")
TABLES = (*MEETING_TABLES, "calendar_feed_tokens", "news_articles")
FUNCTIONS = ("ecozone_meeting_participant(integer)", "ecozone_meeting_series_seen(integer)",
             "ecozone_joint_meeting_seen(integer)", "ecozone_joint_meeting_participant(integer)",
             "ecozone_calendar_feed_user(text)")


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)]


def _meeting_child(name: str, *columns: sa.Column, constraints: tuple = ()) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("joint_meetings.id", ondelete="CASCADE"),
                  nullable=False),
        *columns, *constraints)
    op.create_index(f"ix_{name}_meeting_id", name, ["meeting_id"])


def upgrade() -> None:
    op.create_table(
        "meeting_series",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("host_zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("location", sa.String(300)),
        sa.Column("online_link", sa.String(500)),
        sa.Column("first_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("recurrence", sa.String(200)),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        *_timestamps())
    op.create_index("ix_meeting_series_host_zone_id_first_start", "meeting_series",
                    ["host_zone_id", "first_start"])
    op.create_table(
        "meeting_invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("series_id", sa.Integer(), sa.ForeignKey("meeting_series.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id")),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("for_zone_id", sa.Integer(), sa.ForeignKey("zones.id")),
        sa.Column("invited_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("series_id", "zone_id"),
        sa.UniqueConstraint("series_id", "user_id"),
        sa.CheckConstraint("(zone_id IS NULL) <> (user_id IS NULL)", name="zone_or_person"))
    op.create_index("ix_meeting_invitations_series_id", "meeting_invitations", ["series_id"])
    op.create_index("ix_meeting_invitations_user_id", "meeting_invitations", ["user_id"])
    op.create_index("ix_meeting_invitations_zone_id", "meeting_invitations", ["zone_id"])
    op.create_table(
        "joint_meetings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("series_id", sa.Integer(), sa.ForeignKey("meeting_series.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minutes_summary", sa.Text()),
        sa.Column("minutes_updated_at", sa.DateTime(timezone=True)),
        sa.Column("minutes_published_at", sa.DateTime(timezone=True)),
        sa.Column("minutes_published_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.UniqueConstraint("series_id", "sequence"))
    op.create_index("ix_joint_meetings_series_id", "joint_meetings", ["series_id"])
    op.create_index("ix_joint_meetings_starts_at", "joint_meetings", ["starts_at"])
    _meeting_child(
        "meeting_attendance",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        constraints=(sa.UniqueConstraint("meeting_id", "user_id"),))
    _meeting_child(
        "meeting_materials",
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("added_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False))
    _meeting_child(
        "meeting_decisions",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        constraints=(sa.UniqueConstraint("meeting_id", "number"),))
    _meeting_child(
        "meeting_follow_ups",
        sa.Column("decision_number", sa.Integer()),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("title_zh", sa.String(300), nullable=False),
        sa.Column("title_en", sa.String(500), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("state_changed_at", sa.DateTime(timezone=True)),
        sa.Column("state_changed_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))
    op.create_index("ix_meeting_follow_ups_zone_id_state", "meeting_follow_ups", ["zone_id", "state"])
    op.create_table(
        "calendar_feed_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)))
    op.create_index("ix_calendar_feed_tokens_user_id", "calendar_feed_tokens", ["user_id"])
    op.create_table(
        "news_articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("body_zh", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("published_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        *_timestamps())
    op.create_index("ix_news_articles_zone_id_state_published_at", "news_articles",
                    ["zone_id", "state", "published_at"])
    op.create_index("ix_news_articles_state_published_at", "news_articles", ["state", "published_at"])
    if rls.is_postgresql():
        _row_level_security()


def _row_level_security() -> None:
    role = rls.app_role()
    for table in TABLES:
        rls.grant(table)
    # Does the transaction's zone (host or invited) or user (invited by name) take part in series
    # s? As the owner: reads the tables past their own policies.
    op.execute("""
        CREATE OR REPLACE FUNCTION ecozone_meeting_participant(s integer) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT EXISTS (SELECT 1 FROM meeting_series WHERE id = s AND host_zone_id = ecozone_current_zone())
              OR EXISTS (SELECT 1 FROM meeting_invitations WHERE series_id = s
                         AND (zone_id = ecozone_current_zone() OR user_id = ecozone_current_user()))
        $$""")
    # A series (and its invitations) is seen by its participants, and by all once minutes of one
    # of its meetings are published.
    op.execute("""
        CREATE OR REPLACE FUNCTION ecozone_meeting_series_seen(s integer) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT ecozone_meeting_participant(s)
              OR EXISTS (SELECT 1 FROM joint_meetings WHERE series_id = s AND minutes_published_at IS NOT NULL)
        $$""")
    # A meeting (and its rows) by its participants, and by all once its own minutes are published.
    op.execute("""
        CREATE OR REPLACE FUNCTION ecozone_joint_meeting_seen(m integer) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT EXISTS (SELECT 1 FROM joint_meetings WHERE id = m AND (minutes_published_at IS NOT NULL
                         OR ecozone_meeting_participant(series_id)))
        $$""")
    # Writes: only by a participant (reading a published meeting gives no right to write to it).
    op.execute("""
        CREATE OR REPLACE FUNCTION ecozone_joint_meeting_participant(m integer) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT EXISTS (SELECT 1 FROM joint_meetings WHERE id = m AND ecozone_meeting_participant(series_id))
        $$""")
    # The calendar feed finds its person by the token's hash before anyone is signed in.
    op.execute("""
        CREATE OR REPLACE FUNCTION ecozone_calendar_feed_user(h text) RETURNS integer
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT user_id FROM calendar_feed_tokens WHERE token_hash = h AND revoked_at IS NULL
        $$""")
    for function in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {role}")
    # A series' own row is also read by its host directly: INSERT … RETURNING reads the new row,
    # which the function's snapshot (taken before the statement) does not hold yet.
    seen = {"meeting_series": "host_zone_id = ecozone_current_zone() OR ecozone_meeting_series_seen(id)",
            "meeting_invitations": "ecozone_meeting_series_seen(series_id)",
            "joint_meetings": "minutes_published_at IS NOT NULL OR ecozone_meeting_participant(series_id)"}
    written = {"meeting_series": "host_zone_id = ecozone_current_zone()",
               "meeting_invitations": "ecozone_meeting_participant(series_id)",
               "joint_meetings": "ecozone_meeting_participant(series_id)"}
    for table in MEETING_TABLES:
        read = seen.get(table, "ecozone_joint_meeting_seen(meeting_id)")
        write = written.get(table, "ecozone_joint_meeting_participant(meeting_id)")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY meeting_read ON {table} FOR SELECT TO {role} USING ({read})")
        op.execute(f"CREATE POLICY meeting_insert ON {table} FOR INSERT TO {role} WITH CHECK ({write})")
        op.execute(f"CREATE POLICY meeting_update ON {table} FOR UPDATE TO {role} USING ({write}) "
                   f"WITH CHECK ({write})")
        op.execute(f"CREATE POLICY meeting_delete ON {table} FOR DELETE TO {role} USING ({write})")
        op.execute(f"CREATE POLICY operator_access ON {table} TO CURRENT_USER USING (true) WITH CHECK (true)")
    rls.isolate_by_user("calendar_feed_tokens")
    own_zone = "zone_id = ecozone_current_zone()"
    op.execute("ALTER TABLE news_articles ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE news_articles FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY news_read ON news_articles FOR SELECT TO {role} "
               f"USING (state = 'published' OR {own_zone})")
    op.execute(f"CREATE POLICY news_write ON news_articles FOR INSERT TO {role} WITH CHECK ({own_zone})")
    op.execute(f"CREATE POLICY news_update ON news_articles FOR UPDATE TO {role} USING ({own_zone}) "
               f"WITH CHECK ({own_zone})")
    op.execute("CREATE POLICY operator_access ON news_articles TO CURRENT_USER USING (true) WITH CHECK (true)")


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
    if rls.is_postgresql():
        for function in reversed(FUNCTIONS):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
