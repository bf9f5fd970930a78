"""Rewritable (thermochromic) card printer commands, as pure functions.

MODELLED ON THE STAR MICRONICS TCP300II "VISUAL CARD" READER/WRITER CLASS; THE EXACT BYTES ARE UNCONFIRMED [U]
AND CONFIGURABLE. What is taken from that class's public command manual: block framing STX ... ETX BCC with
BCC the XOR of everything after STX up to ETX, ACK (06) / NAK (15, resend) / DLE (10, reject) after each
block, a response block echoing the command with a status, data strings of at most 1024 bytes, separate
buffer-clear, erase and print commands (49h raster clear, 48h erase, 47h print) and a 59h status request.
What is this project's own [U]: a 2-byte length after the command (so raster bytes may hold 02/03), the
raster and area parameters, and the two-character status codes below.

    host -> printer   STX CMD LEN_H LEN_L DATA ETX BCC
    printer -> host   ACK | NAK | DLE, then STX CMD LEN_H LEN_L ST1 ST2 DATA ETX BCC
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce

from devices.errors import ChecksumError, FrameTooLong, ProtocolError

STX, ETX, ACK, NAK, DLE = 0x02, 0x03, 0x06, 0x15, 0x10
MAX_DATA = 1024

# name -> command byte (ASCII). [U]: site overrides go in the device option `commands`.
DEFAULT_COMMANDS: dict[str, str] = {
    "status": "Y",  # -> status + "C<card 0/1>V<cover 0/1>T<head temp °C, 3 digits>"
    "clear_buffer": "I",  # clear the raster buffer
    "raster": "J",  # data: first row (2 bytes) + bytes per row (2 bytes) + whole rows (MSB first, 1 = dot)
    "erase": "H",  # data: "x,y,w,h" in dots: erase that area of the card's rewritable side
    "print": "G",  # data: "x,y,hold|eject": print the raster buffer at x,y
    "eject": "E",  # give the card back
    "reset": "_",
}


class Status(enum.StrEnum):
    OK = "00"
    NO_CARD = "10"
    CARD_JAM = "20"
    ERASE_INCOMPLETE = "30"
    HEAD_HOT = "40"
    COVER_OPEN = "50"
    DATA_ERROR = "60"
    FAULT = "90"


def bcc(data: bytes) -> int:
    return reduce(lambda acc, byte: acc ^ byte, data, 0)


def encode_block(command: str, data: bytes = b"") -> bytes:
    if len(data) > MAX_DATA + 2:
        raise ValueError(f"a block carries at most {MAX_DATA} data bytes")
    covered = command.encode("ascii") + len(data).to_bytes(2, "big") + data + bytes([ETX])
    return bytes([STX]) + covered + bytes([bcc(covered)])


def encode_response(command: str, status: Status | str, data: bytes = b"") -> bytes:
    return encode_block(command, str(status).encode("ascii") + data)


class CommandSet:
    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        unknown = set(overrides or {}) - set(DEFAULT_COMMANDS)
        if unknown:
            raise ValueError(f"unknown rewritable printer commands: {sorted(unknown)}")
        self.table = {**DEFAULT_COMMANDS, **(overrides or {})}
        if any(len(code) != 1 for code in self.table.values()):
            raise ValueError("rewritable printer commands are one ASCII character")

    def block(self, name: str, data: bytes = b"") -> bytes:
        return encode_block(self.table[name], data)


@dataclass(frozen=True)
class Block:
    command: str
    data: bytes

    @property
    def status(self) -> str:
        return self.data[:2].decode("ascii", "replace")

    @property
    def payload(self) -> bytes:
        return self.data[2:]


class BlockParser:
    """Feed bytes in any chunking; get ACK/NAK/DLE bytes (as ints), Blocks and typed errors, in order.
    Bounded: a length above MAX_DATA + 2 is refused at once and the parser resynchronises on STX."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def reset(self) -> None:
        self._buffer.clear()

    def feed(self, data: bytes) -> list[int | Block | ProtocolError]:
        self._buffer.extend(data)
        out: list[int | Block | ProtocolError] = []
        while self._buffer:
            first = self._buffer[0]
            if first in (ACK, NAK, DLE):
                out.append(first)
                del self._buffer[:1]
                continue
            if first != STX:
                del self._buffer[:1]  # line noise between blocks
                continue
            item = self._block()
            if item is None:
                break
            out.append(item)
        return out

    def _block(self) -> Block | ProtocolError | None:
        if len(self._buffer) < 4:
            return None
        length = int.from_bytes(self._buffer[2:4], "big")
        if length > MAX_DATA + 2:
            del self._buffer[:1]
            return FrameTooLong(f"block announces {length} data bytes")
        total = 1 + 1 + 2 + length + 2
        if len(self._buffer) < total:
            return None
        covered, check = bytes(self._buffer[1 : total - 1]), self._buffer[total - 1]
        if covered[-1] != ETX or bcc(covered) != check:
            del self._buffer[:1]
            return ChecksumError("block without ETX or with a wrong BCC")
        del self._buffer[:total]
        return Block(chr(covered[0]), covered[3:-1])


def parse_sensors(payload: bytes) -> dict[str, int]:
    """'C1V0T045' -> {'card': 1, 'cover': 0, 'temperature': 45}."""
    text = payload.decode("ascii", "replace")
    if len(text) != 8 or text[0] != "C" or text[2] != "V" or text[4] != "T" or not text[5:].isdigit():
        raise ProtocolError(f"unexpected sensor string {text[:16]!r}")
    if text[1] not in "01" or text[3] not in "01":
        raise ProtocolError("sensor flags must be 0 or 1")
    return {"card": int(text[1]), "cover": int(text[3]), "temperature": int(text[5:])}
