"""Deadlines, cancellation and completions shared by every device operation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from devices.errors import DeviceCancelled, DeviceError, DeviceTimeout

T = TypeVar("T")


class CancelToken:
    """Set from any thread to ask a running operation to stop at its next wait."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> None:
        """Pause between polls, waking at once on cancel (then raising DeviceCancelled)."""
        if self._event.wait(max(0.0, seconds)):
            raise DeviceCancelled()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise DeviceCancelled()


class Deadline:
    """A point in monotonic time after which an operation gives up."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._end = clock() + seconds
        self.seconds = seconds

    def remaining(self) -> float:
        return max(0.0, self._end - self._clock())

    @property
    def expired(self) -> bool:
        return self._clock() >= self._end

    def check(self, what: str = "operation") -> None:
        if self.expired:
            raise DeviceTimeout(f"{what} timed out after {self.seconds:g} s")


@dataclass(frozen=True)
class Completion(Generic[T]):
    """How an operation ended: a value, or a named error."""

    value: T | None = None
    error: DeviceError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def code(self) -> str:
        return "success" if self.error is None else self.error.code

    def unwrap(self) -> T:
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


def complete(operation: Callable[[], T]) -> Completion[T]:
    """Run an operation and capture its outcome as a Completion (for callers such as UI workers)."""
    try:
        return Completion(value=operation())
    except DeviceError as error:
        return Completion(error=error)
