"""Touchscreen figures (offscreen platform): cold start, touch-to-paint latency, and a 1,000-session soak.

    .venv/bin/python benchmarks/bench_ui.py [--starts 5] [--sessions 1000] [--skip-cold] [--skip-soak]

(a) cold start: median of N separate processes from launch to the first paint of the attract screen, on the
    real runtime (simulated devices), with the sandbox backend started by DemoEnvironment and without it
    (backend URL unreachable, as a kiosk whose network is down). Goal < 2 s.
(b) touch -> next screen painted, on the scripted fake runtime (fast fake flows, so the figure is the UI's
    own cost): attract -> home, home -> a service's first step, keypad submit -> next step. Goal < 100 ms.
(c) soak: RSS, live QWidgets, traced Python memory and open fds after 10 and after N automated sessions
    (attract -> home -> a service -> a few steps -> cancel, finish, or idle wipe). Growth must stay < 20 MB.

The driver spins processEvents itself instead of app.exec(), so it delivers deferred deletions the way the
running event loop would (QApplication.sendPostedEvents(None, DeferredDelete)) after each session.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD_FLAG = "--cold-start-child"
ID_NUMBER = "11010519491231002X"
IDLE_MS = 60_000


# -- (a) cold start, in a child process ----------------------------------------------------------------
def cold_start_child(launched_at: float, mode: str) -> None:
    """Import, build the runtime and the window, stop at the attract screen's first paint; print the phases
    (seconds since launch) and the total on the last line."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    import ui.window
    from kiosk.home import KioskHome
    from ui.app import create_window
    from ui.voice import Voice

    ui.window.Voice = lambda _enabled: Voice(False)  # speech starts in its own process, off the start path
    marks = {"python + Qt + ui imported": time.time()}
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        home = KioskHome(Path(tmp) / "home")
        stop: Callable[[], None]
        if mode == "deferred":  # as `kiosk run` starts: paint first, the core loads on a thread
            from kiosk.config import BackendConfig, default_config
            from ui.startup import DeferredRuntime

            config = default_config().model_copy(update={"backend": BackendConfig(url="http://127.0.0.1:9")})

            def build() -> object:
                from kiosk.runtime import KioskRuntime

                return KioskRuntime(home, config).open()

            marks["core imported"] = time.time()  # deferred: nothing of the core yet
            runtime = DeferredRuntime(config, build)
            stop = runtime.close
        elif mode == "sandbox":
            from kiosk.demo import DemoEnvironment

            marks["core imported"] = time.time()
            env = DemoEnvironment.start(home)
            runtime, stop = env.runtime, env.stop
        else:
            from kiosk.config import BackendConfig, default_config
            from kiosk.runtime import KioskRuntime

            marks["core imported"] = time.time()
            config = default_config().model_copy(update={"backend": BackendConfig(url="http://127.0.0.1:9")})
            runtime = KioskRuntime(home, config).open()
            stop = runtime.close
        painted: list[float] = []

        class FirstPaint(QObject):
            def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint and not painted:
                    painted.append(time.time())
                return False

        marks["runtime open"] = time.time()
        window = create_window(runtime)
        marks["window built"] = time.time()
        spy = FirstPaint()
        window.attract.installEventFilter(spy)
        window.show()
        while not painted:
            app.processEvents()
        marks["attract painted"] = painted[0]
        print(" ".join(f"{name}={at - launched_at:.3f}" for name, at in marks.items()), flush=True)
        print(f"{painted[0] - launched_at:.4f}", flush=True)
        window.voice.shutdown()
        window.close()
        stop()


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
def make_window():
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    from kiosk.flows.base import StepKind
    from tests.ui.fakes import FakeRuntime
    from ui.app import kiosk_font
    from ui.voice import Voice
    from ui.window import KioskWindow

    QApplication.setFont(kiosk_font())
    runtime = FakeRuntime()
    runtime.availability["traffic"] = (True, None)
    window = KioskWindow(runtime, pool=QThreadPool(), voice=Voice(False))
    window.resize(1080, 1920)
    window.controller._working_poll.setInterval(1)
    window.steps[StepKind.PAY].poll_ms = 1
    window.show()
    return window


def spin_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there")
        QApplication.processEvents()


class PaintWatch:
    """Time from a touch to the first paint of a given screen."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject

        watch = self

        class Spy(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint and watched is watch.target and watch.painted is None:
                    watch.painted = time.perf_counter()
                return False

        self.spy = Spy()
        self.target = None
        self.painted: float | None = None

    def measure(self, target, touch: Callable[[], None]) -> float:
        self.target, self.painted = target, None
        target.installEventFilter(self.spy)
        start = time.perf_counter()
        touch()
        spin_until(lambda: self.painted is not None)
        target.removeEventFilter(self.spy)
        return (self.painted - start) * 1000


def click(widget) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def at_step(window, step) -> bool:
    view = window.controller.view
    return view is not None and view.step == step and window.stack.currentWidget() is window.steps[step]


# -- (b) touch to paint ----------------------------------------------------------------------------------
def touch_latency(rounds: int) -> dict[str, list[float]]:
    from kiosk.flows.base import StepKind

    window, watch = make_window(), PaintWatch()
    results: dict[str, list[float]] = {"attract -> home": [], "home -> first step": [], "keypad submit -> next": []}
    for _ in range(rounds):
        results["attract -> home"].append(watch.measure(window.home, lambda: click(window.attract)))
        card = window.steps[StepKind.READ_CARD]
        results["home -> first step"].append(watch.measure(card, lambda: click(window.home.tiles["certificate"])))
        click(card.enter_number)
        spin_until(lambda: at_step(window, StepKind.ENTER_ID_NUMBER))
        screen = window.steps[StepKind.ENTER_ID_NUMBER]
        for key in ID_NUMBER:
            screen.press(key)
        face = window.steps[StepKind.CAPTURE_FACE]
        submit = screen.submit
        results["keypad submit -> next"].append(watch.measure(face, lambda: click(submit)))  # noqa: B023
        click(window.cancel)
        spin_until(lambda: window.stack.currentWidget() is window.attract and not window.controller.busy)
    window.worker.wait_idle()
    return results


# -- (c) soak --------------------------------------------------------------------------------------------
def one_session(window, index: int) -> None:
    """attract -> home -> a service -> a few steps -> cancel (1/3), finish (1/3) or idle wipe (1/3)."""
    from kiosk.flows.base import StepKind as S

    click(window.attract)
    if index % 3 == 1:  # traffic, paid, finished
        click(window.home.tiles["traffic"])
        spin_until(lambda: at_step(window, S.ENTER_PLATE))
        plate = window.steps[S.ENTER_PLATE]
        for key in "京A12345":
            plate.press(key)
        window.controller.send("submit_plate", plate="京A12345", plate_type="02", vin_last6="123456")
        for step, intent in ((S.SELECT_ITEMS, "select_items"), (S.CONFIRM, "confirm")):
            spin_until(lambda step=step: at_step(window, step))
            window.controller.send(intent)
        spin_until(lambda: at_step(window, S.DONE))
        click(window.steps[S.DONE].finish)
    else:  # temporary ID by typed number and face, then cancelled or left idle
        click(window.home.tiles["temp_id"])
        spin_until(lambda: at_step(window, S.READ_CARD))
        click(window.steps[S.READ_CARD].enter_number)
        spin_until(lambda: at_step(window, S.ENTER_ID_NUMBER))
        for key in ID_NUMBER:
            window.steps[S.ENTER_ID_NUMBER].press(key)
        click(window.steps[S.ENTER_ID_NUMBER].submit)
        spin_until(lambda: at_step(window, S.CAPTURE_FACE))
        face = window.steps[S.CAPTURE_FACE]
        face.next_frame()
        face.take_photo()
        spin_until(lambda: at_step(window, S.CONFIRM))
        if index % 3 == 0:
            click(window.cancel)
        else:
            window.idle.idle_ms, window.idle.tick_ms = 5, 1  # the warning and the wipe follow by themselves
            window.idle.touch()
    spin_until(lambda: window.stack.currentWidget() is window.attract and not window.controller.busy)
    window.idle.idle_ms, window.idle.tick_ms = IDLE_MS, 1000
    window.worker.wait_idle()
    settle()


def settle() -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # what the running event loop does
    QApplication.processEvents()


def measure_resources() -> dict[str, float]:
    import gc

    import psutil
    from PySide6.QtWidgets import QApplication

    gc.collect()
    process = psutil.Process()
    return {
        "rss_mb": process.memory_info().rss / 2**20,
        "widgets": len(QApplication.allWidgets()),
        "traced_mb": tracemalloc.get_traced_memory()[0] / 2**20,
        "fds": process.num_fds(),
    }


def soak(sessions: int) -> tuple[dict[str, float], dict[str, float], float, list[str]]:
    window = make_window()
    tracemalloc.start(10)
    for index in range(10):
        one_session(window, index)
    window.runtime.flows.clear()  # the fake runtime's own record of flows, not the app's
    early, snapshot = measure_resources(), tracemalloc.take_snapshot()
    started = time.perf_counter()
    for index in range(10, sessions):
        one_session(window, index)
        if index % 100 == 99:
            window.runtime.flows.clear()
            window.runtime.ended.clear()
    elapsed = time.perf_counter() - started
    window.runtime.flows.clear()
    window.runtime.ended.clear()
    late = measure_resources()
    growth = [
        str(stat) for stat in tracemalloc.take_snapshot().compare_to(snapshot, "lineno")[:8] if stat.size_diff > 10_000
    ]
    tracemalloc.stop()
    return early, late, elapsed, growth


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
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--skip-soak", action="store_true")
    args = parser.parse_args()
    if not args.skip_cold:
        labels = {
            "deferred": "as `kiosk run` starts (core loads behind the painted screen)",
            "bare": "core loaded before the window (no sandbox)",
            "sandbox": "the demo (sandbox started first)",
        }
        for mode, label in labels.items():
            times, phases = cold_start(args.starts, mode)
            print(f"(a) cold start to the attract screen painted, {label}: median {statistics.median(times):.2f} s "
                  f"over {len(times)} starts ({', '.join(f'{t:.2f}' for t in times)}); goal < 2 s")  # fmt: skip
            print(f"    phases of the last start, seconds since launch: {phases}")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    for name, values in touch_latency(args.rounds).items():
        print(f"(b) touch -> painted, {name}: {describe(values, 'ms')} over {len(values)}; goal < 100 ms")
    if not args.skip_soak:
        early, late, elapsed, growth = soak(args.sessions)
        print(f"(c) soak: {args.sessions} sessions in {elapsed:.0f} s")
        for key in ("rss_mb", "widgets", "traced_mb", "fds"):
            print(f"    {key}: after 10 sessions {early[key]:.1f}, after {args.sessions} {late[key]:.1f}, "
                  f"growth {late[key] - early[key]:+.1f}")  # fmt: skip
        print(f"    RSS growth {late['rss_mb'] - early['rss_mb']:+.1f} MB (limit 20 MB)")
        for line in growth:
            print(f"    grew: {line}")
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
