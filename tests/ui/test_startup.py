"""Paint first, load later: the stand-in runtime while the core starts, and the menu following it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QThreadPool

from tests.ui.fakes import FakeRuntime
from ui.app import kiosk_font
from ui.startup import STARTING, DeferredRuntime
from ui.texts import CATALOG
from ui.window import KioskWindow


def gated(runtime: FakeRuntime | None) -> tuple[DeferredRuntime, threading.Event]:
    gate = threading.Event()

    def build() -> FakeRuntime:
        gate.wait(10)
        if runtime is None:
            raise OSError("journal disk missing")
        return runtime

    return DeferredRuntime(FakeRuntime().config, build), gate


def test_services_show_starting_until_the_core_is_ready_then_its_answers():
    real = FakeRuntime()
    deferred, gate = gated(real)
    assert deferred.service_availability() == {s: (False, STARTING) for s in ("temp_id", "certificate", "traffic")}
    assert deferred.camera_frame() is None
    gate.set()
    assert deferred.ready.wait(5)
    assert deferred.service_availability() == real.availability
    assert deferred.start_flow("temp_id") is real.flows[-1]


def test_a_flow_started_early_waits_for_the_core():
    real = FakeRuntime()
    deferred, gate = gated(real)
    started: list[object] = []
    worker = threading.Thread(target=lambda: started.append(deferred.start_flow("certificate")))
    worker.start()
    assert not started  # still waiting on the core
    gate.set()
    worker.join(5)
    assert started and started[0] is real.flows[-1]


def test_a_core_that_fails_to_start_leaves_every_service_out_of_service():
    deferred, gate = gated(None)
    gate.set()
    assert deferred.ready.wait(5)
    assert all(reason == "reason.out_of_service" for _, reason in deferred.service_availability().values())
    with pytest.raises(RuntimeError):
        deferred.start_flow("temp_id")


def test_the_menu_follows_the_core_once_it_is_ready(qtbot):
    deferred, gate = gated(FakeRuntime())
    kiosk_font()
    pool = QThreadPool()
    window = KioskWindow(deferred, pool=pool)
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(window.attract, Qt.MouseButton.LeftButton)  # touched before the core is up
    tile = window.home.tiles["temp_id"]
    assert not tile.isEnabled() and tile.status.text() == CATALOG[STARTING]["zh"]
    window.home._refresh_timer.setInterval(10)
    window.home._refresh_timer.start()
    gate.set()
    qtbot.waitUntil(lambda: tile.isEnabled(), timeout=5000)
    assert not window.home.tiles["traffic"].isEnabled()  # the real answer: backend down for traffic
    pool.waitForDone(5000)
