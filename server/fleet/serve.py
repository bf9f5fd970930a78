"""Running the fleet server: in the foreground (`kiosk-admin serve-fleet`) or on a background thread
(tests, benchmarks) bound to a loopback port chosen by the OS.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from server.fleet.app import create_app
from server.fleet.settings import FleetSettings


def serve_forever(settings: FleetSettings, host: str = "127.0.0.1", port: int = 8760) -> None:
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", access_log=False)


class BackgroundServer:
    """`with BackgroundServer(settings) as server: requests.get(server.url + "/healthz")`."""

    def __init__(self, settings: FleetSettings, host: str = "127.0.0.1") -> None:
        self._settings = settings
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP (proto 0 would
        # leave Nagle on and cost a 40 ms delayed-ACK stall per response).
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        config = uvicorn.Config(create_app(settings), log_level="warning", access_log=False, lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def start(self, timeout_s: float = 10.0) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:  # uvicorn sets .started once the socket accepts connections
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("fleet server did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop serving and release the port (idempotent)."""
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
