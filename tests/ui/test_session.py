"""The visit's boundaries: idle warning, extension and expiry (every screen wiped, defaults restored), leaving by
首页, the language switch on every step, help, and the text catalogue (no key without a text)."""

from __future__ import annotations

import threading

import pytest

from kiosk.flows.base import StepKind
from tests.ui.fakes import SCRIPTS, failed_view, view_of
from tests.ui.helpers import all_texts, item, start_service, tap, texts, type_keys, wait_page, wait_step
from ui.catalog import CHROME, LANGUAGES, catalog, table

CATALOG = catalog()  # the screens' texts and the core's (loaded by tests/ui/conftest.py)


def quick_idle(window, idle_ms: int = 30, tick_ms: int = 5) -> None:
    window.shell.idle.idle_ms, window.shell.idle.tick_ms = idle_ms, tick_ms


def test_idle_warning_counts_down_from_at_least_20_s_and_a_touch_continues(qtbot, window, runtime):
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    quick_idle(window, tick_ms=1000)
    window.shell.idle.touch()
    qtbot.waitUntil(lambda: item(window, "idleOverlay").isVisible())
    assert window.shell.get("warningLeft") >= 20
    assert CATALOG["idle.countdown"]["zh"].format(s=window.shell.get("warningLeft")) in texts(window)
    window.shell.idle.idle_ms = 60_000  # after the touch, no second warning during this test
    tap(qtbot, window, "continueButton")
    assert not item(window, "idleOverlay").isVisible()
    assert window.shell.get("page") == "capture_face" and runtime.ended == []


def test_the_footer_ring_counts_the_seconds_to_the_wipe(qtbot, window):
    tap(qtbot, window, "attractTouch")
    wait_page(qtbot, window, "home")
    ring = item(window, "idleRing")
    assert ring.isVisible()
    total = window.shell.get("idleTotal")
    assert total == 60 + 20 and 0 < window.shell.get("idleLeft") <= total
    assert str(window.shell.get("idleLeft")) == ring.property("label")


def test_idle_expiry_aborts_the_flow_wipes_every_screen_and_restores_defaults(qtbot, window, runtime):
    runtime.flow_options["read_gate"] = threading.Event()
    start_service(qtbot, window, "traffic")
    wait_step(qtbot, window, StepKind.READ_CARD)
    tap(qtbot, window, "byPlateButton")
    wait_step(qtbot, window, StepKind.ENTER_PLATE, timeout=5000)
    type_keys(qtbot, window, "京A12345A1B")
    for name in ("languageButton", "largeButton", "contrastButton"):
        tap(qtbot, window, name)
    assert window.shell.tr.language == "en" and window.shell.get("largeText") and window.shell.get("highContrast")
    quick_idle(window)
    window.shell.idle.touch()
    qtbot.waitUntil(lambda: runtime.ended == ["timeout"])
    assert runtime.flows[0].aborted.is_set()
    wait_page(qtbot, window, "attract")
    shell = window.shell
    assert shell.plate_entry.get("plate") == "" and shell.plate_entry.get("vin") == ""
    assert not any("京A" in text or "A1B" in text for text in all_texts(window))
    assert shell.tr.language == "zh" and not shell.get("largeText") and not shell.get("highContrast")
    assert not item(window, "idleOverlay").isVisible()


def test_expiry_wipes_the_photo_and_the_shown_details(qtbot, window, runtime):
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    type_keys(qtbot, window, "11010519491231002X")
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    camera = window.shell.camera
    qtbot.waitUntil(lambda: camera.image is not None)
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=5000)  # the frames streamed, the liveness passed
    assert "张*" in texts(window)
    quick_idle(window)
    window.shell.idle.touch()
    qtbot.waitUntil(lambda: runtime.ended == ["timeout"])
    wait_page(qtbot, window, "attract")
    assert camera.image is None and camera.frame is None
    held = all_texts(window)
    assert not any(value in text for text in held for value in ("张*", "110***********002X", "110105 19491231"))


def test_a_read_blocked_in_a_worker_is_aborted_at_expiry(qtbot, window, runtime):
    runtime.flow_options["read_gate"] = threading.Event()
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.READ_CARD)
    qtbot.waitUntil(lambda: window.shell.controller.busy)
    assert window.shell.idle.enabled  # waiting for a card still counts as idle
    quick_idle(window)
    window.shell.idle.touch()
    qtbot.waitUntil(lambda: runtime.ended == ["timeout"])
    assert runtime.flows[0].aborted.is_set()


def test_idle_on_the_home_screen_ends_the_visit_too(qtbot, window, runtime):
    tap(qtbot, window, "attractTouch")
    wait_page(qtbot, window, "home")
    tap(qtbot, window, "languageButton")
    quick_idle(window)
    window.shell.idle.touch()
    qtbot.waitUntil(lambda: runtime.ended == ["timeout"])
    wait_page(qtbot, window, "attract")
    assert window.shell.tr.language == "zh"


def test_no_idle_timer_on_the_attract_screen(window):
    assert window.shell.get("page") == "attract" and not window.shell.idle.enabled


def test_home_keeps_the_chosen_language_and_text_size(qtbot, window, runtime):
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    tap(qtbot, window, "languageButton")
    tap(qtbot, window, "largeButton")
    tap(qtbot, window, "homeButton")
    qtbot.waitUntil(lambda: runtime.ended == ["cancelled"])
    wait_page(qtbot, window, "home")
    assert window.shell.tr.language == "en" and window.shell.get("largeText")  # the same person goes on


def test_help_rings_the_duty_officer_and_shows_the_number(qtbot, window, runtime):
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    tap(qtbot, window, "helpButton")
    qtbot.waitUntil(lambda: window.shell.get("helpState") == "called")
    assert runtime.duty_calls == ["capture_face"]  # where the citizen is, never who
    assert "010-12345678" in texts(window)
    tap(qtbot, window, "closeHelpButton")
    assert not item(window, "helpSheet").isVisible() and window.shell.get("page") == "capture_face"


def test_help_that_cannot_ring_says_so_and_still_shows_the_number(qtbot, window, runtime):
    def broken(_where: str) -> None:
        raise OSError("intercom unplugged")

    runtime.call_duty_officer = broken
    tap(qtbot, window, "attractTouch")
    wait_page(qtbot, window, "home")
    tap(qtbot, window, "helpButton")
    qtbot.waitUntil(lambda: window.shell.get("helpState") == "failed")
    shown = texts(window)
    assert CATALOG["help.failed"]["zh"] in shown and "010-12345678" in shown


CHINESE_ONLY = {entry["zh"] for key, entry in CATALOG.items()
                if entry["zh"] != entry["en"] and key not in ("chrome.language", "attract.touch_other")}  # fmt: skip


@pytest.mark.parametrize("service", ["temp_id", "certificate", "traffic", "endorsement"])
def test_the_language_switch_changes_every_text_on_every_step(qtbot, window, service):
    for step, prompt_key, _data, _number in SCRIPTS[service]:
        window.shell.show_view(view_of(service, step))
        wait_page(qtbot, window, str(step))
        chinese = set(texts(window))
        assert CATALOG[prompt_key]["zh"] in chinese
        tap(qtbot, window, "languageButton")
        english = set(texts(window))
        assert CATALOG[prompt_key]["en"] in english and CATALOG["chrome.language"]["en"] in english
        assert not english & CHINESE_ONLY, f"{step}: Chinese texts on the English screen"
        tap(qtbot, window, "languageButton")
    assert window.shell.tr.missing == set()


def test_every_key_has_both_languages_and_the_screens_use_no_unknown_key():
    for key, entry in CATALOG.items():
        assert set(entry) == set(LANGUAGES) and all(entry.values()), key
    from ui.catalog import core_catalog

    assert not set(CHROME) & set(core_catalog()), "a key in both the screens' and the core's catalogue"
    used = set()
    for script in SCRIPTS.values():
        for _step, prompt_key, data, _number in script:
            used.add(prompt_key)
            used.update(v for k, v in data.items() if k.endswith("_key") and v)
            used.update(data.get("take_items", []))
    used.update(f"error.{view.data['error_code']}" for view in (failed_view(failure=name) for name in
                                                                  ("face", "refund", "backend", "recently")))  # fmt: skip
    assert used <= set(CATALOG)


def test_a_key_without_text_shows_nothing_and_is_recorded(qtbot, window):
    window.shell.show_view(failed_view())
    wait_page(qtbot, window, "failed")
    assert window.shell.tr.text("error.made_up_for_this_test") == ""
    assert "error.made_up_for_this_test" in window.shell.tr.missing


def test_site_texts_override_per_language_and_notices_reach_the_attract_screen():
    overrides = {"attract.touch": "轻触屏幕办理", "en:attract.touch": "Tap to begin", "notice.1": "今晚22点系统维护"}
    assert table("zh", overrides)["attract.touch"] == "轻触屏幕办理"
    assert table("en", overrides)["attract.touch"] == "Tap to begin"
    assert table("en", {"attract.touch": "轻触屏幕办理"})["attract.touch"] == CATALOG["attract.touch"]["en"]
    assert table("en", overrides)["notice.1"] == "今晚22点系统维护"  # a notice only in Chinese shows as it is
