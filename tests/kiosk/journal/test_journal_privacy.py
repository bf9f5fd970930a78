"""No personal data reaches the journal's files: a whole visit with a known fake name, ID number and address
(through the session, the journal, the spooler and a crash reconciliation), then grep every byte of the
database, its -wal and -shm files and the secret for them."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest

from devices.errors import DeviceError
from kiosk.journal import Journal, OrderState, Reconciler
from kiosk.session import CitizenSession
from kiosk.spooler import Spooler, SpoolerPrintPort
from tests.kiosk.journal.journal_fakes import (
    FAKE_ADDRESS,
    FAKE_ID_NUMBER,
    FAKE_NAME,
    FileBackend,
    RecordingPrinter,
    drive_order,
    render_for_print,
)


def _needles() -> dict[str, bytes]:
    needles = {"id_number": FAKE_ID_NUMBER.encode(), "id_lower": FAKE_ID_NUMBER.lower().encode(),
               "id_digits": FAKE_ID_NUMBER[:17].encode(),
               "id_sha256": hashlib.sha256(FAKE_ID_NUMBER.encode()).hexdigest().encode()}  # fmt: skip
    for label, text in (("name", FAKE_NAME), ("address", FAKE_ADDRESS)):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be", "gb18030"):
            needles[f"{label}-{encoding}"] = text.encode(encoding)
    return needles


def _leaks(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        data = path.read_bytes()
        found += [f"{label} in {path.name}" for label, needle in _needles().items() if needle in data]
    return found


def test_a_whole_visit_leaves_no_personal_data_on_disk(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    backend = FileBackend(tmp_path / "backend.json")  # the backend's own store: not the kiosk's disk
    home = tmp_path / "kiosk-home"
    home.mkdir()
    journal = Journal.for_home(home, kiosk_id="privacy-kiosk")
    session = CitizenSession()
    session.set_identity({"name": FAKE_NAME, "id_number": FAKE_ID_NUMBER, "address": FAKE_ADDRESS})
    session.set_photo(FAKE_NAME.encode() * 50)
    printer = RecordingPrinter(backend)
    with Spooler(journal, {"card": printer}, backoff_s=(0.0,)) as spooler:
        session.add_wipe_listener(spooler.discard_for_orders)
        # One finished visit, one crashed mid-print and reconciled, one refused by the printer.
        done = drive_order(journal, backend, spooler, paid=True, stop_at=OrderState.DONE, after_effect=False)
        crashed = drive_order(journal, backend, spooler, paid=True, stop_at=OrderState.PRINT_PENDING,
                              after_effect=False)  # fmt: skip
        session.attach_order(crashed.order_id)
        failed = journal.create_order("certificate", id_number=FAKE_ID_NUMBER)
        journal.begin_issue(failed.order_id)
        journal.begin_print(failed.order_id, "C-9", "certificate")
        printer.errors = [DeviceError(f"jam while printing {FAKE_NAME}", code="paper_jam")]
        payload = {"number": "C-9", "name": FAKE_NAME, "id_number": FAKE_ID_NUMBER, "address": FAKE_ADDRESS}
        assert spooler.print_and_wait(failed.order_id, "card", payload, document_number="C-9").needs_staff
        port = SpoolerPrintPort(spooler, lambda order: "card", render_for_print)
        report = Reconciler(journal, backend, port).reconcile()
        assert report.for_order(crashed.order_id).to_state is OrderState.DONE
        session.wipe()
    assert journal.get(done.order_id).person_hash  # the person is countable...
    files = sorted(home.iterdir())
    assert {path.name for path in files} >= {"journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"}
    assert _leaks(files) == []  # ...but nothing identifies them, while the WAL still holds the pages
    assert _needles()["name-utf-8"] not in caplog.text.encode()
    assert FAKE_ID_NUMBER not in caplog.text
    journal.close()
    assert _leaks(sorted(home.iterdir())) == []  # and after the checkpoint on close


def test_the_grep_would_find_a_leak(tmp_path: Path) -> None:
    # The detector itself must work: plant the data in a file the way a careless column would.
    planted = tmp_path / "journal.sqlite3-wal"
    planted.write_bytes(b"\x00" * 100 + FAKE_NAME.encode("utf-16-le") + FAKE_ID_NUMBER.encode())
    assert set(_leaks([planted])) == {"name-utf-16-le in journal.sqlite3-wal", "id_number in journal.sqlite3-wal",
                                      "id_digits in journal.sqlite3-wal"}  # fmt: skip
