"""The technician screen: login pad, then tabs for devices, counters, ports, logs and service switches.

The main window shows it after the hidden corner gesture; it emits `closed` when the technician goes back to
service (logging out), the session times out, or the login is abandoned, and `exit_requested` once the
"exit app" choice has been audited. Every blocking call (login, device tests, audit writes) runs on the
screen's own thread pool; any touch on the screen postpones the automatic logout.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from kiosk.technician import TechnicianService
from ui.technician.devices_tab import DevicesTab
from ui.technician.pinpad import PinPad, format_wait
from ui.technician.runner import TaskResult, TaskRunner
from ui.technician.style import STYLE_SHEET, button
from ui.technician.tabs import CountersTab, LogsTab, PortsTab, ServiceTab

log = logging.getLogger(__name__)

ACTIVITY_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin, QEvent.Type.Wheel)
TICK_MS = 1000


class TechnicianScreen(QWidget):
    closed = Signal()
    exit_requested = Signal()

    def __init__(self, service: TechnicianService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.auth = service.auth
        self.setStyleSheet(STYLE_SHEET)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(3)  # a waiting test read must not block a refresh
        self.session_runner = TaskRunner(self.pool, self)
        self.session_runner.finished.connect(self._on_session_result)
        self.pin_pad = PinPad(self.auth, self.pool)
        self.pin_pad.accepted.connect(self._enter)
        self.pin_pad.cancelled.connect(self.closed)
        self.devices_tab = DevicesTab(service, self.pool)
        self.counters_tab = CountersTab(service, self.pool)
        self.ports_tab = PortsTab(service, self.pool)
        self.logs_tab = LogsTab(service, self.pool)
        self.service_tab = ServiceTab(service, self.pool)
        self.tabs = QTabWidget()
        for tab, title in (
            (self.devices_tab, "设备 Devices"),
            (self.counters_tab, "耗材 Counters"),
            (self.ports_tab, "端口 Ports"),
            (self.logs_tab, "日志 Logs"),
            (self.service_tab, "服务 Service"),
        ):
            self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(self._refresh_current)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.pin_pad)
        self.stack.addWidget(self._main_page())
        QVBoxLayout(self).addWidget(self.stack)
        self._idle_timer = QTimer(self, interval=TICK_MS)
        self._idle_timer.timeout.connect(self._tick)
        self._watching = False
        self.show_login()

    def _main_page(self) -> QWidget:
        page = QWidget()
        header = QHBoxLayout()
        self.header = QLabel(f"技术维护 Technician — {self.service.config.kiosk_id}")
        self.header.setProperty("role", "header")
        self.idle_label = QLabel()
        self.logout_button = button("返回服务 Back to service", "primary")  # logs out, back to citizens
        self.logout_button.clicked.connect(self.logout)
        self.exit_button = button("退出程序 Exit app", "danger")
        self.exit_button.clicked.connect(self.exit_app)
        self.exit_button.setVisible(bool(self.service.exit_allowed))  # only where the configuration allows it
        header.addWidget(self.header, 1)
        header.addWidget(self.idle_label)
        leave = QHBoxLayout()
        leave.addWidget(self.logout_button, 2)
        leave.addWidget(self.exit_button, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(leave)
        return page

    # -- session -------------------------------------------------------------------------------------
    @property
    def logged_in(self) -> bool:
        return self.stack.currentIndex() == 1

    def show_login(self) -> None:
        self.pin_pad.reset()
        self.stack.setCurrentIndex(0)

    def _enter(self) -> None:
        self.stack.setCurrentIndex(1)
        self.tabs.setCurrentIndex(0)
        self.devices_tab.refresh()
        self._idle_timer.start()
        self._tick_label()

    def logout(self) -> None:
        self.session_runner.run("logout", self.auth.logout)  # audited off the GUI thread
        self._leave()

    def exit_app(self) -> None:
        """Audit the exit and end the session off the GUI thread; `exit_requested` follows the result."""
        self.exit_button.setEnabled(False)
        self.logout_button.setEnabled(False)
        service = self.service

        def audited_exit() -> bool:
            return service.exit_app()  # audited; refused unless the configuration allows leaving the app

        self.session_runner.run("exit", audited_exit)

    def _on_session_result(self, result: TaskResult) -> None:
        if result.tag != "exit":
            return
        self._idle_timer.stop()
        self.exit_button.setEnabled(True)
        self.logout_button.setEnabled(True)
        if result.error is not None:  # an audit failure must not trap the technician in the app
            log.error("auditing the exit failed: %s", type(result.error).__name__)
        elif result.value is False:
            return  # not allowed here: the technician stays in the kiosk app
        self.exit_requested.emit()

    def _leave(self) -> None:
        self._idle_timer.stop()
        for runner in self.findChildren(TaskRunner):
            runner.new_generation()  # late results of this session are dropped
        self.show_login()
        self.closed.emit()

    def _tick(self) -> None:
        if self.auth.idle_remaining() > 0:
            self._tick_label()
            return
        self.session_runner.run("auto_logout", self.auth.session_active)  # ends and audits the session
        self._leave()

    def _tick_label(self) -> None:
        self.idle_label.setText(f"自动退出 Auto logout {format_wait(self.auth.idle_remaining())}")

    def _refresh_current(self, index: int) -> None:
        if self.logged_in:
            self.tabs.widget(index).refresh()  # type: ignore[attr-defined]

    # -- activity ------------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        app = QApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
            self._watching = False
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and isinstance(watched, QWidget) and self.isAncestorOf(watched):
            self.auth.touch()
        return False

    def wait_idle(self, timeout_ms: int = 10000) -> bool:
        """For shutdown and tests: wait for running calls (a test read waits for its time-out)."""
        return self.pool.waitForDone(timeout_ms)
