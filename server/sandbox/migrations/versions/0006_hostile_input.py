"""face attempts are counted; stored idempotent answers expire; document numbers are random, not counted

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "face_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("matched", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("face_attempts") as batch:
        batch.create_index("ix_face_attempts_kiosk_id", ["kiosk_id"])
        batch.create_index("ix_face_attempts_id_number", ["id_number"])
        batch.create_index("ix_face_attempts_at", ["at"])
    with op.batch_alter_table("idempotency_records") as batch:
        batch.create_index("ix_idempotency_records_created_at", ["created_at"])
    op.drop_table("sequences")


def downgrade() -> None:
    op.create_table(
        "sequences",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("idempotency_records") as batch:
        batch.drop_index("ix_idempotency_records_created_at")
    op.drop_table("face_attempts")
