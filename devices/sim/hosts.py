"""Front-ends that put a simulator behind a real pty or a TCP port, for integration work and benchmarks."""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import threading
import time
import tty
from collections.abc import Iterator

from devices.sim.engine import SimulatorEngine

log = logging.getLogger(__name__)


class _Pump:
    """Moves bytes between one file-like endpoint and an engine on two daemon threads."""

    def __init__(self, engine: SimulatorEngine, pace_baud: int | None = None) -> None:
        self.engine = engine
        self.stopped = threading.Event()
        # Seconds per byte on a real UART (8N1 = 10 bits), so benchmarks see true wire time.
        self._byte_time = 10 / pace_baud if pace_baud else 0.0

    def inbound(self, recv) -> None:  # recv() -> bytes, b"" on close
        while not self.stopped.is_set():
            try:
                data = recv()
            except OSError:
                break
            if data is None:
                continue
            if not data:
                break
            if self._byte_time:
                _wait_until(time.perf_counter() + len(data) * self._byte_time)
            try:
                self.engine.write_from_host(data)
            except ConnectionError:
                break
        self.stopped.set()

    def outbound(self, send) -> None:
        while not self.stopped.is_set():
            try:
                chunk = self.engine.read_to_host(4096, 0.05)
            except ConnectionError:
                break
            if chunk:
                if self._byte_time:  # the last byte arrives one wire time after the first was sent
                    _wait_until(time.perf_counter() + len(chunk) * self._byte_time)
                try:
                    send(chunk)
                except OSError:
                    break
        self.stopped.set()


def _wait_until(moment: float) -> None:
    while (left := moment - time.perf_counter()) > 0:
        time.sleep(min(left, 0.001))


class PtySimulator:
    """A simulator behind a pseudo-terminal: open `port_path` with a real serial.Serial.

    With pace_baud the simulator's replies leave no faster than a real serial line at that rate."""

    def __init__(self, engine: SimulatorEngine, pace_baud: int | None = None) -> None:
        self.engine = engine
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.port_path = os.ttyname(self._slave)
        self._pump = _Pump(engine, pace_baud)
        self._threads = [
            threading.Thread(target=self._pump.inbound, args=(self._recv,), daemon=True),
            threading.Thread(target=self._pump.outbound, args=(self._send,), daemon=True),
        ]

    def _recv(self) -> bytes | None:
        ready, _, _ = select.select([self._master], [], [], 0.05)
        if not ready:
            return None
        return os.read(self._master, 4096)

    def _send(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._master, view)
            view = view[written:]

    def start(self) -> PtySimulator:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._pump.stopped.set()
        for thread in self._threads:
            thread.join(timeout=1)
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> PtySimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class TcpSimulator:
    """A simulator on a TCP port, reachable as socket://HOST:PORT; one client at a time, state kept."""

    def __init__(self, engine: SimulatorEngine, host: str = "127.0.0.1", port: int = 0) -> None:
        self.engine = engine
        self._server = socket.create_server((host, port), reuse_port=False)
        self._server.settimeout(0.1)
        self.host, self.port = self._server.getsockname()[:2]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"socket://{self.host}:{self.port}"

    def start(self) -> TcpSimulator:
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._serve()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, peer = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            log.info("simulator client connected from %s:%s", *peer[:2])
            with client:
                self._handle(client)

    def _handle(self, client: socket.socket) -> None:
        client.settimeout(0.05)
        self.engine.discard_output()
        pump = _Pump(self.engine)

        def recv() -> bytes | None:
            if self._stop.is_set():
                return b""
            try:
                return client.recv(4096)
            except TimeoutError:
                return None

        sender = threading.Thread(target=pump.outbound, args=(client.sendall,), daemon=True)
        sender.start()
        pump.inbound(recv)
        sender.join(timeout=1)

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._server.close()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def __enter__(self) -> TcpSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def pty_simulator(engine: SimulatorEngine) -> Iterator[PtySimulator]:
    with PtySimulator(engine) as host:
        yield host
