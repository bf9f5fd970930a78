"""Crash-test child. Imports once, then for every `RUN WORKDIR STATE before|after paid|free pays|walks` line
on stdin forks a process that runs one order through the journal on a real SQLite file, prints
`STOPPED PID ORDER_ID STATE` where it was told to stop and blocks until the test kills it with SIGKILL.
The forking parent reaps it and prints `REAPED PID STATUS`. (Forking after the imports keeps each crash
case at a few milliseconds instead of a fresh interpreter's second.)
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from journal_fakes import FileBackend, RecordingPrinter, drive_order

from kiosk.journal import Journal, OrderRecord, OrderState
from kiosk.spooler import Spooler


def run_order(workdir: Path, state: str, phase: str, service: str, payer: str) -> None:
    backend = FileBackend(workdir / "backend.json")
    journal = Journal.for_home(workdir, kiosk_id="crash-kiosk")
    spooler = Spooler(journal, {"card": RecordingPrinter(backend)}, backoff_s=(0.0,)).start()

    def stop_here(order: OrderRecord) -> None:
        print(f"STOPPED {os.getpid()} {order.order_id} {order.state}", flush=True)
        threading.Event().wait()  # block for ever: SIGKILL ends us with the transaction half done

    drive_order(journal, backend, spooler, paid=service == "paid", stop_at=OrderState(state),
                after_effect=phase == "after", citizen_pays=payer == "pays", on_stop=stop_here)  # fmt: skip
    print(f"FINISHED {os.getpid()} - -", flush=True)


def main() -> None:
    for line in sys.stdin:
        command, *args = line.split()
        if command != "RUN":
            continue
        pid = os.fork()
        if pid == 0:
            try:
                run_order(Path(args[0]), *args[1:5])
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        print(f"REAPED {pid} {code}", flush=True)


if __name__ == "__main__":
    main()
