"""PDF pages to monochrome card panels, with poppler's pdftoppm (Debian package poppler-utils).

The card PDF carries a photo and an ID number, so the temporary files live in a private directory on a
RAM-backed file system when there is one (/dev/shm) and are removed as soon as the bitmaps are read.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from devices.cardprinter.protocol import Bitmap
from devices.docprinter.errors import JobFailed

# Evolis-class printers: 300 dpi, a CR80 panel of 1016 x 648 dots.
CARD_DPI = 300
CARD_WIDTH_PX = 1016
CARD_HEIGHT_PX = 648
_PBM_HEADER = re.compile(rb"P4\s+(?:#[^\n]*\n\s*)*(\d+)\s+(?:#[^\n]*\n\s*)*(\d+)\s")


def parse_pbm(data: bytes) -> Bitmap:
    """A binary PBM (P4) image as a Bitmap; its layout is already ours (MSB first, 1 = black)."""
    match = _PBM_HEADER.match(data)
    if match is None:
        raise ValueError("not a binary PBM (P4) image")
    width, height = int(match.group(1)), int(match.group(2))
    body = data[match.end() : match.end() + ((width + 7) // 8) * height]
    return Bitmap(width, height, body)


def _scratch_dir() -> str | None:
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() else None


def render_pdf_panels(
    pdf_bytes: bytes,
    *,
    width_px: int = CARD_WIDTH_PX,
    height_px: int = CARD_HEIGHT_PX,
    dpi: int = CARD_DPI,
    timeout: float = 20.0,
) -> list[Bitmap]:
    """Every page of the PDF as a width x height monochrome bitmap, in page order."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise JobFailed("pdftoppm is not installed (install poppler-utils) so the card cannot be rendered")
    with tempfile.TemporaryDirectory(prefix="kiosk-card-", dir=_scratch_dir()) as scratch:
        source = Path(scratch) / "card.pdf"
        source.write_bytes(pdf_bytes)
        command = [tool, "-mono", "-r", str(dpi), "-scale-to-x", str(width_px), "-scale-to-y", str(height_px)]
        try:
            subprocess.run(
                [*command, str(source), str(Path(scratch) / "panel")],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as error:
            raise JobFailed(f"rendering the card took longer than {timeout:g} s") from error
        except subprocess.CalledProcessError as error:
            raise JobFailed(f"pdftoppm could not render the card (exit {error.returncode})") from error
        pages = sorted(Path(scratch).glob("panel-*.pbm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        panels = [parse_pbm(page.read_bytes()) for page in pages]
    if not panels:
        raise JobFailed("the card PDF has no pages")
    return panels


def pair_sides(panels: list[Bitmap]) -> list[tuple[Bitmap, Bitmap | None]]:
    """Pages 1,2 are card 1's front and back, 3,4 card 2's...; an odd last page is a single-sided card."""
    return [(panels[i], panels[i + 1] if i + 1 < len(panels) else None) for i in range(0, len(panels), 2)]
