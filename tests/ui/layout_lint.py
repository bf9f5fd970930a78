"""The layout lint: what a citizen can touch and read on the screen now, measured on the QML items.

- every touch target at least 60x60 px (15 mm on the 21.5-inch panel), primary buttons at least 120 px high,
  inside the window, none overlapping another;
- every text at least 32 px, not elided, not cut (it fits its own box, the window, and the page area: never
  under the footer), and no text running over another;
- at least one way forward and one way out, except while money or a device is busy;
- in the low-reach layout every citizen control in the lower two thirds of the portrait screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtQml import QQmlEngine, QQmlExpression
from PySide6.QtQuick import QQuickItem

from tests.ui.helpers import descendants, scene_rect, shown
from ui.window import KioskWindow

MIN_TARGET = 60
MIN_PRIMARY = 120
MIN_TEXT = 32
SLACK = 1.0  # px of rounding
NOT_CITIZEN = {"clock"}  # the technician's gesture area in the header


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    targets: int = 0
    texts: int = 0

    def add(self, problem: str) -> None:
        self.problems.append(problem)


def label(node: QQuickItem) -> str:
    text = node.property("text")
    return node.objectName() or (repr(str(text)[:24]) if text else type(node).__name__)


def clip_area(node: QQuickItem) -> QRectF:
    """What the clipping ancestors leave visible (the whole scene when none clips)."""
    area = QRectF(-1e6, -1e6, 2e6, 2e6)
    parent = node.parentItem()
    while parent is not None:
        if parent.clip():
            area = area.intersected(scene_rect(parent))
        parent = parent.parentItem()
    return area


def visible_rect(node: QQuickItem) -> QRectF | None:
    """The part of the item not clipped away by a clipping ancestor (a scrolled list), or None."""
    rect = scene_rect(node)
    parent = node.parentItem()
    while parent is not None:
        if parent.clip():
            rect = rect.intersected(scene_rect(parent))
            if rect.isEmpty():
                return None
        parent = parent.parentItem()
    return rect


def is_target(node: QQuickItem) -> bool:
    return node.inherits("QQuickAbstractButton") or node.inherits("QQuickMouseArea")


def covers_window(rect: QRectF, window: KioskWindow) -> bool:
    """Scrims and "touch anywhere" areas: whole-screen layers, not buttons."""
    return rect.width() >= window.quick.width() * 0.95 and rect.height() >= window.quick.height() * 0.6


def targets(window: KioskWindow) -> list[tuple[QQuickItem, QRectF]]:
    found = []
    for node in descendants(window.quick.contentItem()):
        if is_target(node) and shown(node) and node.objectName() not in NOT_CITIZEN:
            rect = visible_rect(node)
            if rect is not None and not covers_window(rect, window) and not inside_button(node):
                found.append((node, rect))
    return found


def inside_button(node: QQuickItem) -> bool:
    parent = node.parentItem()
    while parent is not None:
        if parent.inherits("QQuickAbstractButton"):
            return True
        parent = parent.parentItem()
    return False


def modal_layer(window: KioskWindow) -> QQuickItem | None:
    """An overlay that takes every touch (help, idle warning, please wait): only what is on it counts."""
    for name in ("busyOverlay", "idleOverlay", "helpSheet"):
        layer = window.item(name)
        if layer is not None and shown(layer):
            return layer
    return None


def check(window: KioskWindow, *, busy: bool = False, forward: bool = True, out: bool = True,
          low_reach: bool = False) -> Findings:  # fmt: skip
    """busy: money or a device is busy (no way on or out is owed); forward/out False: the scene needs none
    (the attract screen has no way out; an unavailable service's way on is back to the others)."""
    findings = Findings()
    layer = modal_layer(window)
    found = [(node, rect) for node, rect in targets(window) if layer is None or is_within(node, layer)]
    check_targets(window, found, findings, low_reach)
    check_texts(window, findings, layer)
    if busy or (layer is not None and layer.objectName() == "busyOverlay"):
        return findings
    roles = set()
    for node in ways(window, layer):
        roles.update(str(node.property("navRole") or "").split())
        if node.property("kind") == "key":
            roles.add("forward")  # typing is the way on until the number is complete
    if forward and "forward" not in roles and not (layer is not None and "out" in roles):
        findings.add("no way forward")
    if out and layer is None and "out" not in roles:
        findings.add("no way out")
    return findings


def ways(window: KioskWindow, layer: QQuickItem | None) -> list[QQuickItem]:
    """Enabled controls that can be touched now, whole-screen ones included ("touch anywhere to start")."""
    return [node for node in descendants(window.quick.contentItem())
            if is_target(node) and shown(node) and node.isEnabled() and visible_rect(node) is not None
            and (layer is None or is_within(node, layer))]  # fmt: skip


def is_within(node: QQuickItem, ancestor: QQuickItem) -> bool:
    while node is not None:
        if node is ancestor:
            return True
        node = node.parentItem()
    return False


def check_targets(window: KioskWindow, found: list[tuple[QQuickItem, QRectF]], findings: Findings,
                  low_reach: bool) -> None:  # fmt: skip
    screen = QRectF(0, 0, window.quick.width(), window.quick.height())
    for index, (node, rect) in enumerate(found):
        findings.targets += 1
        full = scene_rect(node)
        if full.width() + SLACK < MIN_TARGET or full.height() + SLACK < MIN_TARGET:
            findings.add(f"target {label(node)} is {full.width():.0f}x{full.height():.0f}")
        if node.property("kind") == "primary" and full.height() + SLACK < MIN_PRIMARY:
            findings.add(f"primary {label(node)} is {full.height():.0f} high")
        if not screen.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(full):
            findings.add(f"target {label(node)} leaves the window at {full}")
        if low_reach and full.top() + SLACK < screen.height() / 3:
            findings.add(f"target {label(node)} is in the top third (low reach)")
        for other, other_rect in found[index + 1:]:
            overlap = rect.intersected(other_rect)
            if overlap.width() > SLACK and overlap.height() > SLACK and not (
                is_within(node, other) or is_within(other, node)
            ):
                findings.add(f"targets {label(node)} and {label(other)} overlap")


def check_texts(window: KioskWindow, findings: Findings, layer: QQuickItem | None) -> None:
    screen = QRectF(0, 0, window.quick.width(), window.quick.height())
    stack = window.item("pages")
    page_area = scene_rect(stack) if stack is not None else screen
    boxes: list[tuple[QQuickItem, QRectF]] = []
    for node in descendants(window.quick.contentItem()):
        if not node.inherits("QQuickText") or not shown(node) or not str(node.property("text")).strip():
            continue
        if layer is not None and not is_within(node, layer):
            continue
        findings.texts += 1
        font = node.property("font")
        icon = font.family() == "Material Icons"
        name = label(node)
        if not icon and font.pixelSize() < MIN_TEXT:
            findings.add(f"text {name} is {font.pixelSize()} px")
        if node.property("truncated"):
            findings.add(f"text {name} is elided")
        clipped = visible_rect(node)
        if clipped is None:
            continue  # scrolled out of a list
        ink = inked_rect(node).intersected(clip_area(node))
        if ink.width() > node.width() + 2 and node.width() > 0:
            findings.add(f"text {name} is wider ({ink.width():.0f}) than its box ({node.width():.0f})")
        if not screen.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(ink):
            findings.add(f"text {name} leaves the window")
        if in_pages(node, stack) and not page_area.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(ink):
            findings.add(f"text {name} runs out of the page area")
        if not icon:
            boxes.append((node, ink))
    for index, (node, rect) in enumerate(boxes):
        for other, other_rect in boxes[index + 1:]:
            overlap = rect.intersected(other_rect)
            if overlap.width() > 4 and overlap.height() > 4 and not stacked(node, other, layer):
                findings.add(f"texts {label(node)} and {label(other)} overlap")


def stacked(a: QQuickItem, b: QQuickItem, layer: QQuickItem | None) -> bool:
    """Texts on different layers (a card over the page) or in crossfading carousel slides may overlap."""
    return layer is not None and is_within(a, layer) != is_within(b, layer)


def inked_rect(node: QQuickItem) -> QRectF:
    """Where the text's glyphs are (content size, placed by its alignment), in scene coordinates."""
    width, height = float(node.property("contentWidth")), float(node.property("contentHeight"))
    box = scene_rect(node)
    align = int(qml_value(node, "horizontalAlignment"))
    if align & 0x4:  # AlignHCenter
        left = box.left() + (box.width() - width) / 2
    elif align & 0x2:  # AlignRight
        left = box.right() - width
    else:
        left = box.left()
    valign = int(qml_value(node, "verticalAlignment"))
    top = box.top() + ((box.height() - height) / 2 if valign & 0x80 else box.height() - height if valign & 0x40 else 0)
    return QRectF(left, top, width, height)


def qml_value(node: QQuickItem, expression: str) -> object:
    """A property PySide cannot convert (an enum of a QML type), read as a number by the QML engine."""
    value, _failed = QQmlExpression(QQmlEngine.contextForObject(node), node, f"{expression} | 0").evaluate()
    return value


def in_pages(node: QQuickItem, stack: QQuickItem | None) -> bool:
    return stack is not None and is_within(node, stack)
