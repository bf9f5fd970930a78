"""Run the sandbox: in the foreground (`kiosk serve-sandbox`) or in a background thread (tests, demo)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from server.sandbox.app import asgi_app, create_app
from server.sandbox.settings import SandboxSettings
from server.sandbox.state import SandboxState

STARTUP_TIMEOUT_S = 20.0


@dataclass
class RunningSandbox:
    base_url: str  # e.g. http://127.0.0.1:41234 (no trailing slash)
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def state(self) -> SandboxState:
        return self.app.state.sandbox

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.state.engine.dispose()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _config(app: FastAPI, host: str, port: int, access_log: bool) -> uvicorn.Config:
    return uvicorn.Config(
        asgi_app(app), host=host, port=port, access_log=access_log, log_level="warning",
        timeout_graceful_shutdown=2, lifespan="off",
    )  # fmt: skip


def start_in_thread(settings: SandboxSettings, host: str = "127.0.0.1", port: int = 0) -> RunningSandbox:
    """Start on a free loopback port (port 0) and return once the server accepts connections."""
    app = create_app(settings)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    server = uvicorn.Server(_config(app, host, port, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="sandbox-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:  # uvicorn offers no event; started flips once it listens
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    bound_host, bound_port = listener.getsockname()[:2]
    return RunningSandbox(f"http://{bound_host}:{bound_port}", app, server, thread)


def serve(settings: SandboxSettings, host: str, port: int) -> None:
    """Blocking: until Ctrl+C / SIGTERM."""
    uvicorn.Server(_config(create_app(settings), host, port, access_log=True)).run()
