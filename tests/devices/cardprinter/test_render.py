"""The card's print path: exact size at the printer's dpi, solid black text, the stock's pre-printed areas kept
clear, and nothing on disk: a render killed with SIGKILL leaves no card data behind."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
from reportlab.lib.units import inch, mm
from reportlab.pdfgen import canvas

from devices.cardprinter.render import (
    InkInKeepClearArea,
    page_offset,
    remove_stale_scratch,
    render_pdf_panels,
)
from devices.cardprinter.stock import CardStock, MmBox

CARD = (85.6 * mm, 54.0 * mm)
KILL_ROUNDS = 3
CHILD_DEADLINE_S = 60.0


def pdf_of(*pages) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=CARD)
    for draw in pages:
        draw(page)
        page.showPage()
    page.save()
    return buffer.getvalue()


def panel_array(bitmap) -> np.ndarray:
    rows = np.frombuffer(bitmap.data, np.uint8).reshape(bitmap.height, bitmap.row_bytes)
    return np.unpackbits(rows, axis=1)[:, : bitmap.width].astype(bool)


def test_the_card_is_rendered_at_its_true_size_not_stretched_to_the_panel():
    """A 2 x 1 inch rectangle is 600 x 300 dots at 300 dpi: no axis is squeezed to fill 1016 x 648."""
    pdf = pdf_of(lambda c: c.rect(10 * mm, 10 * mm, 2 * inch, 1 * inch, fill=1, stroke=0))
    (front,) = render_pdf_panels(pdf, stock=CardStock(emblem=None))
    black = panel_array(front)
    rows, cols = np.flatnonzero(black.any(axis=1)), np.flatnonzero(black.any(axis=0))
    assert (cols[-1] - cols[0] + 1, rows[-1] - rows[0] + 1) == (600, 300)
    left, top = page_offset((1012, 638), (1016, 648))
    assert cols[0] == left + round(10 * 300 / 25.4)  # the page sits centred on the panel's bleed
    assert rows[-1] + 1 == top + 638 - round(10 * 300 / 25.4)


def test_coloured_and_gray_text_prints_solid_not_halftoned():
    def draw(c):
        c.setFillColorRGB(0.15, 0.35, 0.6)  # the old label blue
        c.rect(5 * mm, 30 * mm, 20 * mm, 10 * mm, fill=1, stroke=0)
        c.setFillGray(0.7)  # a light gray
        c.rect(40 * mm, 30 * mm, 20 * mm, 10 * mm, fill=1, stroke=0)
        c.setFillColorRGB(0.15, 0.35, 0.6)
        c.setFont("Helvetica", 9)
        c.drawString(5 * mm, 10 * mm, "ABCDEFGH 12345")

    (front,) = render_pdf_panels(pdf_of(draw), stock=CardStock(emblem=None))
    black = panel_array(front)
    dots = 300 / 25.4
    left, top = page_offset((1012, 638), (1016, 648))

    def region(x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> np.ndarray:
        x0, y0 = left + int(x_mm * dots) + 2, top + int((54 - y_mm - h_mm) * dots) + 2
        return black[y0 : y0 + int(h_mm * dots) - 4, x0 : x0 + int(w_mm * dots) - 4]

    assert region(5, 30, 20, 10).all()  # solid, no broken dots
    assert not region(40, 30, 20, 10).any()
    assert region(5, 9, 40, 4).any()  # the blue text is there, in black


def test_ink_in_the_stocks_emblem_area_is_refused_before_printing():
    emblem = lambda c: c.rect(8 * mm, CARD[1] - 15 * mm, 5 * mm, 5 * mm, fill=1, stroke=0)  # noqa: E731
    blank = lambda c: None  # noqa: E731
    with pytest.raises(InkInKeepClearArea, match="back"):
        render_pdf_panels(pdf_of(blank, emblem))
    assert len(render_pdf_panels(pdf_of(emblem, blank))) == 2  # the front has no emblem
    assert len(render_pdf_panels(pdf_of(blank, emblem), stock=CardStock(emblem=None))) == 2
    moved = CardStock(emblem=MmBox(60, 30, 20, 20))
    assert len(render_pdf_panels(pdf_of(blank, emblem), stock=moved)) == 2


def test_stale_render_directories_of_a_crashed_older_version_are_removed(tmp_path):
    stale = tmp_path / "kiosk-card-abc123"
    stale.mkdir()
    (stale / "card.pdf").write_bytes(b"%PDF personal data")
    other = tmp_path / "kiosk-other"
    other.mkdir()
    assert remove_stale_scratch((tmp_path,)) == 1
    assert not stale.exists() and other.exists()


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="no /dev/shm on this system")
def test_opening_the_card_printer_clears_old_scratch_in_dev_shm(make_printer):
    stale = Path("/dev/shm") / f"kiosk-card-test-{os.getpid()}"
    stale.mkdir()
    (stale / "panel-1.pbm").write_bytes(b"P4 1 1 \x00")
    try:
        make_printer()
        assert not stale.exists()
    finally:
        if stale.exists():
            (stale / "panel-1.pbm").unlink()
            stale.rmdir()


CHILD = textwrap.dedent("""
    import sys
    from printing import demo
    from printing.temp_id import build_temp_id_pdf
    from devices.cardprinter.render import render_pdf_panels
    pdf = build_temp_id_pdf(demo.demo_temp_id())
    print("ready", flush=True)
    while True:
        render_pdf_panels(pdf)
""")


def _scratch_entries() -> set[str]:
    found = set()
    for directory in (Path("/dev/shm"), Path("/tmp")):
        if directory.is_dir():
            found |= {str(path) for path in directory.glob("kiosk-card-*")}
    return found


def _kill_mid_render(env: dict[str, str]) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, env=env, start_new_session=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + CHILD_DEADLINE_S
        process = psutil.Process(child.pid)
        while not any(p.name() == "pdftoppm" for p in process.children()):  # rendering right now
            assert time.monotonic() < deadline, "the child never started rendering"
        os.killpg(child.pid, signal.SIGKILL)  # the kiosk and its pdftoppm, as a crash would
    finally:
        child.wait(timeout=CHILD_DEADLINE_S)
        if child.stdout is not None:
            child.stdout.close()


def test_a_render_killed_with_sigkill_leaves_no_card_data_behind(tmp_path):
    """The old path left card.pdf and bitmaps in /dev/shm/kiosk-card-* on 4 of 4 targeted kills."""
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(private_tmp), "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    before = _scratch_entries()
    for _ in range(KILL_ROUNDS):
        _kill_mid_render(env)
    assert _scratch_entries() == before
    assert list(private_tmp.iterdir()) == []  # nor anything else in the temporary directory it was given
