"""The card printer for the temporary ID card: the document-printer interface over the card protocol.

print_pdf renders the card PDF (page 1 front, page 2 back; further pages are further cards) to 1016 x 648
monochrome panels at the printer's dpi, in memory (devices.cardprinter.render), and prints them card by card:
start sequence, download front and back, print and eject.
A card that jams or any error mid-job is reported as a named error carrying how many cards did come out
(`partial_result(error)`), never lost silently. Cancellation is honoured between cards only: a card that is
in the printer is finished or fails, it cannot be taken back.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from devices.cardprinter import protocol
from devices.cardprinter.protocol import Bitmap, CommandSet, Flag, Level, ReplyParser, StatusReply
from devices.cardprinter.render import (
    CARD_DPI,
    CARD_HEIGHT_PX,
    CARD_WIDTH_PX,
    pair_sides,
    remove_stale_scratch,
    render_pdf_panels,
)
from devices.cardprinter.stock import CardStock
from devices.device import SerialDevice
from devices.docprinter import errors
from devices.docprinter.base import (
    JobState,
    PrintResult,
    attach_partial,
    check_copies,
    check_job_name,
)
from devices.errors import DeviceCancelled, DeviceError, DeviceTimeout, ProtocolError
from devices.operation import CancelToken, Deadline
from devices.status import DeviceState, DeviceStatus
from devices.transport import Reconnector, Transport

log = logging.getLogger(__name__)

Card = tuple[Bitmap, Bitmap | None]
_FLAG_ERRORS: dict[str, type[DeviceError]] = {
    Flag.CARD_JAM: errors.CardJam,
    Flag.COVER_OPEN: errors.CoverOpen,
    Flag.HOPPER_EMPTY: errors.MediaEmpty,
    Flag.RIBBON_OUT: errors.RibbonOut,
}


def status_from_reply(reply: StatusReply) -> DeviceStatus:
    """A status line mapped onto the status model with the card printer's detail."""
    flags = reply.flags
    detail = {
        "hopper": "empty" if Flag.HOPPER_EMPTY in flags else "ok",
        "ribbon": "out" if Flag.RIBBON_OUT in flags else "low" if Flag.RIBBON_LOW in flags else "ok",
        "cover": "open" if Flag.COVER_OPEN in flags else "closed",
        "jam": Flag.CARD_JAM in flags,
        "flags": ",".join(sorted(flags)),
    }
    if reply.level is Level.ERR:
        person_fixable = any(flag in _FLAG_ERRORS for flag in flags)
        return DeviceStatus(DeviceState.USER_ERROR if person_fixable else DeviceState.HARDWARE_ERROR, detail)
    return DeviceStatus(DeviceState.ONLINE, {**detail, "printer_busy": reply.level is Level.BUSY})


def error_from_flags(flags: frozenset[str] | set[str], context: str) -> DeviceError:
    for flag, error_class in _FLAG_ERRORS.items():  # ordered: a jam explains the rest
        if flag in flags:
            return error_class(f"{context}: {flag}")
    return errors.PrinterFault(f"{context}: {','.join(sorted(flags)) or 'unspecified error'}")


class CardPrinter(SerialDevice):
    kind = "card_printer"

    def __init__(
        self,
        name: str,
        transport: Transport,
        *,
        commands: Mapping[str, str] | None = None,
        dpi: int = CARD_DPI,
        width_px: int = CARD_WIDTH_PX,
        height_px: int = CARD_HEIGHT_PX,
        command_timeout: float = 2.0,
        card_timeout: float = 60.0,
        render_timeout: float = 20.0,
        reconnector: Reconnector | None = None,
        stock: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(name, transport, reconnector=reconnector)
        self.commands = CommandSet(commands)
        self.stock = CardStock.from_option(stock)  # pre-printed areas the panels must leave blank
        self.dpi, self.width_px, self.height_px = dpi, width_px, height_px
        self.command_timeout = command_timeout
        self.card_timeout = card_timeout
        self.render_timeout = render_timeout
        self._parser = ReplyParser()
        self.counters.update(jobs=0, jobs_failed=0, cards_printed=0)

    def capabilities(self) -> dict[str, Any]:
        """What a card document for this printer must fit (printing.temp_id lays the card out from it)."""
        return {"format": "application/pdf", "unit": "card", "dpi": self.dpi, "panel": [self.width_px, self.height_px],
                "stock": self.stock.to_option()}  # fmt: skip

    def open(self) -> None:
        remove_stale_scratch()  # card data a crashed older version may have left in /dev/shm
        super().open()

    # -- one exchange ----------------------------------------------------------------------------
    def _exchange(self, frame: bytes, deadline: Deadline, wait: float, cancel: CancelToken | None = None) -> str:
        """Send one frame and return the first reply line; silence is DeviceTimeout (or JobTimeout)."""
        self.transport.discard_input()
        self._parser.reset()
        self.transport.write(frame)
        reply_deadline = Deadline(min(wait, deadline.remaining()))
        while True:
            chunk = self.transport.read_some(256, reply_deadline, cancel)
            if not chunk:
                if deadline.expired:
                    raise errors.JobTimeout(f"{self.name}: job not finished after {deadline.seconds:g} s")
                raise DeviceTimeout(f"{self.name}: no reply within {reply_deadline.seconds:.1f} s")
            for item in self._parser.feed(chunk):
                if isinstance(item, ProtocolError):
                    raise item
                return item

    def _command(self, name: str, deadline: Deadline, cancel: CancelToken | None = None) -> str:
        try:
            return self._exchange(self.commands.frame(name), deadline, self.command_timeout, cancel)
        except errors.JobTimeout:
            raise
        except DeviceTimeout as error:
            raise errors.PrinterOffline(f"{self.name} does not answer ({name})") from error

    def _expect_ok(self, reply: str, context: str) -> None:
        if reply == "OK":
            return
        level, _, flag_text = reply.partition(";")
        if level != Level.ERR:
            raise ProtocolError(f"{self.name}: unexpected reply to {context}: {reply[:24]!r}")
        flags = frozenset(flag for flag in flag_text.split(",") if flag)
        if flags & set(_FLAG_ERRORS):
            self._publish(status_from_reply(StatusReply(Level.ERR, flags)))
        raise error_from_flags(flags, f"{self.name} {context}")

    # -- status ----------------------------------------------------------------------------------
    def _publish(self, status: DeviceStatus) -> None:
        self._set_state(status.state, **status.detail)

    def _read_status(self, deadline: Deadline, cancel: CancelToken | None = None) -> StatusReply:
        reply = protocol.parse_status(self._command("status", deadline, cancel))
        detail: dict[str, Any] = {}
        try:
            detail["ribbon_remaining"] = protocol.parse_count(self._command("ribbon_remaining", deadline, cancel))
        except ProtocolError:
            pass  # a printer without the ribbon counter still prints
        status = status_from_reply(reply)
        self._publish(DeviceStatus(status.state, {**status.detail, **detail}))
        return reply

    def probe(self) -> None:
        try:
            self._read_status(Deadline(self.command_timeout * 2))
        except errors.PrinterOffline as error:
            self._set_state(DeviceState.OFFLINE, error=error.code)

    def refresh_status(self) -> DeviceStatus:
        """Ask the printer; failures show in the status, never raise."""
        try:
            with self.operation(self.command_timeout * 3) as deadline:
                self._read_status(deadline)
        except DeviceError:
            pass
        return self.status

    # -- printing --------------------------------------------------------------------------------
    def print_pdf(
        self,
        pdf_bytes: bytes,
        *,
        job_name: str,
        copies: int = 1,
        timeout: float,
        cancel: CancelToken | None = None,
    ) -> PrintResult:
        check_job_name(job_name)
        check_copies(copies)
        deadline = Deadline(timeout)
        panels = render_pdf_panels(
            pdf_bytes,
            width_px=self.width_px,
            height_px=self.height_px,
            dpi=self.dpi,
            timeout=min(self.render_timeout, timeout),
            stock=self.stock,
        )
        return self.print_cards(
            pair_sides(panels) * copies, job_name=job_name, timeout=deadline.remaining(), cancel=cancel
        )

    def print_cards(
        self, cards: list[Card], *, job_name: str, timeout: float, cancel: CancelToken | None = None
    ) -> PrintResult:
        """Print already-rendered cards (front, back or None) in order."""
        check_job_name(job_name)
        self.counters["jobs"] += 1
        job_id = f"{self.name}-{self.counters['jobs']}"
        done = 0
        try:
            with self.operation(timeout, cancel) as deadline:
                reply = self._read_status(deadline, cancel)
                if not reply.ready:
                    raise error_from_flags(reply.flags, f"{self.name} not ready")
                for front, back in cards:
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    self._print_card(front, back, deadline, cancel)
                    done += 1
                    self.counters["cards_printed"] += 1
                self._read_status(deadline)  # ribbon low / hopper empty after the job
        except DeviceError as error:
            self.counters["jobs_failed"] += 1
            state = JobState.CANCELLED if isinstance(error, DeviceCancelled) else JobState.FAILED
            attach_partial(error, PrintResult(job_id, done, state, unit="card"))
            log.warning(
                "%s: job %s (%s) failed after %d of %d cards: %s",
                self.name,
                job_id,
                job_name,
                done,
                len(cards),
                error.code,
            )
            raise
        log.info("%s: job %s (%s) printed %d cards", self.name, job_id, job_name, done)
        return PrintResult(job_id, done, unit="card")

    def _print_card(self, front: Bitmap, back: Bitmap | None, deadline: Deadline, cancel: CancelToken | None) -> None:
        self._expect_ok(self._command("start", deadline, cancel), "start")
        try:
            for side, bitmap in ((protocol.FRONT, front), (protocol.BACK, back)):
                if bitmap is None:
                    continue
                self._check_size(bitmap)
                frame = self.commands.download(side, bitmap)
                self._expect_ok(self._exchange(frame, deadline, self.command_timeout, cancel), f"download {side}")
        except DeviceError:
            self._abandon_sequence()
            raise
        # No cancel while the card is in the printer: it is printed (or fails) either way.
        wait = min(self.card_timeout, deadline.remaining())
        self._expect_ok(self._exchange(self.commands.frame("print_eject"), deadline, wait), "print")

    def _check_size(self, bitmap: Bitmap) -> None:
        if (bitmap.width, bitmap.height) != (self.width_px, self.height_px):
            raise ValueError(f"panel must be {self.width_px}x{self.height_px}, got {bitmap.width}x{bitmap.height}")

    def _abandon_sequence(self) -> None:
        try:
            self._exchange(self.commands.frame("reset"), Deadline(self.command_timeout), self.command_timeout)
        except DeviceError:
            pass
