"""Secure messaging with 3DES session keys (ICAO Doc 9303 Part 11 section 9.8), both ends of the channel.

Terminal: `protect(command)` -> the protected APDU; `unprotect(raw response)` -> the plain response.
Chip (the simulator): `unprotect_command(raw)` -> the plain command; `protect_response(response)` -> bytes.

    command   CLA|0C INS P1 P2 Lc [87 L 01 <3DES(pad(data))>] [97 L Le] 8E 08 <MAC> 00
    response  [87 L 01 <3DES(pad(data))>] 99 02 SW1 SW2 8E 08 <MAC> SW1 SW2

The send sequence counter (8 bytes) is incremented before each command and each response MAC; the MAC
covers SSC || padded header || the data objects. Any error (wrong MAC, missing object, bad padding) is a
SecureMessagingError and the channel is closed for good: a new BAC is required.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from devices.errors import ProtocolError
from devices.permit import apdu, crypto, tlv

SM_CLA = 0x0C
TAG_DATA = 0x87
TAG_LE = 0x97
TAG_STATUS = 0x99
TAG_MAC = 0x8E
PADDING_INDICATOR = 0x01


class SecureMessagingError(ProtocolError):
    """A secure-messaging check failed (MAC, counter, data objects); the session is over."""

    code = "sm_failed"

    def __init__(self, message: str = "", *, sw: int | None = None) -> None:
        super().__init__(message)
        self.sw = sw  # the plain status word when the chip dropped secure messaging


def _le_object(le: int, extended: bool) -> bytes:
    if not le:
        return b""
    size = 2 if extended or le > apdu.MAX_SHORT else 1
    modulus = apdu.MAX_EXTENDED if size == 2 else apdu.MAX_SHORT
    return tlv.encode(TAG_LE, (le % modulus).to_bytes(size, "big"))


def _le_from_object(value: bytes) -> int:
    if len(value) == 1:
        return value[0] or apdu.MAX_SHORT
    if len(value) == 2:
        return int.from_bytes(value, "big") or apdu.MAX_EXTENDED
    raise SecureMessagingError("DO97 must hold 1 or 2 bytes")


@dataclass
class SecureChannel:
    """Session keys and the send sequence counter of one BAC session."""

    ks_enc: bytes
    ks_mac: bytes
    ssc: int
    closed: bool = field(default=False)

    def __repr__(self) -> str:
        return f"SecureChannel(closed={self.closed})"

    # -- shared ----------------------------------------------------------------------------------
    def _next_ssc(self) -> bytes:
        if self.closed:
            raise SecureMessagingError("the secure channel is closed; authenticate again")
        self.ssc = (self.ssc + 1) % (1 << 64)
        return self.ssc.to_bytes(8, "big")

    def _mac(self, ssc: bytes, message: bytes) -> bytes:
        return crypto.retail_mac(self.ks_mac, crypto.pad(ssc + message))

    def _encrypt(self, data: bytes) -> bytes:
        return tlv.encode(TAG_DATA, bytes([PADDING_INDICATOR]) + crypto.tdes_encrypt(self.ks_enc, crypto.pad(data)))

    def _decrypt(self, value: bytes) -> bytes:
        if not value or value[0] != PADDING_INDICATOR:
            raise SecureMessagingError("DO87 without the 01 padding indicator")
        try:
            return crypto.unpad(crypto.tdes_decrypt(self.ks_enc, value[1:]))
        except ProtocolError as error:
            raise SecureMessagingError(f"DO87 does not decrypt: {error}") from error

    def fail(self, reason: str, sw: int | None = None) -> SecureMessagingError:
        self.closed = True
        self.ks_enc = self.ks_mac = bytes(16)
        return SecureMessagingError(reason, sw=sw)

    # -- terminal side ---------------------------------------------------------------------------
    def protect(self, command: apdu.Command) -> bytes:
        header = bytes((command.cla | SM_CLA, command.ins, command.p1, command.p2))
        objects = (self._encrypt(command.data) if command.data else b"") + _le_object(command.le, command.extended)
        ssc = self._next_ssc()
        mac = self._mac(ssc, crypto.pad(header) + objects)
        body = objects + tlv.encode(TAG_MAC, mac)
        extended = command.extended or len(body) > 255
        return apdu.Command(*header, data=body, le=apdu.MAX_EXTENDED if extended else apdu.MAX_SHORT,
                            extended=extended).encode()  # fmt: skip

    def unprotect(self, raw: bytes) -> apdu.Response:
        response = apdu.parse_response(raw)
        if not response.data:  # the chip answered in plain: it has dropped secure messaging
            raise self.fail(f"plain status {response.sw:04X} instead of a protected response", response.sw)
        try:
            items = tlv.parse_all(response.data)
        except tlv.TlvError as error:
            raise self.fail(f"protected response is not TLV: {error}") from error
        by_tag = {item.tag: item for item in items}
        if TAG_MAC not in by_tag or TAG_STATUS not in by_tag or items[-1].tag != TAG_MAC:
            raise self.fail("protected response without DO99 and DO8E")
        covered = response.data[: by_tag[TAG_MAC].start]
        ssc = self._next_ssc()
        if self._mac(ssc, covered) != by_tag[TAG_MAC].value:
            raise self.fail("response MAC does not match (wrong key or out-of-step counter)")
        status = by_tag[TAG_STATUS].value
        if len(status) != 2:
            raise self.fail("DO99 must hold two status bytes")
        data = self._decrypt(by_tag[TAG_DATA].value) if TAG_DATA in by_tag else b""
        return apdu.Response(data, int.from_bytes(status, "big"))

    # -- chip side -------------------------------------------------------------------------------
    def unprotect_command(self, command: apdu.Command) -> apdu.Command:
        if command.cla & SM_CLA != SM_CLA:
            raise self.fail("plain command inside a secure session")
        try:
            items = tlv.parse_all(command.data)
        except tlv.TlvError as error:
            raise self.fail(f"protected command is not TLV: {error}") from error
        if not items or items[-1].tag != TAG_MAC:
            raise self.fail("protected command without DO8E")
        header = bytes((command.cla, command.ins, command.p1, command.p2))
        covered = crypto.pad(header) + command.data[: items[-1].start]
        ssc = self._next_ssc()
        if self._mac(ssc, covered) != items[-1].value:
            raise self.fail("command MAC does not match")
        data, le = b"", 0
        for item in items[:-1]:
            if item.tag == TAG_DATA:
                data = self._decrypt(item.value)
            elif item.tag == TAG_LE:
                le = _le_from_object(item.value)
            else:
                raise self.fail(f"unexpected data object {item.tag:X}")
        return apdu.Command(command.cla & ~SM_CLA & 0xFF, command.ins, command.p1, command.p2, data, le,
                            command.extended)  # fmt: skip

    def protect_response(self, response: apdu.Response) -> bytes:
        objects = (self._encrypt(response.data) if response.data else b"")
        objects += tlv.encode(TAG_STATUS, response.sw.to_bytes(2, "big"))
        ssc = self._next_ssc()
        mac = self._mac(ssc, objects)
        return objects + tlv.encode(TAG_MAC, mac) + response.sw.to_bytes(2, "big")
