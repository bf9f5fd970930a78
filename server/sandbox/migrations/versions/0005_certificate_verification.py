"""certificates: signed verification data (issuer keys, issuing unit and checked-until date kept per row)

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issuer_keys",
        sa.Column("kid", sa.String(32), primary_key=True),
        sa.Column("private_key", sa.LargeBinary(), nullable=False),
        sa.Column("public_x", sa.String(43), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(8), nullable=False, server_default="active"),
    )
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(sa.Column("issuing_unit", sa.String(64), nullable=True))
        batch.add_column(sa.Column("checked_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("key_id", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("key_id")
        batch.drop_column("checked_until")
        batch.drop_column("issuing_unit")
    op.drop_table("issuer_keys")
