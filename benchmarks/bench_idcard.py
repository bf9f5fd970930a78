"""ID card reader figures (issue 2): parser throughput, and one full card read over a pty at 115200 baud
compared with the wire-time limit (frame bits / baud). Run: .venv/bin/python benchmarks/bench_idcard.py"""

from __future__ import annotations

import statistics
import time

from devices.idcard.device import IdCardReader
from devices.idcard.protocol import Command, FrameParser, encode_read_payload, encode_request, encode_response
from devices.idcard.sim import IdCardSimulator, load_scenario
from devices.sim.hosts import PtySimulator
from devices.transport import Transport, TransportSettings

BAUD = 115200


def parser_throughput(frames: int = 5000) -> float:
    frame = encode_response(0x90, encode_read_payload(bytes(256), bytes(1024), None, False))
    stream = frame * frames
    parser = FrameParser()
    started = time.perf_counter()
    parsed = 0
    for offset in range(0, len(stream), 4096):
        parsed += len(parser.feed(stream[offset : offset + 4096]))
    elapsed = time.perf_counter() - started
    assert parsed == frames
    return frames / elapsed


def wire_seconds() -> float:
    """Bytes on the line for find + select + read (requests and responses), 10 bits each at 8N1."""
    requests = sum(len(encode_request(c)) for c in (Command.FIND_CARD, Command.SELECT_CARD, Command.READ_TEXT_PHOTO))
    responses = 15 + 19 + 1295
    return (requests + responses) * 10 / BAUD


def one_read_seconds(runs: int = 15) -> list[float]:
    engine = IdCardSimulator(load_scenario("resident"))
    times = []
    with PtySimulator(engine, pace_baud=BAUD) as host:
        reader = IdCardReader("bench", Transport(TransportSettings(url=host.port_path, baudrate=BAUD)))
        reader.open()
        for _ in range(runs):
            engine.lift_and_replace()
            started = time.perf_counter()
            reader.read_card(timeout=5)
            times.append(time.perf_counter() - started)
        reader.close()
    return times


def main() -> None:
    print(f"parser throughput: {parser_throughput():,.0f} read-response frames/s (1295-byte frames)")
    wire = wire_seconds()
    times = one_read_seconds()
    median = statistics.median(times)
    print(f"wire-time limit for find+select+read at {BAUD} baud: {wire * 1000:.1f} ms")
    print(f"one full read over a pty (paced at {BAUD}): median {median * 1000:.1f} ms, min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms")
    print(f"driver overhead: {(median - wire) / wire * 100:.1f}% of wire time")


if __name__ == "__main__":
    main()
