"""Every (from, to) pair for paid and free orders, checked against the business rules written out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.journal import IllegalTransition, Journal, OrderState, Service, UnknownOrder

S = OrderState

# The rules, stated independently of kiosk/journal/states.py.
PAID_LEGAL = {
    (S.CREATED, S.PAYMENT_PENDING), (S.CREATED, S.CANCELLED), (S.CREATED, S.FAILED), (S.CREATED, S.REFERRED),
    (S.PAYMENT_PENDING, S.PAID), (S.PAYMENT_PENDING, S.CANCELLED),
    (S.PAID, S.ISSUE_PENDING), (S.PAID, S.REFUND_PENDING),
    (S.ISSUE_PENDING, S.PRINT_PENDING), (S.ISSUE_PENDING, S.REFUND_PENDING),
    (S.PRINT_PENDING, S.PRINTED), (S.PRINT_PENDING, S.REFUND_PENDING),
    (S.PRINTED, S.DONE),
    (S.REFUND_PENDING, S.REFUND_REQUESTED), (S.REFUND_PENDING, S.REFUNDED), (S.REFUND_REQUESTED, S.REFUNDED),
}  # fmt: skip
FREE_LEGAL = {
    (S.CREATED, S.ISSUE_PENDING), (S.CREATED, S.CANCELLED), (S.CREATED, S.FAILED), (S.CREATED, S.REFERRED),
    (S.ISSUE_PENDING, S.PRINT_PENDING), (S.ISSUE_PENDING, S.FAILED), (S.ISSUE_PENDING, S.REFERRED),
    (S.PRINT_PENDING, S.PRINTED), (S.PRINT_PENDING, S.FAILED),
    (S.PRINTED, S.DONE),
}  # fmt: skip

# How to reach each state from CREATED, by a legal path.
PAID_PATHS = {
    S.CREATED: [], S.PAYMENT_PENDING: [S.PAYMENT_PENDING], S.PAID: [S.PAYMENT_PENDING, S.PAID],
    S.ISSUE_PENDING: [S.PAYMENT_PENDING, S.PAID, S.ISSUE_PENDING],
    S.PRINT_PENDING: [S.PAYMENT_PENDING, S.PAID, S.ISSUE_PENDING, S.PRINT_PENDING],
    S.PRINTED: [S.PAYMENT_PENDING, S.PAID, S.ISSUE_PENDING, S.PRINT_PENDING, S.PRINTED],
    S.DONE: [S.PAYMENT_PENDING, S.PAID, S.ISSUE_PENDING, S.PRINT_PENDING, S.PRINTED, S.DONE],
    S.FAILED: [S.FAILED], S.CANCELLED: [S.CANCELLED], S.REFERRED: [S.REFERRED],
    S.REFUND_PENDING: [S.PAYMENT_PENDING, S.PAID, S.REFUND_PENDING],
    S.REFUND_REQUESTED: [S.PAYMENT_PENDING, S.PAID, S.REFUND_PENDING, S.REFUND_REQUESTED],
    S.REFUNDED: [S.PAYMENT_PENDING, S.PAID, S.REFUND_PENDING, S.REFUNDED],
}  # fmt: skip
FREE_PATHS = {
    S.CREATED: [], S.ISSUE_PENDING: [S.ISSUE_PENDING], S.PRINT_PENDING: [S.ISSUE_PENDING, S.PRINT_PENDING],
    S.PRINTED: [S.ISSUE_PENDING, S.PRINT_PENDING, S.PRINTED],
    S.DONE: [S.ISSUE_PENDING, S.PRINT_PENDING, S.PRINTED, S.DONE],
    S.FAILED: [S.FAILED], S.CANCELLED: [S.CANCELLED], S.REFERRED: [S.REFERRED],
}  # fmt: skip


def _walk(journal: Journal, paid: bool, path: list[OrderState]) -> str:
    order = journal.create_order(Service.TEMP_ID if paid else Service.CERTIFICATE, amount_cents=1000 if paid else 0)
    for state in path:
        _step(journal, order.order_id, state)
    return order.order_id


def _step(journal: Journal, order_id: str, to_state: OrderState) -> None:
    fields = {"document_number": "N-1", "document_kind": "kind"} if to_state is S.PRINT_PENDING else {}
    journal.advance(order_id, to_state, **fields)


@pytest.fixture(scope="module")
def shared_journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    """One database for all pair cases: each makes its own orders, so they stay independent."""
    path: Path = tmp_path_factory.mktemp("transitions") / "journal.sqlite3"
    with Journal.open(f"sqlite:///{path}", kiosk_id="test-kiosk") as opened:
        yield opened


CASES = [(True, state) for state in PAID_PATHS] + [(False, state) for state in FREE_PATHS]


@pytest.mark.parametrize(("paid", "from_state"), CASES)
def test_each_target_is_legal_exactly_when_the_rules_say(
    shared_journal: Journal, paid: bool, from_state: OrderState
) -> None:
    """All thirteen targets from one state: illegal ones on a single order (they must change nothing), each
    legal one on a fresh order walked to `from_state`."""
    journal, rules = shared_journal, (PAID_LEGAL if paid else FREE_LEGAL)
    path = (PAID_PATHS if paid else FREE_PATHS)[from_state]
    probe = _walk(journal, paid, path)
    events_before = journal.events(probe)
    for to_state in OrderState:
        if (from_state, to_state) in rules:
            order_id = _walk(journal, paid, path)
            _step(journal, order_id, to_state)
            assert journal.get(order_id).state is to_state
            last = journal.events(order_id)[-1]
            assert (last.from_state, last.to_state) == (from_state, to_state)
            continue
        with pytest.raises(IllegalTransition) as raised:
            _step(journal, probe, to_state)
        assert (raised.value.from_state, raised.value.to_state) == (from_state, to_state)
        assert journal.get(probe).state is from_state, to_state
    assert journal.events(probe) == events_before


def test_print_pending_needs_a_document_number(journal: Journal) -> None:
    order_id = _walk(journal, False, [S.ISSUE_PENDING])
    with pytest.raises(IllegalTransition, match="no document number"):
        journal.advance(order_id, S.PRINT_PENDING)
    assert journal.get(order_id).state is S.ISSUE_PENDING


def test_advance_refuses_fields_that_are_not_order_fields(journal: Journal) -> None:
    order = journal.create_order(Service.CERTIFICATE)
    with pytest.raises(TypeError):
        journal.advance(order.order_id, S.ISSUE_PENDING, name="张三")
    assert journal.get(order.order_id).state is S.CREATED


def test_unknown_order_raises(journal: Journal) -> None:
    with pytest.raises(UnknownOrder):
        journal.mark_paid("no-such-order")
    with pytest.raises(UnknownOrder):
        journal.get("no-such-order")


def test_named_steps_walk_a_paid_order_and_log_every_event(journal: Journal) -> None:
    order = journal.create_order(Service.TEMP_ID, amount_cents=1000)
    journal.begin_payment(order.order_id)
    journal.record_payment_order(order.order_id, "PO-1")
    journal.mark_paid(order.order_id)
    journal.begin_issue(order.order_id)
    journal.begin_print(order.order_id, "T-0001", "temp_id_card")
    journal.mark_printed(order.order_id)
    done = journal.complete(order.order_id)
    assert (done.payment_order_id, done.document_number, done.document_kind) == ("PO-1", "T-0001", "temp_id_card")
    assert [event.to_state for event in journal.events(order.order_id)] == [
        S.CREATED, S.PAYMENT_PENDING, S.PAID, S.ISSUE_PENDING, S.PRINT_PENDING, S.PRINTED, S.DONE,
    ]  # fmt: skip
    # The keys were made once, at creation, and never change.
    assert (done.payment_key, done.issue_key, done.print_key) == (order.payment_key, order.issue_key,
                                                                  order.print_key)  # fmt: skip
    assert len({order.payment_key, order.issue_key, order.print_key}) == 3


def test_payment_order_id_only_while_payment_pending(journal: Journal) -> None:
    order = journal.create_order(Service.TRAFFIC, amount_cents=20000)
    with pytest.raises(IllegalTransition):
        journal.record_payment_order(order.order_id, "PO-9")
    assert journal.get(order.order_id).payment_order_id is None


def test_failure_codes_are_kept_on_the_order_and_the_event(journal: Journal) -> None:
    order = journal.create_order(Service.TEMP_ID, amount_cents=1000)
    journal.begin_payment(order.order_id, "PO-2")
    journal.mark_paid(order.order_id)
    journal.request_refund(order.order_id, "issue_rejected")
    stored = journal.get(order.order_id)
    assert (stored.state, stored.last_error, stored.payment_order_id) == (S.REFUND_PENDING, "issue_rejected", "PO-2")
    assert journal.events(order.order_id)[-1].error_code == "issue_rejected"


def test_negative_amount_is_refused(journal: Journal) -> None:
    with pytest.raises(ValueError):
        journal.create_order(Service.TRAFFIC, amount_cents=-1)
