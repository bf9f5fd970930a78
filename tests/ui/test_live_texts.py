"""Texts pushed by the fleet (a signed configuration applied live) show on screen without a restart."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel

from kiosk.config import KioskConfig, UiConfig
from tests.ui.fakes import FakeRuntime
from ui.texts import CATALOG


class LiveRuntime(FakeRuntime):
    def __init__(self) -> None:
        super().__init__()
        self.listeners = []

    def add_config_listener(self, listener) -> None:
        self.listeners.append(listener)


def visible_texts(widget) -> set[str]:
    return {label.text() for label in widget.findChildren(QLabel) if label.isVisible()}


def test_a_live_text_change_is_shown_at_once(qtbot, make_window):
    runtime = LiveRuntime()
    window = make_window(runtime)
    default = CATALOG["attract.touch"]["zh"]
    assert default in visible_texts(window.attract)
    runtime.config = KioskConfig(
        site_name=runtime.config.site_name, ui=UiConfig(texts={"attract.touch": "请轻触屏幕办理业务"})
    )
    notifier = threading.Thread(target=lambda: [listener() for listener in runtime.listeners])  # the fleet thread
    notifier.start()
    notifier.join(5)
    qtbot.waitUntil(lambda: "请轻触屏幕办理业务" in visible_texts(window.attract), timeout=3000)
    assert default not in visible_texts(window.attract)
