"""The in-window keyboard for free text: a text field that takes focus brings Qt Virtual Keyboard up inside the
kiosk window (no separate window, not loaded before it is needed), Chinese by Pinyin: touching z-h-a-n-g and
the first candidate writes a character into the field."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt, QUrl
from PySide6.QtQml import QQmlComponent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from tests.ui.helpers import descendants, is_within, item, shown


def add_field(window) -> QQuickItem:
    component = QQmlComponent(window.engine)
    component.setData(b'import QtQuick\nimport Kiosk\nKioskTextField { objectName: "freeText"; x: 40; y: 400; width: 800 }',
                      QUrl.fromLocalFile(str(__file__)))  # fmt: skip
    field = component.create(window.engine.rootContext())
    assert field is not None, component.errorString()
    field.setParent(window.quick.contentItem())
    field.setParentItem(window.quick.contentItem())
    return field


def press(qtbot, window, key: QQuickItem) -> None:
    """A finger on a key (the keyboard takes touches on its own input area, so no "covered" check)."""
    centre = key.mapRectToScene(QRectF(0, 0, key.width(), key.height())).center()
    QTest.mouseClick(window.quick, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(centre.x()), round(centre.y())))  # fmt: skip
    qtbot.wait(30)


def letter_keys(keyboard: QQuickItem) -> dict[str, QQuickItem]:
    keys: dict[str, QQuickItem] = {}
    for node in descendants(keyboard):
        text = node.property("text")
        if isinstance(text, str) and len(text) == 1 and "Key" in node.metaObject().className() and shown(node):
            keys.setdefault(text, node)
    return keys


def test_a_text_field_brings_the_keyboard_and_pinyin_types_chinese(qtbot, window):
    loader = item(window, "keyboardLoader")
    assert loader.property("active") is False  # not made before the first frame
    window.prepare_keyboard()  # what the kiosk does once the attract screen is painted
    qtbot.waitUntil(lambda: item(window, "keyboard") is not None)
    assert not shown(item(window, "keyboard"))  # made, hidden until a text field asks
    field = add_field(window)
    field.forceActiveFocus()
    qtbot.waitUntil(lambda: item(window, "keyboard") is not None and item(window, "keyboard").height() > 200)
    keyboard = item(window, "keyboard")
    qtbot.waitUntil(lambda: shown(keyboard))
    assert is_within(keyboard, window.quick.contentItem())  # inside the kiosk window
    qtbot.waitUntil(lambda: set("zhang") <= set(letter_keys(keyboard)))  # laid out once it has slid in
    keys = letter_keys(keyboard)
    where: list[QRectF] = []

    def still() -> bool:  # the panel has finished sliding in: the key stays where it is between two looks
        where.append(keys["z"].mapRectToScene(QRectF(0, 0, keys["z"].width(), keys["z"].height())))
        return len(where) > 2 and where[-1] == where[-2] == where[-3]

    qtbot.waitUntil(still)
    assert set("zhang") <= set(keys)
    for letter in "zhang":
        press(qtbot, window, keys[letter])
    assert field.property("preeditText") == "zhang"
    candidates = [node for node in descendants(keyboard)
                  if "SelectionListItem" in node.metaObject().className() and shown(node)]  # fmt: skip
    assert candidates, "no Pinyin candidates"
    press(qtbot, window, min(candidates, key=lambda node: node.mapToScene(node.position()).x()))
    qtbot.waitUntil(lambda: field.property("text") != "")
    text = field.property("text")
    assert len(text) == 1 and "\u4e00" <= text <= "\u9fff", text  # one Chinese character, e.g. 张
    assert field.property("preeditText") == ""

