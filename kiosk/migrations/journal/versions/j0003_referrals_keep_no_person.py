"""A referral to the counter keeps no reason and no link to the person (for a certificate, "referred" can mean
"a record was found"): existing referrals lose their person hash and their reason. Irreversible by design: the
downgrade leaves them as they are now.

Revision ID: j0003
Revises: j0002
"""

import sqlalchemy as sa
from alembic import op

revision = "j0003"
down_revision = "j0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE orders SET person_hash = NULL, last_error = 'referred' WHERE state = 'REFERRED'"))
    bind.execute(sa.text("UPDATE order_events SET error_code = 'referred' WHERE to_state = 'REFERRED'"))


def downgrade() -> None:
    pass  # the purged reasons and hashes are gone on purpose
