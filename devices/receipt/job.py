"""What a receipt is made of, independent of the printer's command set and of its paper width.

printing/ builds a ReceiptJob from business data; the driver lays it out for its printer's profile
(devices.receipt.layout: lines that fit 48 or 32 columns) and turns that into ESC/POS bytes; the simulator
renders the bytes back to text so tests can read a receipt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from devices.receipt.profile import text_columns

REPRINT_MARK = "*** 补打 REPRINT ***"  # the one mark a reprint carries, added by the driver


class Align(enum.StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Text:
    """A paragraph, wrapped to the paper by the driver (numbers and Latin words kept whole)."""

    text: str
    bold: bool = False
    double: bool = False  # double width and height when it fits on one line, else bold normal size
    align: Align = Align.LEFT


@dataclass(frozen=True)
class LabelValue:
    """`label ....... value` on one line, or the label then the value right-aligned below when too long."""

    label: str
    value: str
    bold: bool = False
    fill: str = "."


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


Element = Text | LabelValue | QrCode | Rule | Feed | Cut


@dataclass(frozen=True)
class ReceiptJob:
    """A receipt to print; `reference` ties it to a transaction (order id), never to a person."""

    elements: tuple[Element, ...]
    reference: str = ""
    is_reprint: bool = False
    metadata: dict[str, str] = field(default_factory=dict)


def display_width(text: str) -> int:
    """Columns a string takes on the printer in 汉字 mode: ASCII one, every other character two."""
    return text_columns(text)
