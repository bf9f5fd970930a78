"""A ReceiptJob laid out for one printer profile: every text element becomes lines that fit its columns.

The driver encodes these lines and the preview (printing.receipt_pdf) draws them, so what the preview
shows is what the printer prints. Wrapping happens here rather than in the printer, because a printer
that wraps by itself splits an order number or a date in the middle.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from devices.receipt.job import REPRINT_MARK, Align, Element, LabelValue, ReceiptJob, Rule, Text
from devices.receipt.profile import ReceiptProfile, char_columns, printable_text, text_columns

_TOKEN = re.compile(r"[A-Za-z0-9.:\-/_%+@#]+|.", re.DOTALL)
_NO_LINE_START = frozenset("，。、；：！？）》」』”’…,.;:!?)%")


@dataclass(frozen=True)
class PrintLine:
    text: str  # printable in the profile's charset, at most `columns` wide at its size
    bold: bool = False
    double: bool = False
    align: Align = Align.LEFT

    @property
    def columns(self) -> int:
        return text_columns(self.text) * (2 if self.double else 1)


def clean_text(text: str, profile: ReceiptProfile) -> str:
    """No control characters (business data must never smuggle a printer command in), folded to the charset."""
    text = unicodedata.normalize("NFC", text)
    return printable_text("".join(ch for ch in text if unicodedata.category(ch)[0] != "C"), profile.charset)


def _split_by_width(token: str, width: int) -> list[str]:
    parts, current = [], ""
    for ch in token:
        if current and text_columns(current) + char_columns(ch) > width:
            parts.append(current)
            current = ""
        current += ch
    return [*parts, current] if current else parts


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces; closing punctuation sticks to what precedes it, so no line starts with it."""
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if tokens and token[0] in _NO_LINE_START and not tokens[-1].isspace():
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def wrap_columns(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns; Latin/digit runs (numbers, times, URLs) stay whole when they fit,
    and no line starts with closing punctuation when that can be helped."""
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        if text_columns(current + token) <= width:
            current += token
            continue
        if current.strip():
            lines.append(current.rstrip())
        pieces = _split_by_width(token.lstrip(), width) or [""]
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def _text_lines(element: Text, profile: ReceiptProfile) -> list[PrintLine]:
    text = clean_text(element.text, profile)
    paragraphs = text.split("\n")
    if element.double and all(text_columns(p) * 2 <= profile.columns for p in paragraphs):
        return [PrintLine(p, element.bold, True, element.align) for p in paragraphs]
    bold = element.bold or element.double  # a title too long for double size stays prominent
    return [PrintLine(line, bold, False, element.align)
            for paragraph in paragraphs for line in wrap_columns(paragraph, profile.columns)]  # fmt: skip


def _label_value_lines(element: LabelValue, profile: ReceiptProfile) -> list[PrintLine]:
    label, value = clean_text(element.label, profile), clean_text(element.value, profile)
    fill = clean_text(element.fill, profile)[:1] or "."
    gap = profile.columns - text_columns(label) - text_columns(value) - 2
    if gap >= 2 * char_columns(fill):
        return [PrintLine(f"{label} {fill * (gap // char_columns(fill))}{' ' * (gap % char_columns(fill))} {value}",
                          element.bold)]  # fmt: skip
    return [*(PrintLine(line, element.bold) for line in wrap_columns(label, profile.columns)),
            *(PrintLine(line, element.bold, align=Align.RIGHT) for line in wrap_columns(value, profile.columns))]


def _rule_line(element: Rule, profile: ReceiptProfile) -> PrintLine:
    char = clean_text(element.char, profile)[:1] or "-"
    return PrintLine(char * (profile.columns // char_columns(char)))


def element_lines(element: Element, profile: ReceiptProfile) -> list[PrintLine] | None:
    """The lines of a text-like element; None for QR codes, feeds and cuts (drawn as they are)."""
    if isinstance(element, Text):
        return _text_lines(element, profile)
    if isinstance(element, LabelValue):
        return _label_value_lines(element, profile)
    if isinstance(element, Rule):
        return [_rule_line(element, profile)]
    return None


def header_lines(job: ReceiptJob, profile: ReceiptProfile) -> list[PrintLine]:
    """What precedes the job's own elements: the reprint mark, once, on reprints only."""
    return _text_lines(Text(REPRINT_MARK, bold=True, align=Align.CENTER), profile) if job.is_reprint else []
