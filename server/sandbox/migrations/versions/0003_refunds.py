"""refunds of paid payment orders, requested by the kiosk itself

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payment_orders") as batch:
        batch.add_column(sa.Column("refund_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("refund_state", sa.String(16), nullable=True))
        batch.add_column(sa.Column("refund_cents", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("refund_requested_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("refund_settled_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("payment_orders") as batch:
        for column in ("refund_settled_at", "refund_requested_at", "refund_cents", "refund_state", "refund_id"):
            batch.drop_column(column)
