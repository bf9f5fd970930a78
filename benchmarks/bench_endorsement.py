"""The kiosk's own share of an endorsement visit (issue 13): everything but the citizen's choices, the face
prompts and the payment, on simulators paced like hardware - the permit's chip at 424 kbit/s through a real
private pcscd (bench_permit.py), the rewritable printer erasing and printing at 50 mm/s per pass [U], the
sandbox backend on loopback. Timed: the permit-number look-up, the chip read with the eligibility answer, and after
the payment the issue, the chip write with read-back, the back print, the written confirmation and the receipt.

Run: .venv/bin/python benchmarks/bench_endorsement.py   (root: it starts its own pcscd in a mount namespace)
Goal: <= 30 s (endorsement kiosks in service take about 40 s in all).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
RUNS = 3


def one_visit(env, runtime) -> dict[str, float]:
    from devices.permit.sim import get_simulator as permit_simulator
    from kiosk.flows.base import StepKind
    from server.sandbox.demo_data import ZHANG

    own: dict[str, float] = {}

    def timed(name, call):
        started = time.perf_counter()
        view = call()
        own[name] = own.get(name, 0.0) + time.perf_counter() - started
        return view

    flow = runtime.start_flow("endorsement")
    flow.handle("enter_id_number")
    timed("identify", lambda: flow.handle("submit_id_number", id_number=ZHANG))
    timed("permit_access", lambda: flow.handle("submit_permit_number", permit_number="C60123458"))
    permit_simulator("permit").present("zhang_weiming")
    view = flow.view()
    while view.step is StepKind.READ_PERMIT:  # the chip read and the eligibility answer
        view = timed("read_permit", lambda: flow.handle("read_permit"))
    env.present_face(ZHANG)
    while view.step is StepKind.CAPTURE_FACE:  # the citizen's part: not counted
        view = flow.handle("capture_face", frame=runtime.camera_frame(), t=time.monotonic())
    assert view.step is StepKind.CHOOSE_ENDORSEMENT, view.data
    option = next(o for o in view.data["options"] if (o["destination"], o["entries"]) == ("HK", 1))
    flow.handle("choose_endorsement", option_id=option["id"])
    flow.handle("confirm")
    env.settle_payment("pay")  # the citizen's phone: not counted
    view = timed("issue_write_print", lambda: flow.handle("check_payment"))
    assert view.step is StepKind.DONE, view.data
    runtime.end_session("finished")
    permit_simulator("permit").remove()
    return own


def main() -> int:
    from devices.sim import registry
    from kiosk.demo import DemoEnvironment
    from kiosk.home import KioskHome

    env = DemoEnvironment.start(KioskHome(Path(tempfile.mkdtemp())))
    try:
        env.sandbox.state.settings.endorsement_wait_days = 0  # the same demo citizen may re-endorse every run
        printer = registry.get_instance("permit_printer")
        printer.pace = True  # erase and print at the data-sheet speed
        from devices.permit.sim import get_simulator as permit_simulator
        from devices.permit.sim.vpcd import Pacing

        permit_simulator("permit").pacing = Pacing()  # 424 kbit/s + 2 ms per APDU
        totals = []
        for run in range(RUNS):
            own = one_visit(env, env.runtime)
            totals.append(sum(own.values()))
            print(f"run {run + 1}: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in own.items())
                  + f"; kiosk's own share {totals[-1]:.2f} s")  # fmt: skip
        print(f"median kiosk's own share over {RUNS} visits: {statistics.median(totals):.2f} s (goal <= 30 s)")
    finally:
        env.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
