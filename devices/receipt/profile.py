"""What a receipt printer model can put on paper: paper width in font-A columns and dots, and its Chinese
character set. A device option (`paper`, `charset`) picks the profile, so 58 mm printers work as well.

In 汉字 mode (FS &) an ESC/POS printer prints every multi-byte character as a full-width 24-dot glyph (two
columns) and every ASCII byte as a 12-dot one (one column), whatever Unicode calls the character's width:
'·', '—', '…', '×' and '℃' are "ambiguous" in Unicode but take two columns on paper.

Most kiosk printers hold a GB2312 (or GBK) font only; a character outside it prints as garbage, so text
is folded to GB2312 unless the profile says the printer has the GB18030 font.
"""

from __future__ import annotations

from dataclasses import dataclass

PAPER_COLUMNS = {"80mm": 48, "58mm": 32}  # font A, 12 dots a column at 203 dpi
PAPER_DOTS = {"80mm": 576, "58mm": 384}
PAPER_MM = {"80mm": 80.0, "58mm": 58.0}
CHARSETS = ("gb2312", "gb18030")


class UnknownProfile(ValueError):
    pass


@dataclass(frozen=True)
class ReceiptProfile:
    paper: str = "80mm"
    charset: str = "gb2312"

    def __post_init__(self) -> None:
        if self.paper not in PAPER_COLUMNS:
            raise UnknownProfile(f"paper must be one of {sorted(PAPER_COLUMNS)}, got {self.paper!r}")
        if self.charset not in CHARSETS:
            raise UnknownProfile(f"charset must be one of {CHARSETS}, got {self.charset!r}")

    @property
    def columns(self) -> int:
        return PAPER_COLUMNS[self.paper]

    @property
    def dots(self) -> int:
        return PAPER_DOTS[self.paper]

    @property
    def paper_mm(self) -> float:
        return PAPER_MM[self.paper]

    @property
    def printable_mm(self) -> float:
        return self.dots / 203 * 25.4


DEFAULT_PROFILE = ReceiptProfile()


def char_columns(ch: str) -> int:
    """Columns one character takes in 汉字 mode: ASCII one, anything multi-byte two."""
    return 1 if ord(ch) < 0x80 else 2


def text_columns(text: str) -> int:
    return sum(1 if ord(ch) < 0x80 else 2 for ch in text)


# Characters a GB2312 font lacks, and what prints in their place.
GB2312_FOLDS = str.maketrans({
    "¥": "￥", "\u00a0": " ", "–": "-", "‐": "-", "‑": "-", "−": "-", "•": "·", "・": "·",
    "‧": "·", "⋯": "…", "﹣": "-",
})  # fmt: skip
REPLACEMENT = "?"


def in_gb2312(encoded: bytes) -> bool:
    """One character's GBK bytes lie in GB2312's area (rows A1-F7, cells A1-FE), or it is ASCII."""
    if len(encoded) == 1:
        return encoded[0] < 0x80
    return len(encoded) == 2 and 0xA1 <= encoded[0] <= 0xF7 and 0xA1 <= encoded[1] <= 0xFE


def _encode_char(ch: str, charset: str) -> bytes | None:
    try:
        encoded = ch.encode("gb18030" if charset == "gb18030" else "gbk")
    except UnicodeEncodeError:
        return None
    return encoded if charset == "gb18030" or in_gb2312(encoded) else None


def printable_text(text: str, charset: str) -> str:
    """The text as the printer can print it: folded to the charset, anything else as '?'."""
    if charset == "gb2312":
        text = text.translate(GB2312_FOLDS)
    return "".join(ch if _encode_char(ch, charset) is not None else REPLACEMENT for ch in text)


def encode_text(text: str, charset: str) -> bytes:
    """Bytes of already printable text (see printable_text)."""
    return b"".join(_encode_char(ch, charset) or REPLACEMENT.encode() for ch in text)
