"""`kiosk diag journal` shows the technician what the journal holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.journal import Journal, Service


def test_diag_journal_lists_counts_unfinished_and_one_orders_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(tmp_path), "diag", "journal"]) == 0
    assert "no journal yet" in capsys.readouterr().out
    with Journal.for_home(tmp_path, kiosk_id="cli-kiosk") as journal:
        stuck = journal.create_order(Service.TEMP_ID, amount_cents=1000)
        journal.begin_payment(stuck.order_id)
        done = journal.create_order(Service.CERTIFICATE)
        journal.cancel(done.order_id, "citizen_left")
    assert main(["--home", str(tmp_path), "diag", "journal", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"] == {"PAYMENT_PENDING": 1, "CANCELLED": 1}
    assert [order["order_id"] for order in report["unfinished"]] == [stuck.order_id]
    assert main(["--home", str(tmp_path), "diag", "journal", "--order", done.order_id]) == 0
    text = capsys.readouterr().out
    assert "CREATED         -> CANCELLED" in text and "citizen_left" in text
    assert main(["--home", str(tmp_path), "diag", "journal", "--order", "missing"]) == 2
