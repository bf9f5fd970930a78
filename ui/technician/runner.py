"""Runs the service's blocking calls on a thread pool and hands results back on the GUI thread.

Results carry the generation they were started in: after a logout the generation moves on, so a self-test
that finishes later cannot paint into the next technician's session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


@dataclass(frozen=True)
class TaskResult:
    tag: str
    generation: int
    value: Any = None
    error: BaseException | None = None


class _Relay(QObject):
    done = Signal(object)


class _Task(QRunnable):
    def __init__(self, relay: _Relay, tag: str, generation: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.relay, self.tag, self.generation, self.fn = relay, tag, generation, fn
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = TaskResult(self.tag, self.generation, value=self.fn())
        except Exception as error:  # reported to the screen, never kills a pool thread
            result = TaskResult(self.tag, self.generation, error=error)
        self.relay.done.emit(result)


class TaskRunner(QObject):
    """`finished(TaskResult)` arrives on the GUI thread for every call of the current generation."""

    finished = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool(self)
        self.generation = 0
        self.pending = 0
        self._relay = _Relay(self)  # owned by the GUI thread: emissions from pool threads are queued
        self._relay.done.connect(self._deliver)

    def run(self, tag: str, fn: Callable[[], Any]) -> None:
        self.pending += 1
        if self.pending == 1:
            self.busy_changed.emit(True)
        self.pool.start(_Task(self._relay, tag, self.generation, fn))

    def new_generation(self) -> None:
        self.generation += 1

    def _deliver(self, result: TaskResult) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.busy_changed.emit(False)
        if result.generation == self.generation:
            self.finished.emit(result)

    def wait_idle(self, timeout_ms: int = 10000) -> bool:
        return self.pool.waitForDone(timeout_ms)
