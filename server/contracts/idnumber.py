"""GB 11643 citizen ID numbers, for validating request fields on both sides of the contract.

Stand-alone on purpose: the contracts are imported by the kiosk and the server alike and must not pull
in either side's code (kiosk/identity.py holds the kiosk's fuller validator with reasons).
"""

from __future__ import annotations

import datetime as dt

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_character(first17: str) -> str:
    return CHECK_CHARS[sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True)) % 11]


def is_valid_id_number(number: str) -> bool:
    """18 characters, a real birth date and the right check character."""
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return check_character(number[:17]) == number[17]


def mask_id_number(number: str) -> str:
    """First 3 and last 4 characters kept: safe for screens and logs."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: the family name's first character only."""
    return name[:1] + "*" * (len(name) - 1) if name else ""
