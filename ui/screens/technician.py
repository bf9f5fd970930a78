"""The technician panel, reached only by the corner gesture and a PIN. A placeholder until diagnostics land."""

from __future__ import annotations

from PySide6.QtCore import Signal

from ui.screens.base import Screen, ScreenContext
from ui.widgets import make_button, make_label


class TechnicianScreen(Screen):
    exit_requested = Signal()
    back_requested = Signal()

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.title, self.placeholder = make_label("title"), make_label("prompt")
        self.back, self.exit = make_button(), make_button("danger")
        self.back.clicked.connect(self.back_requested)
        self.exit.clicked.connect(self.exit_requested)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.placeholder)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.back)
        self.layout_.addWidget(self.exit)
        self.bind(self.title, "tech.title")
        self.bind(self.placeholder, "tech.placeholder")
        self.bind(self.back, "btn.back_to_service")
        self.bind(self.exit, "btn.exit_app")
