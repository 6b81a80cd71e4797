"""events and venues, expert consulting, standard uptake (issue 18, second half)

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op
from ecozone.db import rls

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# Zone-private: a venue's calendar is its zone's (ZonePrivate in events/models.py).
ZONE_PRIVATE = ("venue_bookings", "venue_booking_slots")
# Public, written by one zone: anyone reads them, the app writes only rows of the zone it acts in
# (a venue of its base, an uptake record of its own).
PUBLIC_ZONE_WRITTEN = ("venues", "standard_uptake_records")
# Shared: rows seen by people across zones (a registration's person registers from any zone and
# the host's staff keep the roster; a consulting request is answered by experts of any zone's
# registry), each with its visible_to rule applied by the data layer; the services decide access.
SHARED = ("events", "event_registrations", "consulting_requests", "consulting_assignments",
          "consulting_answers")
TABLES = ("venues", "events", "venue_bookings", "venue_booking_slots", "event_registrations",
          "consulting_requests", "consulting_assignments", "consulting_answers", "standard_uptake_records")


def _now() -> sa.Column:
    return sa.func.now()


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False)]


def _public_read_zone_write(table: str) -> None:
    role, mine = rls.app_role(), f"zone_id = {rls.CURRENT_ZONE}"
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY public_read ON {table} FOR SELECT TO {role} USING (true)")
    op.execute(f"CREATE POLICY zone_insert ON {table} FOR INSERT TO {role} WITH CHECK ({mine})")
    op.execute(f"CREATE POLICY zone_update ON {table} FOR UPDATE TO {role} USING ({mine}) WITH CHECK ({mine})")
    op.execute(f"CREATE POLICY zone_delete ON {table} FOR DELETE TO {role} USING ({mine})")
    op.execute(f"CREATE POLICY operator_access ON {table} TO CURRENT_USER USING (true) WITH CHECK (true)")


def upgrade() -> None:
    op.create_table(
        "venues",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(300), nullable=False),
        sa.Column("location", sa.String(300)),
        sa.Column("seats", sa.Integer()),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        *_timestamps())
    op.create_index("ix_venues_zone_id_kind", "venues", ["zone_id", "kind"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("host_zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("venue_id", sa.Integer(), sa.ForeignKey("venues.id")),
        sa.Column("place", sa.String(300)),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("registration_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enrolled_count", sa.Integer(), nullable=False),
        sa.Column("last_wait_seq", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        *_timestamps(),
        # The seat counter can never pass the capacity, whatever a bug or a race would do.
        sa.CheckConstraint("capacity >= 1 AND enrolled_count >= 0 AND enrolled_count <= capacity",
                           name="seats"))
    op.create_index("ix_events_host_zone_id_starts_at", "events", ["host_zone_id", "starts_at"])
    op.create_table(
        "venue_bookings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("venue_id", sa.Integer(), sa.ForeignKey("venues.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id")),
        sa.Column("purpose", sa.String(300), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("booked_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("ends_at > starts_at", name="period"))
    op.create_index("ix_venue_bookings_zone_id", "venue_bookings", ["zone_id"])
    op.create_index("ix_venue_bookings_zone_id_venue_id_starts_at", "venue_bookings",
                    ["zone_id", "venue_id", "starts_at"])
    op.create_table(
        "venue_booking_slots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("venue_id", sa.Integer(), sa.ForeignKey("venues.id", ondelete="CASCADE"), nullable=False),
        sa.Column("booking_id", sa.Integer(), sa.ForeignKey("venue_bookings.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("slot_start", sa.DateTime(timezone=True), nullable=False),
        # No double booking, on both engines: one row per half hour of a venue, ever.
        sa.UniqueConstraint("venue_id", "slot_start", name="uq_venue_booking_slots_venue_id_slot_start"))
    op.create_index("ix_venue_booking_slots_zone_id", "venue_booking_slots", ["zone_id"])
    op.create_index("ix_venue_booking_slots_zone_id_booking_id", "venue_booking_slots", ["zone_id", "booking_id"])
    op.create_table(
        "event_registrations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("wait_position", sa.Integer()),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("event_id", "user_id", name="uq_event_registrations_event_id_user_id"))
    op.create_index("ix_event_registrations_event_id_state_wait_position", "event_registrations",
                    ["event_id", "state", "wait_position"])
    op.create_index("ix_event_registrations_user_id", "event_registrations", ["user_id"])
    op.create_table(
        "consulting_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("requester_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("requesting_unit", sa.String(200), nullable=False),
        sa.Column("contact", sa.String(200)),
        sa.Column("field", sa.String(50), nullable=False),
        sa.Column("category", sa.String(32)),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("rating", sa.Integer()),
        sa.Column("rating_comment", sa.String(1000)),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("rated_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"))
    op.create_index("ix_consulting_requests_zone_id_asked_at", "consulting_requests", ["zone_id", "asked_at"])
    op.create_index("ix_consulting_requests_requester_id", "consulting_requests", ["requester_id"])
    for table in ("consulting_assignments", "consulting_answers"):
        extra = ([sa.Column("assigned_by_id", sa.Integer(), sa.ForeignKey("users.id")),
                  sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False)]
                 if table == "consulting_assignments" else
                 [sa.Column("body", sa.Text(), nullable=False),
                  sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False)])
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("request_id", sa.Integer(), sa.ForeignKey("consulting_requests.id", ondelete="CASCADE"),
                      nullable=False),
            sa.Column("expert_id", sa.Integer(), sa.ForeignKey("expert_profiles.id"), nullable=False),
            *extra,
            sa.UniqueConstraint("request_id", "expert_id", name=f"uq_{table}_request_id_expert_id"))
        op.create_index(f"ix_{table}_request_id", table, ["request_id"])
    op.create_index("ix_consulting_assignments_expert_id", "consulting_assignments", ["expert_id"])
    op.create_table(
        "standard_uptake_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("standard_id", sa.Integer(), sa.ForeignKey("standards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_name", sa.String(200), nullable=False),
        sa.Column("place", sa.String(200)),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date()),
        sa.Column("summary", sa.Text()),
        sa.Column("results", sa.Text()),
        sa.Column("outcome", sa.String(16)),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        *_timestamps())
    op.create_index("ix_standard_uptake_records_zone_id_standard_id", "standard_uptake_records",
                    ["zone_id", "standard_id"])
    op.create_index("ix_standard_uptake_records_standard_id_kind", "standard_uptake_records",
                    ["standard_id", "kind"])
    if rls.is_postgresql():
        for table in SHARED:
            rls.grant(table)
        for table in ZONE_PRIVATE:
            rls.grant(table)
            rls.isolate_by_zone(table)
        for table in PUBLIC_ZONE_WRITTEN:
            rls.grant(table)
            _public_read_zone_write(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
