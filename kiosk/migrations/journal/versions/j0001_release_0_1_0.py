"""The journal as release 0.1.0 created it (create_all): orders, order_events, print_jobs, order_items.

Idempotent on purpose: a 0.1.0 kiosk has these tables without a version table (order_items only once a
traffic order was journalled), so each table is created only when it is missing.

Revision ID: j0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "j0001"
down_revision = None
branch_labels = None
depends_on = None

STATES = ("CREATED", "PAYMENT_PENDING", "PAID", "ISSUE_PENDING", "PRINT_PENDING", "PRINTED", "DONE", "FAILED",
          "CANCELLED", "REFUND_PENDING", "REFERRED")  # fmt: skip


def _state(column: str, name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(column, sa.Enum(*STATES, name=name, native_enum=False, create_constraint=True, length=24),
                     nullable=nullable)  # fmt: skip


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "orders" not in existing:
        op.create_table(
            "orders",
            sa.Column("order_id", sa.String(36), primary_key=True),
            sa.Column("kiosk_id", sa.String(64), nullable=False),
            sa.Column("service", sa.Enum("temp_id", "certificate", "traffic", name="service", native_enum=False,
                                         create_constraint=True, length=24), nullable=False),
            _state("state", "order_state"),
            sa.Column("amount_cents", sa.Integer, nullable=False),
            sa.Column("payment_key", sa.String(64), nullable=False, unique=True),
            sa.Column("issue_key", sa.String(64), nullable=False, unique=True),
            sa.Column("print_key", sa.String(64), nullable=False, unique=True),
            sa.Column("payment_order_id", sa.String(64)),
            sa.Column("document_number", sa.String(64)),
            sa.Column("document_kind", sa.String(32)),
            sa.Column("print_attempts", sa.Integer, nullable=False),
            sa.Column("reprint", sa.Boolean, nullable=False),
            sa.Column("person_hash", sa.String(64)),
            sa.Column("last_error", sa.String(64)),
            sa.Column("created_at", sa.DateTime, nullable=False),
            sa.Column("updated_at", sa.DateTime, nullable=False),
        )  # fmt: skip
        op.create_index("ix_orders_person_hash", "orders", ["person_hash"])
        op.create_index("ix_orders_state", "orders", ["state"])
        op.create_index("ix_orders_updated_at", "orders", ["updated_at"])
    if "order_events" not in existing:
        op.create_table(
            "order_events",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("order_id", sa.String(36), sa.ForeignKey("orders.order_id", ondelete="CASCADE"), nullable=False),
            _state("from_state", "event_from_state", nullable=True),
            _state("to_state", "event_to_state"),
            sa.Column("error_code", sa.String(64)),
            sa.Column("at", sa.DateTime, nullable=False),
        )
        op.create_index("ix_order_events_order_id", "order_events", ["order_id"])
    if "print_jobs" not in existing:
        op.create_table(
            "print_jobs",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("order_id", sa.String(36), sa.ForeignKey("orders.order_id", ondelete="CASCADE"), nullable=False),
            sa.Column("printer", sa.String(64), nullable=False),
            sa.Column("document_number", sa.String(64)),
            sa.Column("attempt", sa.Integer, nullable=False),
            sa.Column("state", sa.Enum("queued", "printing", "done", "failed", name="print_job_state",
                                       native_enum=False, create_constraint=True, length=24), nullable=False),
            sa.Column("is_reprint", sa.Boolean, nullable=False),
            sa.Column("error_code", sa.String(64)),
            sa.Column("created_at", sa.DateTime, nullable=False),
            sa.Column("updated_at", sa.DateTime, nullable=False),
        )  # fmt: skip
        op.create_index("ix_print_jobs_order", "print_jobs", ["order_id", "id"])
    if "order_items" not in existing:
        op.create_table(
            "order_items",
            sa.Column("order_id", sa.String(36), primary_key=True),
            sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("item_id", sa.String(32), nullable=False),
        )


def downgrade() -> None:
    for table in ("order_items", "print_jobs", "order_events", "orders"):
        op.drop_table(table)
