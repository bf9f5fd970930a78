"""The base of every screen: texts bound by key (re-rendered on a language switch), intents out, wipe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractButton, QLabel, QVBoxLayout, QWidget

from kiosk.flows.base import FlowView, StepKind
from ui.i18n import TextValue, Translator
from ui.runtime import KioskRuntime
from ui.theme import Theme
from ui.worker import Worker


@dataclass
class ScreenContext:
    tr: Translator
    theme: Theme
    runtime: KioskRuntime
    worker: Worker  # for screen-local blocking calls (face detection); results tagged per screen


class Screen(QWidget):
    intent = Signal(str, object)  # payload dict; queued behind a call in flight
    poll = Signal(str)  # repeated intents, sent only when nothing is in flight

    step: StepKind | None = None
    shows_own_busy = False  # True: the screen itself shows the waiting (card read, payment, working)

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.view: FlowView | None = None
        self._bindings: dict[QWidget, tuple[str, dict[str, TextValue]]] = {}
        self.layout_ = QVBoxLayout(self)
        margin = ctx.theme.px(6)
        self.layout_.setContentsMargins(margin, ctx.theme.px(3), margin, ctx.theme.px(3))
        self.layout_.setSpacing(ctx.theme.px(3))
        ctx.tr.changed.connect(self.retranslate)

    @property
    def tr(self) -> Translator:
        return self.ctx.tr

    def bind(self, widget: QLabel | QAbstractButton, key: str, **values: TextValue) -> None:
        """Show the text for `key` now and after every language switch."""
        self._bindings[widget] = (key, values)
        widget.setText(self.tr.text(key, **values))

    def unbind(self, widget: QWidget) -> None:
        self._bindings.pop(widget, None)

    def retranslate(self, *_args: Any) -> None:
        for widget, (key, values) in list(self._bindings.items()):
            if not shiboken6.isValid(widget):
                del self._bindings[widget]
                continue
            widget.setText(self.tr.text(key, **values))

    def render(self, view: FlowView) -> None:
        self.view = view

    def activated(self) -> None:
        """The screen became the visible one."""

    def deactivated(self) -> None:
        """Another screen is shown: stop timers and animations."""

    def reset(self) -> None:
        """Session end: forget the view and every personal value shown."""
        self.view = None

    def send(self, intent: str, **payload: Any) -> None:
        self.intent.emit(intent, payload)
