"""Citizen ID numbers (GB 11643-1999): check digit, real birth date, 15-digit upgrade, clear reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from devices.idcard.idnumber import check_character


class InvalidIdNumber(ValueError):
    """An ID number that cannot be right; `reason` is a stable code, str() a sentence for people."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _birth_date(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def upgrade_15_to_18(number: str) -> str:
    """Legacy 15-digit numbers: insert '19' after the address code and append the check character."""
    if len(number) != 15 or not number.isdigit():
        raise InvalidIdNumber("bad_format", "15-digit ID numbers contain digits only")
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_character(first17)


def validate_id_number(raw: str, *, today: dt.date | None = None, allow_legacy: bool = True) -> str:
    """Return the normalised 18-character number, or raise InvalidIdNumber saying what is wrong."""
    number = raw.strip().upper().replace(" ", "")
    if allow_legacy and len(number) == 15:
        number = upgrade_15_to_18(number)
    if len(number) != 18:
        raise InvalidIdNumber("bad_length", f"an ID number has 18 characters, this one has {len(number)}")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber("bad_format", "only digits are allowed, and X only as the last character")
    birth = _birth_date(number[6:14])
    if birth is None:
        raise InvalidIdNumber("bad_birth_date", f"{number[6:14]} is not a real date of birth")
    if birth > (today or dt.date.today()) or birth.year < 1850:
        raise InvalidIdNumber("bad_birth_date", f"{number[6:14]} is not a possible date of birth")
    if check_character(number[:17]) != number[17]:
        raise InvalidIdNumber("bad_check_digit", "the last character does not match (check digit error)")
    return number


def is_valid_id_number(raw: str) -> bool:
    try:
        validate_id_number(raw)
    except InvalidIdNumber:
        return False
    return True


@dataclass(frozen=True)
class IdNumberFacts:
    """What an ID number itself says (no registry lookup)."""

    region_code: str
    birth_date: dt.date
    sex: str  # "男" | "女"


def facts_of(number: str) -> IdNumberFacts:
    valid = validate_id_number(number)
    birth = _birth_date(valid[6:14])
    assert birth is not None  # validated above
    return IdNumberFacts(valid[:6], birth, "男" if int(valid[16]) % 2 else "女")


def mask_id_number(number: str) -> str:
    """For screens and logs: keep the first 3 and last 4 characters (e.g. 110***********002X)."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
