"""What start-up recovery prints goes through the same DevicePrinter as a flow's prints (so --save-documents
sees it) and holds up outside the kiosk: a certificate read back after a crash verifies offline."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.issuer_keys import verify_offline
from kiosk.printers import DocumentSaver, tapped
from tests.kiosk.flows.conftest import spool
from tests.kiosk.flows.test_certificate_verifies import decoded_qr, published_keys
from tests.kiosk.reliability.conftest import Crash, abandon, crash_after
from tests.kiosk.reliability.test_reconcile_services import certificate_to_confirm


def test_a_certificate_printed_by_recovery_is_tapped_and_verifies(sandbox, make_runtime, monkeypatch, tmp_path):
    runtime = make_runtime()
    flow = certificate_to_confirm(runtime)
    crash_after(monkeypatch, runtime.backend, "request_certificate")
    with pytest.raises(Crash):
        flow.handle("confirm")
    abandon(runtime)
    saver = DocumentSaver(tmp_path / "saved")
    with tapped(saver):
        make_runtime()  # start-up reconciliation reads the certificate back and prints it
    (saved,) = saver.saved
    assert saved.read_bytes() == bytes(spool("t-a4").jobs[-1].pdf if hasattr(spool("t-a4").jobs[-1], "pdf")
                                       else spool("t-a4").jobs[-1])  # fmt: skip
    qr = decoded_qr(saved.read_bytes(), tmp_path)
    assert verify_offline(qr, published_keys(sandbox.base_url), today=date.today()).status == "valid"
