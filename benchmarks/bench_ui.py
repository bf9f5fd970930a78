"""Touchscreen figures (offscreen, software scene graph): cold start, touch-to-paint latency, a 10,000-visit soak.

    .venv/bin/python benchmarks/bench_ui.py [--starts 5] [--rounds 30] [--visits 10000] [--skip-cold] [--skip-soak]

(a) cold start: median of N separate processes from launch to the first frame of the attract screen, as
    `kiosk run` starts (the core loads on a thread behind the painted screen; backend unreachable) and as the
    demo starts (sandbox, simulators and core behind the painted screen). Goal <= 1.5 s.
(b) touch -> next screen painted, on the scripted fake runtime (instant fake flows, so the figure is the UI's
    own cost, a worker round trip included): from the touch to the first frame showing the next page. Goal
    <= 50 ms.
(c) soak: RSS, QML items in the scene, Python objects of the visit (flows, frames), open fds and threads after
    100 and after N scripted visits (attract -> home -> guide -> a service -> a few steps -> leave, finish or
    idle wipe). Goal: RSS growth <= 10 MB, nothing else grows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD_FLAG = "--cold-start-child"
ID_NUMBER = "11010519491231002X"


# -- (a) cold start, in a child process ----------------------------------------------------------------
def cold_start_child(launched_at: float, mode: str) -> None:
    """As the entry points do it: Qt, the window over a stand-in runtime, the core behind it; print the phases
    (seconds since launch) and the time of the first frame on the last line."""
    marks: dict[str, float] = {}
    from ui.app import application, start_after_first_frame

    app = application(sys.argv[:1])
    marks["Qt up"] = time.time()
    from kiosk.config import BackendConfig, UiConfig, default_config
    from kiosk.home import KioskHome
    from ui.startup import DeferredRuntime
    from ui.voice import Voice
    from ui.window import KioskWindow

    tmp = tempfile.mkdtemp(prefix="kiosk-bench-")
    home = KioskHome(Path(tmp) / "home")
    environment: list[object] = []
    if mode == "demo":
        def build() -> object:
            from kiosk.demo import DemoEnvironment

            env = DemoEnvironment.start(home)
            environment.append(env)
            return env.runtime

        config = default_config().model_copy(update={"ui": UiConfig()})
    else:
        config = default_config().model_copy(update={"backend": BackendConfig(url="http://127.0.0.1:9")})

        def build() -> object:
            from kiosk.runtime import KioskRuntime

            return KioskRuntime(home, config).open()

    runtime = DeferredRuntime(config, build, start=False)
    window = KioskWindow(runtime, voice=Voice(False))
    marks["window built"] = time.time()
    painted: list[float] = []
    window.quick.frameSwapped.connect(lambda: painted or painted.append(time.time()))
    start_after_first_frame(window, runtime)
    window.show()
    while not painted:
        app.processEvents()
    marks["attract painted"] = painted[0]
    print(" ".join(f"{name}={at - launched_at:.3f}" for name, at in marks.items()), flush=True)
    print(f"{painted[0] - launched_at:.4f}", flush=True)
    runtime.ready.wait(60)
    window.dispose()
    runtime.close() if not environment else environment[0].stop()


def cold_start(starts: int, mode: str) -> tuple[list[float], str]:
    times, phases = [], ""
    for _ in range(starts):
        command = [sys.executable, __file__, CHILD_FLAG, str(time.time()), mode]
        output = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout
        *rest, total = output.strip().splitlines()
        times.append(float(total))
        phases = rest[-1] if rest else ""
    return times, phases


# -- the in-process driver -------------------------------------------------------------------------------
def make_window(animate: bool = True):
    from PySide6.QtCore import QThreadPool

    from tests.ui.conftest import quick
    from tests.ui.fakes import FakeRuntime
    from ui.voice import Voice
    from ui.window import KioskWindow

    runtime = FakeRuntime()
    runtime.availability["traffic"] = (True, None)
    window = quick(KioskWindow(runtime, pool=QThreadPool(), voice=Voice(False)))
    window.shell.pay_poll.setInterval(1)
    if not animate:
        window.shell.freeze("02:00")  # every animation at rest: the same pages and models, fewer frames
    window.show()
    spin_until(lambda: window.quick.isExposed())
    return window


def spin_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there")
        QApplication.processEvents()


def touch(window, name: str) -> None:
    from PySide6.QtCore import QPoint, QRectF, Qt
    from PySide6.QtTest import QTest

    target = window.item(name)
    centre = target.mapRectToScene(QRectF(0, 0, target.width(), target.height())).center()
    QTest.mouseClick(window.quick, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(centre.x()), round(centre.y())))  # fmt: skip


def settled(window) -> bool:
    stack = window.item("pages")
    return not stack.property("busy")


# -- (b) touch to paint ----------------------------------------------------------------------------------
def touch_latency(rounds: int) -> dict[str, list[float]]:
    window = make_window()
    results: dict[str, list[float]] = {"attract -> home": [], "home -> guide": [], "guide -> first step": [],
                                       "keypad submit -> next step": []}  # fmt: skip
    frames: list[float] = []
    window.quick.frameSwapped.connect(lambda: frames.append(time.perf_counter()))

    def measure(label: str, name: str, page: str) -> None:
        spin_until(lambda: settled(window))
        shown: list[float] = []

        def on_page() -> None:
            if window.shell.get("page") == page and not shown:
                shown.append(time.perf_counter())

        window.shell.pageChanged.connect(on_page)
        started = time.perf_counter()
        touch(window, name)
        spin_until(lambda: bool(shown) and any(frame > shown[0] for frame in frames))
        window.shell.pageChanged.disconnect(on_page)
        results[label].append((next(frame for frame in frames if frame > shown[0]) - started) * 1000)

    for _ in range(rounds):
        measure("attract -> home", "attractTouch", "home")
        measure("home -> guide", "tile_temp_id", "guide")
        measure("guide -> first step", "startButton", "enter_id_number")
        for key in ID_NUMBER:
            window.shell.id_entry.press(key)
        measure("keypad submit -> next step", "submitButton", "capture_face")
        window.shell.controller.end("cancelled")
        spin_until(lambda: window.shell.get("page") == "attract" and not window.shell.controller.busy)
    window.dispose()
    return results


# -- (c) soak --------------------------------------------------------------------------------------------
def stream_face(shell) -> None:
    """The camera's frames go to the flow until the liveness actions are done (no 0.1 s wait between them)."""
    from kiosk.flows.base import StepKind as S

    spin_until(lambda: shell.view is not None and shell.view.step == S.CAPTURE_FACE)
    while shell.view is not None and shell.view.step == S.CAPTURE_FACE:
        shell.camera._last_streamed = 0.0
        shell.camera.next_frame()
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()


def one_visit(window, index: int) -> None:
    """attract -> home -> guide -> a service -> a few steps -> leave (1/3), finish (1/3) or idle wipe (1/3)."""
    from kiosk.flows.base import StepKind as S

    shell = window.shell

    def at(step) -> Callable[[], bool]:
        return lambda: shell.view is not None and shell.view.step == step and not shell.controller.busy

    shell.start()
    service = "certificate" if index % 3 == 1 else "temp_id"
    shell.openGuide(service)
    shell.startGuided()
    if service == "certificate":  # card read, face, purpose, free, printed, finished
        stream_face(shell)
        spin_until(at(S.CHOOSE_PURPOSE))
        shell.intent("submit_purpose", {"purpose": "就业"})
        spin_until(at(S.CONFIRM))
        shell.intent("confirm", {})
        spin_until(at(S.DONE))
        shell.intent("finish", {})
    else:  # typed number and face, then left by 首页 or idle
        spin_until(at(S.ENTER_ID_NUMBER))
        for key in ID_NUMBER:
            shell.id_entry.press(key)
        shell.id_entry.submit()
        stream_face(shell)
        spin_until(at(S.CONFIRM))
        if index % 3 == 0:
            shell.home()
            spin_until(lambda: shell.get("page") == "home" and not shell.controller.busy)
            shell.back()
        else:
            shell.idle.idle_ms, shell.idle.tick_ms = 5, 1  # the warning and the wipe follow by themselves
            shell.idle.touch()
    spin_until(lambda: shell.get("page") == "attract" and not shell.controller.busy)
    shell.idle.idle_ms, shell.idle.tick_ms = 60_000, 1000
    shell.worker.wait_idle()


def settle() -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # what the running event loop does
    QApplication.processEvents()


def measure_resources(window) -> dict[str, float]:
    import gc
    import threading

    import numpy as np
    import psutil

    from tests.ui.fakes import FakeFlow
    from tests.ui.helpers import descendants

    settle()
    gc.collect()
    process = psutil.Process()
    objects = gc.get_objects()
    return {
        "rss_mb": process.memory_info().rss / 2**20,
        "qml_items": sum(1 for _ in descendants(window.quick.contentItem())),
        "flows_alive": sum(isinstance(obj, FakeFlow) for obj in objects),
        "frames_alive": sum(isinstance(obj, np.ndarray) and obj.ndim == 3 for obj in objects),
        "python_objects": len(objects),
        "fds": process.num_fds(),
        "threads": threading.active_count() + 0 * process.num_threads(),
        "os_threads": process.num_threads(),
    }


def soak(visits: int) -> tuple[dict[str, float], dict[str, float], float]:
    window = make_window(animate=False)  # 10,000 visits in ~20 min instead of ~70 (software rendering)
    for index in range(100):
        one_visit(window, index)
    window.runtime.flows.clear()  # the fake runtime's own record of flows, not the app's
    window.runtime.ended.clear()
    early = measure_resources(window)
    started = time.perf_counter()
    for index in range(100, visits):
        one_visit(window, index)
        if index % 100 == 99:
            window.runtime.flows.clear()
            window.runtime.ended.clear()
            settle()
    elapsed = time.perf_counter() - started
    window.runtime.flows.clear()
    window.runtime.ended.clear()
    late = measure_resources(window)
    window.dispose()
    return early, late, elapsed


# -- report ----------------------------------------------------------------------------------------------
def describe(values: list[float], unit: str) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(values):.1f} {unit}, p95 {p95:.1f} {unit}, max {max(values):.1f} {unit}"


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == CHILD_FLAG:
        cold_start_child(float(sys.argv[2]), sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--skip-soak", action="store_true")
    args = parser.parse_args()
    if not args.skip_cold:
        for mode, label in (("run", "as `kiosk run` starts"), ("demo", "as the demo starts")):
            times, phases = cold_start(args.starts, mode)
            print(f"(a) cold start to the attract screen painted, {label}: median {statistics.median(times):.2f} s "
                  f"over {len(times)} starts ({', '.join(f'{t:.2f}' for t in times)}); goal <= 1.5 s")  # fmt: skip
            print(f"    phases of the last start, seconds since launch: {phases}")
    from ui.app import application

    app = application(sys.argv[:1])
    for name, values in touch_latency(args.rounds).items():
        print(f"(b) touch -> next screen painted, {name}: {describe(values, 'ms')} over {len(values)}; goal <= 50 ms")
    if not args.skip_soak:
        early, late, elapsed = soak(args.visits)
        print(f"(c) soak: {args.visits} visits in {elapsed:.0f} s ({elapsed / max(1, args.visits - 100) * 1000:.0f} ms each)")
        for key in early:
            print(f"    {key}: after 100 visits {early[key]:.1f}, after {args.visits} {late[key]:.1f}, "
                  f"growth {late[key] - early[key]:+.1f}")  # fmt: skip
        print(f"    RSS growth {late['rss_mb'] - early['rss_mb']:+.1f} MB (limit 10 MB)")
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
