"""Refunds the kiosk requests itself (REFUND_REQUESTED, REFUNDED; REFUND_PENDING is no longer final), the
backend's refund reference on the order, and the service column without a CHECK (services come from the
registry: a new service needs no migration).

Downgrade (to run by this software before a switch back to 0.1.0): refunded and requested orders go back to
REFUND_PENDING, 0.1.0's final "refund at the counter" state (the reference is lost, the money is not); an order
of a service 0.1.0 does not know refuses the downgrade.

Revision ID: j0002
Revises: j0001
"""

import sqlalchemy as sa
from alembic import op

revision = "j0002"
down_revision = "j0001"
branch_labels = None
depends_on = None

OLD_STATES = ("CREATED", "PAYMENT_PENDING", "PAID", "ISSUE_PENDING", "PRINT_PENDING", "PRINTED", "DONE", "FAILED",
              "CANCELLED", "REFUND_PENDING", "REFERRED")  # fmt: skip
NEW_STATES = (*OLD_STATES, "REFUND_REQUESTED", "REFUNDED")
OLD_SERVICES = ("temp_id", "certificate", "traffic")


def _states(states: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*states, name=name, native_enum=False, create_constraint=True, length=24)


STATE_CHECKS = (("orders", "state", "order_state"), ("order_events", "from_state", "event_from_state"),
                ("order_events", "to_state", "event_to_state"))  # fmt: skip


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _pg_state_checks(states: tuple[str, ...]) -> None:
    """PostgreSQL alters in place: the CHECK constraints are replaced (SQLite recreates the tables instead)."""
    allowed = ", ".join(f"'{state}'" for state in states)
    for table, column, name in STATE_CHECKS:
        op.drop_constraint(name, table, type_="check")
        op.create_check_constraint(name, table, f"{column} IN ({allowed})")


def _retype_states(states_from: tuple[str, ...], states_to: tuple[str, ...]) -> None:
    if not _sqlite():
        _pg_state_checks(states_to)
        return
    with op.batch_alter_table("orders", recreate="always") as batch:
        batch.alter_column("state", type_=_states(states_to, "order_state"),
                           existing_type=_states(states_from, "order_state"), existing_nullable=False)  # fmt: skip
    with op.batch_alter_table("order_events", recreate="always") as batch:
        for column, name, nullable in (("from_state", "event_from_state", True), ("to_state", "event_to_state", False)):
            batch.alter_column(column, type_=_states(states_to, name), existing_type=_states(states_from, name),
                               existing_nullable=nullable)  # fmt: skip


def upgrade() -> None:
    if not _sqlite():
        op.drop_constraint("service", "orders", type_="check")
        op.alter_column("orders", "service", type_=sa.String(32), existing_type=sa.String(24), existing_nullable=False)
        op.add_column("orders", sa.Column("refund_reference", sa.String(64), nullable=True))
        _retype_states(OLD_STATES, NEW_STATES)
        return
    with op.batch_alter_table("orders", recreate="always") as batch:
        batch.alter_column("service", type_=sa.String(32), existing_nullable=False,
                           existing_type=sa.Enum(*OLD_SERVICES, name="service", native_enum=False,
                                                 create_constraint=True, length=24))  # fmt: skip
        batch.add_column(sa.Column("refund_reference", sa.String(64), nullable=True))
    _retype_states(OLD_STATES, NEW_STATES)


def downgrade() -> None:
    bind = op.get_bind()
    placeholders = ", ".join(f"'{name}'" for name in OLD_SERVICES)
    unknown = bind.execute(sa.text(f"SELECT COUNT(*) FROM orders WHERE service NOT IN ({placeholders})")).scalar()
    if unknown:
        raise RuntimeError(f"{unknown} orders belong to services release 0.1.0 does not know: downgrade refused")
    bind.execute(sa.text("UPDATE orders SET state = 'REFUND_PENDING' WHERE state IN ('REFUND_REQUESTED', 'REFUNDED')"))
    bind.execute(sa.text("UPDATE order_events SET to_state = 'REFUND_PENDING' "
                         "WHERE to_state IN ('REFUND_REQUESTED', 'REFUNDED')"))  # fmt: skip
    bind.execute(sa.text("DELETE FROM order_events WHERE from_state IN ('REFUND_REQUESTED', 'REFUND_PENDING') "
                         "AND to_state = 'REFUND_PENDING'"))  # fmt: skip
    _retype_states(NEW_STATES, OLD_STATES)
    if not _sqlite():
        op.drop_column("orders", "refund_reference")
        op.alter_column("orders", "service", type_=sa.String(24), existing_type=sa.String(32), existing_nullable=False)
        op.create_check_constraint("service", "orders", f"service IN ({placeholders})")
        return
    with op.batch_alter_table("orders", recreate="always") as batch:
        batch.drop_column("refund_reference")
        batch.alter_column("service", existing_type=sa.String(32), existing_nullable=False,
                           type_=sa.Enum(*OLD_SERVICES, name="service", native_enum=False, create_constraint=True,
                                         length=24))  # fmt: skip
