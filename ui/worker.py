"""Blocking calls (flow intents, devices, backend) run on a QThreadPool; results come back as queued signals.

A result carries a tag and the session generation it was started in, so the receiver can ignore results that
arrive after the citizen's session has ended.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallResult:
    tag: str
    generation: int
    value: Any = None
    error: BaseException | None = None


class _Relay(QObject):
    finished = Signal(object)  # CallResult


class Worker(QObject):
    """Starts calls on a pool; `finished(CallResult)` is delivered on the thread that owns this object."""

    finished = Signal(object)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay()  # lives on the GUI thread: emissions from pool threads are queued to it
        self._relay.finished.connect(self.finished)

    def start(self, tag: str, generation: int, fn: Callable[[], Any]) -> None:
        relay = self._relay

        def call() -> None:
            try:
                result = CallResult(tag, generation, value=fn())
            except Exception as error:  # every failure goes back to the GUI thread, never kills a pool thread
                result = CallResult(tag, generation, error=error)
            relay.finished.emit(result)

        # A plain callable, not a QRunnable subclass: PySide kept finished Python QRunnables (and so every
        # frame and flow their closures held) alive on the pool, a leak the 1,000-session soak showed.
        self.pool.start(call)

    def wait_idle(self, timeout_ms: int = 5000) -> bool:
        """For shutdown and tests: wait until the pool has no running call."""
        return self.pool.waitForDone(timeout_ms)
