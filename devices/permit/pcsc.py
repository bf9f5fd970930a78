"""The PC/SC transport of the permit reader (pyscard's `smartcard.scard`, over pcsc-lite's pcscd).

URL: `pcsc://` (the first reader that has a card) or `pcsc://READER%20NAME` (one reader, URL-decoded).
`PcscPort` moves APDUs: wait for a card (SCardGetStatusChange, in slices so deadlines and cancellation
hold), connect, transmit, disconnect. PC/SC failures become the permit errors: a card that left is
CardRemoved, a missing service or reader is ReaderUnavailable. APDUs are logged at DEBUG as header,
lengths and status word only: their data is personal or key material.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from smartcard import scard

from devices.operation import CancelToken, Deadline
from devices.permit.errors import CardRemoved, NoCard, PermitError, ReaderUnavailable

log = logging.getLogger(__name__)

SOCKET_ENV = "PCSCLITE_CSOCK_NAME"  # libpcsclite clients find a private pcscd through it
_WAIT_SLICE_MS = 200
_REMOVED = {scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD,
            scard.SCARD_W_UNPOWERED_CARD, scard.SCARD_W_UNRESPONSIVE_CARD, scard.SCARD_E_NOT_TRANSACTED,
            scard.SCARD_E_COMM_DATA_LOST}  # fmt: skip
_GONE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_NO_READERS_AVAILABLE,
         scard.SCARD_E_READER_UNAVAILABLE, scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_INVALID_HANDLE}  # fmt: skip


@dataclass(frozen=True)
class PcscUrl:
    reader: str | None  # None: the first reader with a card


def parse_pcsc_url(url: str) -> PcscUrl:
    parts = urlsplit(url)
    if parts.scheme != "pcsc":
        raise ValueError(f"not a PC/SC URL: {url!r} (expected pcsc:// or pcsc://READER%20NAME)")
    name = unquote(parts.netloc + parts.path).strip("/")
    return PcscUrl(name or None)


def use_socket(path: str | None) -> None:
    """Point this process's PC/SC client at a private pcscd (must happen before the first PC/SC call)."""
    if not path:
        return
    current = os.environ.get(SOCKET_ENV)
    if current not in (None, path):
        raise ValueError(f"this process already uses the pcscd at {current}; cannot switch to {path}")
    os.environ[SOCKET_ENV] = path


def _error(hresult: int, what: str) -> PermitError | ReaderUnavailable:
    message = f"{what}: {scard.SCardGetErrorMessage(hresult)} (0x{hresult & 0xFFFFFFFF:08X})"
    if hresult in _REMOVED:
        return CardRemoved(message)
    if hresult in _GONE:
        return ReaderUnavailable(message)
    return PermitError(message)


def _describe(raw: bytes) -> str:
    return f"{raw[:4].hex(' ').upper()} +{max(0, len(raw) - 4)}" if len(raw) >= 4 else f"{len(raw)} bytes"


class PcscPort:
    """One PC/SC context and at most one connected card."""

    def __init__(self, url: PcscUrl) -> None:
        self.url = url
        self._context: int | None = None
        self._card: int | None = None
        self._protocol = 0
        self.reader: str | None = None  # the reader of the connected card

    @property
    def is_open(self) -> bool:
        return self._context is not None

    @property
    def connected(self) -> bool:
        return self._card is not None

    def open(self) -> None:
        if self._context is not None:
            return
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:  # any failure here means there is no usable PC/SC service
            raise ReaderUnavailable(f"PC/SC service: {scard.SCardGetErrorMessage(hresult)} (0x{hresult & 0xFFFFFFFF:08X})")
        self._context = context

    def close(self) -> None:
        self.disconnect()
        context, self._context = self._context, None
        if context is not None:
            scard.SCardReleaseContext(context)

    def cancel_wait(self) -> None:
        """Wake a blocked wait_for_card from another thread."""
        if self._context is not None:
            scard.SCardCancel(self._context)

    def _require_context(self) -> int:
        if self._context is None:
            raise ReaderUnavailable("the PC/SC context is not open")
        return self._context

    def readers(self) -> list[str]:
        hresult, readers = scard.SCardListReaders(self._require_context(), [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult != scard.SCARD_S_SUCCESS:
            raise _error(hresult, "listing readers")
        return list(readers)

    def candidates(self) -> list[str]:
        readers = self.readers()
        if self.url.reader is None:
            if not readers:
                raise ReaderUnavailable("no PC/SC reader is connected")
            return readers
        if self.url.reader not in readers:
            raise ReaderUnavailable(f"reader {self.url.reader!r} is not connected (readers: {readers})")
        return [self.url.reader]

    def card_states(self, timeout_ms: int = 0) -> dict[str, bool]:
        """Reader -> card present, waiting up to timeout_ms for a change."""
        states = [(reader, scard.SCARD_STATE_UNAWARE) for reader in self.candidates()]
        hresult, result = scard.SCardGetStatusChange(self._require_context(), timeout_ms, states)
        if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT):
            raise _error(hresult, "reader status")
        return {reader: bool(event & scard.SCARD_STATE_PRESENT) and not event & scard.SCARD_STATE_MUTE
                for reader, event, _atr in result}  # fmt: skip

    def wait_for_card(self, deadline: Deadline, cancel: CancelToken | None = None) -> str:
        """The first candidate reader with a card; NoCard when none comes before the deadline."""
        known: list[tuple[str, int]] = []
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()
            present = [reader for reader, has_card in self.card_states().items() if has_card]
            if present:
                return present[0]
            if deadline.expired:
                raise NoCard(f"no permit placed within {deadline.seconds:g} s")
            known = [(reader, scard.SCARD_STATE_EMPTY) for reader in self.candidates()]
            wait = int(min(_WAIT_SLICE_MS, max(1.0, deadline.remaining() * 1000)))
            hresult, _ = scard.SCardGetStatusChange(self._require_context(), wait, known)
            if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
                raise _error(hresult, "waiting for a card")

    def connect(self, reader: str) -> bytes:
        """Connect to the card in `reader`; returns its ATR."""
        self.disconnect()
        hresult, card, protocol = scard.SCardConnect(self._require_context(), reader, scard.SCARD_SHARE_SHARED,
                                                     scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)  # fmt: skip
        if hresult != scard.SCARD_S_SUCCESS:
            raise _error(hresult, f"connecting to the card in {reader}")
        self._card, self._protocol, self.reader = card, protocol, reader
        hresult, _reader, _state, _protocol, atr = scard.SCardStatus(card)
        return bytes(atr) if hresult == scard.SCARD_S_SUCCESS else b""

    def disconnect(self) -> None:
        """Let the card go. No reset: the card may already have left, and a reset of a card that left puts
        pcscd's reader in the 'swallowed' state for seconds. The chip's secure session is useless to anyone
        without our (wiped) session keys, and the next terminal's first plain command ends it."""
        card, self._card, self.reader = self._card, None, None
        if card is not None:
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)

    def transmit(self, command: bytes) -> bytes:
        if self._card is None:
            raise CardRemoved("no card is connected")
        hresult, response = scard.SCardTransmit(self._card, self._protocol, list(command))
        if hresult != scard.SCARD_S_SUCCESS:
            error = _error(hresult, "transmitting to the card")
            if isinstance(error, CardRemoved):
                self.disconnect()
            raise error
        raw = bytes(response)
        if len(raw) < 2:  # vpcd (and some drivers) report a card that left mid-command as an empty answer
            self.disconnect()
            raise CardRemoved("the card gave no answer: it left the reader")
        if log.isEnabledFor(logging.DEBUG):  # header, lengths and SW only: the data is personal or key material
            log.debug("APDU %s -> %d bytes SW %s", _describe(command), max(0, len(raw) - 2), raw[-2:].hex().upper())
        return raw

