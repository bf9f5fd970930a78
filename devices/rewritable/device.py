"""The rewritable card printer: erase the old endorsement block on the permit's back, print the new one.

    printer.print_endorsement_block(EndorsementBlock(...), timeout=30)

Sequence: status (card in the slot, cover closed, head cool) -> clear the raster buffer -> send the block
in rows (1024-byte blocks) -> erase the block area -> print at the block position. Every block is
acknowledged (NAK: resent, up to 3 times); failures are named errors: NoCardInPrinter, CardJam,
EraseIncomplete (nothing printed over a half-erased block), HeadTooHot, CoverOpen, PrinterFault. The
status detail says card present/absent, cover, head temperature.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from devices.cardprinter.protocol import Bitmap
from devices.device import SerialDevice
from devices.docprinter.errors import PrinterOffline
from devices.errors import DeviceError, DeviceTimeout, ProtocolError
from devices.operation import CancelToken, Deadline
from devices.rewritable import errors, protocol
from devices.rewritable.layout import BLOCK_X, BLOCK_Y, EndorsementBlock, render_block
from devices.rewritable.protocol import ACK, DLE, NAK, Block, BlockParser, CommandSet, Status
from devices.status import DeviceState
from devices.transport import Reconnector, Transport

log = logging.getLogger(__name__)

_STATUS_ERRORS: dict[str, type[DeviceError]] = {
    Status.NO_CARD: errors.NoCardInPrinter,
    Status.CARD_JAM: errors.CardJam,
    Status.ERASE_INCOMPLETE: errors.EraseIncomplete,
    Status.HEAD_HOT: errors.HeadTooHot,
    Status.COVER_OPEN: errors.CoverOpen,
}
_USER_FIXABLE = {Status.NO_CARD, Status.CARD_JAM, Status.COVER_OPEN, Status.HEAD_HOT, Status.ERASE_INCOMPLETE}
RESENDS = 3


class RewritablePrinter(SerialDevice):
    kind = "rewritable_printer"

    def __init__(self, name: str, transport: Transport, *, commands: Mapping[str, str] | None = None,
                 command_timeout: float = 1.0, pass_timeout: float = 15.0,
                 reconnector: Reconnector | None = None) -> None:  # fmt: skip
        super().__init__(name, transport, reconnector=reconnector)
        self.commands = CommandSet(commands)
        self.command_timeout = command_timeout
        self.pass_timeout = pass_timeout  # one erase or print pass of the mechanism
        self._parser = BlockParser()
        self.counters.update(blocks_printed=0, resends=0)

    def capabilities(self) -> dict[str, Any]:
        return {"unit": "endorsement block", "dpi": 300, "block": [BLOCK_X, BLOCK_Y]}

    # -- one exchange ----------------------------------------------------------------------------
    def _exchange(self, name: str, data: bytes, wait: float, deadline: Deadline,
                  cancel: CancelToken | None = None) -> Block:  # fmt: skip
        frame = self.commands.block(name, data)
        for _attempt in range(RESENDS + 1):
            self.transport.discard_input()
            self._parser.reset()
            self.transport.write(frame)
            reply = self._await(Deadline(min(wait, max(deadline.remaining(), 0.01))), cancel)
            if reply != NAK:
                return reply
            self.counters["resends"] += 1
        raise errors.PrinterFault(f"{self.name}: block {name} refused {RESENDS + 1} times (NAK)")

    def _await(self, wait: Deadline, cancel: CancelToken | None) -> Block | int:
        acknowledged = False
        while True:
            chunk = self.transport.read_some(2048, wait, cancel)
            if not chunk:
                raise DeviceTimeout(f"{self.name}: no {'response' if acknowledged else 'ACK'} within {wait.seconds:.1f} s")
            for item in self._parser.feed(chunk):
                if isinstance(item, ProtocolError):
                    raise item
                if item == NAK:
                    return NAK
                if item == DLE:
                    raise errors.PrinterFault(f"{self.name}: the printer rejected the command (DLE)")
                if item == ACK:
                    acknowledged = True
                elif isinstance(item, Block):
                    self.transport.write(bytes([ACK]))
                    return item

    def _command(self, name: str, data: bytes, deadline: Deadline, cancel: CancelToken | None = None,
                 wait: float | None = None) -> Block:  # fmt: skip
        try:
            reply = self._exchange(name, data, wait or self.command_timeout, deadline, cancel)
        except DeviceTimeout as error:
            raise PrinterOffline(f"{self.name} does not answer ({name})") from error
        if reply.status != Status.OK:
            self._fail(reply.status, name)
        return reply

    def _fail(self, status: str, context: str) -> None:
        error_class = _STATUS_ERRORS.get(status, errors.PrinterFault)
        state = DeviceState.USER_ERROR if status in _USER_FIXABLE else DeviceState.HARDWARE_ERROR
        if status in (Status.CARD_JAM, Status.COVER_OPEN, Status.HEAD_HOT):
            self._set_state(state, error=error_class.code)
        raise error_class(f"{self.name} {context}: status {status}")

    # -- status ----------------------------------------------------------------------------------
    def _read_status(self, deadline: Deadline, cancel: CancelToken | None = None) -> dict[str, int]:
        try:
            reply = self._exchange("status", b"", self.command_timeout, deadline, cancel)
        except DeviceTimeout as error:
            raise PrinterOffline(f"{self.name} does not answer (status)") from error
        sensors = protocol.parse_sensors(reply.payload)
        detail = {"card": "present" if sensors["card"] else "absent", "cover": "open" if sensors["cover"] else "closed",
                  "head_temperature": sensors["temperature"], "status": reply.status}  # fmt: skip
        if reply.status in (Status.OK, Status.NO_CARD):
            self._set_state(DeviceState.ONLINE, error=None, **detail)
        else:
            fixable = reply.status in _USER_FIXABLE
            self._set_state(DeviceState.USER_ERROR if fixable else DeviceState.HARDWARE_ERROR,
                            error=_STATUS_ERRORS.get(reply.status, errors.PrinterFault).code, **detail)  # fmt: skip
        return {**sensors, "status": int(reply.status) if reply.status.isdigit() else 90}

    def probe(self) -> None:
        try:
            self._read_status(Deadline(self.command_timeout * 2))
        except PrinterOffline as error:
            self._set_state(DeviceState.OFFLINE, error=error.code)

    def refresh_status(self) -> Any:
        try:
            with self.operation(self.command_timeout * 3) as deadline:
                self._read_status(deadline)
        except DeviceError:
            pass
        return self.status

    # -- printing --------------------------------------------------------------------------------
    def print_endorsement_block(self, block: EndorsementBlock, timeout: float = 30.0,
                                cancel: CancelToken | None = None, *, eject: bool = False) -> None:  # fmt: skip
        bitmap = render_block(block)
        with self.operation(timeout, cancel) as deadline:
            sensors = self._read_status(deadline, cancel)
            if sensors["status"] != 0:
                self._fail(f"{sensors['status']:02d}", "not ready")
            self._command("clear_buffer", b"", deadline, cancel)
            self._send_raster(bitmap, deadline, cancel)
            if cancel is not None:
                cancel.raise_if_cancelled()  # the last point to stop: the card is untouched until the erase
            area = f"{BLOCK_X},{BLOCK_Y},{bitmap.width},{bitmap.height}".encode("ascii")
            self._command("erase", area, deadline, wait=min(self.pass_timeout, deadline.remaining()))
            where = f"{BLOCK_X},{BLOCK_Y},{'eject' if eject else 'hold'}".encode("ascii")
            self._command("print", where, deadline, wait=min(self.pass_timeout, deadline.remaining()))
            self.counters["blocks_printed"] += 1
            self._read_status(deadline)
        log.info("%s: endorsement block printed", self.name)

    def _send_raster(self, bitmap: Bitmap, deadline: Deadline, cancel: CancelToken | None) -> None:
        rows_per_block = max(1, (protocol.MAX_DATA - 4) // bitmap.row_bytes)
        for first in range(0, bitmap.height, rows_per_block):
            rows = bitmap.data[first * bitmap.row_bytes : (first + rows_per_block) * bitmap.row_bytes]
            header = first.to_bytes(2, "big") + bitmap.row_bytes.to_bytes(2, "big")
            self._command("raster", header + rows, deadline, cancel)

    def eject(self, timeout: float = 5.0) -> None:
        with self.operation(timeout) as deadline:
            self._command("eject", b"", deadline)
            self._read_status(deadline)
