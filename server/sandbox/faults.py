"""Sandbox fault injection: slow answers, 5xx answers and reset connections, for the next N requests.

An ASGI wrapper around the whole app, so a reset can reach the server's own transport: it aborts the
TCP connection with SO_LINGER 0, which the client sees as "connection reset by peer". Requests under
/api/v1/sandbox/ are never faulted (they steer the faults). With after_handler, the request takes
effect first and only its answer is lost: the case idempotency keys exist for.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import threading
from dataclasses import dataclass
from typing import Any

from contracts import API_PREFIX, ErrorCode, FaultSettings, FaultState

SANDBOX_PREFIX = f"{API_PREFIX}/sandbox/"


@dataclass(frozen=True)
class FaultPlan:
    delay_s: float = 0.0
    fail_status: int | None = None
    reset: bool = False
    after_handler: bool = False


class FaultController:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings = FaultSettings()
        self._seen = 0
        self.generation = 0  # bumped on every change: a pending delay ends when faults are reset

    def configure(self, settings: FaultSettings) -> None:
        with self._lock:
            self._settings, self._seen = settings, 0
            self.generation += 1

    def state(self) -> FaultState:
        with self._lock:
            return FaultState(settings=self._settings, requests_seen=self._seen)

    def take(self) -> FaultPlan:
        """Count one request and consume the faults planned for it."""
        with self._lock:
            self._seen += 1
            current = self._settings
            delay = current.delay_s if current.delay_requests > 0 else 0.0
            fail = current.fail_requests > 0
            reset = not fail and current.reset_requests > 0
            self._settings = current.model_copy(update={
                "delay_requests": max(0, current.delay_requests - 1),
                "fail_requests": max(0, current.fail_requests - 1),
                "reset_requests": current.reset_requests - 1 if reset else current.reset_requests,
            })  # fmt: skip
            return FaultPlan(delay, current.fail_status if fail else None, reset, current.after_handler)


    def take_refund_outcome(self) -> tuple[bool, bool]:
        """(refused, asynchronous) for one refund attempt at the simulated payment platform."""
        with self._lock:
            current = self._settings
            refused = current.refund_failures > 0
            if refused:
                self._settings = current.model_copy(update={"refund_failures": current.refund_failures - 1})
            return refused, current.refund_async


class FaultInjector:
    """ASGI middleware applying FaultController plans to non-sandbox HTTP requests."""

    def __init__(self, app: Any, controller: FaultController) -> None:
        self.app, self.controller = app, controller

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith(SANDBOX_PREFIX):
            await self.app(scope, receive, send)
            return
        plan = self.controller.take()
        if plan.delay_s:
            await self._delay(plan.delay_s)
        if plan.fail_status is None and not plan.reset:
            await self.app(scope, receive, send)
            return
        if plan.after_handler:
            await self.app(scope, receive, _discard)
        if plan.reset:
            _reset_connection(send)
            await asyncio.sleep(0)  # let the transport report the lost connection before we return
            return
        await _send_failure(send, plan.fail_status or 503)

    async def _delay(self, seconds: float) -> None:
        generation = self.controller.generation
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline and self.controller.generation == generation:
            await asyncio.sleep(min(0.05, deadline - loop.time()))


async def _discard(_message: dict) -> None:
    return None


async def _send_failure(send: Any, status: int) -> None:
    body = json.dumps({"code": ErrorCode.SANDBOX_FAULT, "message": f"injected {status}"}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _reset_connection(send: Any) -> None:
    """Abort the TCP connection with an RST (uvicorn's send is bound to a cycle that holds the transport)."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionResetError("injected reset")  # not under uvicorn: fail the request instead
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
