"""What the journal keeps of the face comparison that let a visit go on: score, threshold and the engine's
version (never a picture, landmarks or an embedding). Empty for visits without a face step (traffic by plate)
and for older orders.

Revision ID: j0004
Revises: j0003
"""

import sqlalchemy as sa
from alembic import op

revision = "j0004"
down_revision = "j0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("face_score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("face_threshold", sa.Float(), nullable=True))
        batch.add_column(sa.Column("face_engine", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        for column in ("face_engine", "face_threshold", "face_score"):
            batch.drop_column(column)
