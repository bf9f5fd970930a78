"""Texts pushed by the fleet (a signed configuration applied live) show on screen without a restart, and so do
the site's notices on the attract screen."""

from __future__ import annotations

import threading

from tests.ui.fakes import FakeRuntime, fake_config
from tests.ui.helpers import texts
from ui.catalog import catalog

CATALOG = catalog()  # the screens' texts and the core's (loaded by tests/ui/conftest.py)


class LiveRuntime(FakeRuntime):
    def __init__(self) -> None:
        super().__init__()
        self.listeners = []

    def add_config_listener(self, listener) -> None:
        self.listeners.append(listener)


def push(runtime: LiveRuntime, texts_: dict[str, str]) -> None:
    runtime.config = fake_config(texts=texts_)
    notifier = threading.Thread(target=lambda: [listener() for listener in runtime.listeners])  # the fleet thread
    notifier.start()
    notifier.join(5)


def test_a_live_text_change_and_a_notice_show_at_once(qtbot, make_window):
    runtime = LiveRuntime()
    window = make_window(runtime)
    default = CATALOG["attract.touch"]["zh"]
    assert default in texts(window)
    push(runtime, {"attract.touch": "请轻触屏幕办理业务", "notice.1": "今晚22:00至23:00系统维护，暂停服务"})
    qtbot.waitUntil(lambda: "请轻触屏幕办理业务" in texts(window), timeout=3000)
    assert default not in texts(window)
    assert "今晚22:00至23:00系统维护，暂停服务" in texts(window)
    push(runtime, {})
    qtbot.waitUntil(lambda: default in texts(window), timeout=3000)
    assert not any("系统维护" in text for text in texts(window))
