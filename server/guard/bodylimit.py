"""A body size limit on every route, enforced before anything parses the body (pure ASGI middleware).

The declared Content-Length is checked first (413 without reading a byte); then the bytes actually
received are counted while they are read, so a chunked or lying client is stopped at the limit too.
The body is read completely here (it is at most the limit) and replayed to the app; a client that
dribbles its body slower than `read_timeout_s` is answered 408.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from server.guard.errors import json_error_bytes

Scope = dict[str, Any]
LimitFor = Callable[[Scope], int]


class BodyLimit:
    """`BodyLimit(app, limit_for)`: limit_for(scope) gives the largest body in bytes for that request."""

    def __init__(self, app: Any, limit_for: LimitFor, read_timeout_s: float = 30.0) -> None:
        self.app, self.limit_for, self.read_timeout_s = app, limit_for, read_timeout_s

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared == -1:
            await _reject(send, 400, "invalid_request", "Content-Length is not a number")
            return
        if declared is not None and declared > limit:
            await _reject(send, 413, "payload_too_large", f"request body larger than {limit} bytes")
            return
        try:
            body, more = await asyncio.wait_for(_read_body(receive, limit), self.read_timeout_s)
        except TimeoutError:
            await _reject(send, 408, "request_timeout", "request body not received in time")
            return
        if more is None:
            await _reject(send, 413, "payload_too_large", f"request body larger than {limit} bytes")
            return
        await self.app(scope, _replay(body, more, receive), send)


def _content_length(scope: Scope) -> int | None:
    """The declared length, None when absent, -1 when garbled."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() and len(value) <= 18 else -1
    return None


async def _read_body(receive: Any, limit: int) -> tuple[bytes, dict[str, Any] | None]:
    """(body, None) once more than `limit` bytes arrived; else (body, the message that ended it)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message  # a disconnect: the app sees it after the body
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), {}


def _replay(body: bytes, after: dict[str, Any], receive: Any) -> Callable[[], Any]:
    sent = False

    async def replayed() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if after:  # the disconnect seen while reading
            return after
        return await receive()

    return replayed


async def _reject(send: Any, status: int, code: str, message: str) -> None:
    body = json_error_bytes(code, message)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
