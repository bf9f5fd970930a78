"""Requests per second of the sandbox for the kiosk's two hottest calls, over loopback.

    .venv/bin/python benchmarks/bench_sandbox.py [--lookups 400] [--polls 1000]

Starts `kiosk serve-sandbox` (SQLite in a temp dir) as a separate process on a free loopback port, then
drives it with the kiosk's own BackendClient from one thread: violation lookup by licence (the demo
driver with 7 violations) and payment status polling. Loops are bounded; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import logging
import socket
import subprocess
import sys
import tempfile
import time

from kiosk.backend import BackendClient, BackendUnavailable
from kiosk.config import BackendConfig
from server.sandbox.demo_data import ZHANG
from server.sandbox.settings import DEMO_KIOSK_ID, DEMO_KIOSK_KEY


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_ready(client: BackendClient, deadline_s: float = 30.0) -> None:
    end = time.monotonic() + deadline_s
    while True:
        try:
            client.health()
            return
        except BackendUnavailable:
            if time.monotonic() > end:
                raise
            time.sleep(0.1)


def _rate(label: str, count: int, call) -> float:
    call()  # warm-up
    started = time.perf_counter()
    for _ in range(count):
        call()
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(f"{label:<34} {count:>6} requests  {rate:8.0f} req/s  {elapsed / count * 1000:6.2f} ms each")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=400)
    parser.add_argument("--polls", type=int, default=1000)
    args = parser.parse_args()
    logging.getLogger("kiosk.backend").setLevel(logging.ERROR)  # "not up yet" while the server starts
    port = _free_port()
    with tempfile.TemporaryDirectory() as home:
        server = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--home", home, "serve-sandbox", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            config = BackendConfig(url=f"http://127.0.0.1:{port}", kiosk_key=DEMO_KIOSK_KEY, retries=0)
            with BackendClient(config, DEMO_KIOSK_ID) as client:
                _wait_ready(client)
                order = client.create_payment(1000, "temp_id", "bench")
                _rate("violation lookup (by licence)", args.lookups, lambda: client.violations_by_licence(ZHANG))
                _rate("payment status poll", args.polls, lambda: client.payment_status(order.order_id))
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
