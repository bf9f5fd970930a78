"""Helpers for driving the kiosk window like a citizen would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from kiosk.flows.base import StepKind
from ui.window import KioskWindow


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isVisible(), f"{button.text()!r} is not visible"
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_step(qtbot, window: KioskWindow, step: StepKind, timeout: int = 3000) -> None:
    def arrived() -> bool:
        view = window.controller.view
        return view is not None and view.step == step and window.stack.currentWidget() is window.steps[step]

    qtbot.waitUntil(arrived, timeout=timeout)


def start_service(qtbot, window: KioskWindow, service: str) -> None:
    qtbot.mouseClick(window.attract, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.home
    click(qtbot, window.home.tiles[service])
