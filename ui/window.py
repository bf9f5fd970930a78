"""The kiosk window: the QML citizen screens (ui/qml/Main.qml) over the shell, and the technician screen (Qt
Widgets, ui.technician) shown as its own window over it after five taps on the clock.

Kiosk mode (config ui.fullscreen): full screen, frameless, no pointer, keys swallowed, and closing refused
until the technician chooses "exit app". `grab()` renders the window to an image (screenshots, tests).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QMetaObject, QObject, QThreadPool, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtWidgets import QApplication

from ui.quick_items import register_types
from ui.runtime import KioskRuntime
from ui.shell import Shell
from ui.voice import Voice

if TYPE_CHECKING:
    from ui.technician import TechnicianScreen

log = logging.getLogger(__name__)

QML_DIR = Path(__file__).resolve().parent / "qml"
PORTRAIT = (1080, 1920)


class WindowGuard(QObject):
    """Kiosk mode: keys of a keyboard plugged into the cabinet do nothing, and closing is refused until the
    technician chose "exit app"; a close that goes ahead first stops what the window started."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            return self.window.kiosk_mode
        if kind == QEvent.Type.Close:
            if self.window.kiosk_mode and not self.window._exit_allowed:
                event.ignore()
                return True
            self.window.shutdown()
        return False


class KioskWindow(QObject):
    config_changed = Signal()  # emitted on the fleet's thread after a live change; handled on the GUI thread

    def __init__(self, runtime: KioskRuntime, *, pool: QThreadPool | None = None, voice: Voice | None = None,
                 size: tuple[int, int] | None = None) -> None:  # fmt: skip
        super().__init__()
        self.runtime = runtime
        config = runtime.config
        self.kiosk_mode = config.ui.fullscreen
        self.shell = Shell(runtime, pool=pool, voice=voice, parent=self)
        self.technician: TechnicianScreen | None = None  # built on the first clock gesture
        self._exit_allowed = False
        self._shut_down = False
        self.engine = QQmlApplicationEngine()
        self.engine.addImportPath(str(QML_DIR))
        context = self.engine.rootContext()
        for name, model in (("kiosk", self.shell), ("idEntry", self.shell.id_entry),
                            ("plateEntry", self.shell.plate_entry), ("permitEntry", self.shell.permit_entry),
                            ("selection", self.shell.selection),
                            ("camera", self.shell.camera)):  # fmt: skip
            context.setContextProperty(name, model)
        register_types()
        self.engine.load(QUrl.fromLocalFile(str(QML_DIR / "Main.qml")))
        if not self.engine.rootObjects():
            raise RuntimeError("the citizen screens (ui/qml/Main.qml) did not load; see the QML errors above")
        root = self.engine.rootObjects()[0]
        self.quick: QQuickWindow = shiboken6.wrapInstance(shiboken6.getCppPointer(root)[0], QQuickWindow)
        width, height = size or (PORTRAIT if config.ui.orientation == "portrait" else PORTRAIT[::-1])
        self.quick.resize(width, height)
        self.shell.technicianRequested.connect(self.open_technician)
        self.shell.idle.expired.connect(self._on_idle_expired)
        self.config_changed.connect(self.shell.apply_live_config)
        if hasattr(runtime, "add_config_listener"):  # texts pushed by the fleet show without a restart
            runtime.add_config_listener(self.config_changed.emit)
        QApplication.instance().installEventFilter(self.shell.idle)
        self.guard = WindowGuard(self)
        self.quick.installEventFilter(self.guard)

    # --- showing ---------------------------------------------------------------------------------------
    def show(self) -> None:
        if self.kiosk_mode:
            from PySide6.QtCore import Qt

            self.quick.setFlags(self.quick.flags() | Qt.WindowType.FramelessWindowHint)
            QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)  # a touchscreen shows no pointer
            self.quick.showFullScreen()
        else:
            self.quick.show()

    def grab(self) -> QImage:
        return self.quick.grabWindow()

    def item(self, name: str) -> QQuickItem | None:
        """The QML item with this objectName, the one shown if there are several (tests and screenshots find
        controls by name); the visual tree is searched, as Repeater items are not QObject children."""
        found: list[QQuickItem] = []
        pending = [self.quick.contentItem()]
        while pending:
            node = pending.pop()
            if node.objectName() == name:
                found.append(node)
            pending.extend(reversed(node.childItems()))
        return next((node for node in found if node.isVisible()), found[0] if found else None)

    def prepare_keyboard(self) -> None:
        """Make the in-window keyboard in the background (it must exist before a text field takes focus)."""
        loader = self.item("keyboardLoader")
        if loader is not None:
            loader.setProperty("active", True)

    # --- technician --------------------------------------------------------------------------------------
    def technician_screen(self) -> TechnicianScreen:
        if self.technician is None:
            from ui.technician import TechnicianScreen  # loaded on the first clock gesture, not at start-up

            self.technician = TechnicianScreen(self.runtime.technician_service())
            self.technician.setWindowTitle("技术维护 Technician")
            self.technician.closed.connect(self.close_technician)
            self.technician.exit_requested.connect(self.exit_app)
            self.technician.pin_pad.accepted.connect(lambda: self.shell.set_technician("in"))
        return self.technician

    def open_technician(self) -> None:
        """The clock gesture: a citizen's visit ends (wiped) before the technician login shows."""
        if self.technician is not None and self.technician.isVisible():
            return
        if self.shell.controller.flow is not None or self.shell.get("page") != "attract":
            self.shell.controller.end("cancelled")
        screen = self.technician_screen()
        screen.show_login()
        screen.setGeometry(self.quick.geometry())  # over the citizen screen, exactly
        if self.kiosk_mode:
            from PySide6.QtCore import Qt

            screen.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        screen.show()
        screen.raise_()
        screen.activateWindow()
        self.shell.set_technician("login")
        self.shell.idle.touch()

    def close_technician(self) -> None:
        if self.technician is not None:
            if not self.technician.logged_in:
                self.technician.pin_pad.reset()  # an abandoned login leaves no typed digits behind
            self.technician.hide()
        self.shell.set_technician("")
        self.shell.go_attract()

    def _on_idle_expired(self) -> None:
        if self.technician is not None and self.technician.isVisible() and not self.technician.logged_in:
            self.close_technician()  # an abandoned login: back to the citizens

    # --- closing -----------------------------------------------------------------------------------------
    def exit_app(self) -> None:
        self._exit_allowed = True
        self.close()
        QApplication.quit()

    def close(self) -> None:
        if self.kiosk_mode and not self._exit_allowed:
            return
        self.quick.close()

    def shutdown(self) -> None:
        """Stop everything the window started (the application may go on, as in tests); once."""
        if self._shut_down:
            return
        self._shut_down = True
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.shell.idle)
        self.shell.shutdown()
        if self.technician is not None:
            self.technician.wait_idle(3000)
            self.technician.hide()

    def dispose(self) -> None:
        """Delete the QML scene now (tests and benchmarks that make many windows)."""
        self.shutdown()
        if QGuiApplication.focusObject() is not None:  # no text field keeps the keyboard busy while it goes
            self.quick.contentItem().forceActiveFocus()
            QGuiApplication.inputMethod().hide()
            QApplication.processEvents()
        self.quick.hide()
        QMetaObject.invokeMethod(self.quick, "release")
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        shiboken6.delete(self.quick)  # the scene goes first, while its context and models still exist
        shiboken6.delete(self.engine)
        if self.technician is not None:
            self.technician.deleteLater()
            self.technician = None
        self.deleteLater()
