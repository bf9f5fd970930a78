"""The endorsement block printed on the permit's rewritable back: its content and its 1-bit rendering.

The block sits at BLOCK_X, BLOCK_Y (dots at 300 dpi [U]) on the 85.6 x 54 mm back; Chinese first, the
Latin words the permit prints beside them. Text is drawn with the installed CJK TrueType font (WenQuanYi
Zen Hei, Debian fonts-wqy-zenhei, the one printing/fonts.py embeds) through Pillow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devices.cardprinter.protocol import Bitmap

DPI = 300
CARD_WIDTH, CARD_HEIGHT = 1016, 648  # CR80 at 300 dpi
BLOCK_X, BLOCK_Y, BLOCK_WIDTH, BLOCK_HEIGHT = 48, 330, 920, 270
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0),
)
TYPES = {"G": "个人旅游", "L": "团队旅游"}
DESTINATIONS = {"HK": "香港 HONG KONG", "MO": "澳门 MACAO"}
ENTRIES = {1: "一次 1 TRIP", 2: "二次 2 TRIPS"}


@dataclass(frozen=True)
class EndorsementBlock:
    type: str  # G | L
    destination: str  # HK | MO
    entries: int  # 1 | 2
    valid_from: dt.date
    valid_to: dt.date
    number: str

    def __post_init__(self) -> None:
        if self.type not in TYPES or self.destination not in DESTINATIONS or self.entries not in ENTRIES:
            raise ValueError("type must be G/L, destination HK/MO, entries 1 or 2")
        if self.valid_to < self.valid_from or not self.number or len(self.number) > 32:
            raise ValueError("an endorsement block needs a valid period and a number of 1-32 characters")

    def lines(self) -> list[str]:
        period = f"{self.valid_from:%Y.%m.%d} - {self.valid_to:%Y.%m.%d}"
        return [
            f"签注 ENDORSEMENT   {DESTINATIONS[self.destination]}",
            f"{TYPES[self.type]} {self.type}      {ENTRIES[self.entries]}",
            f"有效期 VALID  {period}",
            f"签注号 No. {self.number}",
        ]


def _font(size: int) -> Any:
    from PIL import ImageFont

    for path, index in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size, index=index)
    return ImageFont.load_default(size)


def render_block(block: EndorsementBlock, width: int = BLOCK_WIDTH, height: int = BLOCK_HEIGHT) -> Bitmap:
    """The block as a 1-bit bitmap (1 = a dot the head prints)."""
    from PIL import Image, ImageDraw

    image = Image.new("1", (width, height), 0)
    draw = ImageDraw.Draw(image)
    font, small = _font(44), _font(38)
    y = 8
    for index, line in enumerate(block.lines()):
        draw.text((10, y), line, fill=1, font=font if index < 2 else small)
        y += 62 if index < 2 else 56
    draw.rectangle((0, 0, width - 1, height - 1), outline=1, width=3)
    return Bitmap(width, height, image.tobytes())
