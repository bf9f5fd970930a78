"""The kiosk window: header, progress, prompt, a stack of screens, the cancel button, and the overlays.

It joins the screens to the flow controller, runs the idle guard, speaks prompts, and at every session end
wipes every screen and restores the default language, text size and contrast. Five taps in the header's corner
end any citizen session and open the technician screen (ui.technician: its own PIN + TOTP pad), built on first
use from the runtime's technician service.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.flows.base import FlowView, StepKind
from ui.controller import FlowController
from ui.frame import Header, ProgressRow
from ui.i18n import Translator
from ui.idle import IdleGuard
from ui.overlays import BusyOverlay, IdleOverlay
from ui.runtime import KioskRuntime
from ui.screens.base import Screen, ScreenContext
from ui.screens.card import ReadCardScreen
from ui.screens.choices import ChoosePurposeScreen, ConfirmScreen, SelectItemsScreen
from ui.screens.face import CaptureFaceScreen
from ui.screens.idnumber import EnterIdScreen
from ui.screens.outcome import DoneScreen, FailedScreen, WorkingScreen
from ui.screens.pay import PayScreen
from ui.screens.plate import EnterPlateScreen
from ui.screens.start import AttractScreen, HomeScreen
from ui.theme import Theme
from ui.voice import Voice
from ui.widgets import make_button, make_label
from ui.worker import Worker

log = logging.getLogger(__name__)

STEP_SCREENS: tuple[type[Screen], ...] = (
    ReadCardScreen,
    EnterIdScreen,
    EnterPlateScreen,
    CaptureFaceScreen,
    ChoosePurposeScreen,
    SelectItemsScreen,
    ConfirmScreen,
    PayScreen,
    WorkingScreen,
    DoneScreen,
    FailedScreen,
)
NO_IDLE_STEPS = (StepKind.PAY, StepKind.WORKING)  # the citizen is paying on the phone, or the kiosk works
BANNER_MS = 8000


if TYPE_CHECKING:
    from ui.technician import TechnicianScreen


class KioskWindow(QWidget):
    # Emitted from the fleet thread after a live configuration change; delivered on the GUI thread.
    config_changed = Signal()

    def __init__(self, runtime: KioskRuntime, *, pool: QThreadPool | None = None, voice: Voice | None = None) -> None:
        super().__init__()
        self.runtime = runtime
        config = runtime.config
        self.kiosk_mode = config.ui.fullscreen
        self.theme = Theme(dpi=config.ui.screen_dpi)
        self.tr = Translator(config.ui.language, config.ui.texts)
        self.config_changed.connect(self._apply_live_config)
        if hasattr(runtime, "add_config_listener"):  # texts pushed by the fleet show without a restart
            runtime.add_config_listener(self.config_changed.emit)
        self.voice = voice or Voice(config.ui.voice)
        self.worker = Worker(pool, self)
        self.controller = FlowController(runtime, self.worker, self)
        self.ctx = ScreenContext(self.tr, self.theme, runtime, self.worker)
        self._spoken: tuple[Any, ...] = ()
        self.shown_view: FlowView | None = None  # the view on screen (retranslated on a language switch)
        self._exit_allowed = False
        self.technician: TechnicianScreen | None = None  # built on the first corner gesture
        self._build()
        self._connect()
        self.idle = IdleGuard(config.session.idle_timeout_s, config.session.warning_s, self)
        self.idle.warning.connect(self.idle_overlay.show_countdown)
        self.idle.extended.connect(self.idle_overlay.hide)
        self.idle.expired.connect(self._on_idle_expired)
        self.idle_overlay.continue_clicked.connect(self.idle.touch)
        QApplication.instance().installEventFilter(self.idle)
        self.apply_theme()
        self.go_attract()

    # --- construction --------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.setWindowTitle(self.runtime.config.site_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # the screen's size is the window's
        self.header = Header(self.theme, self.tr, self.runtime.config.site_name)
        self.progress = ProgressRow(self.theme, self.tr)
        self.prompt = make_label("prompt")
        self.prompt.setContentsMargins(self.theme.px(6), self.theme.px(2), self.theme.px(6), 0)
        self.banner = make_label("banner")
        self.banner.hide()
        self.stack = QStackedWidget()
        self.attract, self.home = AttractScreen(self.ctx), HomeScreen(self.ctx)
        self.steps: dict[StepKind, Screen] = {cls.step: cls(self.ctx) for cls in STEP_SCREENS}
        for screen in self.screens():
            self.stack.addWidget(screen)
        self.footer = QWidget()
        footer_layout = QVBoxLayout(self.footer)
        footer_layout.setContentsMargins(self.theme.px(6), 0, self.theme.px(6), self.theme.px(3))
        self.cancel = make_button("danger")
        footer_layout.addWidget(self.cancel)
        for widget in (self.header, self.progress, self.prompt, self.banner):
            layout.addWidget(widget)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.footer)
        self.busy_overlay = BusyOverlay(self.stack, self.theme, self.tr)
        self.idle_overlay = IdleOverlay(self, self.theme, self.tr)
        self._banner_timer = QTimer(self, singleShot=True, interval=BANNER_MS)
        self._banner_timer.timeout.connect(self.banner.hide)

    def _connect(self) -> None:
        self.attract.touched.connect(self.start_session)
        self.home.service_chosen.connect(self.controller.start)
        for screen in self.steps.values():
            screen.intent.connect(self._on_intent)
            screen.poll.connect(self.controller.poll)
        self.controller.view_changed.connect(self.show_view)
        self.controller.busy_changed.connect(self._on_busy)
        self.controller.flow_error.connect(self._show_banner)
        self.controller.session_ended.connect(self._on_session_ended)
        self.cancel.clicked.connect(self._on_cancel)
        self.header.language.clicked.connect(self.tr.toggle)
        self.header.large_text.toggled.connect(self._set_large_text)
        self.header.contrast.toggled.connect(self._set_contrast)
        self.header.corner.triggered.connect(self.open_technician)
        self.tr.changed.connect(self._retranslate)

    def screens(self) -> list[Screen]:
        return [self.attract, self.home, *self.steps.values()]

    # --- navigation ----------------------------------------------------------------------------------------
    def _switch_to(self, screen: QWidget) -> None:
        current = self.stack.currentWidget()
        if current is not screen:
            if isinstance(current, Screen):
                current.deactivated()
            self.stack.setCurrentWidget(screen)
            if isinstance(screen, Screen):
                screen.activated()

    def go_attract(self) -> None:
        self._switch_to(self.attract)
        self._set_chrome(None)
        self._update_idle()

    def start_session(self) -> None:
        self.home.refresh()
        self._switch_to(self.home)
        self._set_chrome(None)
        self.prompt.hide()
        self._update_idle()
        self.idle.touch()

    def technician_screen(self) -> TechnicianScreen:
        if self.technician is None:
            from ui.technician import TechnicianScreen  # loaded on the first corner gesture, not at start-up

            self.technician = TechnicianScreen(self.runtime.technician_service())
            self.technician.closed.connect(self.go_attract)
            self.technician.exit_requested.connect(self.exit_app)
            self.technician.pin_pad.accepted.connect(self._update_idle)  # logged in: its own auto-logout
            self.stack.addWidget(self.technician)
        return self.technician

    def open_technician(self) -> None:
        """The corner gesture: a citizen's session ends (wiped) before the technician login shows."""
        if self.stack.currentWidget() is self.technician:
            return
        if self.controller.flow is not None or self.stack.currentWidget() is not self.attract:
            self.controller.end("cancelled")
        screen = self.technician_screen()
        screen.show_login()
        self._switch_to(screen)
        self._set_chrome(None)
        self._update_idle()
        self.idle.touch()

    def show_view(self, view: FlowView) -> None:
        screen = self.steps[view.step]
        if self.shown_view is not None and self.shown_view.step != view.step:
            self.banner.hide()
        self.shown_view = view
        screen.render(view)
        self._switch_to(screen)
        self._set_chrome(view)
        self._speak(view)
        self._update_idle()
        self.idle.touch()  # the flow moved on: the citizen is acting

    def _set_chrome(self, view: FlowView | None) -> None:
        if view is None:
            self.shown_view = None
        citizen = self.technician is None or self.stack.currentWidget() is not self.technician
        for button in (self.header.language, self.header.large_text, self.header.contrast):
            button.setVisible(citizen)  # the technician screen is bilingual and sized for staff
        self.progress.set_progress(view.progress if view else (0, 0))
        self.prompt.setVisible(view is not None)
        self.prompt.setText(self.tr.text(view.prompt_key) if view else "")
        self.cancel.setText(self.tr.text("btn.cancel"))
        self.footer.setVisible(view is not None and "cancel" in view.intents)

    def _on_intent(self, intent: str, payload: dict[str, Any]) -> None:
        if intent == "finish":
            self.controller.end("finished")
        else:
            self.controller.send(intent, **payload)

    def _on_busy(self, busy: bool) -> None:
        current = self.stack.currentWidget()
        self.busy_overlay.set_busy(busy and not getattr(current, "shows_own_busy", False))
        self._update_idle()

    def _update_idle(self) -> None:
        current = self.stack.currentWidget()
        view = self.shown_view
        enabled = current is not self.attract
        if current in self.steps.values() and view is not None and view.step in NO_IDLE_STEPS:
            enabled = False
        if self.controller.busy and not getattr(current, "shows_own_busy", False):
            enabled = False
        if current is self.technician and self.technician is not None and self.technician.logged_in:
            enabled = False  # the technician session has its own automatic logout
        self.idle.set_enabled(enabled)

    def _on_idle_expired(self) -> None:
        self.controller.end("timeout")

    def _on_cancel(self) -> None:
        self.controller.end("cancelled")

    def _on_session_ended(self, reason: str) -> None:
        log.info("session ended: %s", reason)
        for screen in self.screens():
            screen.reset()
        self.busy_overlay.set_busy(False)
        self.idle_overlay.hide()
        if self.technician is not None and not self.technician.logged_in:
            self.technician.pin_pad.reset()  # an abandoned login leaves no typed digits behind
        self.banner.hide()
        self.voice.reset()
        self._spoken = ()
        self.tr.reset()
        self.header.large_text.setChecked(False)
        self.header.contrast.setChecked(False)
        self.go_attract()

    # --- language, theme, voice ----------------------------------------------------------------------------
    def _retranslate(self, *_args: object) -> None:
        view = self.shown_view
        if view is not None:
            self._set_chrome(view)
            self._spoken = ()
            self._speak(view)

    def _speak(self, view: FlowView) -> None:
        key = (view.service, view.step, view.prompt_key, view.data.get("guidance_key"), self.tr.language)
        if key != self._spoken:
            self._spoken = key
            self.voice.say(self.prompt.text(), self.tr.language)

    def _show_banner(self, key: str) -> None:
        self.banner.setText(self.tr.text(key))
        self.banner.show()
        self._banner_timer.start()

    def _set_large_text(self, on: bool) -> None:
        self.theme.large_text = on
        self.apply_theme()

    def _set_contrast(self, on: bool) -> None:
        self.theme.high_contrast = on
        self.apply_theme()

    def apply_theme(self) -> None:
        self.setStyleSheet(self.theme.stylesheet())

    # --- kiosk mode ----------------------------------------------------------------------------------------
    def exit_app(self) -> None:
        self._exit_allowed = True
        self.close()
        QApplication.quit()

    def closeEvent(self, event) -> None:
        if self.kiosk_mode and not self._exit_allowed:
            event.ignore()
            return
        QApplication.instance().removeEventFilter(self.idle)
        self.worker.wait_idle(3000)
        if self.technician is not None:
            self.technician.wait_idle(3000)
        self.voice.shutdown()
        super().closeEvent(event)

    def keyPressEvent(self, event) -> None:
        if self.kiosk_mode:
            event.accept()
            return
        super().keyPressEvent(event)

    def _apply_live_config(self) -> None:
        self.tr.set_overrides(self.runtime.config.ui.texts)
