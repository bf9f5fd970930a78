"""Paint first, load later: the stand-in runtime while the core starts, and the home screen following it."""

from __future__ import annotations

import threading

import pytest

from tests.ui.fakes import FakeRuntime
from tests.ui.helpers import tap, texts, wait_page
from ui.catalog import catalog
from ui.runtime import home_services
from ui.startup import STARTING, DeferredRuntime

CATALOG = catalog()  # the screens' texts and the core's (loaded by tests/ui/conftest.py)


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
    assert deferred.service_availability() == {s: (False, STARTING) for s in home_services()}
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


def test_the_home_screen_follows_the_core_once_it_is_ready(qtbot, make_window):
    deferred, gate = gated(FakeRuntime())
    window = make_window(deferred)
    tap(qtbot, window, "attractTouch")  # touched before the core is up
    wait_page(qtbot, window, "home")
    shown = texts(window)
    assert shown.count(CATALOG[STARTING]["zh"]) == len(home_services())
    assert CATALOG["tile.instead.starting"]["zh"] in shown
    window.shell.services_refresh.setInterval(10)
    gate.set()
    qtbot.waitUntil(lambda: texts(window).count(CATALOG["tile.available"]["zh"]) == 2, timeout=5000)
    assert CATALOG["reason.backend_down"]["zh"] in texts(window)  # the real answer: backend down for traffic
