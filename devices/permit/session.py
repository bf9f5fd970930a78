"""The terminal's side of one chip session over any APDU pipe: select the LDS application, BAC, then
protected SELECT / READ BINARY / UPDATE BINARY. No PC/SC here: `transmit` is any callable bytes -> bytes
(the PC/SC port, or the simulated chip directly in protocol tests).

Every step checks the deadline and the cancel token between APDUs; status words become named errors.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from devices.operation import CancelToken, Deadline
from devices.permit import apdu, bac, tlv
from devices.permit.apdu import Command, Response
from devices.permit.errors import AccessDenied, ChipError, DamagedData, FileMissing, WriteFailed
from devices.permit.mrz import AccessKey
from devices.permit.secure_messaging import SecureChannel, SecureMessagingError

Transmit = Callable[[bytes], bytes]
SHORT_READ = 0xDF  # the largest short read whose protected answer still fits 256 bytes
SHORT_WRITE = 0xDF
MAX_FILE = 0x7FFF  # offsets in P1 P2 reach 32 KiB; larger files need odd-INS READ BINARY (not offered)


class ChipSession:
    """BAC, then protected file access. One instance per card insertion."""

    def __init__(
        self,
        transmit: Transmit,
        *,
        max_read: int = SHORT_READ,
        max_write: int = SHORT_WRITE,
        random: Callable[[int], bytes] = os.urandom,
    ) -> None:
        if not 1 <= max_read <= 0xFFFF - 64 or not 1 <= max_write <= 0xFFFF - 64:
            raise ValueError("max_read/max_write out of range")
        self._transmit = transmit
        self.max_read = max_read
        self.max_write = max_write
        self._random = random
        self.channel: SecureChannel | None = None

    @property
    def authenticated(self) -> bool:
        return self.channel is not None and not self.channel.closed

    def close(self) -> None:
        if self.channel is not None:
            self.channel.fail("session closed")
        self.channel = None

    # -- plain and protected exchanges -------------------------------------------------------------
    def _plain(self, command: Command) -> Response:
        return apdu.parse_response(self._transmit(command.encode()))

    def _protected(self, command: Command) -> Response:
        if self.channel is None or self.channel.closed:
            raise AccessDenied("no secure session with the chip (authenticate first)")
        raw = self._transmit(self.channel.protect(command))
        try:
            return self.channel.unprotect(raw)
        except SecureMessagingError as error:
            if error.sw == apdu.SW_SECURITY_STATUS:
                raise AccessDenied("the chip refused: security status not satisfied") from error
            raise ChipError(f"secure messaging failed: {error}", sw=error.sw) from error

    # -- access control ------------------------------------------------------------------------------
    def select_application(self) -> None:
        command = Command(0x00, apdu.INS_SELECT, 0x04, 0x0C, bac.LDS_AID)
        response = self._plain(command)
        if response.sw == apdu.SW_SM_INCORRECT:  # the chip was still in another terminal's secure session
            response = self._plain(command)  # ... which that plain command just ended
        if not response.ok:
            raise ChipError(f"the LDS application is not on this card (SW {response.sw:04X})", sw=response.sw)

    def authenticate(self, key: AccessKey) -> None:
        """Basic access control; AccessDenied when the key does not open the chip."""
        keys = bac.BacKeys.from_access_key(key)
        challenge = self._plain(Command(0x00, apdu.INS_GET_CHALLENGE, 0, 0, le=bac.CHALLENGE_LENGTH))
        if not challenge.ok or len(challenge.data) != bac.CHALLENGE_LENGTH:
            raise ChipError(f"GET CHALLENGE failed (SW {challenge.sw:04X})", sw=challenge.sw)
        rnd_ifd, k_ifd = self._random(8), self._random(16)
        data = bac.external_authenticate_data(keys, challenge.data, rnd_ifd, k_ifd)
        answer = self._plain(Command(0x00, apdu.INS_EXTERNAL_AUTHENTICATE, 0, 0, data, le=bac.AUTH_DATA_LENGTH))
        if not answer.ok:
            raise AccessDenied(f"the chip rejected the access key (SW {answer.sw:04X})")
        try:
            self.channel = bac.open_session(keys, answer.data, challenge.data, rnd_ifd, k_ifd)
        except bac.AuthenticationFailed as error:
            raise AccessDenied(f"the chip's answer does not verify: {error}") from error

    # -- files ---------------------------------------------------------------------------------------
    def select_file(self, fid: int, *, with_fcp: bool = False) -> int | None:
        """Select an EF; with_fcp returns its size from the FCP (tag 80)."""
        response = self._protected(Command(0x00, apdu.INS_SELECT, 0x02, 0x04 if with_fcp else 0x0C,
                                           fid.to_bytes(2, "big"), le=apdu.MAX_SHORT if with_fcp else 0))  # fmt: skip
        if response.sw == apdu.SW_FILE_NOT_FOUND:
            raise FileMissing(f"EF {fid:04X} is not on the chip", sw=response.sw)
        if not response.ok:
            raise ChipError(f"SELECT {fid:04X} failed (SW {response.sw:04X})", sw=response.sw)
        if not with_fcp:
            return None
        try:
            fcp = tlv.parse_one(response.data)
            size = fcp.child(0x80).value
        except tlv.TlvError as error:
            raise ChipError(f"FCP of {fid:04X} is malformed: {error}") from error
        return int.from_bytes(size, "big")

    def read_binary(self, offset: int, length: int) -> bytes:
        if offset > MAX_FILE:
            raise DamagedData(f"file longer than {MAX_FILE} bytes (offset {offset})")
        extended = length > apdu.MAX_SHORT - 33  # protected answers must fit a short response
        command = Command(0x00, apdu.INS_READ_BINARY, offset >> 8, offset & 0xFF, le=length, extended=extended)
        response = self._protected(command)
        if response.sw not in (apdu.SW_OK, apdu.SW_END_OF_FILE):
            raise ChipError(f"READ BINARY at {offset} failed (SW {response.sw:04X})", sw=response.sw)
        return response.data

    def read_file(self, fid: int, deadline: Deadline, cancel: CancelToken | None = None) -> bytearray:
        """A whole TLV-structured EF: its header tells the length, the rest is read in chunks."""
        self.select_file(fid)
        first = self.read_binary(0, min(self.max_read, 8))
        try:
            header, length = tlv.header_length(first)
        except tlv.TlvError as error:
            raise DamagedData(f"EF {fid:04X} does not start with a TLV header: {error}") from error
        total = header + length
        if total > MAX_FILE + 1:
            raise DamagedData(f"EF {fid:04X} announces {total} bytes, more than a chip file holds")
        return self._read_range(bytearray(first[:total]), total, deadline, cancel)

    def read_sized_file(self, fid: int, deadline: Deadline, cancel: CancelToken | None = None) -> bytearray:
        """A fixed-size EF (the endorsement file): the size comes from the FCP."""
        size = self.select_file(fid, with_fcp=True) or 0
        if size > MAX_FILE + 1:
            raise DamagedData(f"EF {fid:04X} is {size} bytes, more than can be addressed")
        return self._read_range(bytearray(), size, deadline, cancel)

    def _read_range(self, data: bytearray, total: int, deadline: Deadline, cancel: CancelToken | None) -> bytearray:
        while len(data) < total:
            _check(deadline, cancel, "reading the chip")
            chunk = self.read_binary(len(data), min(self.max_read, total - len(data)))
            if not chunk:
                raise DamagedData(f"the file ended after {len(data)} of {total} bytes")
            data += chunk
        return data

    def read_range(self, offset: int, length: int, deadline: Deadline, cancel: CancelToken | None = None) -> bytes:
        """`length` bytes from `offset` of the selected file."""
        data = bytearray()
        while len(data) < length:
            _check(deadline, cancel, "reading the chip")
            chunk = self.read_binary(offset + len(data), min(self.max_read, length - len(data)))
            if not chunk:
                break
            data += chunk
        return bytes(data)

    def update_binary(self, fid: int, offset: int, data: bytes, deadline: Deadline, cancel: CancelToken | None) -> None:
        self.select_file(fid)
        for start in range(0, len(data), self.max_write):
            _check(deadline, cancel, "writing the chip")
            position = offset + start
            chunk = data[start : start + self.max_write]
            response = self._protected(Command(0x00, apdu.INS_UPDATE_BINARY, position >> 8, position & 0xFF, chunk))
            if not response.ok:
                raise WriteFailed(f"UPDATE BINARY at {position} failed (SW {response.sw:04X})")


def _check(deadline: Deadline, cancel: CancelToken | None, what: str) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()
    deadline.check(what)

