"""Rate limits per source address: token buckets (a burst, then a steady rate), in memory and bounded.

`RateLimiter.allow(key)` spends one token; `FailureLimiter` spends tokens only on failures (wrong
credentials, bad enrolment tokens) and refuses every further attempt from that source while its bucket
is empty, so guessing is slow whatever the guesser does. At most `max_keys` sources are remembered; the
least recently seen are forgotten first (a forgotten source starts with a full bucket, which is the
generous side of the trade and keeps memory bounded under a flood of addresses).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    burst: int  # tokens a fresh source has
    per_minute: float  # tokens regained per minute

    def __post_init__(self) -> None:
        if self.burst < 1 or self.per_minute <= 0:
            raise ValueError("a rate needs burst >= 1 and per_minute > 0")


class RateLimiter:
    def __init__(self, rate: Rate, *, max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self._max_keys, self._clock = rate, max_keys, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    def _tokens(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (float(self.rate.burst), now))
        return min(float(self.rate.burst), tokens + (now - at) * self.rate.per_minute / 60.0)

    def _store(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)

    def allow(self, key: str) -> bool:
        """Spend a token if there is one."""
        with self._lock:
            now = self._clock()
            tokens = self._tokens(key, now)
            allowed = tokens >= 1.0
            self._store(key, tokens - 1.0 if allowed else tokens, now)
            return allowed

    def has_token(self, key: str) -> bool:
        with self._lock:
            return self._tokens(key, self._clock()) >= 1.0

    def retry_after_s(self, key: str) -> int:
        with self._lock:
            missing = 1.0 - self._tokens(key, self._clock())
        return max(1, int(missing * 60.0 / self.rate.per_minute + 0.999)) if missing > 0 else 0


class FailureLimiter:
    """Failures cost tokens; with none left, the source is refused until it has regained one."""

    def __init__(self, rate: Rate, **options: object) -> None:
        self._limiter = RateLimiter(rate, **options)  # type: ignore[arg-type]

    def locked_out(self, source: str) -> bool:
        return not self._limiter.has_token(source)

    def failed(self, source: str) -> None:
        self._limiter.allow(source)

    def retry_after_s(self, source: str) -> int:
        return self._limiter.retry_after_s(source)


def client_address(scope: dict) -> str:
    """The peer's address as the server sees it (put a trusted proxy's own limits in front of it)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RouteRateLimit:
    """ASGI middleware: `classify(scope)` names the limiter for a request (or None: not limited here)."""

    def __init__(self, app: object, classify: Callable[[dict], str | None], limiters: dict[str, RateLimiter]) -> None:
        self.app, self.classify, self.limiters = app, classify, limiters

    async def __call__(self, scope: dict, receive: object, send: Callable) -> None:
        name = self.classify(scope) if scope["type"] == "http" else None
        limiter = self.limiters.get(name) if name else None
        source = client_address(scope)
        if limiter is not None and not limiter.allow(source):
            await send_rate_limited(send, limiter.retry_after_s(source))
            return
        await self.app(scope, receive, send)  # type: ignore[operator]


async def send_rate_limited(send: Callable, retry_after_s: int) -> None:
    from server.guard.errors import json_error_bytes

    body = json_error_bytes("rate_limited", "too many requests from this address: try again later")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"retry-after", str(retry_after_s).encode())]  # fmt: skip
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})
