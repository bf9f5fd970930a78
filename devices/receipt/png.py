"""A picture of a simulated receipt (576 dots = 72 mm printable at 203 dpi on 80 mm paper, 384 on 58 mm),
for the demo, for --save-documents and for eyes.

Text is drawn on the printer's grid: every character in its cell, 12 dots for ASCII and 24 for anything
else (汉字 mode), as the print head does, whatever width the font gives the glyph. A CJK font is used when
one is installed (WenQuanYi, Noto CJK); QR codes are drawn with the qrcode package at the module size the
job asked for, so a scanner (or zxing in tests) can read them back. Pillow and qrcode are imported here
only, when a picture is wanted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devices.receipt.profile import char_columns, text_columns
from devices.receipt.render import Line, Receipt

PAPER_DOTS = 576
COLUMN_DOTS = 12
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


def _x_for(align: str, width: int, dots: int) -> int:
    if align == "center":
        return MARGIN + max(0, (dots - width) // 2)
    if align == "right":
        return MARGIN + max(0, dots - width)
    return MARGIN


def _draw_line(draw: Any, line: Line, font: Any, y: int, dots: int) -> None:
    cell = COLUMN_DOTS * (2 if line.double else 1)
    x = _x_for(line.align, text_columns(line.text) * cell, dots)
    for ch in line.text:
        width = char_columns(ch) * cell
        glyph = int(draw.textlength(ch, font=font))
        draw.text((x + max(0, width - glyph) // 2, y), ch, fill=0, font=font, stroke_width=1 if line.bold else 0)
        x += width


def render_png(
    receipt: Receipt, path: str | Path, *, font_path: str | None = None, qr_module: int = 6, dots: int = PAPER_DOTS
) -> Path:
    """Draw the receipt `dots` wide (576: 80 mm, 384: 58 mm) and write it as PNG; returns the path."""
    target = Path(path)
    target.write_bytes(png_bytes(receipt, font_path=font_path, qr_module=qr_module, dots=dots))
    return target


def png_bytes(receipt: Receipt, *, font_path: str | None = None, qr_module: int = 6, dots: int = PAPER_DOTS) -> bytes:
    """The receipt as PNG bytes (see render_png)."""
    import io

    from PIL import Image, ImageDraw

    fonts = {1: _font(24, font_path), 2: _font(48, font_path)}
    blocks: list[tuple[Line, Any]] = [
        (line, _qr_image(line.qr, qr_module) if line.qr is not None else None) for line in receipt.lines
    ]
    height = MARGIN * 2 + sum(
        image.height + 8 if image is not None else LINE_DOTS * (2 if line.double else 1) for line, image in blocks
    )
    page = Image.new("L", (dots + 2 * MARGIN, max(height, LINE_DOTS)), 255)
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for line, image in blocks:
        if image is not None:
            page.paste(image, (_x_for(line.align, image.width, dots), y))
            y += image.height + 8
            continue
        _draw_line(draw, line, fonts[2 if line.double else 1], y, dots)
        y += LINE_DOTS * (2 if line.double else 1)
    out = io.BytesIO()
    page.save(out, format="PNG")
    return out.getvalue()
