"""What is being typed on the dedicated keypads, validated as typed: the ID number (digits, X last) and the
plate number with its type and the last 6 of the VIN. QML shows these models and forwards key presses; the
rules come from kiosk.identity and kiosk.plates. Both are wiped at the end of every session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Slot

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
from ui.qobject_state import StateObject

ID_LENGTH = 18
VIN_LENGTH = 6
BACKSPACE = "⌫"
Send = Callable[..., None]  # (intent, **payload)


def group_id_number(digits: str) -> str:
    """110105 19491231 002X: address, birth date, sequence and check, easier to compare with a card."""
    return " ".join(part for part in (digits[:6], digits[6:14], digits[14:]) if part)


def partial_id_error(digits: str, today: dt.date | None = None) -> str | None:
    """The reason code for the first wrong part of an ID number being typed, or None while it can be right."""
    from contracts.idnumber import InvalidIdNumber, validate_id_number  # the contracts load after the first paint

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


class IdEntry(StateObject):
    fields = {"shown": str, "count": int, "statusKey": str, "tone": str, "complete": bool, "xAllowed": bool,
              "full": bool}  # fmt: skip

    def __init__(self, send: Send) -> None:
        super().__init__()
        self._send, self.digits, self._flow_error = send, "", ""
        self._refresh()

    def show_flow_error(self, key: str | None) -> None:
        self._flow_error = key or ""
        self._refresh()

    @Slot(str)
    def press(self, key: str) -> None:
        self._flow_error = ""
        if key == BACKSPACE:
            self.digits = self.digits[:-1]
        elif len(self.digits) < ID_LENGTH and (key != "X" or len(self.digits) == ID_LENGTH - 1):
            self.digits += key
        self._refresh()

    @Slot()
    def clear(self) -> None:
        self.digits, self._flow_error = "", ""
        self._refresh()

    @Slot()
    def submit(self) -> None:
        if self.get("complete"):
            self._send("submit_id_number", id_number=self.digits)

    def _refresh(self) -> None:
        reason = partial_id_error(self.digits)
        complete = len(self.digits) == ID_LENGTH and reason is None
        if self._flow_error:
            status, tone = self._flow_error, "error"
        elif reason:
            status, tone = f"id.error.{reason}", "error"
        else:
            status, tone = ("id.ok", "ok") if complete else ("id.typed", "hint")
        self.update(shown=group_id_number(self.digits), count=len(self.digits), statusKey=status, tone=tone,
                    complete=complete, xAllowed=len(self.digits) == ID_LENGTH - 1,
                    full=len(self.digits) == ID_LENGTH)  # fmt: skip


class PlateEntry(StateObject):
    fields = {"plate": str, "shownPlate": str, "vin": str, "plateType": str, "target": str, "types": list,
              "keys": list, "allowed": str, "statusKey": str, "statusValues": dict, "tone": str,
              "complete": bool, "length": int}  # fmt: skip

    def __init__(self, send: Send) -> None:
        super().__init__()
        self._send, self._flow_error = send, ""
        self.reset()

    def reset(self) -> None:
        self._plate, self._vin, self._type, self._target, self._flow_error = "", "", "02", "plate", ""
        self.update(types=[])
        self._refresh()

    def show_view(self, data: dict[str, Any]) -> None:
        types = [list(pair) for pair in data.get("plate_types", [])]
        codes = [code for code, _key in types]
        if codes and self._type not in codes:
            self._type = "02" if "02" in codes else codes[0]
        self._flow_error = data.get("error_key") or ""
        self.update(types=types)
        self._refresh()

    @Slot(str)
    def press(self, char: str) -> None:
        self._flow_error = ""
        if self._target == "plate":
            self._plate = self._plate[:-1] if char == BACKSPACE else (self._plate + char)[: plate_length(self._type)]
            if len(self._plate) == plate_length(self._type) and len(self._vin) < VIN_LENGTH:
                self._target = "vin"  # move on by itself, like a paper form
        else:
            self._vin = self._vin[:-1] if char == BACKSPACE else (self._vin + char)[:VIN_LENGTH]
            if char == BACKSPACE and not self._vin:
                self._target = "plate"
        self._refresh()

    @Slot(str)
    def setTarget(self, target: str) -> None:
        self._target = target if target in ("plate", "vin") else "plate"
        self._refresh()

    @Slot(str)
    def chooseType(self, code: str) -> None:
        self._type = code
        self._refresh()

    @Slot()
    def submit(self) -> None:
        if self.get("complete"):
            self._send("submit_plate", plate=self._plate, plate_type=self._type, vin6=self._vin)

    def _problem(self) -> tuple[str, bool]:
        """The text key of the first problem ("" if none) and whether everything is complete and valid."""
        try:
            check_partial_plate(self._plate, self._type)
        except InvalidPlate as error:
            return f"plate.error.{error.reason}", False
        if any(char not in VIN_CHARACTERS for char in self._vin):
            return "plate.error.vin_character", False
        try:
            validate_plate(self._plate, self._type)
            validate_vin6(self._vin)
        except InvalidPlate:
            return "", False
        return "", True

    def _refresh(self) -> None:
        problem, complete = self._problem()
        key = self._flow_error or problem
        length = plate_length(self._type)
        if key:
            status, values = key, {}
        elif self._target == "vin":
            status, values = "plate.typed", {"n": len(self._vin), "of": VIN_LENGTH}
        else:
            status, values = "plate.typed", {"n": len(self._plate), "of": length}
        provinces = self._target == "plate" and not self._plate
        if self._target == "plate":
            allowed = allowed_at(len(self._plate), self._type)
        else:
            allowed = VIN_CHARACTERS if len(self._vin) < VIN_LENGTH else ""
        shown = self._plate[:2] + "·" + self._plate[2:] if len(self._plate) > 2 else self._plate
        self.update(plate=self._plate, shownPlate=shown, vin=self._vin, plateType=self._type,
                    target=self._target, keys=list(PROVINCES if provinces else LETTERS + DIGITS), allowed=allowed,
                    statusKey=status, statusValues=values, tone="error" if key else "ok" if complete else "hint",
                    complete=complete, length=length)  # fmt: skip


PERMIT_LENGTH = 9  # one letter and 8 digits (contracts.endorsement.PERMIT_NUMBER_PATTERN)


class PermitEntry(StateObject):
    """The travel permit's number: the letter first, then the 8 digits; keys that cannot come next are off."""

    fields = {"number": str, "count": int, "allowed": str, "statusKey": str, "tone": str, "complete": bool}

    def __init__(self, send: Send) -> None:
        super().__init__()
        self._send, self._number, self._flow_error = send, "", ""
        self._refresh()

    def show_flow_error(self, key: str | None) -> None:
        self._flow_error = key or ""
        self._refresh()

    @Slot(str)
    def press(self, char: str) -> None:
        self._flow_error = ""
        if char == BACKSPACE:
            self._number = self._number[:-1]
        elif char in self.get("allowed"):
            self._number += char
        self._refresh()

    @Slot()
    def clear(self) -> None:
        self._number, self._flow_error = "", ""
        self._refresh()

    @Slot()
    def submit(self) -> None:
        if self.get("complete"):
            self._send("submit_permit_number", permit_number=self._number)

    def _refresh(self) -> None:
        count = len(self._number)
        allowed = LETTERS if count == 0 else DIGITS if count < PERMIT_LENGTH else ""
        complete = count == PERMIT_LENGTH
        if self._flow_error:
            status, tone = self._flow_error, "error"
        else:
            status, tone = ("permit.ok", "ok") if complete else ("permit.typed", "hint")
        self.update(number=self._number, count=count, allowed="".join(allowed), statusKey=status, tone=tone,
                    complete=complete)  # fmt: skip
