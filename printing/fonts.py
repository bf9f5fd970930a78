"""CJK fonts for reportlab, embedded in every PDF as a TrueType subset.

reportlab's UnicodeCIDFont only names a font and leaves the glyphs to the viewer, which prints boxes on a
kiosk printer without Asian font packs; a TTFont is subset and embedded (/FontFile2) instead. Only TrueType
outlines can be embedded by reportlab, so CFF-based OpenType fonts (fonts-noto-cjk) are no use here.
WenQuanYi Zen Hei (Debian fonts-wqy-zenhei) is the expected face; its collection also holds a monospaced
face whose Latin glyphs are exactly half as wide as CJK ones, which is what the receipt preview needs.
There is no bold face: printing.layout synthesises bold by stroking the outline.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

FONT_ENV_VAR = "KIOSK_CJK_FONT"  # an explicit .ttf/.ttc path beats the candidate list
INSTALL_HINT = "apt-get install fonts-wqy-zenhei"

REGULAR_FONT = "KioskCJK"
MONO_FONT = "KioskCJKMono"


@dataclass(frozen=True)
class FontCandidate:
    path: Path
    regular_index: int = 0  # sub-font index inside a .ttc collection
    mono_index: int | None = None  # None: the collection has no monospaced face


CANDIDATES: tuple[FontCandidate, ...] = (
    FontCandidate(Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0, 1),  # Debian/Ubuntu
    FontCandidate(Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"), 0, 1),  # Fedora
    FontCandidate(Path("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc"), 0, 1),  # Arch
    FontCandidate(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0, 1),
    FontCandidate(Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0, None),
    FontCandidate(Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), 0, None),
)


class FontNotFoundError(RuntimeError):
    """No embeddable CJK TrueType font on this machine."""


@dataclass(frozen=True)
class CjkFonts:
    """Names of the registered reportlab fonts; pass them to setFont / stringWidth."""

    regular: str
    mono: str
    path: Path


def _candidates_from_env() -> tuple[FontCandidate, ...]:
    explicit = os.environ.get(FONT_ENV_VAR)
    return (FontCandidate(Path(explicit), 0, None),) if explicit else ()


def find_font(candidates: Sequence[FontCandidate] | None = None) -> FontCandidate:
    """The first candidate that exists, or FontNotFoundError naming the package to install."""
    searched = tuple(candidates) if candidates is not None else _candidates_from_env() + CANDIDATES
    for candidate in searched:
        if candidate.path.is_file():
            return candidate
    paths = ", ".join(str(c.path) for c in searched) or "(none)"
    raise FontNotFoundError(
        f"no embeddable CJK TrueType font found (looked in {paths}); install one with `{INSTALL_HINT}` "
        f"or set {FONT_ENV_VAR} to a TrueType .ttf/.ttc file"
    )


def _register(name: str, path: Path, index: int) -> None:
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    except TTFError as error:  # e.g. CFF outlines or a font that forbids embedding
        raise FontNotFoundError(f"{path} cannot be embedded by reportlab ({error}); {INSTALL_HINT}") from error


@functools.lru_cache(maxsize=1)
def register_cjk_fonts() -> CjkFonts:
    """Register the CJK faces once per process (parsing the 16 MB collection takes ~0.3 s per face)."""
    candidate = find_font()
    _register(REGULAR_FONT, candidate.path, candidate.regular_index)
    if candidate.mono_index is None:
        mono = REGULAR_FONT  # proportional fallback: receipt previews align less neatly, nothing breaks
    else:
        _register(MONO_FONT, candidate.path, candidate.mono_index)
        mono = MONO_FONT
    return CjkFonts(regular=REGULAR_FONT, mono=mono, path=candidate.path)
