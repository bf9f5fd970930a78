"""A real crash: a child process runs an order on a SQLite journal and is killed with SIGKILL at each
state (before and after the state's side effect); the parent then reconciles the same files."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.journal import Journal, OrderState, Reconciler
from kiosk.spooler import Spooler, SpoolerPrintPort
from tests.kiosk.journal.journal_fakes import FileBackend, RecordingPrinter, render_for_print

S = OrderState
CHILD = Path(__file__).with_name("crash_child.py")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


@dataclass(frozen=True)
class Scenario:
    state: OrderState
    phase: str  # before | after the side effect of `state`
    service: str = "paid"
    payer: str = "pays"
    end: OrderState = S.DONE
    charged: int = 1
    issued: int = 1
    printed: int = 1
    reprint: bool = False

    @property
    def name(self) -> str:
        return f"{self.service}-{self.state}-{self.phase}-{self.payer}"


SCENARIOS = [
    Scenario(S.PAYMENT_PENDING, "before", end=S.CANCELLED, charged=0, issued=0, printed=0),
    Scenario(S.PAYMENT_PENDING, "after", payer="walks", end=S.CANCELLED, charged=0, issued=0, printed=0),
    Scenario(S.PAYMENT_PENDING, "after"),
    Scenario(S.PAID, "before"),
    Scenario(S.ISSUE_PENDING, "before"),
    Scenario(S.ISSUE_PENDING, "after"),
    Scenario(S.PRINT_PENDING, "before"),
    Scenario(S.PRINT_PENDING, "after", printed=2, reprint=True),
    Scenario(S.PRINTED, "before"),
    Scenario(S.ISSUE_PENDING, "before", service="free", charged=0),
    Scenario(S.PRINT_PENDING, "after", service="free", charged=0, printed=2, reprint=True),
]


@pytest.fixture(scope="module")
def crash_host() -> Iterator[subprocess.Popen[str]]:
    """The child process that forks one victim per scenario."""
    process = subprocess.Popen([sys.executable, str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True)  # fmt: skip
    yield process
    process.stdin.close()  # type: ignore[union-attr]  # ends the host's loop
    process.wait(timeout=10)
    process.stdout.close()  # type: ignore[union-attr]


def _read_line(process: subprocess.Popen[str], timeout: float) -> list[str]:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, "the crash child did not answer"
    return process.stdout.readline().split()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_killed_at_each_state_reconciles_to_one_charge_and_one_document(
    crash_host: subprocess.Popen[str], tmp_path: Path, scenario: Scenario
) -> None:
    workdir = tmp_path
    command = f"RUN {workdir} {scenario.state} {scenario.phase} {scenario.service} {scenario.payer}\n"
    crash_host.stdin.write(command)  # type: ignore[union-attr]
    crash_host.stdin.flush()  # type: ignore[union-attr]
    word, pid, order_id, state = _read_line(crash_host, timeout=60)
    assert (word, state) == ("STOPPED", scenario.state)
    os.kill(int(pid), signal.SIGKILL)
    assert _read_line(crash_host, timeout=10) == ["REAPED", pid, str(-signal.SIGKILL)]

    backend = FileBackend(workdir / "backend.json")
    with Journal.for_home(workdir, kiosk_id="crash-kiosk") as journal:
        assert journal.get(order_id).state is scenario.state  # the committed state survived the kill
        with Spooler(journal, {"card": RecordingPrinter(backend)}, backoff_s=(0.0,)) as spooler:
            port = SpoolerPrintPort(spooler, lambda order: "card", render_for_print)
            report = Reconciler(journal, backend, port).reconcile()
        outcome = report.for_order(order_id)
        assert (outcome.to_state, outcome.error) == (scenario.end, None)
        order = journal.get(order_id)
    money = backend.state()
    assert money["charges"] == scenario.charged
    assert money["issued"] == scenario.issued
    assert len(money["printed"]) == scenario.printed
    assert backend.calls("create_payment") <= 1
    if scenario.printed:
        numbers = {print_["number"] for print_ in money["printed"]}
        assert numbers == {order.document_number}
        assert money["printed"][-1]["reprint"] is scenario.reprint
