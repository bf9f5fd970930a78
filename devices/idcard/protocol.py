"""SAM_V framing as pure functions and an incremental parser.

    AA AA AA 96 69 | LEN_H LEN_L | body (CMD PARA DATA, or SW1 SW2 SW3 DATA) | CHK

LEN counts the body plus CHK; CHK is the XOR of LEN_H..last body byte. The parser accepts bytes in any
chunking, skips stray bytes by resynchronising on the preamble, bounds its buffer, and reports damaged
frames as typed errors instead of raising, so one bad frame never stops the stream.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import reduce

from devices.errors import ChecksumError, FrameTooLong, ProtocolError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2
# The largest known frame (read with fingerprint) has LEN 0x090A; anything far beyond is garbage.
MAX_LEN = 0x0C00
MIN_LEN = 3  # CMD PARA CHK (a response has at least SW1 SW2 SW3 CHK)
TEXT_LEN = 256
PHOTO_LEN = 1024
FINGERPRINT_LEN = 1024


class Command(enum.Enum):
    """(CMD, PARA) pairs of the commands a kiosk uses."""

    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    READ_SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_TEXT_PHOTO = (0x30, 0x01)
    READ_APPENDED_ADDRESS = (0x30, 0x03)
    READ_WITH_FINGERPRINT = (0x30, 0x10)

    @classmethod
    def lookup(cls, cmd: int, para: int) -> Command | None:
        return _COMMANDS_BY_CODE.get((cmd, para))


_COMMANDS_BY_CODE = {command.value: command for command in Command}


def xor_checksum(data: bytes) -> int:
    return reduce(lambda acc, byte: acc ^ byte, data, 0)


def encode_frame(body: bytes) -> bytes:
    """Wrap a body (CMD PARA DATA or SW1 SW2 SW3 DATA) into a complete frame."""
    length = len(body) + 1
    if length > 0xFFFF:
        raise ValueError("body too long for a SAM_V frame")
    covered = length.to_bytes(2, "big") + body
    return PREAMBLE + covered + bytes([xor_checksum(covered)])


def encode_request(command: Command, data: bytes = b"") -> bytes:
    cmd, para = command.value
    return encode_frame(bytes([cmd, para]) + data)


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return encode_frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Frame:
    """The body of one valid frame (between LEN and CHK)."""

    body: bytes

    # Response view
    @property
    def sw3(self) -> int:
        if len(self.body) < 3:
            raise ProtocolError("response frame shorter than its status word")
        return self.body[2]

    @property
    def data(self) -> bytes:
        return self.body[3:]

    # Request view
    @property
    def command(self) -> Command | None:
        return Command.lookup(self.body[0], self.body[1]) if len(self.body) >= 2 else None

    @property
    def request_data(self) -> bytes:
        return self.body[2:]


class FrameParser:
    """Feed bytes in any chunking; get back complete frames and typed errors for damaged ones."""

    def __init__(self, max_len: int = MAX_LEN) -> None:
        self._buffer = bytearray()
        self._max_len = max_len
        self.discarded = 0  # stray bytes skipped while resynchronising

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def reset(self) -> None:
        self._buffer.clear()

    def feed(self, data: bytes) -> list[Frame | ProtocolError]:
        self._buffer.extend(data)
        results: list[Frame | ProtocolError] = []
        while True:
            item = self._next()
            if item is None:
                return results
            results.append(item)

    def _resync(self) -> bool:
        """Drop bytes up to the next possible preamble start; False if more bytes are needed."""
        start = self._buffer.find(PREAMBLE)
        if start < 0:
            # Keep a tail that could be the start of a preamble split across chunks.
            keep = next(
                (n for n in range(len(PREAMBLE) - 1, 0, -1) if self._buffer.endswith(PREAMBLE[:n])),
                0,
            )
            drop = len(self._buffer) - keep
            self.discarded += drop
            del self._buffer[:drop]
            return False
        self.discarded += start
        del self._buffer[:start]
        return True

    def _next(self) -> Frame | ProtocolError | None:
        if not self._resync() or len(self._buffer) < HEADER_LEN:
            return None
        length = int.from_bytes(self._buffer[5:7], "big")
        if length < MIN_LEN or length > self._max_len:
            del self._buffer[:1]  # a false preamble or garbage length: look for the next preamble
            self.discarded += 1
            error_type = FrameTooLong if length > self._max_len else ProtocolError
            return error_type(f"invalid frame length {length}")
        total = HEADER_LEN + length
        if len(self._buffer) < total:
            return None
        covered = bytes(self._buffer[5 : total - 1])
        checksum = self._buffer[total - 1]
        if xor_checksum(covered) != checksum:
            # Do not trust the length either: resume the search just after this preamble.
            del self._buffer[:1]
            self.discarded += 1
            return ChecksumError(f"frame checksum mismatch (LEN {length})")
        body = covered[2:]
        del self._buffer[:total]
        return Frame(body)


@dataclass(frozen=True)
class ReadPayload:
    """The parts of a read response: text block, photo (WLT) and optional fingerprint."""

    text: bytes
    photo: bytes
    fingerprint: bytes | None


def parse_read_payload(data: bytes, with_fingerprint: bool) -> ReadPayload:
    """Split the data after SW1..SW3 of a 30 01 / 30 10 response, checking the announced lengths."""
    header = 6 if with_fingerprint else 4
    if len(data) < header:
        raise ProtocolError("read response too short for its length fields")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    fp_len = int.from_bytes(data[4:6], "big") if with_fingerprint else 0
    if text_len != TEXT_LEN or photo_len != PHOTO_LEN or fp_len not in (0, FINGERPRINT_LEN):
        raise ProtocolError(f"unexpected block lengths text={text_len} photo={photo_len} fp={fp_len}")
    if len(data) != header + text_len + photo_len + fp_len:
        raise ProtocolError("read response length does not match its block lengths")
    text = data[header : header + text_len]
    photo = data[header + text_len : header + text_len + photo_len]
    fingerprint = data[header + text_len + photo_len :] if fp_len else None
    return ReadPayload(text, photo, fingerprint)


def encode_read_payload(text: bytes, photo: bytes, fingerprint: bytes | None, with_fingerprint: bool) -> bytes:
    """The inverse of parse_read_payload, for the simulator."""
    parts = [len(text).to_bytes(2, "big"), len(photo).to_bytes(2, "big")]
    if with_fingerprint:
        parts.append(len(fingerprint or b"").to_bytes(2, "big"))
    parts += [text, photo]
    if with_fingerprint and fingerprint:
        parts.append(fingerprint)
    return b"".join(parts)
