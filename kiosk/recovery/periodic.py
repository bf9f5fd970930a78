"""While the kiosk runs: money left unsettled (a payment order nobody closed, a refund not yet confirmed) is
settled every few minutes, never the live visit's own order, and never by printing (someone may be at the
kiosk: documents left to print wait for the next start-up, which prints them before the first citizen)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection

from kiosk.alerts import KioskAlerts
from kiosk.backend.client import BackendClient
from kiosk.journal import Journal, OrderState, Reconciler, ReconcileReport
from kiosk.recovery.backend_port import BackendAdapter
from kiosk.recovery.refunds import REFUND_FAILED

log = logging.getLogger(__name__)
# Everything up to (not including) printing: an unanswered payment, an issue whose answer never came (read back
# by its key: refunded when nothing was issued), a refund owed or not yet confirmed.
MONEY_STATES = frozenset({OrderState.PAYMENT_PENDING, OrderState.PAID, OrderState.ISSUE_PENDING,
                          OrderState.REFUND_PENDING, OrderState.REFUND_REQUESTED})  # fmt: skip


class _NoPrinting:
    def print_document(self, *_args: object, **_kwargs: object) -> None:  # pragma: no cover - never reached
        raise RuntimeError("a periodic pass never prints")


class MoneyReconciler:
    def __init__(self, journal: Journal, backend: Callable[[], BackendClient], live_orders: Callable[[], Collection[str]],
                 alerts: KioskAlerts, interval_s: float = 120.0) -> None:  # fmt: skip
        self._journal, self._backend, self._live, self._alerts = journal, backend, live_orders, alerts
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._alerted: set[str] = set()

    def run_once(self) -> ReconcileReport:
        reconciler = Reconciler(self._journal, BackendAdapter(self._backend(), self._journal), _NoPrinting())
        report = reconciler.reconcile(exclude=set(self._live()), states=MONEY_STATES, startup=False)
        for order in self._journal.refunds_owed():
            if order.last_error == REFUND_FAILED and order.order_id not in self._alerted:
                self._alerted.add(order.order_id)  # one alert per order, not one per pass
                self._alerts.raise_alert("refund_failed", {"order": order.order_id, "amount_cents": order.amount_cents})
        return report

    def start(self) -> MoneyReconciler:
        self._thread = threading.Thread(target=self._run, name="money-reconciler", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.run_once()
            except Exception as error:  # the next pass tries again
                log.warning("periodic reconciliation failed: %s", type(error).__name__)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=10)
