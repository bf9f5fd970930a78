"""The ID card reader's domain API: find -> select -> read, with retries within a deadline.

A damaged frame is never turned into a document: the checksum, the announced block lengths and the
card's own consistency (dates, ID check digit) must all hold, otherwise the command is repeated.
"""

from __future__ import annotations

import logging
from typing import Any

from devices.device import SerialDevice
from devices.errors import DeviceTimeout, ProtocolError
from devices.idcard import codes
from devices.idcard.document import IdentityDocument, parse_identity
from devices.idcard.errors import CardRemoved, IdCardError, NoCard, SamFault
from devices.idcard.photo import PhotoDecoder, decoder_from_options
from devices.idcard.protocol import Command, Frame, FrameParser, encode_request, parse_read_payload
from devices.operation import CancelToken, Deadline
from devices.status import DeviceState
from devices.transport import Transport

log = logging.getLogger(__name__)


class IdCardReader(SerialDevice):
    kind = "idcard"

    def __init__(
        self,
        name: str,
        transport: Transport,
        *,
        command_timeout: float = 1.0,
        read_timeout: float = 3.0,
        poll_interval: float = 0.2,
        photo_decoder: PhotoDecoder | None = None,
        **options: Any,
    ) -> None:
        super().__init__(name, transport)
        self.command_timeout = command_timeout
        self.read_timeout = read_timeout
        self.poll_interval = poll_interval
        self.photo_decoder = photo_decoder or decoder_from_options(options)
        self._parser = FrameParser()
        self.counters.update({"cards_read": 0, "retries": 0, "damaged_frames": 0})

    def capabilities(self) -> dict[str, Any]:
        return {"card_types": ["resident", "permit_j", "foreign_i", "foreign_y"], "fingerprint": True}

    # -- one command --------------------------------------------------------------------------------
    def _transact(self, command: Command, timeout: float, cancel: CancelToken | None) -> Frame:
        """Send one command and return its response frame; damaged replies are retried in the time given."""
        deadline = Deadline(timeout)
        request = encode_request(command)
        while True:
            self.transport.discard_input()
            self._parser.reset()
            self.transport.write(request)
            frame = self._await_frame(deadline, cancel)
            if frame is not None:
                return frame
            self.counters["retries"] += 1
            if deadline.expired:
                raise DeviceTimeout(f"no valid answer to {command.name} within {timeout:g} s")

    def _await_frame(self, deadline: Deadline, cancel: CancelToken | None) -> Frame | None:
        """The next valid frame, or None after a damaged one (the caller resends)."""
        while True:
            chunk = self.transport.read_some(4096, deadline, cancel)
            if not chunk:
                raise DeviceTimeout("the card reader did not answer")
            for item in self._parser.feed(chunk):
                if isinstance(item, Frame):
                    return item
                self.counters["damaged_frames"] += 1
                log.debug("damaged frame from %s: %s", self.name, item)
                return None

    def _command(self, command: Command, timeout: float, cancel: CancelToken | None, ok: int = codes.SW3_OK) -> Frame:
        frame = self._transact(command, timeout, cancel)
        if frame.sw3 != ok:
            if frame.sw3 in codes.HARDWARE_SW3:
                self._set_state(DeviceState.HARDWARE_ERROR, error=codes.SW3_CODES[frame.sw3][0])
                raise SamFault(codes.SW3_CODES[frame.sw3][1])
            raise IdCardError(frame.sw3)
        return frame

    # -- SAM management -------------------------------------------------------------------------------
    def probe(self) -> None:
        """SAM status decides whether the reader is usable."""
        frame = self._transact(Command.SAM_STATUS, self.command_timeout, None)
        if frame.sw3 == codes.SW3_OK:
            self._set_state(DeviceState.ONLINE, error=None)
        else:
            self._set_state(DeviceState.HARDWARE_ERROR, error=codes.SW3_CODES.get(frame.sw3, ("unknown",))[0])

    def sam_status(self, cancel: CancelToken | None = None) -> int:
        with self.operation(self.command_timeout, cancel):
            return self._transact(Command.SAM_STATUS, self.command_timeout, cancel).sw3

    def reset_sam(self, cancel: CancelToken | None = None) -> None:
        with self.operation(self.command_timeout, cancel):
            self._command(Command.RESET_SAM, self.command_timeout, cancel)

    def sam_id(self, cancel: CancelToken | None = None) -> str:
        """The SAM's serial, formatted as vendors print it (05.01-YYYYMMDD-...)."""
        with self.operation(self.command_timeout, cancel):
            data = self._command(Command.READ_SAM_ID, self.command_timeout, cancel).data
        if len(data) != 16:
            raise ProtocolError(f"SAM id must be 16 bytes, got {len(data)}")
        parts = (
            int.from_bytes(data[0:2], "little"),
            int.from_bytes(data[2:4], "little"),
            int.from_bytes(data[4:8], "little"),
            int.from_bytes(data[8:12], "little"),
            int.from_bytes(data[12:16], "little"),
        )
        return f"{parts[0]:02d}.{parts[1]:02d}-{parts[2]:08d}-{parts[3]:010d}-{parts[4]:010d}"

    # -- reading a card -------------------------------------------------------------------------------
    def read_card(
        self, timeout: float = 10.0, cancel: CancelToken | None = None, *, with_fingerprint: bool = False
    ) -> IdentityDocument:
        """Wait up to `timeout` for a card, then read it. After a read the card must be lifted and placed
        again before the next read succeeds (the module enforces it; we just keep polling)."""
        with self.operation(timeout, cancel) as deadline:
            seen_card = False
            while True:
                if self._find_and_select(cancel):
                    seen_card = True
                    document = self._read(with_fingerprint, deadline, cancel)
                    if document is not None:
                        self.counters["cards_read"] += 1
                        return document
                    continue
                if seen_card:
                    raise CardRemoved("the card was lifted during the read; please place it again")
                if deadline.remaining() <= self.poll_interval:
                    raise NoCard(f"no card placed within {timeout:g} s")
                (cancel or CancelToken()).wait(self.poll_interval)

    def _find_and_select(self, cancel: CancelToken | None) -> bool:
        found = self._transact(Command.FIND_CARD, self.command_timeout, cancel)
        if found.sw3 != codes.SW3_CARD_FOUND:
            if found.sw3 in codes.HARDWARE_SW3:
                raise SamFault(codes.SW3_CODES[found.sw3][1])
            return False
        selected = self._transact(Command.SELECT_CARD, self.command_timeout, cancel)
        return selected.sw3 == codes.SW3_OK

    def _read(self, with_fingerprint: bool, deadline: Deadline, cancel: CancelToken | None) -> IdentityDocument | None:
        """Read the selected card. Inconsistent data is read again (the card stays selected); a transient
        failure status returns None so the caller starts over from find."""
        command = Command.READ_WITH_FINGERPRINT if with_fingerprint else Command.READ_TEXT_PHOTO
        while True:
            frame = self._transact(command, min(self.read_timeout, max(deadline.remaining(), 0.1)), cancel)
            if frame.sw3 != codes.SW3_OK:
                if frame.sw3 in codes.TRANSIENT_SW3 and not deadline.expired:
                    self.counters["retries"] += 1
                    return None
                raise IdCardError(frame.sw3)
            try:
                payload = parse_read_payload(frame.data, with_fingerprint)
                return parse_identity(payload.text, payload.photo, payload.fingerprint)
            except ProtocolError as error:
                self.counters["damaged_frames"] += 1
                log.debug("discarded an inconsistent card read: %s", error.code)
                if deadline.expired:
                    raise

    def decode_photo(self, document: IdentityDocument) -> bytes:
        return self.photo_decoder.decode(bytes(document.photo_wlt))
