"""Idle warning, extension and expiry (wipe), language switching on every screen, the text catalog."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from kiosk.flows.base import StepKind
from tests.ui.fakes import SCRIPTS, view_of
from tests.ui.helpers import click, start_service, wait_step
from ui.screens.base import Screen
from ui.texts import CATALOG, LANGUAGES, lookup


def quick_idle(window, idle_ms: int = 30, tick_ms: int = 5) -> None:
    window.idle.idle_ms, window.idle.tick_ms = idle_ms, tick_ms


def test_idle_warning_counts_down_from_at_least_20_s_and_continue_extends(qtbot, window, runtime):
    quick_idle(window, tick_ms=1000)
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    qtbot.waitUntil(lambda: window.idle_overlay.isVisible())
    assert window.idle_overlay.seconds >= 20
    assert str(window.idle_overlay.seconds) in window.idle_overlay.countdown.text()
    window.idle.idle_ms = 60_000  # after the touch, no second warning during this test
    click(qtbot, window.idle_overlay.button)
    assert not window.idle_overlay.isVisible()
    assert window.stack.currentWidget() is window.steps[StepKind.CAPTURE_FACE]
    assert runtime.ended == []


def test_idle_expiry_aborts_the_flow_wipes_every_field_and_restores_defaults(qtbot, window, runtime):
    start_service(qtbot, window, "traffic")
    wait_step(qtbot, window, StepKind.ENTER_PLATE)
    plate = window.steps[StepKind.ENTER_PLATE]
    for char in "京A12345A1B":
        click(qtbot, plate.keyboard.keys[char])
    click(qtbot, window.header.language)
    click(qtbot, window.header.large_text)
    click(qtbot, window.header.contrast)
    assert window.tr.language == "en" and window.theme.large_text and window.theme.high_contrast
    quick_idle(window)
    window.idle.touch()
    qtbot.waitUntil(lambda: runtime.ended == ["timeout"])
    assert runtime.flows[0].aborted.is_set()
    assert window.stack.currentWidget() is window.attract
    assert [edit.text() for edit in window.findChildren(QLineEdit)] == [""] * len(window.findChildren(QLineEdit))
    assert plate.plate == "" and plate.vin == ""
    assert window.tr.language == "zh" and not window.theme.large_text and not window.theme.high_contrast
    assert not window.idle_overlay.isVisible()


def test_expiry_wipes_the_photo_and_the_shown_details(qtbot, window, runtime):
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    face = window.steps[StepKind.CAPTURE_FACE]
    face.auto_capture = False
    qtbot.waitUntil(lambda: face.preview.image is not None)
    window.controller.send("capture_face", frame=runtime.frame)
    wait_step(qtbot, window, StepKind.CONFIRM)
    confirm = window.steps[StepKind.CONFIRM]
    assert any(label.text() == "张*" for label in confirm.findChildren(QLabel))
    quick_idle(window)
    window.idle.touch()
    qtbot.waitUntil(lambda: runtime.ended == ["timeout"])
    assert face.preview.image is None and face._frame is None
    assert not any(label.text() == "张*" for label in window.findChildren(QLabel) if label.isVisible() or True)
    assert confirm.amount.text() == ""


def test_a_read_blocked_in_a_worker_is_aborted_at_expiry(qtbot, window, runtime):
    import threading

    runtime.flow_options["read_gate"] = threading.Event()
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.READ_CARD)
    qtbot.waitUntil(lambda: window.controller.busy)
    assert window.idle.enabled  # waiting for a card still counts as idle
    quick_idle(window)
    window.idle.touch()
    qtbot.waitUntil(lambda: runtime.ended == ["timeout"])
    assert runtime.flows[0].aborted.is_set()


def test_no_idle_timer_on_the_attract_screen(window):
    assert window.stack.currentWidget() is window.attract
    assert not window.idle.enabled


def bound_texts_match(screen: Screen) -> None:
    for widget, (key, values) in screen._bindings.items():
        assert widget.text() == screen.tr.text(key, **values), key


@pytest.mark.parametrize("service", ["temp_id", "certificate", "traffic"])
def test_language_switch_changes_the_texts_on_every_step(qtbot, window, service):
    for step, prompt_key, _data in SCRIPTS[service]:
        window.show_view(view_of(service, step))
        screen = window.steps[step]
        click(qtbot, window.header.language)
        assert window.tr.language == "en"
        assert window.prompt.text() == CATALOG[prompt_key]["en"]
        assert window.header.language.text() == "中文"
        bound_texts_match(screen)
        click(qtbot, window.header.language)
        assert window.prompt.text() == CATALOG[prompt_key]["zh"]
        bound_texts_match(screen)


def test_language_switch_on_attract_home_and_overlays(qtbot, window):
    click(qtbot, window.header.language)
    assert window.attract.touch.text() == CATALOG["attract.touch"]["en"]
    qtbot.mouseClick(window.attract, Qt.MouseButton.LeftButton)
    assert window.home.title.text() == CATALOG["home.title"]["en"]
    assert window.home.tiles["temp_id"].name.text() == "Temporary ID card"
    window.idle_overlay.show_countdown(25)
    assert window.idle_overlay.button.text() == "Continue"


def test_every_key_has_both_languages_and_the_fakes_use_known_keys():
    for key, entry in CATALOG.items():
        assert set(entry) == set(LANGUAGES) and all(entry.values()), key
    used = set()
    for script in SCRIPTS.values():
        for _step, prompt_key, data in script:
            used.add(prompt_key)
            used.update(v for k, v in data.items() if k.endswith("_key"))
            used.update(data.get("take_items", []))
    assert used <= set(CATALOG)


def test_unknown_keys_show_readable_words_and_are_logged(caplog):
    with caplog.at_level(logging.DEBUG, logger="ui.texts"):
        assert lookup("reason.paper_jam_upstream", "en") == "Paper jam upstream"
    assert "reason.paper_jam_upstream" in caplog.text


def test_configured_overrides_win():
    assert lookup("attract.tagline", "zh", {"attract.tagline": "全天候服务"}) == "全天候服务"
    assert lookup("attract.tagline", "en", {"en:attract.tagline": "Open all day"}) == "Open all day"
