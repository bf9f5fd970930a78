"""Helpers for document tests: text extraction, PNG rendering with poppler, QR decoding with zxing-cpp."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pypdf
import pytest
import zxingcpp


@pytest.fixture(scope="session")
def fonts():
    from printing.fonts import register_cjk_fonts

    return register_cjk_fonts()  # fails with the apt-get hint when the CJK font is missing


def pdf_pages(pdf: bytes) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pdf_pages(pdf)]


def flat_text(pdf: bytes) -> str:
    """All text with line breaks removed, so wrapped sentences can be searched whole."""
    return "".join("".join(page_texts(pdf)).split("\n"))


def text_runs(page: pypdf.PageObject) -> list[tuple[str, float, float, float]]:
    """(text, x, y, font size) of every text run as positioned on the page."""
    runs: list[tuple[str, float, float, float]] = []

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5
            runs.append((text, cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], font_size * scale))

    page.extract_text(visitor_text=visitor)
    return runs


def render_png(pdf: bytes, tmp_path: Path, dpi: int = 150) -> list[np.ndarray]:
    """Rasterise every page with pdftoppm (poppler-utils) and load them as grayscale arrays."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm not found: apt-get install poppler-utils")
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / "page")], check=True, timeout=60)
    images = [cv2.imread(str(path), cv2.IMREAD_GRAYSCALE) for path in sorted(tmp_path.glob("page-*.png"))]
    assert images and all(image is not None for image in images)
    return images


def decode_qr_codes(image: np.ndarray) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]
