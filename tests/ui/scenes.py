"""Every citizen screen as a scene, and the variants it is seen in (language, orientation, text size, contrast,
reach): the golden screenshots (scripts/screenshots.py, tests/ui/test_screenshots.py) and the layout lint
(tests/ui/test_layout.py) walk the same scenes. Scenes show scripted views from tests/ui/fakes.py (no flow,
no personal data) with every animation at rest and the clock at 02:00."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QApplication

from kiosk.flows.base import FlowView, StepKind
from tests.ui.fakes import FakeRuntime, failed_view, liveness_view, view_of
from ui.window import KioskWindow

S = StepKind
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
MODES = ("normal", "large", "contrast")


@dataclass(frozen=True)
class Scene:
    name: str
    show: Callable[[KioskWindow], None]
    busy: bool = False  # money or a device is busy: no way forward (or out) is required
    forward: bool = True  # False: no way on is owed (an unavailable service: back to the others)
    out: bool = True  # False: no way out is owed (the attract screen is where every visit ends)


def _view(service: str, step: StepKind, **extra: object) -> Callable[[KioskWindow], None]:
    return lambda window: window.shell.show_view(view_of(service, step, **extra))


def _typed_id(window: KioskWindow) -> None:
    window.shell.show_view(view_of("temp_id", S.ENTER_ID_NUMBER))
    for key in "11010519491231002":
        window.shell.id_entry.press(key)


def _typed_plate(window: KioskWindow) -> None:
    window.shell.show_view(view_of("traffic", S.ENTER_PLATE))
    for key in "京A1234":
        window.shell.plate_entry.press(key)


def _face(view: Callable[[], FlowView]) -> Callable[[KioskWindow], None]:
    def show(window: KioskWindow) -> None:
        camera = window.shell.camera
        window.shell.show_view(view())
        camera.timer.stop()  # one picture: the same image every time
        camera.next_frame()

    return show


def _typed_permit(window: KioskWindow) -> None:
    window.shell.show_view(view_of("endorsement", S.ENTER_PERMIT_NUMBER))
    for key in "C1234":
        window.shell.permit_entry.press(key)


def _guide(service: str) -> Callable[[KioskWindow], None]:
    def show(window: KioskWindow) -> None:
        window.shell.start()
        window.shell.openGuide(service)

    return show


def _idle(window: KioskWindow) -> None:
    window.shell.show_view(view_of("temp_id", S.CONFIRM))
    window.shell.update(warningLeft=18)


def _help(window: KioskWindow) -> None:
    window.shell.start()
    window.shell.update(helpState="called")


SCENES: tuple[Scene, ...] = (
    Scene("attract", lambda window: window.shell.go_attract(), out=False),
    Scene("home", lambda window: window.shell.start()),
    Scene("guide", _guide("temp_id")),
    Scene("guide_unavailable", _guide("traffic"), forward=False),  # the police network is down
    Scene("read_card", _view("traffic", S.READ_CARD)),
    Scene("read_card_error", _view("certificate", S.READ_CARD, error_key="error.card_read_failed")),
    Scene("enter_id_number", _typed_id),
    Scene("enter_plate", _typed_plate),
    # the face step has nothing to press: looking at the camera is the way on
    Scene("capture_face", _face(lambda: view_of("certificate", S.CAPTURE_FACE, guidance_key="guidance.too_dark",
                                                face_box=[0.37, 0.23, 0.27, 0.46])), forward=False),
    Scene("capture_face_liveness", _face(liveness_view), forward=False),
    Scene("choose_purpose", _view("certificate", S.CHOOSE_PURPOSE)),
    Scene("select_items", _view("traffic", S.SELECT_ITEMS)),
    Scene("confirm", _view("temp_id", S.CONFIRM)),
    Scene("confirm_free", _view("certificate", S.CONFIRM)),
    Scene("pay", _view("traffic", S.PAY), busy=True),
    Scene("working", _view("temp_id", S.WORKING), busy=True),
    Scene("done", _view("temp_id", S.DONE)),
    Scene("failed", lambda window: window.shell.show_view(failed_view("certificate", "face", retry=False))),
    Scene("failed_refund", lambda window: window.shell.show_view(failed_view("temp_id", "refund", retry=False))),
    Scene("enter_permit_number", _typed_permit),
    Scene("read_permit", _view("endorsement", S.READ_PERMIT), forward=False),  # the way on: the permit on the reader
    Scene("choose_endorsement", _view("endorsement", S.CHOOSE_ENDORSEMENT)),
    Scene("confirm_endorsement", _view("endorsement", S.CONFIRM)),
    Scene("done_endorsement", _view("endorsement", S.DONE)),
    Scene("failed_recently", lambda window: window.shell.show_view(failed_view("endorsement", "recently", retry=False))),
    Scene("idle_warning", _idle),
    Scene("help", _help),
)


def make_window(orientation: str, runtime: FakeRuntime | None = None) -> KioskWindow:
    from ui.catalog import load_core_texts
    from ui.voice import Voice

    load_core_texts()
    runtime = runtime or FakeRuntime()
    runtime.availability["endorsement"] = (True, None)  # traffic stays out: the backend is down for it
    window = KioskWindow(runtime, voice=Voice(False), size=SIZES[orientation])
    window.show()
    window.shell.freeze("02:00")
    settle(window)
    return window


def settle(window: KioskWindow, timeout_s: float = 5.0) -> None:
    """Until the page is in place and painted (animations are off, so this takes a few event loops)."""
    stack = window.item("pages")
    deadline = time.monotonic() + timeout_s
    for _ in range(3):
        QApplication.processEvents()
    while stack is not None and stack.property("busy"):
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not settle")
        QApplication.processEvents()
    QApplication.processEvents()


def show(window: KioskWindow, scene: Scene, language: str = "zh", mode: str = "normal", low_reach: bool = False) -> None:
    """A fresh visit in this variant, then the scene."""
    shell = window.shell
    shell.wipe(keep_preferences=False)
    shell.go_attract()
    shell.tr.set_language(language)
    shell.update(largeText=mode == "large", highContrast=mode == "contrast", lowReach=low_reach)
    scene.show(window)
    settle(window)


def variant_name(orientation: str, language: str, mode: str, scene: Scene) -> str:
    return f"{orientation}-{language}-{mode}-{scene.name}"
