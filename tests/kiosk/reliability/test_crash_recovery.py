"""kill -9 of the kiosk process at every point of a paid visit, then a restart on the same data home.

The sandbox runs here, in the parent, and survives; the child drives a temporary-ID visit and SIGKILLs itself
right after the chosen journal state is committed. Opening a new runtime reconciles at start-up. Whatever
the point: at most one charge and one card; a paid order ends DONE (the card and the receipt printed, as in
an uninterrupted visit; marked as a reprint only when a print of the card had really started) or REFUNDED
through the payment platform; an unpaid one CANCELLED with its backend payment order cancelled too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.home import KioskHome
from kiosk.journal.journal import Journal
from kiosk.journal.states import OrderState
from kiosk.runtime import KioskRuntime
from tests.kiosk.flows.conftest import kiosk_config, sim
from tests.kiosk.reliability.conftest import clear_faults, effects, pay_order, set_faults

ROOT = Path(__file__).resolve().parents[3]
S = OrderState

# kill point -> (final state, charged, cards issued, cards printed after the restart,
#                the order's journalled card print jobs in order, as is_reprint flags)
EXPECTED = {
    "CREATED": (S.CANCELLED, 0, 0, 0, []),
    "PAYMENT_PENDING": (S.CANCELLED, 0, 0, 0, []),  # the create call had not been sent
    "payment_recorded": (S.CANCELLED, 0, 0, 0, []),  # the citizen walked away
    "payment_recorded+paid": (S.REFUNDED, 1, 0, 0, []),  # paid on the phone during the outage
    "PAID": (S.REFUNDED, 1, 0, 0, []),
    "ISSUE_PENDING": (S.REFUNDED, 1, 0, 0, []),  # the issue call had not been sent
    "issued": (S.DONE, 1, 1, 1, [False]),  # issued, not yet journalled: read back by key, first print
    "PRINT_PENDING": (S.DONE, 1, 1, 1, [False]),  # no print had started: the card is an original
    "print_started": (S.DONE, 1, 1, 1, [False, True]),  # a copy may be in the tray: the next one says reprint
    "PRINTED": (S.DONE, 1, 1, 0, [False]),  # printed (and journalled by the spooler) before the kill
    "REFUND_PENDING": (S.REFUNDED, 1, 1, 0, [False]),  # the card jammed: killed before the refund was asked
    "REFUND_REQUESTED": (S.REFUNDED, 1, 1, 0, [False]),  # asked, not yet confirmed by the platform when killed
}


def crash_child(url: str, home: Path, point: str) -> None:
    command = [sys.executable, "-m", "tests.kiosk.reliability.crash_driver", url, str(home), point]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]


@pytest.mark.parametrize("point", list(EXPECTED))
def test_kill_9_then_restart_never_charges_twice_nor_loses_a_paid_order(sandbox, tmp_path, point):
    home = tmp_path / "kiosk-home"
    if point == "REFUND_REQUESTED":  # the payment platform accepts refunds first and confirms them later
        set_faults(sandbox, refund_async=True)
    crash_child(sandbox.base_url, home, point.removesuffix("+paid"))
    clear_faults(sandbox)
    config = kiosk_config(sandbox.base_url)
    order_before = journalled_order(home, config.kiosk_id)
    if point.endswith("+paid"):
        pay_order(sandbox, order_before.payment_order_id)  # the citizen paid while the kiosk restarted
    runtime = KioskRuntime(KioskHome(home), config).open()  # reconciles at start-up
    try:
        order = runtime.journal.get(order_before.order_id)
        outcome = runtime.reconcile_report.for_order(order.order_id)
        jobs = runtime.journal.print_jobs.for_order(order.order_id)
    finally:
        runtime.close()
    state, charged, cards, printed, print_jobs = EXPECTED[point]
    backend = effects(sandbox, order.order_id)
    assert (order.state, backend.charged, backend.cards) == (state, charged, cards), outcome
    assert len(sim("t-card").printed) == printed
    assert [job.is_reprint for job in jobs if job.printer == "card_printer"] == print_jobs
    receipts = [job for job in jobs if job.printer == "receipt_printer"]
    if charged:
        assert order.state in (S.DONE, S.REFUNDED)
        if order.state is S.DONE:  # delivered like an uninterrupted visit: card, then the fee receipt
            assert len(receipts) == 1 and not receipts[0].is_reprint
        else:  # refunded through the platform, the whole amount, exactly once
            assert backend.refunds == {order.payment_order_id: "refunded"} and backend.refunded_cents == 1000
            assert order.refund_reference and all(job.printer == "receipt_printer" for job in receipts)
    else:
        assert all(status == "cancelled" for status in backend.payments.values())
        assert len(backend.payments) == (0 if point == "CREATED" else 1)
    assert outcome.from_state is not None and outcome.finished


def journalled_order(home: Path, kiosk_id: str):
    """The one order the child journalled, read without opening a runtime (which would reconcile)."""
    with Journal.for_home(home, kiosk_id=kiosk_id) as journal:
        (order,) = journal.recent_orders()
        return order
