"""The permit's chip as an APDU processor: bytes in, bytes out, no I/O (devices.permit.sim.vpcd puts it
behind pcscd). It answers what a BAC-protected ICAO LDS1 application answers:

    SELECT by AID (04 0C) and by FID (02 0C; 02 04 returns the FCP with the file size)
    GET CHALLENGE (Le 8), EXTERNAL AUTHENTICATE (40 bytes, Le 40) against its own MRZ
    READ BINARY (offset in P1 P2, short or extended Le), UPDATE BINARY on writable files

After BAC every command must be protected; a wrong MAC or counter answers 6988 in plain and ends the
session, as does any plain command. Refusals: 6982 security status (no BAC yet), 6A82 file not found,
6B00 offset beyond the file, 6581 memory failure (scenario), 6300 authentication failed, 6D00/6E00.
Scenario hooks (removal mid-command, write failure) are set by devices.permit.sim.card.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from devices.errors import ProtocolError
from devices.permit import apdu, bac
from devices.permit.apdu import Command, Response
from devices.permit.secure_messaging import SecureChannel, SecureMessagingError

log = logging.getLogger(__name__)


class CardPulled(Exception):
    """The scenario takes the card off the reader while it answers this command."""


@dataclass
class ChipFile:
    content: bytearray
    writable: bool = False


@dataclass
class ChipHooks:
    """Scenario hooks: called with the plain command; may raise CardPulled or return a status word."""

    before_read: Callable[[Command], int | None] | None = None
    before_update: Callable[[Command], int | None] | None = None


@dataclass
class PermitChip:
    files: dict[int, ChipFile]
    bac_keys: bac.BacKeys
    hooks: ChipHooks = field(default_factory=ChipHooks)
    random: Callable[[int], bytes] = os.urandom
    app_selected: bool = False
    selected_fid: int | None = None
    rnd_ic: bytes | None = None
    channel: SecureChannel | None = None
    counters: dict[str, int] = field(default_factory=lambda: {"apdus": 0, "reads": 0, "updates": 0, "bac": 0})

    def reset(self) -> None:
        """Power cycle: the application and any session are gone."""
        self.app_selected, self.selected_fid, self.rnd_ic, self.channel = False, None, None, None

    def process(self, raw: bytes) -> bytes:
        self.counters["apdus"] += 1
        try:
            command = apdu.parse_command(raw)
        except ProtocolError:
            return apdu.SW_WRONG_LENGTH.to_bytes(2, "big")
        if self.channel is None:
            return self._dispatch(command).encode()
        try:
            plain = self.channel.unprotect_command(command)
        except SecureMessagingError as error:
            log.debug("simulated chip ends the secure session: %s", error)
            self.channel = None
            self.rnd_ic = None
            return apdu.SW_SM_INCORRECT.to_bytes(2, "big")
        response = self._dispatch(plain)
        return self.channel.protect_response(response) if self.channel is not None else response.encode()

    def _dispatch(self, command: Command) -> Response:
        if command.cla & ~0x0C & 0xFF not in (0x00,):
            return Response(b"", apdu.SW_CLA_UNKNOWN)
        handler = {
            apdu.INS_SELECT: self._select,
            apdu.INS_GET_CHALLENGE: self._get_challenge,
            apdu.INS_EXTERNAL_AUTHENTICATE: self._external_authenticate,
            apdu.INS_READ_BINARY: self._read_binary,
            apdu.INS_UPDATE_BINARY: self._update_binary,
        }.get(command.ins)
        if handler is None:
            return Response(b"", apdu.SW_INS_UNKNOWN)
        return handler(command)

    # -- selection and access ------------------------------------------------------------------
    def _select(self, command: Command) -> Response:
        if command.p1 == 0x04:
            if command.data != bac.LDS_AID:
                return Response(b"", apdu.SW_FILE_NOT_FOUND)
            self.app_selected, self.selected_fid = True, None
            return Response(b"", apdu.SW_OK)
        if command.p1 != 0x02 or len(command.data) != 2:
            return Response(b"", apdu.SW_WRONG_P1P2)
        if not self.app_selected:
            return Response(b"", apdu.SW_FILE_NOT_FOUND)
        if self.channel is None:
            return Response(b"", apdu.SW_SECURITY_STATUS)
        fid = int.from_bytes(command.data, "big")
        if fid not in self.files:
            return Response(b"", apdu.SW_FILE_NOT_FOUND)
        self.selected_fid = fid
        if command.p2 & 0x0C == 0x04:  # return the FCP: size (80) and descriptor (82: transparent EF)
            size = len(self.files[fid].content)
            fcp = bytes([0x80, 2]) + size.to_bytes(2, "big") + bytes([0x82, 1, 1, 0x83, 2]) + command.data
            return Response(bytes([0x62, len(fcp)]) + fcp, apdu.SW_OK)
        return Response(b"", apdu.SW_OK)

    def _get_challenge(self, command: Command) -> Response:
        if command.le != bac.CHALLENGE_LENGTH:
            return Response(b"", apdu.SW_WRONG_LENGTH)
        self.rnd_ic = self.random(bac.CHALLENGE_LENGTH)
        return Response(self.rnd_ic, apdu.SW_OK)

    def _external_authenticate(self, command: Command) -> Response:
        if self.rnd_ic is None or not self.app_selected:
            return Response(b"", apdu.SW_CONDITIONS)
        rnd_ic, self.rnd_ic = self.rnd_ic, None  # a challenge answers one attempt only
        try:
            answer, channel = bac.answer_external_authenticate(self.bac_keys, command.data, rnd_ic, self.random(16))
        except bac.AuthenticationFailed:
            return Response(b"", apdu.SW_AUTH_FAILED)
        self.counters["bac"] += 1
        self.channel = channel  # this answer still goes out in plain; the session starts with the next command
        return Response(answer, apdu.SW_OK)

    # -- files ---------------------------------------------------------------------------------
    def _current(self) -> ChipFile | Response:
        if self.channel is None:
            return Response(b"", apdu.SW_SECURITY_STATUS)
        if self.selected_fid is None:
            return Response(b"", apdu.SW_CONDITIONS)
        return self.files[self.selected_fid]

    def _read_binary(self, command: Command) -> Response:
        file = self._current()
        if isinstance(file, Response):
            return file
        if command.p1 & 0x80:
            return Response(b"", apdu.SW_WRONG_P1P2)  # short-FID addressing is not offered
        offset = (command.p1 << 8) | command.p2
        if offset > len(file.content):
            return Response(b"", apdu.SW_WRONG_P1P2)
        if self.hooks.before_read is not None and (sw := self.hooks.before_read(command)) is not None:
            return Response(b"", sw)
        self.counters["reads"] += 1
        chunk = bytes(file.content[offset : offset + command.le])
        return Response(chunk, apdu.SW_OK if len(chunk) == command.le else apdu.SW_END_OF_FILE)

    def _update_binary(self, command: Command) -> Response:
        file = self._current()
        if isinstance(file, Response):
            return file
        if not file.writable:
            return Response(b"", apdu.SW_SECURITY_STATUS)
        offset = ((command.p1 & 0x7F) << 8) | command.p2
        if command.p1 & 0x80 or offset + len(command.data) > len(file.content):
            return Response(b"", apdu.SW_WRONG_P1P2)
        if self.hooks.before_update is not None and (sw := self.hooks.before_update(command)) is not None:
            return Response(b"", sw)
        file.content[offset : offset + len(command.data)] = command.data
        self.counters["updates"] += 1
        return Response(b"", apdu.SW_OK)


def files_from(contents: Mapping[int, bytes], writable: set[int]) -> dict[int, ChipFile]:
    return {fid: ChipFile(bytearray(data), fid in writable) for fid, data in contents.items()}
