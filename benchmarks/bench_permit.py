"""Permit figures (issue 13): the device share of an endorsement visit, on simulators paced like hardware.

- read: BAC + EF.COM + EF.SOD + DG1 + DG2 + DG11 + endorsement file, through a real private pcscd and the
  vpcd virtual reader, the chip answering at 424 kbit/s (ISO 14443, 9 bits a byte) plus 2 ms per APDU;
- write + read-back of one endorsement record on the same card;
- print: erase + print of the endorsement block on the rewritable printer over a pty at 115200 baud,
  the mechanism paced at 50 mm/s per pass [U] (85.6 mm card: 1.7 s a pass).

Run: .venv/bin/python benchmarks/bench_permit.py   (root: it starts its own pcscd in a mount namespace)
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

RUNS = 5
BAUD = 115200


def permit_figures(runs: int = RUNS) -> dict[str, list[float]]:
    from devices.permit.sim import pcscd

    running = pcscd.start()
    os.environ["PCSCLITE_CSOCK_NAME"] = str(running.socket_path)
    from devices.permit.device import PermitReader
    from devices.permit.endorsement_file import Endorsement, encode_record
    from devices.permit.pcsc import PcscPort, PcscUrl
    from devices.permit.sim.control import PermitSimulator
    from devices.permit.sim.issuer import demo_authority
    from devices.permit.sim.vpcd import Pacing

    times: dict[str, list[float]] = {"read": [], "write": [], "apdus": []}
    simulator = PermitSimulator(vpcd_port=running.vpcd_port, pacing=Pacing())
    url = PcscUrl(running.reader)
    reader = PermitReader("bench", PcscPort(url), monitor_port=PcscPort(url), trust_anchors=[demo_authority()[0]])
    try:
        reader.open()
        for run in range(runs):
            simulator.present("zhang_weiming", {"endorsements": []} if run % 2 else {})
            apdus_before = simulator.permit.chip.counters["apdus"]
            started = time.perf_counter()
            document = reader.read_permit(simulator.access_key(), timeout=30)
            times["read"].append(time.perf_counter() - started)
            times["apdus"].append(simulator.permit.chip.counters["apdus"] - apdus_before)
            document.wipe()
            today = dt.date.today()
            record = encode_record(Endorsement("G", "HK", 1, today, today + dt.timedelta(days=90), f"HK{run:010d}",
                                               "出入境管理局（演示）", "bench", bytes(64)))  # fmt: skip
            started = time.perf_counter()
            reader.write_endorsement(record, timeout=30)
            times["write"].append(time.perf_counter() - started)
            reader.end_session()
    finally:
        reader.close()
        simulator.close()
        running.stop()
    return times


def print_figures(runs: int = 3) -> list[float]:
    from devices.rewritable.device import RewritablePrinter
    from devices.rewritable.layout import EndorsementBlock
    from devices.rewritable.sim import RewritablePrinterSimulator
    from devices.sim.hosts import PtySimulator
    from devices.transport import Transport, TransportSettings

    engine = RewritablePrinterSimulator("ok", pace=True)
    block = EndorsementBlock("G", "HK", 2, dt.date(2026, 12, 4), dt.date(2027, 12, 3), "HK2026000001")
    times = []
    with PtySimulator(engine, pace_baud=BAUD) as host:
        printer = RewritablePrinter("bench", Transport(TransportSettings(url=host.port_path, baudrate=BAUD)),
                                    pass_timeout=15)  # fmt: skip
        printer.open()
        for _ in range(runs):
            started = time.perf_counter()
            printer.print_endorsement_block(block, timeout=60)
            times.append(time.perf_counter() - started)
        printer.close()
    return times


def _summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    permit = permit_figures()
    printing = print_figures()
    print(f"permit read (BAC + COM + SOD + DG1 + DG2 + DG11 + endorsements, {int(statistics.median(permit['apdus']))} APDUs, "
          f"424 kbit/s + 2 ms/APDU, real pcscd): {_summary(permit['read'])}")  # fmt: skip
    print(f"endorsement write + read-back: {_summary(permit['write'])}")
    print(f"endorsement block erase + print (115200 baud, 50 mm/s per pass [U]): {_summary(printing)}")
    total = statistics.median(permit["read"]) + statistics.median(permit["write"]) + statistics.median(printing)
    print(f"device share of one endorsement visit: {total:.2f} s (of the ~40 s quoted for a self-service visit)")


if __name__ == "__main__":
    main()
