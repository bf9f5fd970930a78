"""The card stock loaded in the card printer: which areas carry pre-printed artwork the printer must leave
alone (the national emblem on the back of a temporary ID card), and whether the titles are pre-printed.

Boxes are in millimetres from the card's top-left corner, as a card is measured. The document builder
(printing.temp_id) lays the card out around them; the printer refuses a panel that puts ink into one, so
a layout mistake never spoils pre-printed stock. Sites with other stock set the device option `stock`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

CARD_WIDTH_MM = 85.6  # ISO/IEC 7810 ID-1 (CR80)
CARD_HEIGHT_MM = 54.0


class InvalidStock(ValueError):
    pass


@dataclass(frozen=True)
class MmBox:
    left: float
    top: float
    width: float
    height: float

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0 or self.left < 0 or self.top < 0:
            raise InvalidStock(f"a box needs a positive size inside the card, got {self}")
        if self.left + self.width > CARD_WIDTH_MM + 1e-6 or self.top + self.height > CARD_HEIGHT_MM + 1e-6:
            raise InvalidStock(f"box {self} leaves the {CARD_WIDTH_MM} x {CARD_HEIGHT_MM} mm card")

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class CardStock:
    emblem: MmBox | None = MmBox(5.0, 4.0, 17.0, 17.0)  # back, top left: the national emblem (国徽)
    preprinted_titles: bool = False  # 中华人民共和国 / 临时居民身份证 already on the stock
    keep_clear_front: tuple[MmBox, ...] = field(default_factory=tuple)

    def keep_clear(self, side: str) -> tuple[MmBox, ...]:
        if side == "front":
            return self.keep_clear_front
        return (self.emblem,) if self.emblem is not None else ()

    @classmethod
    def from_option(cls, option: Mapping[str, Any] | None) -> CardStock:
        """From the device option: {"emblem": [left, top, w, h] | null, "preprinted_titles": bool,
        "keep_clear_front": [[left, top, w, h], ...]}."""
        if not option:
            return cls()
        unknown = set(option) - {"emblem", "preprinted_titles", "keep_clear_front"}
        if unknown:
            raise InvalidStock(f"unknown card stock settings: {sorted(unknown)}")
        emblem = option.get("emblem", list(_box_values(cls().emblem)))
        return cls(
            emblem=MmBox(*emblem) if emblem is not None else None,
            preprinted_titles=bool(option.get("preprinted_titles", False)),
            keep_clear_front=tuple(MmBox(*box) for box in option.get("keep_clear_front", ())),
        )

    def to_option(self) -> dict[str, Any]:
        return {"emblem": list(_box_values(self.emblem)) if self.emblem else None,
                "preprinted_titles": self.preprinted_titles,
                "keep_clear_front": [list(_box_values(box)) for box in self.keep_clear_front]}  # fmt: skip


def _box_values(box: MmBox | None) -> tuple[float, ...]:
    assert box is not None
    return (box.left, box.top, box.width, box.height)


DEFAULT_STOCK = CardStock()
