"""Driving the QML kiosk window as a citizen would: find items by objectName, touch them where they are on the
screen (after checking nothing covers them), wait for pages."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.flows.base import StepKind
from ui.window import KioskWindow


def item(window: KioskWindow, name: str) -> QQuickItem:
    found = window.item(name)
    assert found is not None, f"no QML item named {name!r}"
    return found


def page_item(window: KioskWindow, page: str) -> QQuickItem:
    return item(window, f"{page}Page")


def descendants(root: QQuickItem) -> Iterator[QQuickItem]:
    for child in root.childItems():
        yield child
        yield from descendants(child)


def shown(target: QQuickItem) -> bool:
    """Visible and not faded out, itself and every ancestor."""
    node: QQuickItem | None = target
    while node is not None:
        if not node.isVisible() or node.opacity() <= 0.01:
            return False
        node = node.parentItem()
    return True


def scene_rect(target: QQuickItem) -> QRectF:
    return target.mapRectToScene(QRectF(0, 0, target.width(), target.height()))


def top_item_at(root: QQuickItem, point: QPointF) -> QQuickItem | None:
    """The deepest item that would get a touch at `point` (children in stacking order, last on top)."""
    children = sorted(enumerate(root.childItems()), key=lambda pair: (pair[1].z(), pair[0]))
    for _index, child in reversed(children):
        if not child.isVisible() or child.opacity() <= 0.01:
            continue
        local = child.mapFromScene(point)
        inside = 0 <= local.x() < child.width() and 0 <= local.y() < child.height()
        if child.clip() and not inside:
            continue
        deeper = top_item_at(child, point)
        if deeper is not None:
            return deeper
        if inside and (child.acceptedMouseButtons() != Qt.MouseButton.NoButton or child.acceptTouchEvents()):
            return child
    return None


def is_within(node: QQuickItem | None, ancestor: QQuickItem) -> bool:
    while node is not None:
        if node is ancestor:
            return True
        node = node.parentItem()
    return False


def tap(qtbot, window: KioskWindow, target: str | QQuickItem) -> None:
    """Touch the middle of an item, as a finger would: it must be shown, enabled, on screen and on top."""
    stack = item(window, "pages")
    qtbot.waitUntil(lambda: not stack.property("busy"), timeout=2000)  # a page sliding in takes no touch yet
    target = item(window, target) if isinstance(target, str) else target
    name = target.objectName() or type(target).__name__
    assert shown(target), f"{name} is not visible"
    assert target.isEnabled(), f"{name} is disabled"
    def on_top() -> bool:  # keys made a moment ago are placed at the next frame
        return is_within(top_item_at(window.quick.contentItem(), scene_rect(target).center()), target)

    try:
        qtbot.waitUntil(on_top, timeout=500)
    except qtbot.TimeoutError:
        pass
    centre = scene_rect(target).center()
    assert 0 <= centre.x() < window.quick.width() and 0 <= centre.y() < window.quick.height(), f"{name} is off screen"
    hit = top_item_at(window.quick.contentItem(), centre)
    assert is_within(hit, target), f"{name} is covered by {hit.objectName() if hit else None!r}"
    QTest.mouseClick(window.quick, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(centre.x()), round(centre.y())))  # fmt: skip


def current_page(window: KioskWindow) -> str:
    stack = item(window, "pages")
    current = stack.property("currentItem")
    return current.objectName().removesuffix("Page") if current is not None else ""


def wait_page(qtbot, window: KioskWindow, page: str, timeout: int = 3000) -> None:
    stack = item(window, "pages")

    def arrived() -> bool:
        return window.shell.get("page") == page and current_page(window) == page and not stack.property("busy")

    qtbot.waitUntil(arrived, timeout=timeout)


def wait_step(qtbot, window: KioskWindow, step: StepKind, timeout: int = 3000) -> None:
    wait_page(qtbot, window, str(step), timeout)
    view = window.shell.controller.view
    assert view is not None and view.step == step


def start_service(qtbot, window: KioskWindow, service: str) -> None:
    """Attract -> home -> the service's guide -> start."""
    if window.shell.get("page") == "attract":
        tap(qtbot, window, "attractTouch")
    wait_page(qtbot, window, "home")
    tap(qtbot, window, f"tile_{service}")
    wait_page(qtbot, window, "guide")
    tap(qtbot, window, "startButton")


def type_keys(qtbot, window: KioskWindow, keys: str) -> None:
    for key in keys:
        tap(qtbot, window, "key_backspace" if key == "⌫" else f"key_{key}")


def texts(window: KioskWindow) -> list[str]:
    """Every text shown now (Text items of the scene that are visible)."""
    found = []
    for node in descendants(window.quick.contentItem()):
        if node.inherits("QQuickText") and shown(node):
            found.append(str(node.property("text")))
    return found


def all_texts(window: KioskWindow) -> list[str]:
    """Every text any item of the scene holds, shown or not (the wipe must leave none of a citizen's)."""
    return [str(node.property("text")) for node in descendants(window.quick.contentItem())
            if node.inherits("QQuickText")]  # fmt: skip
