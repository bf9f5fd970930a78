"""ISO/IEC 7816-4 command and response APDUs, short and extended length, as pure functions."""

from __future__ import annotations

from dataclasses import dataclass

from devices.errors import ProtocolError

MAX_SHORT = 256
MAX_EXTENDED = 65536

# Status words a permit chip answers (ISO/IEC 7816-4 section 5.6).
SW_OK = 0x9000
SW_END_OF_FILE = 0x6282  # fewer bytes than asked: the end of the file was reached
SW_MEMORY_FAILURE = 0x6581
SW_WRONG_LENGTH = 0x6700
SW_SECURITY_STATUS = 0x6982
SW_AUTH_FAILED = 0x6300  # EXTERNAL AUTHENTICATE: authentication failed
SW_CONDITIONS = 0x6985
SW_SM_MISSING = 0x6987
SW_SM_INCORRECT = 0x6988
SW_WRONG_DATA = 0x6A80
SW_FILE_NOT_FOUND = 0x6A82
SW_WRONG_P1P2 = 0x6B00  # also: offset beyond the end of the file
SW_INS_UNKNOWN = 0x6D00
SW_CLA_UNKNOWN = 0x6E00
SW_NOT_ENOUGH_MEMORY = 0x6A84

INS_SELECT = 0xA4
INS_READ_BINARY = 0xB0
INS_UPDATE_BINARY = 0xD6
INS_GET_CHALLENGE = 0x84
INS_EXTERNAL_AUTHENTICATE = 0x82


class ApduError(ProtocolError):
    """Bytes that do not form a valid APDU."""

    code = "apdu_invalid"


@dataclass(frozen=True)
class Command:
    """A command APDU. `le` is the expected length (0 = none expected; 256/65536 = as much as possible)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int = 0
    extended: bool = False

    def __repr__(self) -> str:  # data may be personal or key material: show its length only
        return f"Command({self.cla:02X} {self.ins:02X} {self.p1:02X} {self.p2:02X}, Lc={len(self.data)}, Le={self.le})"

    def header(self) -> bytes:
        return bytes((self.cla, self.ins, self.p1, self.p2))

    def encode(self) -> bytes:
        extended = self.extended or len(self.data) > 255 or self.le > MAX_SHORT
        if len(self.data) >= MAX_EXTENDED or self.le > MAX_EXTENDED:
            raise ValueError("APDU data or Le too long")
        out = bytearray(self.header())
        if extended:
            if self.data:
                out += b"\x00" + len(self.data).to_bytes(2, "big") + self.data
            if self.le:
                out += (b"" if self.data else b"\x00") + (self.le % MAX_EXTENDED).to_bytes(2, "big")
        else:
            if self.data:
                out += bytes([len(self.data)]) + self.data
            if self.le:
                out.append(self.le % MAX_SHORT)
        return bytes(out)


def parse_command(raw: bytes) -> Command:
    """The four ISO 7816-3 cases, short and extended. Raises ApduError on any inconsistency."""
    if len(raw) < 4:
        raise ApduError("a command APDU has at least 4 bytes")
    cla, ins, p1, p2 = raw[:4]
    body = raw[4:]
    if not body:
        return Command(cla, ins, p1, p2)
    if len(body) == 1:
        return Command(cla, ins, p1, p2, le=body[0] or MAX_SHORT)
    if body[0] != 0:  # short Lc
        lc = body[0]
        if len(body) == 1 + lc:
            return Command(cla, ins, p1, p2, body[1:])
        if len(body) == 2 + lc:
            return Command(cla, ins, p1, p2, body[1 : 1 + lc], le=body[-1] or MAX_SHORT)
        raise ApduError("short APDU length does not match Lc")
    return _parse_extended(cla, ins, p1, p2, body)


def _parse_extended(cla: int, ins: int, p1: int, p2: int, body: bytes) -> Command:
    if len(body) == 3:  # 00 Le1 Le2
        le = int.from_bytes(body[1:3], "big") or MAX_EXTENDED
        return Command(cla, ins, p1, p2, le=le, extended=True)
    if len(body) < 4:
        raise ApduError("extended APDU too short")
    lc = int.from_bytes(body[1:3], "big")
    if lc == 0:
        raise ApduError("extended Lc of zero")
    if len(body) == 3 + lc:
        return Command(cla, ins, p1, p2, body[3:], extended=True)
    if len(body) == 5 + lc:
        le = int.from_bytes(body[-2:], "big") or MAX_EXTENDED
        return Command(cla, ins, p1, p2, body[3 : 3 + lc], le=le, extended=True)
    raise ApduError("extended APDU length does not match Lc")


@dataclass(frozen=True)
class Response:
    data: bytes
    sw: int

    def __repr__(self) -> str:
        return f"Response({len(self.data)} bytes, SW={self.sw:04X})"

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    def encode(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")


def parse_response(raw: bytes) -> Response:
    if len(raw) < 2:
        raise ApduError("a response APDU has at least the two status bytes")
    return Response(bytes(raw[:-2]), int.from_bytes(raw[-2:], "big"))
