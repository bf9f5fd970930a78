"""An incremental ESC/POS stream parser: bytes in any chunking -> text runs and commands.

It never raises and never buffers more than one command header plus a kept payload (at most
MAX_KEPT_PAYLOAD bytes, enough for the largest QR code). Payloads nobody needs (raster images, bar codes,
downloaded glyphs) are skipped by count instead of buffered. Unknown commands are taken as two bytes, as a
printer that does not know them would.
"""

from __future__ import annotations

from dataclasses import dataclass

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
PREFIXES = frozenset((ESC, GS, FS, DLE))
MAX_KEPT_PAYLOAD = 8192
_MAX_TERMINATED = 64  # NUL-terminated arguments (tab stops, bar-code data) longer than this are cut

# (prefix, code) -> (name, argument bytes after prefix+code)
_FIXED: dict[tuple[int, int], tuple[str, int]] = {
    **{
        (ESC, ord(c)): (n, a)
        for c, n, a in (
            ("@", "initialise", 0),
            ("E", "bold", 1),
            ("G", "double_strike", 1),
            ("-", "underline", 1),
            ("a", "justify", 1),
            ("d", "feed_lines", 1),
            ("J", "feed_dots", 1),
            ("!", "print_mode", 1),
            ("M", "font", 1),
            ("t", "code_table", 1),
            ("R", "charset", 1),
            ("2", "default_spacing", 0),
            ("3", "line_spacing", 1),
            (" ", "right_spacing", 1),
            ("{", "upside_down", 1),
            ("V", "rotate", 1),
            ("$", "absolute_position", 2),
            ("\\", "relative_position", 2),
            ("p", "drawer_pulse", 3),
            ("c", "panel", 2),
            ("i", "cut_full", 0),
            ("m", "cut_partial", 0),
            ("=", "peripheral", 1),
            ("e", "reverse_feed", 1),
            ("r", "colour", 1),
            ("L", "page_mode", 0),
            ("S", "standard_mode", 0),
            ("T", "page_direction", 1),
            ("W", "page_area", 8),
            ("U", "unidirectional", 1),
            ("%", "user_chars", 1),
            ("?", "cancel_user_char", 1),
        )
    },
    **{
        (GS, ord(c)): (n, a)
        for c, n, a in (
            ("!", "char_size", 1),
            ("B", "reverse", 1),
            ("H", "hri_position", 1),
            ("h", "barcode_height", 1),
            ("w", "barcode_width", 1),
            ("f", "hri_font", 1),
            ("a", "auto_status_back", 1),
            ("L", "left_margin", 2),
            ("W", "print_width", 2),
            ("r", "transmit_status", 1),
            ("I", "printer_id", 1),
            ("P", "motion_units", 2),
            ("/", "print_downloaded", 1),
            ("b", "smoothing", 1),
            ("$", "vertical_position", 2),
            ("\\", "vertical_relative", 2),
            ("T", "line_start", 1),
        )
    },
    **{
        (FS, ord(c)): (n, a)
        for c, n, a in (
            ("&", "hanzi_on", 0),
            (".", "hanzi_off", 0),
            ("!", "hanzi_mode", 1),
            ("-", "hanzi_underline", 1),
            ("W", "hanzi_quadruple", 1),
            ("S", "hanzi_spacing", 2),
            ("C", "hanzi_code_system", 1),
            ("p", "print_nv_image", 2),
            ("2", "define_hanzi", 74),
        )
    },
    (DLE, 0x04): ("status_request", 1),
    (DLE, 0x05): ("realtime_request", 1),
}
_CONTROLS = {0x0A: "lf", 0x0D: "cr", 0x09: "tab", 0x0C: "form_feed", 0x18: "cancel_line"}
_KEEP_PAYLOAD = frozenset(("symbol", "cut"))


@dataclass(frozen=True)
class Command:
    name: str
    header: bytes  # prefix, code and fixed arguments
    payload: bytes = b""  # variable data, when kept
    skipped: int = 0  # payload bytes dropped unread (too large or not needed)


@dataclass(frozen=True)
class TextRun:
    data: bytes


Event = Command | TextRun


def _u16(low: int, high: int) -> int:
    return low | high << 8


def _header_and_payload(buf: bytes) -> tuple[str, int, int] | None:
    """(name, header length, payload length) of the command at the start of buf; None if more is needed."""
    if len(buf) < 2:
        return None
    prefix, code = buf[0], buf[1]
    fixed = _FIXED.get((prefix, code))
    if fixed is not None:
        return fixed[0], 2 + fixed[1], 0
    if prefix == GS and code == 0x56:  # GS V m [n]
        return None if len(buf) < 3 else ("cut", 3, 1 if buf[2] in (65, 66, 97, 98, 103, 104) else 0)
    if code == 0x28 and prefix in (GS, FS):  # GS ( X pL pH ... / FS ( X pL pH ...
        if len(buf) < 5:
            return None
        name = (
            "symbol" if prefix == GS and buf[2] == 0x6B else f"function_{chr(buf[2]) if 32 < buf[2] < 127 else buf[2]}"
        )
        return name, 5, _u16(buf[3], buf[4])
    if prefix == GS and code == 0x76:  # GS v 0 m xL xH yL yH raster
        return None if len(buf) < 8 else ("raster", 8, _u16(buf[4], buf[5]) * _u16(buf[6], buf[7]))
    if prefix == GS and code == 0x2A:  # GS * x y: downloaded bit image
        return None if len(buf) < 4 else ("define_downloaded", 4, buf[2] * buf[3] * 8)
    if prefix == GS and code == 0x38:  # GS 8 L p1 p2 p3 p4 ...
        return None if len(buf) < 7 else ("function_8", 7, int.from_bytes(buf[3:7], "little"))
    if prefix == ESC and code == 0x2A:  # ESC * m nL nH: bit image, 3 bytes per column for 24-dot modes
        return None if len(buf) < 5 else ("bit_image", 5, _u16(buf[3], buf[4]) * (3 if buf[2] in (32, 33) else 1))
    if prefix == DLE and code == 0x14:  # DLE DC4 fn ...
        return None if len(buf) < 3 else ("realtime_control", 10 if buf[2] == 8 else 5, 0)
    if prefix == GS and code == 0x6B:  # GS k m: NUL-terminated (m<=6) or counted (m>=65) bar code
        if len(buf) < 3:
            return None
        if buf[2] >= 65:
            return None if len(buf) < 4 else ("barcode", 4, buf[3])
        return _terminated("barcode", buf, 3)
    if prefix == ESC and code == 0x44:  # ESC D n1..nk NUL
        return _terminated("tab_positions", buf, 2)
    return "unknown", 2, 0


def _terminated(name: str, buf: bytes, start: int) -> tuple[str, int, int] | None:
    if len(buf) > start and (buf[-1] == 0 or len(buf) >= _MAX_TERMINATED):
        return name, len(buf), 0
    return None


class EscPosParser:
    """Feed bytes in any chunking; get the same events as if they came in one piece."""

    def __init__(self) -> None:
        self._command = bytearray()  # the command being assembled (header, then a kept payload)
        self._spec: tuple[str, int, int] | None = None
        self._skip = 0  # payload bytes still to drop

    @property
    def buffered(self) -> int:
        return len(self._command)

    def feed(self, data: bytes) -> list[Event]:
        events: list[Event] = []
        i, end = 0, len(data)
        while i < end:
            if self._skip:
                taken = min(self._skip, end - i)
                self._skip -= taken
                i += taken
            elif self._command:
                i = self._continue_command(data, i, events)
            elif data[i] in PREFIXES:
                self._command.append(data[i])
                i += 1
            elif data[i] >= 0x20:
                start = i
                while i < end and data[i] >= 0x20:
                    i += 1
                events.append(TextRun(bytes(data[start:i])))
            else:
                events.append(Command(_CONTROLS.get(data[i], "control"), bytes(data[i : i + 1])))
                i += 1
        return events

    def _continue_command(self, data: bytes, i: int, events: list[Event]) -> int:
        while self._spec is None:
            if i >= len(data):
                return i
            self._command.append(data[i])
            i += 1
            self._spec = _header_and_payload(bytes(self._command))
        name, header_len, payload_len = self._spec
        if len(self._command) < header_len:
            taken = min(header_len - len(self._command), len(data) - i)
            self._command += data[i : i + taken]
            i += taken
            if len(self._command) < header_len:
                return i
        if payload_len and (name not in _KEEP_PAYLOAD or payload_len > MAX_KEPT_PAYLOAD):
            events.append(Command(name, bytes(self._command), b"", payload_len))
            self._skip = payload_len
            self._reset()
            return i
        missing = header_len + payload_len - len(self._command)
        taken = min(missing, len(data) - i)
        self._command += data[i : i + taken]
        i += taken
        if taken == missing:
            events.append(Command(name, bytes(self._command[:header_len]), bytes(self._command[header_len:])))
            self._reset()
        return i

    def _reset(self) -> None:
        self._command.clear()
        self._spec = None
