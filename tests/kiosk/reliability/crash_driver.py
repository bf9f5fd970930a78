"""Child process of the crash tests: drives one temporary-ID visit and SIGKILLs itself at a chosen point.

python -m tests.kiosk.reliability.crash_driver SANDBOX_URL KIOSK_HOME KILL_POINT

KILL_POINT is a journal state (the kill comes right after that state is committed), "payment_recorded"
(after the backend's payment order id is journalled), "issued" (after the backend issued the card, before
the journal heard of it) or "print_started" (the card's print attempt journalled, the card not yet printed). The sandbox runs in the parent, so it survives the kill. Exit 3: never killed.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from kiosk.backend import transport
from kiosk.backend.client import BackendClient
from kiosk.home import KioskHome
from kiosk.journal.journal import Journal
from kiosk.journal.printjobs import PrintJobLog
from kiosk.runtime import KioskRuntime
from server.sandbox.demo_data import ZHANG
from tests.kiosk.flows.conftest import face_check, kiosk_config

NEVER_KILLED = 3


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _kill_after(owner: type, name: str, when: Callable[[Any], bool] = lambda _result: True) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if when(result):
            _die()
        return result

    setattr(owner, name, wrapper)


def install_kill_point(point: str) -> None:
    if point == "CREATED":
        _kill_after(Journal, "create_order")
    elif point == "payment_recorded":
        _kill_after(Journal, "record_payment_order")
    elif point == "issued":
        _kill_after(BackendClient, "issue_temp_id")
    elif point == "print_started":
        _kill_after(PrintJobLog, "attempt_started", lambda job: job.printer == "card_printer")
    else:
        _kill_after(Journal, "advance", lambda order: order.state == point)


def drive(url: str, home: Path, point: str) -> None:
    runtime = KioskRuntime(KioskHome(home), kiosk_config(url)).open()
    if point.startswith("REFUND"):  # a paid visit that cannot deliver: the card jams
        from devices.sim import registry

        registry.get_instance("t-card").jam_next_card()
    flow = runtime.start_flow("temp_id")
    flow.handle("submit_id_number", id_number=ZHANG)
    face_check(runtime, flow, ZHANG)
    flow.handle("confirm")
    requests.post(f"{url}/api/v1/sandbox/payments/{flow.payment_order_id}/pay", timeout=10).raise_for_status()
    flow.handle("check_payment")


def main(argv: list[str]) -> int:
    url, home, point = argv
    transport.MAX_BACKOFF_S = 0.01
    install_kill_point(point)
    drive(url, Path(home), point)
    return NEVER_KILLED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
