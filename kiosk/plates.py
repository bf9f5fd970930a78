"""Motor-vehicle plate numbers (GA 36-2018): validation as typed and when complete, with clear reasons.

A plate is a province abbreviation, the issuing authority's letter, then 5 characters (ordinary plates) or
6 characters (new-energy plates). Letters I and O are never used. New-energy small plates (type 52) read
D or F, a letter or digit, then 4 digits; large ones (type 51) read 5 digits then D or F. Special plates
(挂, 学, 警, 使, 领 ...) are not handled at a self-service kiosk.
"""

from __future__ import annotations

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # A-Z without I and O
DIGITS = "0123456789"
ALNUM = LETTERS + DIGITS
NEW_ENERGY_CLASS = "DF"  # D: pure electric, F: other new-energy
VIN_CHARACTERS = LETTERS.replace("Q", "") + DIGITS  # ISO 3779: no I, O, Q

PLATE_TYPES: dict[str, str] = {"01": "大型汽车", "02": "小型汽车", "51": "大型新能源汽车", "52": "小型新能源汽车"}
LARGE_NEW_ENERGY = "51"
SMALL_NEW_ENERGY = "52"
_SEPARATORS = " ·•-.．"


# Every InvalidPlate.reason (the screen has a text for each).
REASONS = ("not_province", "letter_i_o", "not_letter", "new_energy_class", "digit_expected", "bad_character",
           "too_long", "too_short", "vin_length", "vin_character")  # fmt: skip


class InvalidPlate(ValueError):
    """A plate number that cannot be right; `reason` is a stable code, str() a sentence for people."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def is_new_energy(plate_type: str) -> bool:
    return plate_type in (LARGE_NEW_ENERGY, SMALL_NEW_ENERGY)


def plate_length(plate_type: str) -> int:
    """7 characters for ordinary plates, 8 for new-energy ones."""
    return 8 if is_new_energy(plate_type) else 7


def normalise_plate(raw: str) -> str:
    """Upper case without spaces or the dot printed after the authority letter (京A·12345 -> 京A12345)."""
    return "".join(ch for ch in raw.strip().upper() if ch not in _SEPARATORS)


def allowed_at(position: int, plate_type: str) -> str:
    """The characters a plate of this type may hold at `position` (0-based); empty past the end."""
    if position >= plate_length(plate_type):
        return ""
    if position == 0:
        return PROVINCES
    if position == 1:
        return LETTERS
    if plate_type == SMALL_NEW_ENERGY:
        return NEW_ENERGY_CLASS if position == 2 else ALNUM if position == 3 else DIGITS
    if plate_type == LARGE_NEW_ENERGY:
        return NEW_ENERGY_CLASS if position == 7 else DIGITS
    return ALNUM


def _reason_for(position: int, char: str, plate_type: str) -> InvalidPlate:
    where = f"character {position + 1} ({char!r})"
    if position == 0:
        return InvalidPlate("not_province", f"{where}: a plate starts with a province abbreviation such as 京")
    if char in "IO":
        return InvalidPlate("letter_i_o", f"{where}: the letters I and O are never used on plates")
    if position == 1:
        return InvalidPlate("not_letter", f"{where}: the second character is a letter")
    allowed = allowed_at(position, plate_type)
    if allowed == NEW_ENERGY_CLASS:
        return InvalidPlate("new_energy_class", f"{where}: new-energy plates have D or F here")
    if allowed == DIGITS:
        return InvalidPlate("digit_expected", f"{where}: only a digit is allowed here")
    return InvalidPlate("bad_character", f"{where}: only letters and digits are allowed")


def check_partial_plate(raw: str, plate_type: str) -> str:
    """Validate a plate as it is being typed: every character so far is allowed; returns it normalised."""
    plate = normalise_plate(raw)
    length = plate_length(plate_type)
    if len(plate) > length:
        kind = "new-energy" if is_new_energy(plate_type) else "ordinary"
        raise InvalidPlate("too_long", f"{kind} plates have {length} characters, this one has {len(plate)}")
    for position, char in enumerate(plate):
        if char not in allowed_at(position, plate_type):
            raise _reason_for(position, char, plate_type)
    return plate


def validate_plate(raw: str, plate_type: str) -> str:
    """Return the normalised complete plate number, or raise InvalidPlate saying what is wrong."""
    plate = check_partial_plate(raw, plate_type)
    length = plate_length(plate_type)
    if len(plate) < length:
        kind = "new-energy" if is_new_energy(plate_type) else "ordinary"
        raise InvalidPlate("too_short", f"{kind} plates have {length} characters, this one has {len(plate)}")
    return plate


def validate_vin6(raw: str) -> str:
    """The last 6 characters of the vehicle identification number (letters and digits, no I, O or Q)."""
    vin = raw.strip().upper().replace(" ", "")
    if len(vin) != 6:
        raise InvalidPlate("vin_length", f"enter the last 6 characters of the VIN, this has {len(vin)}")
    for position, char in enumerate(vin):
        if char not in VIN_CHARACTERS:
            raise InvalidPlate("vin_character", f"character {position + 1} ({char!r}): a VIN has no I, O or Q")
    return vin
