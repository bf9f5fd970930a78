"""Citizen ID numbers (GB 11643-1999): the one rule both sides use, the card reader, the keypad, the CLI,
the backend contracts and the sandbox.

Only ASCII digits 0-9 and X are ever accepted. `str.isdigit()` is true for '²' and for Arabic-Indic or
Devanagari digits, so it is never used here. Full-width digits and X (as typed by a Chinese input method,
'１１０１…' or 'Ｘ') are deliberately normalised to ASCII first; every other character is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
ASCII_DIGITS = frozenset("0123456789")
_FULL_WIDTH = str.maketrans({chr(0xFF10 + n): str(n) for n in range(10)} | {"Ｘ": "X", "ｘ": "X"})
MAX_INPUT_CHARS = 64  # anything longer is not an ID number with some spaces: refuse before looking closer
REASONS = ("bad_length", "bad_format", "bad_birth_date", "bad_check_digit")  # every InvalidIdNumber.reason


class InvalidIdNumber(ValueError):
    """An ID number that cannot be right; `reason` is a stable code, str() a sentence for people."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def is_ascii_digits(text: str) -> bool:
    return bool(text) and all(ch in ASCII_DIGITS for ch in text)


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for 17 ASCII digits."""
    if len(first17) != 17 or not is_ascii_digits(first17):
        raise InvalidIdNumber("bad_format", "the check character is computed over 17 ASCII digits")
    return CHECK_CHARS[sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True)) % 11]


def has_valid_check_character(number: str) -> bool:
    return (len(number) == 18 and is_ascii_digits(number[:17]) and number[17] in "0123456789X"
            and check_character(number[:17]) == number[17])  # fmt: skip


def normalise(raw: str) -> str:
    """Strip blanks, map full-width digits/X to ASCII, upper-case x. Nothing else is changed."""
    return raw[:MAX_INPUT_CHARS + 1].translate(_FULL_WIDTH).strip().replace(" ", "").replace("x", "X")


def _birth_date(text: str) -> dt.date | None:
    if not is_ascii_digits(text):
        return None
    try:
        return dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def upgrade_15_to_18(number: str) -> str:
    """Legacy 15-digit numbers: insert '19' after the address code and append the check character."""
    if len(number) != 15 or not is_ascii_digits(number):
        raise InvalidIdNumber("bad_format", "15-digit ID numbers contain digits only")
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_character(first17)


def validate_id_number(raw: str, *, today: dt.date | None = None, allow_legacy: bool = True) -> str:
    """Return the normalised 18-character number, or raise InvalidIdNumber saying what is wrong."""
    if not isinstance(raw, str) or len(raw) > MAX_INPUT_CHARS:
        raise InvalidIdNumber("bad_length", "an ID number has 18 characters")
    number = normalise(raw)
    if allow_legacy and len(number) == 15:
        number = upgrade_15_to_18(number)
    if len(number) != 18:
        raise InvalidIdNumber("bad_length", f"an ID number has 18 characters, this one has {len(number)}")
    if not is_ascii_digits(number[:17]) or number[17] not in "0123456789X":
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
    """18 ASCII characters, a real birth date and the right check character (15-digit numbers are not)."""
    try:
        validate_id_number(raw, allow_legacy=False)
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


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: the family name's first character only."""
    return name[:1] + "*" * (len(name) - 1) if name else ""
