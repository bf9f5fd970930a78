"""The citizen screens' state (the `kiosk` object of the QML): which page shows what, the header's modes, the
footer's ways out, the idle guard, "please wait", help, speech, and the per-step models.

QML renders this and calls its slots; the flows decide everything else (kiosk/flows). Every flow call runs in a
worker through the FlowController. At each session end every model is wiped, the page shows the attract
screen, and language, text size, contrast and reach return to their defaults.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any

from PySide6.QtCore import QDateTime, QObject, QThreadPool, QTimer, Signal, Slot

from kiosk.flows.base import FlowView, StepKind
from ui.camera import CameraFeed
from ui.controller import FlowController
from ui.entry import IdEntry, PermitEntry, PlateEntry
from ui.idle import IdleGuard
from ui.language import Translator
from ui.qobject_state import StateObject
from ui.runtime import KioskRuntime, home_services
from ui.selection import ItemSelection
from ui.viewstate import NO_IDLE_STEPS, OWN_BUSY_STEPS, device_positions, speech_for, speech_key, view_payload
from ui.voice import Voice
from ui.worker import CallResult, Worker

log = logging.getLogger(__name__)

BUSY_DELAY_MS = 400  # short calls finish before "please wait" would flash (input is blocked at once)
BANNER_MS = 8000
READ_AGAIN_MS = 200
PAY_POLL_MS = 2000
SERVICES_REFRESH_MS = 2000
TECH_TAPS, TECH_WINDOW_S = 5, 3.0


class Shell(StateObject):
    fields = {"page": str, "strings": dict, "language": str, "largeText": bool, "highContrast": bool,
              "lowReach": bool, "siteName": str, "helpPhone": str, "clock": str, "inputBlocked": bool,
              "busyVisible": bool, "idleOn": bool, "idleLeft": int, "idleTotal": int, "warningLeft": int,
              "banner": str, "services": list, "guideService": str, "notices": list, "helpState": str,
              "animate": bool, "devicePositions": dict, "warningTotal": int}  # fmt: skip
    screen = Signal(str, "QVariantMap")  # page, view: what the page router shows
    technicianRequested = Signal()

    def __init__(self, runtime: KioskRuntime, *, pool: QThreadPool | None = None, voice: Voice | None = None,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        config = runtime.config
        self.runtime = runtime
        self.tr = Translator(config.ui.language, config.ui.texts)
        self.voice = voice if voice is not None else Voice(config.ui.voice, start=False)  # started after 1st frame
        self.worker = Worker(pool, self)
        self.controller = FlowController(runtime, self.worker, self)
        self.idle = IdleGuard(config.session.idle_timeout_s, config.session.warning_s, self)
        self.id_entry, self.plate_entry = IdEntry(self.send), PlateEntry(self.send)
        self.permit_entry = PermitEntry(self.send)
        self.selection = ItemSelection(self.send)
        self.camera = CameraFeed(runtime, self.controller.poll, self)
        self.view: FlowView | None = None
        self._spoken: tuple[Any, ...] = ()
        self._after_end = "attract"
        self._taps: deque[float] = deque(maxlen=TECH_TAPS)
        self._technician = ""  # "login": its PIN pad is over this screen (idle applies), "in": logged in
        self._frozen_clock, self._frozen_idle = "", 0
        self.help_worker = Worker(pool, self)
        self.help_worker.finished.connect(self._on_help_answer)
        self._timers()
        self._connect()
        self.update(animate=True)
        self.apply_live_config()
        self._tick_clock()
        self.go_attract()

    def _timers(self) -> None:
        def timer(interval: int, slot: Any, single: bool = False) -> QTimer:
            made = QTimer(self, interval=interval, singleShot=single)
            made.timeout.connect(slot)
            return made

        self.read_again = timer(READ_AGAIN_MS, lambda: self.controller.poll(self.read_again.property("intent")),
                                single=True)  # fmt: skip
        self.pay_poll = timer(PAY_POLL_MS, lambda: self.controller.poll("check_payment"))
        self.services_refresh = timer(SERVICES_REFRESH_MS, self.refresh_services)
        self.clock_timer = timer(10_000, self._tick_clock)
        self.clock_timer.start()
        self.idle_tick = timer(1000, self._tick_idle)
        self.banner_timer = timer(BANNER_MS, lambda: self.update(banner=""), single=True)
        self.busy_delay = timer(BUSY_DELAY_MS, lambda: self.update(busyVisible=self.get("inputBlocked")), True)

    def _connect(self) -> None:
        self.tr.changed.connect(self._on_language)
        self.controller.view_changed.connect(self.show_view)
        self.controller.busy_changed.connect(self._on_busy)
        self.controller.flow_error.connect(self._show_banner)
        self.controller.session_ended.connect(self._on_session_ended)
        self.idle.warning.connect(self._on_idle_warning)
        self.idle.extended.connect(lambda: self.update(warningLeft=0))
        self.idle.expired.connect(lambda: self.controller.end("timeout"))

    # --- pages ---------------------------------------------------------------------------------------------
    def _go(self, page: str, view: dict[str, Any] | None = None) -> None:
        self.update(page=page)
        self.screen.emit(page, view or {})
        self.services_refresh.stop()
        if page in ("home", "guide"):
            self.refresh_services()
            self.services_refresh.start()
        self._update_idle()

    @Slot(result="QVariantMap")
    def currentView(self) -> dict[str, Any]:
        """What the page shows now (for a QML scene loaded after the first screen was chosen)."""
        return view_payload(self.view) if self.view is not None and self.get("page") == str(self.view.step) else {}

    def go_attract(self) -> None:
        self.view = None
        self.update(notices=self.tr.notices())
        self._go("attract")

    @Slot()
    def start(self) -> None:
        """The attract screen was touched: a visit begins on the home screen."""
        if self.get("page") == "attract":
            self._go("home")
            self.idle.touch()

    @Slot(str)
    def openGuide(self, service: str) -> None:
        if self.get("page") in ("home", "guide") and not self.controller.busy:
            self.update(guideService=service)
            self._go("guide")

    @Slot()
    def startGuided(self) -> None:
        service = self.get("guideService")
        tile = next((tile for tile in self.get("services") if tile["name"] == service), None)
        if self.get("page") == "guide" and tile is not None and tile["available"]:
            self.controller.start(service)

    @Slot()
    def back(self) -> None:
        page = self.get("page")
        if page == "guide":
            self._go("home")
        elif page == "home":
            self.controller.end("cancelled")  # the visit ends before it began: wiped, the attract screen
        elif self.view is not None and "back" in self.view.intents:
            self.send("back")

    @Slot()
    def home(self) -> None:
        """Leave the visit (only offered before any payment) and start over on the home screen."""
        page = self.get("page")
        if page == "guide":
            self._go("home")
        elif self.view is not None and "cancel" in self.view.intents:
            self._after_end = "home"
            self.controller.end("cancelled")

    @Slot(str, "QVariantMap")
    def intent(self, name: str, payload: dict[str, Any]) -> None:
        self.send(name, **dict(payload or {}))

    def send(self, name: str, **payload: Any) -> bool:
        if name == "finish":
            self.controller.end("finished")
            return True
        return self.controller.send(name, **payload)

    def show_view(self, view: FlowView) -> None:
        step_changed = self.view is None or self.view.step != view.step
        self.view = view
        data, intents = dict(view.data), view.intents
        if view.step is StepKind.ENTER_ID_NUMBER:
            self.id_entry.show_flow_error(data.get("error_key"))
        elif view.step is StepKind.ENTER_PLATE:
            self.plate_entry.show_view(data)
        elif view.step is StepKind.ENTER_PERMIT_NUMBER:
            self.permit_entry.show_flow_error(data.get("error_key"))
        elif view.step is StepKind.SELECT_ITEMS:
            self.selection.show_view(data, list(intents))
        if view.step is StepKind.CAPTURE_FACE:
            self.camera.show_step(intents, data.get("face_box"))
        else:
            self.camera.stop()
        if step_changed:
            self.update(banner="")
        self._go(str(view.step), view_payload(view))
        self._schedule_polls(view)
        self._speak(view)
        self.idle.touch()  # the flow moved on: the citizen is acting

    def _schedule_polls(self, view: FlowView) -> None:
        for step, intent in ((StepKind.READ_CARD, "read_card"), (StepKind.READ_PERMIT, "read_permit")):
            if view.step is step and intent in view.intents:  # a read returns when the wait ends: ask again
                self.read_again.setProperty("intent", intent)
                self.read_again.start()
        if view.step is StepKind.PAY and "check_payment" in view.intents:
            if not self.pay_poll.isActive():
                self.pay_poll.start()
        else:
            self.pay_poll.stop()

    # --- session end ---------------------------------------------------------------------------------------
    def _on_session_ended(self, reason: str) -> None:
        log.info("session ended: %s", reason)
        after, self._after_end = self._after_end, "attract"
        self.wipe(keep_preferences=after == "home")
        if after == "home":
            self._go("home")
            self.idle.touch()
        else:
            self.go_attract()

    def wipe(self, *, keep_preferences: bool) -> None:
        """Forget every value of the visit: views, typed numbers, choices, the camera picture, speech."""
        self.view = None
        self.read_again.stop()
        self.pay_poll.stop()
        self.busy_delay.stop()
        self.camera.stop()
        self.id_entry.clear()
        self.permit_entry.clear()
        self.plate_entry.reset()
        self.selection.reset()
        self.voice.reset()
        self._spoken = ()
        self.update(banner="", warningLeft=0, inputBlocked=False, busyVisible=False, helpState="", guideService="")
        self.screen.emit("", {})  # every page drops its view
        if not keep_preferences:
            self.tr.reset()
            self.update(largeText=False, highContrast=False, lowReach=False)

    # --- busy, idle, banner --------------------------------------------------------------------------------
    def _own_busy(self) -> bool:
        view = self.view
        return view is not None and self.get("page") == str(view.step) and view.step in OWN_BUSY_STEPS

    def _on_busy(self, busy: bool) -> None:
        blocked = busy and not self._own_busy()
        self.update(inputBlocked=blocked)
        if blocked:
            self.busy_delay.start()
        else:
            self.busy_delay.stop()
            self.update(busyVisible=False)
        self._update_idle()

    def set_technician(self, state: str) -> None:
        """"" | "login" (the idle guard ends an abandoned login) | "in" (its own automatic logout applies)."""
        self._technician = state
        self._update_idle()

    def _update_idle(self) -> None:
        view, page = self.view, self.get("page")
        enabled = (page != "attract" or self._technician == "login") and self._technician != "in"
        if view is not None and page == str(view.step) and view.step in NO_IDLE_STEPS:
            enabled = False
        if self.controller.busy and not self._own_busy():
            enabled = False
        self.idle.set_enabled(enabled)
        self.update(idleOn=enabled, idleTotal=self.idle.idle_ms // 1000 + self.idle.warning_s)
        if enabled:
            self._tick_idle()
            self.idle_tick.start()
        else:
            self.idle_tick.stop()
            self.update(warningLeft=0)

    def _tick_idle(self) -> None:
        self.update(idleLeft=self._frozen_idle or self.idle.seconds_to_expiry())

    def _on_idle_warning(self, seconds: int) -> None:
        first = self.get("warningLeft") == 0
        self.update(warningLeft=seconds, idleLeft=seconds)
        if first:
            self.voice.say(self.tr.text("idle.title") + self.tr.text("idle.countdown", s=seconds), self.tr.language)

    @Slot()
    def keepSession(self) -> None:
        self.idle.touch()

    def _show_banner(self, key: str) -> None:
        self.update(banner=key)
        self.banner_timer.start()

    # --- header: language, modes, clock --------------------------------------------------------------------
    @Slot()
    def toggleLanguage(self) -> None:
        self.tr.toggle()

    @Slot(bool)
    def setLargeText(self, on: bool) -> None:
        self.update(largeText=on)

    @Slot(bool)
    def setHighContrast(self, on: bool) -> None:
        self.update(highContrast=on)

    @Slot(bool)
    def setLowReach(self, on: bool) -> None:
        self.update(lowReach=on)

    @Slot()
    def clockTapped(self) -> None:
        """Five taps on the clock within 3 s ask for the technician screen."""
        now = time.monotonic()
        self._taps.append(now)
        if len(self._taps) == TECH_TAPS and now - self._taps[0] <= TECH_WINDOW_S:
            self._taps.clear()
            self.technicianRequested.emit()

    def _tick_clock(self) -> None:
        if not self._frozen_clock:
            self.update(clock=QDateTime.currentDateTime().toString("HH:mm"))

    def freeze(self, clock: str) -> None:
        """Screenshots: a fixed clock and every animation at rest."""
        self._frozen_clock, self._frozen_idle = clock, 45
        self.update(clock=clock, animate=False, idleLeft=45)

    def _on_language(self) -> None:
        self.update(strings=self.tr.strings, language=self.tr.language, notices=self.tr.notices())
        if self.view is not None:
            self._spoken = ()
            self._speak(self.view)

    @Slot(str)
    def missingText(self, key: str) -> None:
        self.tr.report_missing(key)

    def apply_live_config(self) -> None:
        """The configuration now in force (at start and after the fleet changed it live)."""
        config = self.runtime.config
        self.tr.set_overrides(config.ui.texts)
        self.update(strings=self.tr.strings, language=self.tr.language, siteName=config.site_name,
                    helpPhone=str(getattr(config.ui, "help_phone", "") or ""), notices=self.tr.notices(),
                    devicePositions=device_positions(config.ui), warningTotal=self.idle.warning_s)  # fmt: skip

    def shutdown(self) -> None:
        for timer in self.findChildren(QTimer):
            timer.stop()
        self.camera.stop()
        self.worker.wait_idle(3000)
        self.voice.shutdown()

    # --- speech --------------------------------------------------------------------------------------------
    def _speak(self, view: FlowView) -> None:
        key = speech_key(view, self.tr.language)
        if key != self._spoken:
            self._spoken = key
            self.voice.say(speech_for(view, self.tr), self.tr.language)

    @Slot()
    def replay(self) -> None:
        if self.view is not None:
            self.voice.say(speech_for(self.view, self.tr), self.tr.language)

    # --- services and help ---------------------------------------------------------------------------------
    def refresh_services(self) -> None:
        """Ask the core what is available now (cached device and backend states; must not block)."""
        try:
            availability = self.runtime.service_availability()
        except Exception as error:
            log.error("service availability failed: %s", type(error).__name__)
            availability = {}
        tiles = []
        for name in home_services():
            available, reason = availability.get(name, (False, "reason.not_offered"))
            tiles.append({"name": name, "available": bool(available), "reason": reason or "tile.unavailable"})
        self.update(services=tiles)

    @Slot()
    def help(self) -> None:
        """Ring the duty officer (the runtime's intercom hook, in a worker) and show the help phone."""
        self.update(helpState="calling")
        call = getattr(self.runtime, "call_duty_officer", None)
        where = str(self.view.step) if self.view is not None else self.get("page")
        self.help_worker.start("help", 0, (lambda: call(where)) if call else (lambda: False))

    def _on_help_answer(self, result: CallResult) -> None:
        if self.get("helpState") == "calling":
            ok = result.error is None and result.value is not False
            self.update(helpState="called" if ok else "failed")

    @Slot()
    def closeHelp(self) -> None:
        self.update(helpState="")
