"""What a printer would put on paper, as text lines: the simulator's print engine.

Applies parsed ESC/POS events the way an Epson-compatible printer does: ESC @ resets modes and drops an
unprinted line, text wraps at the paper's columns (48 on 80 mm, 32 on 58 mm; half at double width), ESC a
counts at the start of a line, bytes >= 0x80 are GB18030 in 汉字 mode (each character a full-width glyph,
two columns) and code page 437 outside it, GS ( k prints a QR code, GS V cuts. Memory stays bounded: lines
per receipt and kept receipts are capped.
"""

from __future__ import annotations

import codecs
import collections
from dataclasses import dataclass, field

from devices.receipt.stream import Command, Event, TextRun

COLUMNS = 48  # 80 mm paper; a 58 mm printer has 32
MAX_LINES_PER_RECEIPT = 2000
MAX_KEPT_RECEIPTS = 200
CUT_SEPARATOR = "--- cut ---"
_ALIGNS = ("left", "center", "right")
_CUT_KIND = {0: "full", 48: "full", 65: "full", 97: "full", 103: "full"}


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False
    double: bool = False  # width and height both doubled (or more)
    align: str = "left"
    qr: str | None = None  # set when the line is a printed QR code

    def marked(self) -> str:
        """The text with markers: **bold**, [2x] for double size, [QR:data] for QR codes."""
        if self.qr is not None:
            return f"[QR:{self.qr}]"
        text = f"**{self.text}**" if self.bold and self.text else self.text
        return f"[2x] {text}" if self.double and self.text else text


@dataclass(frozen=True)
class Receipt:
    lines: tuple[Line, ...]
    cut: str  # "full" | "partial" | "torn" (taken out by hand after an interruption)

    def text_lines(self) -> list[str]:
        return [line.marked() for line in self.lines]

    def plain_lines(self) -> list[str]:
        return [line.qr if line.qr is not None else line.text for line in self.lines]

    @property
    def qr_codes(self) -> list[str]:
        return [line.qr for line in self.lines if line.qr is not None]

    def text(self) -> str:
        return "\n".join(self.text_lines())


@dataclass
class _Modes:
    hanzi: bool = False
    bold: bool = False
    width: int = 1
    height: int = 1
    align: str = "left"
    qr_module: int = 3
    qr_error: str = "L"
    qr_data: bytes = b""


@dataclass
class _LineBuffer:
    text: str = ""
    columns_used: int = 0
    bold: bool = False
    double: bool = False
    align: str = "left"


@dataclass
class ReceiptRenderer:
    """Turns events into lines and receipts; `hanzi_default` models Chinese-market printers."""

    hanzi_default: bool = False
    columns: int = COLUMNS
    receipts: collections.deque[Receipt] = field(default_factory=lambda: collections.deque(maxlen=MAX_KEPT_RECEIPTS))

    def __post_init__(self) -> None:
        self.modes = _Modes(hanzi=self.hanzi_default)
        self._line = _LineBuffer()
        self._lines: list[Line] = []
        self._decoder = self._new_decoder()

    @property
    def current_lines(self) -> list[Line]:
        """Lines printed since the last cut (the paper still in the printer)."""
        return list(self._lines)

    def apply(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, TextRun):
                self._add_text(self._decoder.decode(event.data))
            else:
                self._command(event)

    def tear_off(self) -> Receipt | None:
        """Remove the uncut paper (an interrupted receipt); returns it, or None if there was none."""
        self._flush_text()
        if not self._lines:
            return None
        receipt = Receipt(tuple(self._lines), "torn")
        self._lines = []
        return receipt

    # -- commands ---------------------------------------------------------------------------------
    def _command(self, command: Command) -> None:
        args = command.header[2:]
        handler = _HANDLERS.get(command.name)
        if handler is not None:
            handler(self, command, args)

    def _initialise(self, command: Command, args: bytes) -> None:
        self.modes = _Modes(hanzi=self.hanzi_default)
        self._line = _LineBuffer()  # ESC @ clears the print buffer
        self._decoder = self._new_decoder()

    def _set_hanzi(self, on: bool) -> None:
        self._flush_text()
        self.modes.hanzi = on
        self._decoder = self._new_decoder()

    def _set_print_mode(self, n: int) -> None:
        self.modes.bold = bool(n & 0x08)
        self.modes.height = 2 if n & 0x10 else 1
        self.modes.width = 2 if n & 0x20 else 1

    def _set_size(self, n: int) -> None:
        self.modes.width = (n >> 4 & 0x07) + 1
        self.modes.height = (n & 0x07) + 1

    def _feed(self, lines: int) -> None:
        if self._line.text:
            self._end_line()
            lines -= 1
        for _ in range(max(0, lines)):
            self._end_line()

    def _symbol(self, command: Command, args: bytes) -> None:
        payload = command.payload
        if len(payload) < 3 or payload[0] != 0x31:  # cn 49 = QR code
            return
        function, params = payload[1], payload[2:]
        if function == 0x43 and params:
            self.modes.qr_module = params[0]
        elif function == 0x45 and params:
            self.modes.qr_error = "LMQH"[params[0] - 0x30] if 0x30 <= params[0] <= 0x33 else self.modes.qr_error
        elif function == 0x50 and params[:1] == b"\x30":
            self.modes.qr_data = bytes(params[1:])
        elif function == 0x51 and self.modes.qr_data:
            self._flush_text()
            data = self.modes.qr_data.decode("utf-8", errors="replace")
            self._append(Line("", align=self.modes.align, qr=data))

    def _cut(self, command: Command, args: bytes) -> None:
        self._flush_text()
        kind = _CUT_KIND.get(args[0], "partial") if args else "partial"
        if command.name == "cut_full":
            kind = "full"
        self.receipts.append(Receipt(tuple(self._lines), kind))
        self._lines = []

    # -- text -------------------------------------------------------------------------------------
    def _new_decoder(self) -> codecs.IncrementalDecoder:
        encoding = "gb18030" if self.modes.hanzi else "cp437"
        return codecs.getincrementaldecoder(encoding)(errors="replace")

    def _add_text(self, text: str) -> None:
        columns = self.columns // max(1, self.modes.width)
        for ch in text:
            width = 2 if self.modes.hanzi and ord(ch) >= 0x80 else 1
            if self._line.columns_used + width > columns:
                self._end_line()
            if not self._line.text:
                self._line = _LineBuffer(
                    "", 0, self.modes.bold, self.modes.width >= 2 and self.modes.height >= 2, self.modes.align
                )
            self._line.text += ch
            self._line.columns_used += width

    def _flush_text(self) -> None:
        tail = self._decoder.decode(b"", final=True)
        self._decoder = self._new_decoder()
        if tail:
            self._add_text(tail)
        if self._line.text:
            self._end_line()

    def _end_line(self) -> None:
        line = self._line
        self._append(Line(line.text, line.bold, line.double, line.align) if line.text else Line(""))
        self._line = _LineBuffer()

    def _append(self, line: Line) -> None:
        if len(self._lines) < MAX_LINES_PER_RECEIPT:
            self._lines.append(line)


def _justify(renderer: ReceiptRenderer, command: Command, args: bytes) -> None:
    renderer.modes.align = _ALIGNS[args[0] % 48] if args and args[0] % 48 < 3 else renderer.modes.align


_HANDLERS = {
    "initialise": ReceiptRenderer._initialise,
    "hanzi_on": lambda r, c, a: r._set_hanzi(True),
    "hanzi_off": lambda r, c, a: r._set_hanzi(False),
    "bold": lambda r, c, a: setattr(r.modes, "bold", bool(a[0] & 1)),
    "print_mode": lambda r, c, a: r._set_print_mode(a[0]),
    "char_size": lambda r, c, a: r._set_size(a[0]),
    "justify": _justify,
    "lf": lambda r, c, a: r._feed(1),
    "feed_lines": lambda r, c, a: r._feed(a[0]),
    "tab": lambda r, c, a: r._add_text(" " * (8 - r._line.columns_used % 8)),
    "symbol": ReceiptRenderer._symbol,
    "cut": ReceiptRenderer._cut,
    "cut_full": ReceiptRenderer._cut,
    "cut_partial": ReceiptRenderer._cut,
}
