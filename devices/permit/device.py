"""The permit reader/writer: read the permit's chip (BAC, data groups checked against EF.SOD) and write an
endorsement record with read-back, over PC/SC.

    reader = PermitReader.from_settings("permit", "pcsc://", {"trust_anchors": ["csca.pem"]})
    reader.open()
    document = reader.read_permit(AccessKey("C60123458", "850312", "330615"), timeout=10)
    reader.write_endorsement(record_bytes, timeout=10)   # same card, same session (or BAC again)
    reader.end_session()                                  # forgets the access key, disconnects

Status: online / no_device (no pcscd or reader) / busy, with detail card=present|absent and the reader
name; a monitor thread keeps the card detail fresh and publishes only changes. The access key is kept in
memory between read and write of one visit (a write needs a secure session) and dropped by end_session().
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from cryptography import x509

from devices.device import StatusOwner
from devices.errors import DeviceBusy, DeviceError
from devices.operation import CancelToken, Deadline
from devices.permit.document import PermitDocument
from devices.permit.endorsement_file import Endorsement, EndorsementFormatError, EndorsementLayout, IcaoStyleLayout
from devices.permit.errors import CardRemoved, DamagedData, ReaderUnavailable, VerifyMismatch, WriteFailed
from devices.permit.mrz import AccessKey
from devices.permit.pcsc import PcscPort, parse_pcsc_url, use_socket
from devices.permit.reading import read_document
from devices.permit.session import SHORT_READ, SHORT_WRITE, ChipSession
from devices.status import DeviceState

log = logging.getLogger(__name__)


class PermitReader(StatusOwner):
    kind = "permit_reader"

    def __init__(
        self,
        name: str,
        port: PcscPort,
        *,
        monitor_port: PcscPort | None = None,
        layout: EndorsementLayout | None = None,
        trust_anchors: Sequence[x509.Certificate] = (),
        require_trusted: bool = False,
        max_read: int = SHORT_READ,
        max_write: int = SHORT_WRITE,
        poll_interval_s: float = 0.25,
    ) -> None:
        self.name = name
        self.port = port
        self._monitor_port = monitor_port
        self.layout = layout or IcaoStyleLayout()
        self.trust_anchors = list(trust_anchors)
        self.require_trusted = require_trusted
        self.max_read, self.max_write = max_read, max_write
        self.poll_interval_s = poll_interval_s
        self._init_status(name)
        self._lock = threading.Lock()
        self._session: ChipSession | None = None
        self._access: AccessKey | None = None
        self._stop = threading.Event()
        self._monitor: threading.Thread | None = None
        self.counters: dict[str, int] = {"operations": 0, "errors": 0, "permits_read": 0, "endorsements_written": 0}

    @classmethod
    def from_settings(cls, name: str, url: str, options: Mapping[str, Any] | None = None) -> PermitReader:
        opts = dict(options or {})
        use_socket(opts.pop("pcsc_socket", None))
        parsed = parse_pcsc_url(url)
        anchors = [x509.load_pem_x509_certificate(Path(path).read_bytes()) for path in opts.pop("trust_anchors", [])]
        return cls(name, PcscPort(parsed), monitor_port=PcscPort(parsed), trust_anchors=anchors, **opts)

    def capabilities(self) -> dict[str, Any]:
        return {"reader": self.port.url.reader or "first with a card", "write": True, "layout": type(self.layout).__name__,
                "trust_anchors": len(self.trust_anchors)}  # fmt: skip

    # -- lifecycle -------------------------------------------------------------------------------
    def open(self) -> None:
        """Connect to the PC/SC service and start watching for cards; a missing service shows in the status."""
        self._probe(DeviceState.NO_DEVICE)
        if self._monitor_port is not None and self._monitor is None:
            self._stop.clear()
            self._monitor = threading.Thread(target=self._watch, name=f"{self.name}-cards", daemon=True)
            self._monitor.start()

    def close(self) -> None:
        self._stop.set()
        if self._monitor is not None:
            self._monitor.join(timeout=5)
            self._monitor = None
        self.end_session()
        self.port.close()
        self._set_state(DeviceState.OFFLINE)

    def __enter__(self) -> PermitReader:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _probe(self, missing: DeviceState, port: PcscPort | None = None) -> None:
        port = port or self.port
        try:
            port.open()
            states = port.card_states()
        except ReaderUnavailable as error:
            port.close()
            self._set_state(missing, error=error.code, card="absent")
            return
        present = any(states.values())
        self._set_state(DeviceState.ONLINE, error=None, card="present" if present else "absent",
                        reader=next((r for r, has in states.items() if has), next(iter(states), "")))  # fmt: skip

    def refresh_status(self) -> Any:
        """Ask PC/SC again (between visits); never raises. A reader in use keeps its status."""
        if self._lock.acquire(blocking=False):
            try:
                self._probe(DeviceState.NO_DEVICE)
            finally:
                self._lock.release()
        return self.status

    def _watch(self) -> None:
        """Keep the card detail fresh from the monitor's own PC/SC context."""
        assert self._monitor_port is not None
        while not self._stop.wait(self.poll_interval_s):
            if self._lock.locked():
                continue  # an operation owns the card; its outcome sets the status
            self._probe(DeviceState.NO_DEVICE, self._monitor_port)
        self._monitor_port.close()

    # -- operations ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def operation(self, timeout: float, cancel: CancelToken | None) -> Iterator[Deadline]:
        if not self._lock.acquire(blocking=False):
            raise DeviceBusy(f"{self.name} is busy")
        try:
            if cancel is not None:
                cancel.raise_if_cancelled()
            self.counters["operations"] += 1
            self._status.update(DeviceState.BUSY)
            try:
                self.port.open()
                yield Deadline(timeout)
            except ReaderUnavailable as error:
                self.counters["errors"] += 1
                self._drop_session()
                self.port.close()
                self._set_state(DeviceState.NO_DEVICE, error=error.code)
                raise
            except DeviceError as error:
                self.counters["errors"] += 1
                if not self.port.connected:
                    self._drop_session()
                self._status.update(self._idle_state, last_error=error.code)
                raise
            else:
                self._status.update(self._idle_state)
        finally:
            self._lock.release()

    def _drop_session(self) -> None:
        if self._session is not None:
            self._session.close()
        self._session = None

    def _connect(self, deadline: Deadline, cancel: CancelToken | None) -> ChipSession:
        """Wait for a card, connect, select the LDS application. A card that is gone at its first APDU
        (PC/SC still showed the one just taken away) is waited for again within the deadline."""
        while True:
            reader = self.port.wait_for_card(deadline, cancel)
            self.port.connect(reader)
            self._status.update(None, card="present", reader=reader)
            session = ChipSession(self.port.transmit, max_read=self.max_read, max_write=self.max_write)
            try:
                session.select_application()
                return session
            except CardRemoved:
                if deadline.expired:
                    raise
                (cancel or CancelToken()).wait(min(0.05, deadline.remaining()))

    def read_permit(self, access: AccessKey, timeout: float = 10.0, cancel: CancelToken | None = None) -> PermitDocument:
        """Wait up to `timeout` for a permit, open it with BAC and read it."""
        with self.operation(timeout, cancel) as deadline:
            self._drop_session()
            session = self._connect(deadline, cancel)
            session.authenticate(access)
            self._session, self._access = session, access
            document = read_document(session, self.layout, deadline, cancel, self.trust_anchors)
            if self.require_trusted and document.authenticity != "trusted":
                document.wipe()
                raise DamagedData("the permit's signer is not issued by a configured CSCA")
            self.counters["permits_read"] += 1
            return document

    def write_endorsement(self, record: bytes, timeout: float = 10.0, cancel: CancelToken | None = None) -> list[Endorsement]:
        """Store one endorsement record (bytes signed by the backend) and read it back; returns the
        endorsements now on the chip. Writing the same record twice stores it once."""
        self.layout.check_record(record)
        with self.operation(timeout, cancel) as deadline:
            session = self._writable_session(deadline, cancel)
            content = session.read_sized_file(self.layout.fid, deadline, cancel)
            if bytes(record) in bytes(content):
                return self.layout.parse(bytes(content))  # an earlier attempt landed before the card left
            try:
                plan = self.layout.plan_write(bytes(content), record)
            except EndorsementFormatError as error:
                raise WriteFailed(f"the endorsement does not fit: {error}", code="endorsement_file_full") from error
            session.update_binary(self.layout.fid, plan.offset, plan.data, deadline, cancel)
            written = session.read_range(plan.offset, plan.record_length, deadline, cancel)
            if written != record:
                raise VerifyMismatch("the endorsement read back from the chip differs from what was written")
            content[plan.offset : plan.offset + len(plan.data)] = plan.data
            self.counters["endorsements_written"] += 1
            return self.layout.parse(bytes(content))

    def _writable_session(self, deadline: Deadline, cancel: CancelToken | None) -> ChipSession:
        if self._session is not None and self._session.authenticated and self.port.connected:
            return self._session
        if self._access is None:
            raise WriteFailed("read the permit first: writing needs its access key", code="no_session")
        self._drop_session()
        session = self._connect(deadline, cancel)
        session.authenticate(self._access)
        self._session = session
        return session

    def end_session(self) -> None:
        """The visit is over: forget the access key, close the secure session, let the card go."""
        with self._lock, contextlib.suppress(DeviceError):  # waits for a running operation (it has a deadline)
            self._drop_session()
            self._access = None
            self.port.disconnect()

