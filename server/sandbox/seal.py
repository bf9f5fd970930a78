"""The sandbox's electronic seal image: a round red seal with the unit's name on the arc, a star, and
"演示用章" (demo seal) across the bottom so nobody takes a sandbox certificate for a real one.

A real backend applies the unit's registered e-seal; the kiosk only places the image it is given. Drawn
with Pillow at 300 dpi on a transparent background, once per unit name.
"""

from __future__ import annotations

import base64
import functools
import io
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from contracts import IssuerSeal

DIAMETER_MM = 40.0
DPI = 300
RED = (200, 20, 20, 255)
DEMO_LABEL = "演示用章"
_FONT_PATHS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
               "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # fmt: skip


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONT_PATHS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for index in range(10):
        r = radius if index % 2 == 0 else radius * 0.382
        angle = math.pi / 2 + index * math.pi / 5
        points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
    draw.polygon(points, fill=RED)


def _span(count: int) -> float:
    return min(250.0, 24.0 * count) if count > 1 else 0.0


def _arc_text(image: Image.Image, text: str, radius: float, size: int) -> None:
    """Characters upright to the centre along the upper arc, spread over at most 250 degrees."""
    centre = image.width / 2
    font = _font(size)
    span = _span(len(text))
    for index, char in enumerate(text):
        angle = -span / 2 + (span * index / (len(text) - 1) if len(text) > 1 else 0.0)
        glyph = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size, size), char, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC)
        theta = math.radians(angle - 90)
        x, y = centre + radius * math.cos(theta), centre + radius * math.sin(theta)
        image.alpha_composite(glyph, (round(x - size), round(y - size)))


@functools.lru_cache(maxsize=8)
def seal_png(unit: str) -> bytes:
    side = round(DIAMETER_MM / 25.4 * DPI)
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    border = max(4, side // 40)
    draw.ellipse((border, border, side - border, side - border), outline=RED, width=border)
    _star(draw, side / 2, side / 2, side * 0.16)
    step = math.radians(_span(len(unit)) / max(len(unit) - 1, 1))
    text_size = max(16, min(side // 8, int((side / 2 - 3 * border) * step * 0.9)))
    _arc_text(image, unit, side / 2 - border * 2 - text_size * 0.65, text_size)
    draw.text((side / 2, side * 0.74), DEMO_LABEL, font=_font(side // 12), fill=RED, anchor="mm")
    out = io.BytesIO()  # a few reds and transparency: a palette keeps the PNG a few KiB
    image.quantize(colors=16, method=Image.Quantize.FASTOCTREE).save(out, format="PNG", optimize=True)
    return out.getvalue()


def issuer_seal(unit: str) -> IssuerSeal:
    return IssuerSeal(png_b64=base64.b64encode(seal_png(unit)).decode("ascii"), diameter_mm=DIAMETER_MM)
