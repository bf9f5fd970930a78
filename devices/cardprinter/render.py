"""PDF pages to monochrome card panels, with poppler's pdftoppm (Debian package poppler-utils).

The card PDF carries a photo, a name and an ID number, so it never touches a file system: pdftoppm reads
it from a pipe and writes its pages to a pipe. A kiosk killed mid-render leaves nothing behind (earlier
versions rendered in /dev/shm/kiosk-card-*; `remove_stale_scratch` clears what they may have left).

The page is rendered at the printer's own resolution, without anti-aliasing and without scaling: an
85.6 x 54 mm card at 300 dpi is 1012 x 638 dots, centred on the printer's 1016 x 648 panel (the bleed), so
nothing is squeezed. Grays are thresholded, not halftoned: text and rules print solid black whatever their
colour in the PDF. The photo is dithered by the document builder for this resolution (printing.temp_id),
so its dots pass through one to one. A panel that puts ink into the stock's pre-printed areas is refused.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np

from devices.cardprinter.protocol import Bitmap
from devices.cardprinter.stock import DEFAULT_STOCK, CardStock, MmBox
from devices.docprinter.errors import JobFailed

log = logging.getLogger(__name__)

# Evolis-class printers: 300 dpi, a CR80 panel of 1016 x 648 dots (a little larger than the card).
CARD_DPI = 300
CARD_WIDTH_PX = 1016
CARD_HEIGHT_PX = 648
BLACK_BELOW = 128  # gray levels under this print black
_PBM_HEADER = re.compile(rb"P4\s+(?:#[^\n]*\n\s*)*(\d+)\s+(?:#[^\n]*\n\s*)*(\d+)\s")
_PGM_HEADER = re.compile(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s")
LEGACY_SCRATCH_GLOB = "kiosk-card-*"
SIDES = ("front", "back")


class InkInKeepClearArea(JobFailed):
    """The card layout prints into an area of the stock that carries pre-printed artwork."""


def parse_pbm(data: bytes) -> Bitmap:
    """A binary PBM (P4) image as a Bitmap; its layout is already ours (MSB first, 1 = black)."""
    match = _PBM_HEADER.match(data)
    if match is None:
        raise ValueError("not a binary PBM (P4) image")
    width, height = int(match.group(1)), int(match.group(2))
    body = data[match.end() : match.end() + ((width + 7) // 8) * height]
    return Bitmap(width, height, body)


def parse_pgm_pages(data: bytes) -> list[np.ndarray]:
    """Concatenated binary PGM (P5, 8-bit) images, as pdftoppm -gray writes them to a pipe."""
    pages, offset = [], 0
    while offset < len(data):
        match = _PGM_HEADER.match(data, offset)
        if match is None or int(match.group(3)) != 255:
            raise ValueError("not an 8-bit binary PGM (P5) stream")
        width, height = int(match.group(1)), int(match.group(2))
        end = match.end() + width * height
        if end > len(data):
            raise ValueError("truncated PGM page")
        pixels = np.frombuffer(data, dtype=np.uint8, count=width * height, offset=match.end())
        pages.append(pixels.reshape(height, width))
        offset = end
    return pages


def to_panel(gray: np.ndarray, width_px: int, height_px: int) -> np.ndarray:
    """The page, black where darker than mid-gray, centred on a white panel (cropped evenly if larger)."""
    black = gray < BLACK_BELOW
    panel = np.zeros((height_px, width_px), dtype=bool)
    src_top, src_left = max(0, (black.shape[0] - height_px) // 2), max(0, (black.shape[1] - width_px) // 2)
    rows, cols = min(height_px, black.shape[0]), min(width_px, black.shape[1])
    dst_top, dst_left = (height_px - rows) // 2, (width_px - cols) // 2
    source = black[src_top : src_top + rows, src_left : src_left + cols]
    panel[dst_top : dst_top + rows, dst_left : dst_left + cols] = source
    return panel


def page_offset(page_px: tuple[int, int], panel_px: tuple[int, int]) -> tuple[int, int]:
    """(left, top) of the page's first dot on the panel."""
    return (panel_px[0] - page_px[0]) // 2, (panel_px[1] - page_px[1]) // 2


def _box_px(box: MmBox, dpi: int, offset: tuple[int, int]) -> tuple[int, int, int, int]:
    dots = dpi / 25.4
    return (offset[0] + int(box.left * dots), offset[1] + int(box.top * dots),
            offset[0] + int(np.ceil(box.right * dots)), offset[1] + int(np.ceil(box.bottom * dots)))  # fmt: skip


def check_keep_clear(panel: np.ndarray, boxes: tuple[MmBox, ...], dpi: int, offset: tuple[int, int], side: str) -> None:
    for box in boxes:
        left, top, right, bottom = _box_px(box, dpi, offset)
        inked = int(panel[max(top, 0) : bottom, max(left, 0) : right].sum())
        if inked:
            raise InkInKeepClearArea(f"the card's {side} puts {inked} dots into the pre-printed area at {box}")


def to_bitmap(panel: np.ndarray) -> Bitmap:
    return Bitmap(panel.shape[1], panel.shape[0], np.packbits(panel, axis=1).tobytes())


def _rasterise(pdf_bytes: bytes, dpi: int, timeout: float) -> list[np.ndarray]:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise JobFailed("pdftoppm is not installed (install poppler-utils) so the card cannot be rendered")
    command = [tool, "-gray", "-r", str(dpi), "-aa", "no", "-aaVector", "no", "-"]
    try:
        done = subprocess.run(command, input=pdf_bytes, check=True, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise JobFailed(f"rendering the card took longer than {timeout:g} s") from error
    except subprocess.CalledProcessError as error:
        raise JobFailed(f"pdftoppm could not render the card (exit {error.returncode})") from error
    try:
        return parse_pgm_pages(done.stdout)
    except ValueError as error:
        raise JobFailed(f"pdftoppm gave an unreadable page: {error}") from error


def render_pdf_panels(
    pdf_bytes: bytes,
    *,
    width_px: int = CARD_WIDTH_PX,
    height_px: int = CARD_HEIGHT_PX,
    dpi: int = CARD_DPI,
    timeout: float = 20.0,
    stock: CardStock = DEFAULT_STOCK,
) -> list[Bitmap]:
    """Every page of the PDF as a width x height monochrome panel, in page order (front, back, front...)."""
    panels = []
    for index, gray in enumerate(_rasterise(pdf_bytes, dpi, timeout)):
        panel = to_panel(gray, width_px, height_px)
        side = SIDES[index % 2]
        offset = page_offset((gray.shape[1], gray.shape[0]), (width_px, height_px))
        check_keep_clear(panel, stock.keep_clear(side), dpi, offset, side)
        panels.append(to_bitmap(panel))
    if not panels:
        raise JobFailed("the card PDF has no pages")
    return panels


def remove_stale_scratch(directories: tuple[Path, ...] = (Path("/dev/shm"), Path("/tmp"))) -> int:
    """Delete render directories an earlier version left after a crash (they hold card data); returns how many."""
    removed = 0
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in directory.glob(LEGACY_SCRATCH_GLOB):
            if path.is_dir() and not path.is_symlink() and path.stat().st_uid == os.getuid():
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
    if removed:
        log.warning("removed %d card render directories left by a crash", removed)
    return removed


def pair_sides(panels: list[Bitmap]) -> list[tuple[Bitmap, Bitmap | None]]:
    """Pages 1,2 are card 1's front and back, 3,4 card 2's...; an odd last page is a single-sided card."""
    return [(panels[i], panels[i + 1] if i + 1 < len(panels) else None) for i in range(0, len(panels), 2)]
