"""Order states and the one table of legal transitions.

Money rule enforced here, not in every flow: once an order may have been charged (PAID and later), it can only
end in DONE or REFUNDED, so a failure after payment is never silently dropped. REFUND_PENDING means the money must
go back and the backend has not yet accepted the refund; REFUND_REQUESTED means it has (the refund reference is
journalled) and the kiosk waits for its confirmation. Both are retried until the backend confirms.
"""

from __future__ import annotations

import enum


class OrderState(enum.StrEnum):
    CREATED = "CREATED"
    PAYMENT_PENDING = "PAYMENT_PENDING"
    PAID = "PAID"
    ISSUE_PENDING = "ISSUE_PENDING"
    PRINT_PENDING = "PRINT_PENDING"
    PRINTED = "PRINTED"
    DONE = "DONE"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    REFUND_PENDING = "REFUND_PENDING"
    REFERRED = "REFERRED"
    REFUND_REQUESTED = "REFUND_REQUESTED"
    REFUNDED = "REFUNDED"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_STATES


S = OrderState

TERMINAL_STATES = frozenset({S.DONE, S.FAILED, S.CANCELLED, S.REFUNDED, S.REFERRED})
REFUND_STATES = frozenset({S.REFUND_PENDING, S.REFUND_REQUESTED})  # money owed back, not yet confirmed

# Every legal move. Paid-only and free-only edges are narrowed by allowed_targets() below.
TRANSITIONS: dict[OrderState, frozenset[OrderState]] = {
    S.CREATED: frozenset({S.PAYMENT_PENDING, S.ISSUE_PENDING, S.CANCELLED, S.FAILED, S.REFERRED}),
    S.PAYMENT_PENDING: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.ISSUE_PENDING, S.REFUND_PENDING}),
    S.ISSUE_PENDING: frozenset({S.PRINT_PENDING, S.FAILED, S.REFERRED, S.REFUND_PENDING}),
    S.PRINT_PENDING: frozenset({S.PRINTED, S.FAILED, S.REFUND_PENDING}),
    S.PRINTED: frozenset({S.DONE}),
    S.DONE: frozenset(),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REFUND_PENDING: frozenset({S.REFUND_REQUESTED, S.REFUNDED}),
    S.REFUND_REQUESTED: frozenset({S.REFUNDED}),
    S.REFUNDED: frozenset(),
    S.REFERRED: frozenset(),
}

# Edges that exist only for orders with a fee, and only for free orders.
_PAID_ONLY = frozenset({(S.CREATED, S.PAYMENT_PENDING), (S.ISSUE_PENDING, S.REFUND_PENDING),
                        (S.PRINT_PENDING, S.REFUND_PENDING), (S.REFUND_PENDING, S.REFUND_REQUESTED),
                        (S.REFUND_PENDING, S.REFUNDED), (S.REFUND_REQUESTED, S.REFUNDED)})  # fmt: skip
_FREE_ONLY = frozenset({(S.CREATED, S.ISSUE_PENDING), (S.ISSUE_PENDING, S.FAILED), (S.ISSUE_PENDING, S.REFERRED),
                        (S.PRINT_PENDING, S.FAILED)})  # fmt: skip


class IllegalTransition(ValueError):
    """A state change the transition table does not allow; the order is left unchanged."""

    def __init__(self, order_id: str, from_state: OrderState, to_state: OrderState, why: str = "") -> None:
        self.order_id = order_id
        self.from_state = from_state
        self.to_state = to_state
        detail = f" ({why})" if why else ""
        super().__init__(f"order {order_id}: {from_state} -> {to_state} is not allowed{detail}")


def allowed_targets(from_state: OrderState, *, paid_service: bool) -> frozenset[OrderState]:
    """The states an order may move to next; paid_service = the order carries a fee."""
    excluded = _FREE_ONLY if paid_service else _PAID_ONLY
    return frozenset(to for to in TRANSITIONS[from_state] if (from_state, to) not in excluded)


def is_legal(from_state: OrderState, to_state: OrderState, *, paid_service: bool) -> bool:
    return to_state in allowed_targets(from_state, paid_service=paid_service)
