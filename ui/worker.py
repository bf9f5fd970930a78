"""Blocking calls (flow intents, devices, backend) run on a QThreadPool; results come back as queued signals.

A result carries a tag and the session generation it was started in, so the receiver can ignore results that
arrive after the citizen's session has ended.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallResult:
    tag: str
    generation: int
    value: Any = None
    error: BaseException | None = None


class _Relay(QObject):
    finished = Signal(object)  # CallResult


class _Call(QRunnable):
    def __init__(self, relay: _Relay, tag: str, generation: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._relay, self._tag, self._generation, self._fn = relay, tag, generation, fn
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = CallResult(self._tag, self._generation, value=self._fn())
        except Exception as error:  # every failure goes back to the GUI thread, never kills the pool thread
            result = CallResult(self._tag, self._generation, error=error)
        self._relay.finished.emit(result)


class Worker(QObject):
    """Starts calls on a pool; `finished(CallResult)` is delivered on the thread that owns this object."""

    finished = Signal(object)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay()  # lives on the GUI thread: emissions from pool threads are queued to it
        self._relay.finished.connect(self.finished)

    def start(self, tag: str, generation: int, fn: Callable[[], Any]) -> None:
        self.pool.start(_Call(self._relay, tag, generation, fn))

    def wait_idle(self, timeout_ms: int = 5000) -> bool:
        """For shutdown and tests: wait until the pool has no running call."""
        return self.pool.waitForDone(timeout_ms)
