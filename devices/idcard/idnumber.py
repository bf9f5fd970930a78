"""The GB 11643 check character (ISO 7064 MOD 11-2), shared by the card parser and kiosk/identity."""

from __future__ import annotations

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_character(first17: str) -> str:
    """The check character for the first 17 digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def has_valid_check_character(number: str) -> bool:
    return len(number) == 18 and number[:17].isdigit() and check_character(number[:17]) == number[17]
