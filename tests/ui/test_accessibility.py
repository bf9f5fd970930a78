"""Touch targets and text sizes measured on every citizen screen, voice without an engine, kiosk mode."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit

from kiosk.config import KioskConfig, UiConfig
from kiosk.flows.base import FlowView, StepKind
from tests.ui.fakes import INTENTS, SCRIPTS, FakeRuntime, view_of
from tests.ui.helpers import click
from ui.theme import MIN_TEXT_MM, MIN_TOUCH_MM, mm_to_px
from ui.voice import Voice

FAILED = FlowView(
    "temp_id",
    StepKind.FAILED,
    "prompt.failed",
    {"error_code": "timeout", "next_key": "next.retry"},
    INTENTS[StepKind.FAILED],
    (3, 7),
)


def every_screen(window):
    """Show each screen in turn (yielding its name): attract, home, every scripted step, failed, overlays."""
    window.go_attract()
    yield "attract"
    window.start_session()
    yield "home"
    for service, script in SCRIPTS.items():
        for step, _prompt, _data in script:
            window.show_view(view_of(service, step))
            yield f"{service}/{step}"
    window.show_view(FAILED)
    yield "failed"
    window.idle_overlay.show_countdown(20)
    yield "idle warning"
    window.idle_overlay.hide()


@pytest.mark.parametrize(
    ("size", "dpi", "large"), [((1080, 1920), 96, False), ((1920, 1080), 96, True), ((1080, 1920), 120, False)]
)
def test_every_visible_button_is_at_least_15_mm_and_on_screen(qtbot, make_window, size, dpi, large):
    runtime = FakeRuntime(config=KioskConfig(ui=UiConfig(screen_dpi=dpi)))
    window = make_window(runtime, size)
    if large:
        click(qtbot, window.header.large_text)
    minimum = mm_to_px(MIN_TOUCH_MM, dpi)
    checked = 0
    for name in every_screen(window):
        QApplication.processEvents()
        for button in window.findChildren(QAbstractButton):
            if button.isVisible():
                assert button.width() >= minimum and button.height() >= minimum, (name, button.text(), button.size())
                where = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
                assert window.rect().contains(where), (name, button.text(), where)  # not pushed off the screen
                checked += 1
    assert checked > 150  # the walk really saw the keypads, keyboards and tiles


def test_all_visible_text_is_at_least_4_8_mm_high(qtbot, window):
    minimum = mm_to_px(MIN_TEXT_MM, window.theme.dpi) - 1  # a pixel of rounding in the rasteriser
    for name in every_screen(window):
        QApplication.processEvents()
        for widget in [
            *window.findChildren(QLabel),
            *window.findChildren(QAbstractButton),
            *window.findChildren(QLineEdit),
        ]:
            if widget.isVisible() and widget.text().strip():
                cap = widget.fontMetrics().tightBoundingRect("H").height()
                assert cap >= minimum, (name, widget.text(), cap)


def test_voice_without_an_engine_is_silent_and_the_prompt_is_on_screen(qtbot, window, monkeypatch):
    monkeypatch.setattr("ui.voice.available_engines", list)  # a machine without speech-dispatcher
    voice = Voice(enabled=True)
    assert voice.wait_ready(1) is False and not voice.available
    voice.say("请将身份证放在读卡区", "zh")
    assert voice.last_text == "请将身份证放在读卡区"
    voice.reset()
    window.show_view(view_of("temp_id", StepKind.READ_CARD))
    assert window.voice.last_text == window.prompt.text() == "请将身份证放在读卡区"


def test_kiosk_mode_refuses_to_close_without_the_technician(qtbot, make_window):
    window = make_window(FakeRuntime(config=KioskConfig(ui=UiConfig(fullscreen=True))))
    event = QCloseEvent()
    window.closeEvent(event)
    assert not event.isAccepted()
    window._exit_allowed = True  # what the technician's "exit app" sets
    event = QCloseEvent()
    window.closeEvent(event)
    assert event.isAccepted()
