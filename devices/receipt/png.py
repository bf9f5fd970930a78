"""A picture of a simulated receipt (576 dots = 72 mm printable at 203 dpi), for the demo and for eyes.

Text is drawn with a CJK font when one is installed (WenQuanYi, Noto CJK), QR codes with the qrcode
package at the module size the job asked for, so a scanner (or zxing in tests) can read them back.
Pillow and qrcode are imported here only, when a picture is wanted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devices.receipt.render import Line, Receipt

PAPER_DOTS = 576
LINE_DOTS = 30  # 24-dot font plus line spacing
MARGIN = 8
# (path, face index): monospaced faces first so 48 ASCII columns fill the paper like font A does.
CJK_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 1),  # WenQuanYi Zen Hei Mono
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 1),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 0),
)


def _font(size: int, font_path: str | None) -> Any:
    from PIL import ImageFont

    for candidate, index in ((font_path, 0), *CJK_FONT_CANDIDATES):
        if candidate and Path(candidate).exists():
            return ImageFont.truetype(candidate, size, index=index)
    return ImageFont.load_default(size)


def _qr_image(data: str, module_size: int = 6) -> Any:
    import qrcode

    code = qrcode.QRCode(box_size=max(1, module_size), border=2)
    code.add_data(data.encode("utf-8"))
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("L")


def _x_for(align: str, width: int) -> int:
    if align == "center":
        return MARGIN + max(0, (PAPER_DOTS - width) // 2)
    if align == "right":
        return MARGIN + max(0, PAPER_DOTS - width)
    return MARGIN


def render_png(receipt: Receipt, path: str | Path, *, font_path: str | None = None, qr_module: int = 6) -> Path:
    """Draw the receipt and write it as PNG; returns the path."""
    from PIL import Image, ImageDraw

    fonts = {1: _font(24, font_path), 2: _font(48, font_path)}
    blocks: list[tuple[Line, Any]] = [
        (line, _qr_image(line.qr, qr_module) if line.qr is not None else None) for line in receipt.lines
    ]
    height = MARGIN * 2 + sum(
        image.height + 8 if image is not None else LINE_DOTS * (2 if line.double else 1) for line, image in blocks
    )
    page = Image.new("L", (PAPER_DOTS + 2 * MARGIN, max(height, LINE_DOTS)), 255)
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for line, image in blocks:
        if image is not None:
            page.paste(image, (_x_for(line.align, image.width), y))
            y += image.height + 8
            continue
        font = fonts[2 if line.double else 1]
        width = int(draw.textlength(line.text, font=font))
        draw.text((_x_for(line.align, width), y), line.text, fill=0, font=font, stroke_width=1 if line.bold else 0)
        y += LINE_DOTS * (2 if line.double else 1)
    target = Path(path)
    page.save(target, format="PNG")
    return target
