"""permits and Hong Kong/Macao endorsements

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "permits",
        sa.Column("permit_number", sa.String(9), primary_key=True),
        sa.Column("id_number", sa.String(18), sa.ForeignKey("citizens.id_number"), nullable=False),
        sa.Column("birth_date", sa.String(6), nullable=False),
        sa.Column("expiry_date", sa.String(6), nullable=False),
        sa.Column("state_employee", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "endorsements",
        sa.Column("number", sa.String(32), primary_key=True),
        sa.Column("permit_number", sa.String(9), sa.ForeignKey("permits.permit_number"), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("type", sa.String(1), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("payment_order_id", sa.String(32), nullable=True),
        sa.Column("kiosk_id", sa.String(64), nullable=True),
        sa.Column("authority", sa.String(64), nullable=False),
        sa.Column("record", sa.LargeBinary(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_permits_id_number", "permits", ["id_number"])
    op.create_index("ix_endorsements_permit_number", "endorsements", ["permit_number"])
    op.create_index("ix_endorsements_id_number", "endorsements", ["id_number"])


def downgrade() -> None:
    op.drop_index("ix_endorsements_id_number", "endorsements")
    op.drop_index("ix_endorsements_permit_number", "endorsements")
    op.drop_index("ix_permits_id_number", "permits")
    op.drop_table("endorsements")
    op.drop_table("permits")
