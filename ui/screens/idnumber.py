"""Enter the 18-character ID number on a big keypad, validated as typed and grouped 6-8-4 for reading."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QSizePolicy, QWidget

from contracts.idnumber import InvalidIdNumber, validate_id_number
from kiosk.flows.base import FlowView, StepKind
from ui.screens.base import Screen, ScreenContext
from ui.widgets import make_button, make_label

ID_LENGTH = 18
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "⌫")


def group_id_number(digits: str) -> str:
    """110105 19491231 002X: address, birth date, sequence and check, easier to compare with a card."""
    return " ".join(part for part in (digits[:6], digits[6:14], digits[14:]) if part)


def partial_id_error(digits: str, today: dt.date | None = None) -> str | None:
    """The reason code for the first wrong part of an ID number being typed, or None while it can be right."""
    today = today or dt.date.today()
    if len(digits) == ID_LENGTH:
        try:
            validate_id_number(digits, today=today, allow_legacy=False)
        except InvalidIdNumber as error:
            return error.reason
        return None
    if "X" in digits:
        return "bad_format"
    if len(digits) >= 10 and not 1850 <= int(digits[6:10]) <= today.year:
        return "bad_birth_date"
    if len(digits) >= 12 and not 1 <= int(digits[10:12]) <= 12:
        return "bad_birth_date"
    if len(digits) >= 14:
        try:
            if dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])) > today:
                return "bad_birth_date"
        except ValueError:
            return "bad_birth_date"
    return None


class IdKeypad(QWidget):
    """Digits, X (only as the 18th character) and backspace, each key at least 15 mm."""

    def __init__(self, screen: Screen, on_key) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setSpacing(screen.ctx.theme.px(2.5))
        grid.setContentsMargins(0, 0, 0, 0)
        self.keys = {}
        for index, key in enumerate(KEYS):
            button = make_button("key")
            button.setText(key)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            if key == "⌫":
                screen.bind(button, "btn.backspace")
            button.clicked.connect(lambda _=False, k=key: on_key(k))
            grid.addWidget(button, index // 3, index % 3)
            self.keys[key] = button


class EnterIdScreen(Screen):
    step = StepKind.ENTER_ID_NUMBER

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.digits = ""
        self.label = make_label("prompt", align=Qt.AlignmentFlag.AlignLeft)
        self.field = QLineEdit()
        self.field.setReadOnly(True)
        self.field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = make_label("hint")
        self.keypad = IdKeypad(self, self.press)
        self.clear_button = make_button("danger")
        self.clear_button.clicked.connect(self.clear)
        self.submit = make_button("primary")
        self.submit.clicked.connect(self._submit)
        self.read_card = make_button()
        self.read_card.clicked.connect(lambda: self.send("read_card"))
        for widget in (self.label, self.field, self.status):
            self.layout_.addWidget(widget)
        self.layout_.addWidget(self.keypad, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.clear_button, 1)
        actions.addWidget(self.submit, 2)
        self.layout_.addLayout(actions)
        self.layout_.addWidget(self.read_card)
        self.bind(self.label, "id.label")
        self.bind(self.clear_button, "btn.clear")
        self.bind(self.submit, "btn.next")
        self.bind(self.read_card, "btn.read_card_instead")
        self._flow_error: str | None = None
        self._update()

    def render(self, view: FlowView) -> None:
        super().render(view)
        self._flow_error = view.data.get("error_key")
        self.read_card.setVisible("read_card" in view.intents)
        self._update()

    def press(self, key: str) -> None:
        self._flow_error = None
        if key == "⌫":
            self.digits = self.digits[:-1]
        elif len(self.digits) < ID_LENGTH:
            self.digits += key
        self._update()

    def clear(self) -> None:
        self.digits = ""
        self._flow_error = None
        self._update()

    def _update(self) -> None:
        self.field.setText(group_id_number(self.digits))
        reason = partial_id_error(self.digits)
        complete = len(self.digits) == ID_LENGTH and reason is None
        if self._flow_error:
            self._show_status("error", self._flow_error)
        elif reason:
            self._show_status("error", f"id.error.{reason}")
        elif complete:
            self._show_status("ok", "id.ok")
        else:
            self._show_status("hint", "id.typed", n=len(self.digits))
        self.keypad.keys["X"].setEnabled(len(self.digits) == ID_LENGTH - 1)
        for key, button in self.keypad.keys.items():
            if key not in ("X", "⌫"):
                button.setEnabled(len(self.digits) < ID_LENGTH)
        self.submit.setEnabled(complete and self.view is not None and "submit_id_number" in self.view.intents)

    def _show_status(self, role: str, key: str, **values: object) -> None:
        if self.status.property("role") != role:
            self.status.setProperty("role", role)
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)
        self.bind(self.status, key, **values)

    def _submit(self) -> None:
        self.send("submit_id_number", id_number=self.digits)

    def reset(self) -> None:
        super().reset()
        self.clear()
