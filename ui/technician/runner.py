"""Runs the service's blocking calls on a thread pool and hands results back on the GUI thread.

Results carry the generation they were started in: after a logout the generation moves on, so a self-test
that finishes later cannot paint into the next technician's session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal


@dataclass(frozen=True)
class TaskResult:
    tag: str
    generation: int
    value: Any = None
    error: BaseException | None = None


class _Relay(QObject):
    done = Signal(object)


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
        relay, generation = self._relay, self.generation

        def task() -> None:
            try:
                result = TaskResult(tag, generation, value=fn())
            except Exception as error:  # reported to the screen, never kills a pool thread
                result = TaskResult(tag, generation, error=error)
            relay.done.emit(result)

        self.pool.start(task)  # a callable, not a QRunnable subclass: PySide kept those (and results) alive

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
