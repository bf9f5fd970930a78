"""Card-printer text commands, as pure functions.

MODELLED ON EVOLIS ESCAPE COMMANDS; THE EXACT COMMAND STRINGS ARE UNCONFIRMED AND CONFIGURABLE. Evolis
(and, in their own syntax, Zebra and Seaory) printers take ESC + ASCII command + CR and answer with a short
ASCII line. The strings below are this project's best model; a site whose printer differs overrides them
through the device option `commands` (a dict merged over DEFAULT_COMMANDS), without code changes.

    host -> printer   ESC <command> CR                  e.g. 1B 52 73 74 0D  ("Rst": read status)
                      ESC Db;k;<side>;<w>;<h>;<n>; <n raw bytes> CR   (download a monochrome panel)
    printer -> host   <reply> CR                        "OK", "ERR;CARD_JAM", "WARN;RIBBON_LOW", "117"

A status reply is LEVEL[;FLAG,FLAG...] with LEVEL in OK | WARN | ERR | BUSY. A bitmap is packed 1 bit per
pixel, MSB first, rows padded to whole bytes, 1 = black (the PBM P4 layout). The download header carries the
width, height and byte length so the raw bytes may contain CR; a real Evolis takes a fixed-size panel
instead ("Db;k;2;<data>"), which is a one-entry change to the table.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from devices.errors import FrameTooLong, ProtocolError

ESC = 0x1B
CR = 0x0D
LF = 0x0A
MAX_REPLY = 128  # longest plausible reply line; longer means noise or a desynchronised stream

# name -> command text (after ESC, before CR). Unconfirmed against a real printer: adjust per site.
DEFAULT_COMMANDS: dict[str, str] = {
    "status": "Rst",  # -> status line
    "ribbon_remaining": "Rrt",  # -> decimal count of panels left
    "card_count": "Rco",  # -> decimal count of cards printed by the printer (its own counter)
    "firmware": "Rfv",  # -> version text
    "start": "Ss",  # start a card sequence -> OK
    "download": "Db;k;{side};{width};{height};{length};",  # + raw bitmap + CR -> OK
    "print_eject": "Se",  # print the downloaded panels and eject the card -> OK | ERR;...
    "reset": "Srs",  # abandon a sequence, clear a recoverable error -> OK
}

FRONT, BACK = "f", "b"


class Flag(enum.StrEnum):
    HOPPER_EMPTY = "HOPPER_EMPTY"
    RIBBON_LOW = "RIBBON_LOW"
    RIBBON_OUT = "RIBBON_OUT"
    CARD_JAM = "CARD_JAM"
    COVER_OPEN = "COVER_OPEN"
    FAULT = "FAULT"


class Level(enum.StrEnum):
    OK = "OK"
    WARN = "WARN"
    ERR = "ERR"
    BUSY = "BUSY"


@dataclass(frozen=True)
class Bitmap:
    """A monochrome panel: packed rows, MSB first, 1 = black."""

    width: int
    height: int
    data: bytes

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError("bitmap dimensions must be positive")
        if len(self.data) != self.row_bytes * self.height:
            raise ValueError(f"bitmap of {self.width}x{self.height} needs {self.row_bytes * self.height} bytes")

    @property
    def row_bytes(self) -> int:
        return (self.width + 7) // 8

    @classmethod
    def blank(cls, width: int, height: int) -> Bitmap:
        return cls(width, height, bytes(((width + 7) // 8) * height))

    def black_pixels(self) -> int:
        return sum(byte.bit_count() for byte in self.data)

    def pixel(self, x: int, y: int) -> bool:
        return bool(self.data[y * self.row_bytes + x // 8] & (0x80 >> (x % 8)))


class CommandSet:
    """The command table in use (defaults merged with a site's overrides) and the frames it builds."""

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        unknown = set(overrides or {}) - set(DEFAULT_COMMANDS)
        if unknown:
            raise ValueError(f"unknown card printer commands: {sorted(unknown)}")
        self.table = {**DEFAULT_COMMANDS, **(overrides or {})}

    def frame(self, name: str) -> bytes:
        """ESC + command + CR for a command without a payload."""
        return bytes([ESC]) + self.table[name].encode("ascii") + bytes([CR])

    def download(self, side: str, bitmap: Bitmap) -> bytes:
        header = self.table["download"].format(
            side=side, width=bitmap.width, height=bitmap.height, length=len(bitmap.data)
        )
        return bytes([ESC]) + header.encode("ascii") + bitmap.data + bytes([CR])


@dataclass(frozen=True)
class StatusReply:
    level: Level
    flags: frozenset[str]

    @property
    def ready(self) -> bool:
        return self.level in (Level.OK, Level.WARN)


def parse_status(line: str) -> StatusReply:
    """'ERR;CARD_JAM,COVER_OPEN' -> StatusReply(ERR, {...}); unknown flags are kept, a bad level is an error."""
    level_text, _, flag_text = line.partition(";")
    try:
        level = Level(level_text)
    except ValueError:
        raise ProtocolError(f"unexpected status level {level_text[:16]!r}") from None
    flags = frozenset(flag for flag in flag_text.split(",") if flag)
    return StatusReply(level, flags)


def parse_count(line: str) -> int:
    if not line.isdigit() or len(line) > 9:
        raise ProtocolError(f"expected a decimal count, got {line[:16]!r}")
    return int(line)


class ReplyParser:
    """Splits the printer's byte stream into reply lines; bounded, never raises on input.

    `feed` returns complete lines (str) and, for damaged ones, ProtocolError instances in stream order.
    LF is ignored (so CR LF works); a line longer than MAX_REPLY or holding non-printable bytes is
    reported once and skipped up to its CR.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._overflow = False

    def feed(self, data: bytes) -> list[str | ProtocolError]:
        out: list[str | ProtocolError] = []
        for byte in data:
            if byte == CR:
                out.extend(self._finish_line())
            elif byte == LF:
                continue
            elif self._overflow:
                continue
            elif len(self._buffer) >= MAX_REPLY:
                self._overflow = True
                self._buffer.clear()
                out.append(FrameTooLong(f"reply longer than {MAX_REPLY} bytes"))
            else:
                self._buffer.append(byte)
        return out

    def _finish_line(self) -> list[str | ProtocolError]:
        line, overflow = bytes(self._buffer), self._overflow
        self._buffer.clear()
        self._overflow = False
        if overflow or not line:  # an empty line is line noise, not a reply
            return []
        if any(byte < 0x20 or byte > 0x7E for byte in line):
            return [ProtocolError(f"non-printable byte in reply of {len(line)} bytes")]
        return [line.decode("ascii")]

    def reset(self) -> None:
        self._buffer.clear()
        self._overflow = False
