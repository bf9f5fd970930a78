"""One whole service visit, end to end on the simulators and the sandbox on loopback: software time only.

Certificate (card read, live face, record check, purpose, issue, A4 print) and temporary ID (ID number, live
face, eligibility, payment order, issue, card print, receipt). The timed part is the kiosk's own work inside
flow.handle(); the citizen's actions (showing a face, paying on the phone) are not timed. Median of 10 each,
after one warm-up visit (font and cascade loading), plus the start-up reconciliation of an empty journal.

Run: .venv/bin/python benchmarks/bench_flows.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests
from sqlalchemy import delete

from kiosk.cli.commands.flow_cmd import prepare_simulators
from kiosk.config import BackendConfig, KioskConfig, default_config
from kiosk.demo import DEMO_PORTRAITS, prepare_registry_photos
from kiosk.home import KioskHome
from kiosk.recovery.startup import reconcile_at_startup
from kiosk.runtime import KioskRuntime
from server.sandbox.demo_data import ZHANG
from server.sandbox.models import TempIdCardRow
from server.sandbox.runner import RunningSandbox, start_in_thread
from server.sandbox.settings import DEMO_KIOSK_ID, DEMO_KIOSK_KEY, SandboxSettings

RUNS = 10


class Visit:
    """Times only the kiosk's own work: every flow.handle() call."""

    def __init__(self, runtime: KioskRuntime, service: str) -> None:
        self.runtime, self.flow, self.seconds = runtime, runtime.start_flow(service), 0.0

    def handle(self, intent: str, **payload: object) -> str:
        start = time.perf_counter()
        view = self.flow.handle(intent, **payload)
        self.seconds += time.perf_counter() - start
        return str(view.step)

    def face(self) -> str:
        from devices.camera.sim import get_simulator

        get_simulator("demo").present(DEMO_PORTRAITS[ZHANG])
        return self.handle("capture_face", frame=self.runtime.camera_frame())


def certificate_visit(runtime: KioskRuntime, sandbox: RunningSandbox) -> float:
    from devices.sim import registry

    registry.get_instance("idcard").place_card(f"demo-{ZHANG}")
    visit = Visit(runtime, "certificate")
    visit.handle("read_card")
    visit.face()
    visit.handle("submit_purpose", purpose="就业")
    assert visit.handle("confirm") == "done", visit.flow.view().data
    runtime.end_session("benchmark")
    return visit.seconds


def temp_id_visit(runtime: KioskRuntime, sandbox: RunningSandbox) -> float:
    with sandbox.state.sessions() as session:  # one active temporary ID per person: clear the last one
        session.execute(delete(TempIdCardRow).where(TempIdCardRow.id_number == ZHANG))
        session.commit()
    visit = Visit(runtime, "temp_id")
    visit.handle("submit_id_number", id_number=ZHANG)
    visit.face()
    assert visit.handle("confirm") == "pay", visit.flow.view().data
    url = f"{sandbox.base_url}/api/v1/sandbox/payments/{visit.flow.payment_order_id}/pay"
    requests.post(url, timeout=10).raise_for_status()
    assert visit.handle("check_payment") == "done", visit.flow.view().data
    runtime.end_session("benchmark")
    return visit.seconds


def median_ms(visit: Callable[[KioskRuntime, RunningSandbox], float], runtime, sandbox) -> tuple[float, float]:
    visit(runtime, sandbox)  # warm-up
    timings = sorted(visit(runtime, sandbox) * 1000 for _ in range(RUNS))
    return statistics.median(timings), timings[-1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        photos = prepare_registry_photos(root / "photos")
        settings = SandboxSettings(db_url=f"sqlite:///{root / 'sandbox.sqlite3'}", photo_dir=photos,
                                   record_yearly_cap=0)  # fmt: skip
        with start_in_thread(settings) as sandbox:
            config = KioskConfig(kiosk_id=DEMO_KIOSK_ID, devices=default_config().devices,
                                 backend=BackendConfig(url=sandbox.base_url, kiosk_key=DEMO_KIOSK_KEY))  # fmt: skip
            runtime = KioskRuntime(KioskHome(root / "home"), config).open()
            try:
                prepare_simulators()
                for name, visit in (("certificate", certificate_visit), ("temp-id", temp_id_visit)):
                    median, worst = median_ms(visit, runtime, sandbox)
                    print(f"{name} visit: median of {RUNS} {median:.0f} ms (slowest {worst:.0f} ms) software time")
                start = time.perf_counter()
                report = reconcile_at_startup(runtime.journal, runtime.backend, runtime.devices, runtime.config.kiosk_id)
                print(f"start-up reconciliation, nothing unfinished: {(time.perf_counter() - start) * 1000:.1f} ms "
                      f"({len(report.outcomes)} orders)")  # fmt: skip
            finally:
                runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
