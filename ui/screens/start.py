"""The attract screen (touch anywhere to start) and the home grid of services with their availability."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.runtime import COMING_SOON, SERVICES
from ui.screens.base import Screen, ScreenContext
from ui.widgets import make_label

log = logging.getLogger(__name__)


class AttractScreen(Screen):
    touched = Signal()

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.site = make_label("title")
        self.site.setText(ctx.runtime.config.site_name)  # a proper name, not translated
        self.tagline = make_label("huge")
        self.services = make_label("prompt")
        self.touch = make_label("title")
        self.layout_.addStretch(2)
        for widget in (self.site, self.tagline):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.services)
        self.layout_.addStretch(2)
        self.layout_.addWidget(self.touch)
        self.layout_.addStretch(1)
        self.bind(self.tagline, "attract.tagline")
        self.bind(self.touch, "attract.touch")
        self.refresh_texts()

    def retranslate(self, *args: object) -> None:
        super().retranslate(*args)
        self.refresh_texts()

    def refresh_texts(self) -> None:
        self.services.setText(
            self.tr.text("attract.services") + "\n" + "\n".join(self.tr.text(f"service.{name}") for name in SERVICES)
        )

    def mousePressEvent(self, event) -> None:
        event.accept()
        self.touched.emit()


class ServiceTile(QPushButton):
    """A big button naming a service, what it is for, and whether it can be used now (and why not)."""

    def __init__(self, screen: Screen, service: str) -> None:
        super().__init__()
        self.service = service
        self.setProperty("role", "tile")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setSpacing(screen.ctx.theme.px(2))
        self.name = make_label("prompt", align=Qt.AlignmentFlag.AlignLeft)
        self.desc = make_label("small", align=Qt.AlignmentFlag.AlignLeft)
        self.status = make_label("ok", align=Qt.AlignmentFlag.AlignLeft)
        for label in (self.name, self.desc, self.status):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        layout.insertStretch(2, 1)
        screen.bind(self.name, f"service.{service}")
        screen.bind(self.desc, f"service.{service}.desc")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_status(self, screen: Screen, available: bool, reason_key: str | None) -> None:
        self.setEnabled(available)
        self.status.setProperty("role", "ok" if available else "error")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        screen.bind(self.status, "status.available" if available else (reason_key or "status.unavailable"))


REFRESH_MS = 2000


class HomeScreen(Screen):
    service_chosen = Signal(str)

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.title = make_label("title")
        self.bind(self.title, "home.title")
        self.layout_.addWidget(self.title)
        grid_host = QWidget()
        self.grid = QGridLayout(grid_host)
        self.grid.setSpacing(ctx.theme.px(4))
        self.tiles: dict[str, ServiceTile] = {}
        for service in (*SERVICES, *COMING_SOON):
            tile = ServiceTile(self, service)
            tile.clicked.connect(lambda _=False, s=service: self.service_chosen.emit(s))
            self.tiles[service] = tile
        self.layout_.addWidget(grid_host)
        self.layout_.addStretch(1)
        self.hint = make_label("hint")
        self.bind(self.hint, "home.hint")
        self.layout_.addWidget(self.hint)
        self._columns = 0
        # While the menu is shown, follow what changes (a printer runs out, the core finishes starting).
        self._refresh_timer = QTimer(self, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self.refresh()

    def activated(self) -> None:
        self.refresh()
        self._refresh_timer.start()

    def deactivated(self) -> None:
        self._refresh_timer.stop()

    def refresh(self) -> None:
        """Ask the core what is available now (cached device and backend states; must not block)."""
        try:
            availability = self.ctx.runtime.service_availability()
        except Exception as error:
            log.error("service availability failed: %s", type(error).__name__)
            availability = {}
        for service in SERVICES:
            available, reason = availability.get(service, (False, "reason.maintenance"))
            self.tiles[service].set_status(self, available, reason)
        for service in COMING_SOON:
            self.tiles[service].set_status(self, False, "status.coming_soon")

    def resizeEvent(self, event) -> None:
        columns = 4 if self.width() > self.height() * 1.2 else 2
        if columns != self._columns:
            self._columns = columns
            for index, tile in enumerate(self.tiles.values()):
                self.grid.addWidget(tile, index // columns, index % columns)
        super().resizeEvent(event)
