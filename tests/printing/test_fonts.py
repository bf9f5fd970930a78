from __future__ import annotations

import io
import re

import pypdf
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from printing import demo
from printing.certificate import build_certificate_pdf
from printing.fonts import INSTALL_HINT, FontCandidate, FontNotFoundError, find_font


def test_missing_font_names_the_package_to_install(tmp_path):
    with pytest.raises(FontNotFoundError) as caught:
        find_font([FontCandidate(tmp_path / "nowhere.ttc")])
    assert INSTALL_HINT in str(caught.value)
    assert "nowhere.ttc" in str(caught.value)


def test_environment_variable_overrides_the_candidates(tmp_path, monkeypatch, fonts):
    copy = tmp_path / "chosen.ttc"
    copy.symlink_to(fonts.path)
    monkeypatch.setenv("KIOSK_CJK_FONT", str(copy))
    assert find_font().path == copy


def test_mono_face_puts_latin_in_one_column_and_cjk_in_two(fonts):
    assert stringWidth("中", fonts.mono, 10) == pytest.approx(2 * stringWidth("A", fonts.mono, 10))


def _fonts_of(pdf: bytes) -> list[pypdf.generic.DictionaryObject]:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    return [font.get_object() for font in page["/Resources"]["/Font"].values()]


def test_certificate_embeds_only_a_truetype_subset(fonts):
    pdf = build_certificate_pdf(demo.demo_certificate())
    used = _fonts_of(pdf)
    assert used
    for font in used:
        assert re.fullmatch(r"/[A-Z]{6}\+[\w-]+", str(font["/BaseFont"])), font["/BaseFont"]
        descriptor = font["/FontDescriptor"].get_object()
        embedded = descriptor["/FontFile2"].get_object()
        # a subset of a few dozen glyphs, not the 16 MB collection
        assert int(embedded["/Length1"]) < fonts.path.stat().st_size / 100
    assert b"/FontFile2" in pdf
