"""The technician screen's look: large touch targets (>= 64 px), readable tables, state colours."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QSizePolicy

STATE_COLOURS = {
    "online": "#1b6e34",
    "busy": "#1f6fd6",
    "starting": "#6b6b6b",
    "offline": "#b35c00",
    "no_device": "#b00020",
    "hardware_error": "#b00020",
    "user_error": "#b35c00",
    "no_driver": "#6b6b6b",
}

STYLE_SHEET = """
QWidget { font-size: 20px; }
QPushButton { min-height: 64px; min-width: 120px; padding: 6px 18px; border-radius: 8px;
              background: #eef3fb; border: 2px solid #0b3d91; color: #0b3d91; font-weight: bold; }
QPushButton:pressed { background: #c9d8f2; }
QPushButton:disabled { background: #e4e4e4; border-color: #9a9a9a; color: #6b6b6b; }
QPushButton[role="primary"] { background: #0b3d91; color: white; }
QPushButton[role="danger"] { background: #b00020; border-color: #b00020; color: white; }
QPushButton[role="key"] { min-height: 88px; font-size: 32px; }
QPushButton:checked { background: #b00020; border-color: #b00020; color: white; }
QLineEdit, QSpinBox, QComboBox { min-height: 56px; font-size: 24px; padding: 0 10px; }
QComboBox::drop-down { width: 64px; }
QComboBox QAbstractItemView { font-size: 24px; }
QComboBox QAbstractItemView::item { min-height: 56px; }
QTabBar::tab { min-height: 56px; min-width: 150px; font-size: 20px; padding: 0 16px; }
QTabBar::tab:selected { background: #0b3d91; color: white; }
QTableWidget { font-size: 17px; }
QHeaderView::section { font-size: 17px; font-weight: bold; padding: 6px; }
QLabel[role="title"] { font-size: 30px; font-weight: bold; color: #0b3d91; }
QLabel[role="error"] { color: #b00020; font-weight: bold; }
QLabel[role="ok"] { color: #1b6e34; font-weight: bold; }
QLabel[role="header"] { background: #0b3d91; color: white; font-size: 22px; padding: 8px; }
"""


def button(text: str, role: str = "", *, checkable: bool = False) -> QPushButton:
    widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)
    widget.setCheckable(checkable)
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return widget
