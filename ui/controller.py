"""Drives one citizen's flow from the GUI thread: every flow call runs in a worker, results come back here.

One call at a time: an intent sent while a call is in flight (e.g. "enter the number instead" during a
blocking card read) is queued and sent when the call returns, if the flow still offers it on the same step.
A failure the flow did not turn into a view becomes a local "failed" view, never a crash. Ending a session
bumps the generation so late results are ignored, then aborts or closes the flow and asks the core to wipe.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.flows.base import Flow, FlowError, FlowView, StepKind
from ui.runtime import KioskRuntime
from ui.worker import CallResult, Worker

log = logging.getLogger(__name__)

WORKING_POLL_MS = 500


def local_failure(service: str, progress: tuple[int, int] = (0, 0)) -> FlowView:
    return FlowView(
        service=service,
        step=StepKind.FAILED,
        prompt_key="prompt.failed",
        data={"error_code": "internal", "next_key": "next.call_staff"},
        intents=("finish",),
        progress=progress,
    )


def _where(error: BaseException) -> str:
    """Type and code location only: exception messages may hold personal data and must not be logged."""
    frames = traceback.extract_tb(error.__traceback__)
    place = f" at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    return f"{type(error).__name__}{place}"


class FlowController(QObject):
    view_changed = Signal(object)  # FlowView
    progress = Signal(int, object)  # generation, FlowView: published by the flow from its worker mid-call
    busy_changed = Signal(bool)
    flow_error = Signal(str)  # text key; the view stays as it was
    session_ended = Signal(str)  # reason

    def __init__(self, runtime: KioskRuntime, worker: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runtime, self.worker = runtime, worker
        worker.finished.connect(self._on_finished)
        self.flow: Flow | None = None
        self.view: FlowView | None = None
        self.service = ""
        self.generation = 0
        self.busy = False
        self._local_view = False
        self._pending: tuple[str, dict[str, Any], StepKind] | None = None
        self._working_poll = QTimer(self, singleShot=True, interval=WORKING_POLL_MS)
        self._working_poll.timeout.connect(self._poll_working)
        self.progress.connect(self._on_progress)

    # --- commands from the screens -----------------------------------------------------------------------
    def start(self, service: str) -> bool:
        if self.flow is not None or self.busy:
            return False
        self.service = service
        runtime, generation, progress = self.runtime, self.generation, self.progress

        def start_flow() -> tuple[Flow, FlowView]:
            flow = runtime.start_flow(service)
            listen = getattr(flow, "add_view_listener", None)  # views published while a long handle() runs
            if listen is not None:
                listen(lambda view: progress.emit(generation, view))
            return flow, flow.view()

        self._begin("start", start_flow)
        return True

    def send(self, intent: str, **payload: Any) -> bool:
        """Send an intent now, or queue it behind the call in flight; False when the flow does not offer it."""
        if self.flow is None or self.view is None or intent not in self.view.intents:
            return False
        if self.busy:
            self._pending = (intent, payload, self.view.step)
            return True
        flow = self.flow
        self._begin("handle", lambda: flow.handle(intent, **payload))
        return True

    def poll(self, intent: str, **payload: Any) -> bool:
        """A repeated intent (card read loop, payment check, face frames): sent only when nothing is in flight."""
        return False if self.busy else self.send(intent, **payload)

    def end(self, reason: str) -> None:
        """Leave the session at once: the flow is closed and the core wipes personal data in a worker."""
        flow, view, busy, local = self.flow, self.view, self.busy, self._local_view
        self.generation += 1
        self.flow, self.view, self._pending, self._local_view = None, None, None, False
        self._working_poll.stop()
        self._set_busy(False)
        runtime = self.runtime

        def wind_down() -> None:
            try:
                if flow is not None:
                    _close_flow(flow, view, reason, abort=busy or local)
            finally:
                runtime.end_session(reason)

        self.worker.start("end", self.generation, wind_down)
        self.session_ended.emit(reason)

    # --- results -------------------------------------------------------------------------------------------
    def _begin(self, tag: str, fn: Any) -> None:
        self._set_busy(True)
        self.worker.start(tag, self.generation, fn)

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    @Slot(object)
    def _on_finished(self, result: CallResult) -> None:
        if result.tag == "end":
            if result.error is not None:
                log.error("ending the session failed: %s", _where(result.error))
            return
        if result.generation != self.generation or result.tag not in ("start", "handle", "view"):
            return  # a late answer from a session that has ended
        view = self._view_from(result)
        pending, self._pending = self._pending, None
        if pending is not None and view.step == pending[2] and pending[0] in view.intents and not self._local_view:
            flow = self.flow
            assert flow is not None
            intent, payload = pending[0], pending[1]
            self.worker.start("handle", self.generation, lambda: flow.handle(intent, **payload))
            return
        self._set_busy(False)
        self._show(view)

    def _view_from(self, result: CallResult) -> FlowView:
        error = result.error
        if error is None:
            if result.tag == "start":
                self.flow, view = result.value
            else:
                view = result.value
            self._local_view = False
            return view
        if isinstance(error, FlowError) and self.view is not None:
            log.info("flow refused an intent: %s", error.code)
            self.flow_error.emit(f"error.{error.code}")
            return self.view
        log.error("flow call %r failed: %s", result.tag, _where(error))
        self._local_view = True
        return local_failure(self.service, self.view.progress if self.view else (0, 0))

    def _on_progress(self, generation: int, view: FlowView) -> None:
        """A view the flow published mid-call (e.g. "paid, printing, about 20 s"): shown at once, still busy."""
        if generation == self.generation and self.flow is not None and self.busy:
            self.view = view
            self.view_changed.emit(view)

    def _show(self, view: FlowView) -> None:
        self.view = view
        self.view_changed.emit(view)
        if view.step == StepKind.WORKING and not self._local_view:
            self._working_poll.start()

    def _poll_working(self) -> None:
        if self.flow is not None and not self.busy and self.view is not None and self.view.step == StepKind.WORKING:
            flow = self.flow
            self._begin("view", flow.view)


def _close_flow(flow: Flow, view: FlowView | None, reason: str, *, abort: bool) -> None:
    """Close politely when the flow offers it (cancel, finish), otherwise abort."""
    intent = {"cancelled": "cancel", "finished": "finish"}.get(reason)
    if not abort and intent and view is not None and intent in view.intents:
        try:
            flow.handle(intent)
            return
        except Exception as error:
            log.warning("closing the flow with %r failed, aborting: %s", intent, _where(error))
    flow.abort()
