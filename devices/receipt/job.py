"""What a receipt is made of, independent of the printer's command set.

printing/ builds a ReceiptJob from business data; the ESC/POS driver turns it into bytes; the simulator
renders the bytes back to text so tests can read a receipt. 80 mm paper at font A holds 48 columns; a CJK
character takes two columns.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field

PAPER_COLUMNS = 48


class Align(enum.StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    double: bool = False  # double width and height (titles, amounts)
    align: Align = Align.LEFT


@dataclass(frozen=True)
class QrCode:
    data: str
    module_size: int = 6  # dots per module, 1..16
    error_correction: str = "M"  # L | M | Q | H


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    partial: bool = True


Element = Text | QrCode | Rule | Feed | Cut


@dataclass(frozen=True)
class ReceiptJob:
    """A receipt to print; `reference` ties it to a transaction (order id), never to a person."""

    elements: tuple[Element, ...]
    reference: str = ""
    is_reprint: bool = False
    metadata: dict[str, str] = field(default_factory=dict)


def display_width(text: str) -> int:
    """Columns a string takes on the printer: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
