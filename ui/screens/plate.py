"""Enter a plate number, its type and the last 6 of the VIN on a plate keyboard, validated as typed.

The keyboard shows the province abbreviations for the first character and letters/digits after it; keys that
cannot be right at the next position (by GA 36-2018, see kiosk.plates) are disabled, and any text that became
wrong (e.g. after changing the plate type) is explained under the field.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from kiosk.flows.base import FlowView, StepKind
from kiosk.plates import (
    DIGITS,
    LETTERS,
    PROVINCES,
    VIN_CHARACTERS,
    InvalidPlate,
    allowed_at,
    check_partial_plate,
    plate_length,
    validate_plate,
    validate_vin6,
)
from ui.screens.base import Screen, ScreenContext
from ui.widgets import ResponsiveBox, make_button, make_label, restyle

BACKSPACE = "⌫"
VIN_LENGTH = 6


class TouchField(QLineEdit):
    """A read-only field that becomes the keyboard's target when touched."""

    pressed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def mousePressEvent(self, event) -> None:
        event.accept()
        self.pressed.emit()

    def set_active(self, active: bool) -> None:
        self.setProperty("active", "true" if active else "false")
        restyle(self)


class PlateKeyboard(QStackedWidget):
    """Page 0: provinces; page 1: letters (no I/O) and digits. Each page has a backspace key."""

    def __init__(self, screen: Screen, on_key) -> None:
        super().__init__()
        self.keys: dict[str, object] = {}
        self.backspaces = []
        for characters, columns in ((PROVINCES, 8), (LETTERS + DIGITS, 9)):
            page = QWidget()
            grid = QGridLayout(page)
            grid.setSpacing(screen.ctx.theme.px(1.5))
            grid.setContentsMargins(0, 0, 0, 0)
            for index, char in enumerate(characters):
                button = make_button("key")
                button.setText(char)
                button.clicked.connect(lambda _=False, c=char: on_key(c))
                grid.addWidget(button, index // columns, index % columns)
                self.keys[char] = button
            backspace = make_button("danger")
            screen.bind(backspace, "btn.backspace")
            backspace.clicked.connect(lambda: on_key(BACKSPACE))
            last = len(characters)
            span = columns - last % columns if last % columns else columns
            grid.addWidget(backspace, last // columns, last % columns, 1, span)
            self.backspaces.append(backspace)
            self.addWidget(page)

    def enable_only(self, allowed: str) -> None:
        for char, button in self.keys.items():
            button.setEnabled(char in allowed)


class EnterPlateScreen(Screen):
    step = StepKind.ENTER_PLATE

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.plate, self.vin, self.plate_type, self.target = "", "", "02", "plate"
        self.error_key: str | None = None
        box = ResponsiveBox()
        self.layout_.addWidget(box, 1)
        fields = QWidget()
        column = QVBoxLayout(fields)
        column.setContentsMargins(0, 0, 0, 0)
        self.plate_label, self.vin_label = (
            make_label("prompt", align=Qt.AlignmentFlag.AlignLeft),
            make_label("prompt", align=Qt.AlignmentFlag.AlignLeft),
        )
        self.plate_field, self.vin_field = TouchField(), TouchField()
        self.plate_field.pressed.connect(lambda: self._target("plate"))
        self.vin_field.pressed.connect(lambda: self._target("vin"))
        self.types_host = QWidget()
        self.types_grid = QGridLayout(self.types_host)
        self.types_grid.setContentsMargins(0, 0, 0, 0)
        self.type_group = QButtonGroup(self)
        self.type_group.setExclusive(True)
        self.status, self.hint = make_label("hint"), make_label("small")
        self.submit, self.read_card = make_button("primary"), make_button()
        self.submit.clicked.connect(self._submit)
        self.read_card.clicked.connect(lambda: self.send("read_card"))
        for widget in (self.plate_label, self.plate_field, self.types_host, self.vin_label, self.vin_field):
            column.addWidget(widget)
        for widget in (self.status, self.hint, self.submit, self.read_card):
            column.addWidget(widget)
        column.addStretch(1)
        self.keyboard = PlateKeyboard(self, self.press)
        box.box.addWidget(fields, 2)
        box.box.addWidget(self.keyboard, 3)
        self.bind(self.plate_label, "plate.label")
        self.bind(self.vin_label, "plate.vin6")
        self.bind(self.hint, "plate.new_energy_hint")
        self.bind(self.submit, "btn.next")
        self.bind(self.read_card, "btn.read_card_instead")
        self._update()

    def render(self, view: FlowView) -> None:
        super().render(view)
        self.error_key = view.data.get("error_key")
        self.read_card.setVisible("read_card" in view.intents)
        self._build_types([tuple(pair) for pair in view.data.get("plate_types", [])])
        self._update()

    def _build_types(self, types: list[tuple[str, str]]) -> None:
        for button in self.type_group.buttons():
            self.type_group.removeButton(button)
            self.unbind(button)
            button.deleteLater()
        codes = [code for code, _key in types]
        if self.plate_type not in codes and codes:
            self.plate_type = "02" if "02" in codes else codes[0]
        for index, (code, key) in enumerate(types):
            button = make_button("choice", checkable=True)
            self.bind(button, key)
            button.setChecked(code == self.plate_type)
            button.clicked.connect(lambda _=False, c=code: self._choose_type(c))
            self.type_group.addButton(button)
            self.types_grid.addWidget(button, index // 2, index % 2)

    def _choose_type(self, code: str) -> None:
        self.plate_type = code
        self._update()

    def _target(self, target: str) -> None:
        self.target = target
        self._update()

    def press(self, char: str) -> None:
        self.error_key = None
        if self.target == "plate":
            self.plate = self.plate[:-1] if char == BACKSPACE else (self.plate + char)[: plate_length(self.plate_type)]
            if len(self.plate) == plate_length(self.plate_type) and len(self.vin) < VIN_LENGTH:
                self.target = "vin"  # move on by itself, like a paper form
        else:
            self.vin = self.vin[:-1] if char == BACKSPACE else (self.vin + char)[:VIN_LENGTH]
            if char == BACKSPACE and not self.vin:
                self.target = "plate"
        self._update()

    def _problem(self) -> tuple[str | None, bool]:
        """The text key of the first problem (None if none) and whether everything is complete and valid."""
        try:
            check_partial_plate(self.plate, self.plate_type)
        except InvalidPlate as error:
            return f"plate.error.{error.reason}", False
        if any(char not in VIN_CHARACTERS for char in self.vin):
            return "plate.error.vin_character", False
        try:
            validate_plate(self.plate, self.plate_type)
            validate_vin6(self.vin)
        except InvalidPlate:
            return None, False
        return None, True

    def _update(self) -> None:
        length = plate_length(self.plate_type)
        shown = self.plate[:2] + "·" + self.plate[2:] if len(self.plate) > 2 else self.plate
        self.plate_field.setText(shown)
        self.vin_field.setText(self.vin)
        self.plate_field.set_active(self.target == "plate")
        self.vin_field.set_active(self.target == "vin")
        problem, complete = self._problem()
        key = self.error_key or problem
        role = "error" if key else "ok" if complete else "hint"
        if self.status.property("role") != role:
            self.status.setProperty("role", role)
            restyle(self.status)
        if key:
            self.bind(self.status, key)
        elif self.target == "vin":
            self.bind(self.status, "plate.typed", n=len(self.vin), of=VIN_LENGTH)
        else:
            self.bind(self.status, "plate.typed", n=len(self.plate), of=length)
        self._update_keyboard()
        allowed = self.view is not None and "submit_plate" in self.view.intents
        self.submit.setEnabled(complete and allowed)

    def _update_keyboard(self) -> None:
        if self.target == "plate":
            self.keyboard.setCurrentIndex(0 if not self.plate else 1)
            self.keyboard.enable_only(allowed_at(len(self.plate), self.plate_type))
        else:
            self.keyboard.setCurrentIndex(1)
            self.keyboard.enable_only(VIN_CHARACTERS if len(self.vin) < VIN_LENGTH else "")

    def _submit(self) -> None:
        self.send("submit_plate", plate=self.plate, plate_type=self.plate_type, vin6=self.vin)

    def reset(self) -> None:
        super().reset()
        self.plate, self.vin, self.target, self.error_key, self.plate_type = "", "", "plate", None, "02"
        self._update()
