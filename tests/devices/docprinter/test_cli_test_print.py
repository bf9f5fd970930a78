"""`kiosk diag test-print --printer NAME` on simulated and real-protocol printers, with its exit codes."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader

from kiosk.cli import exitcodes
from kiosk.cli.main import main
from kiosk.technician.testpages import a4_self_test_page, card_self_test_page


def write_config(home, devices: dict) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "active.json").write_text(json.dumps({"devices": devices}), encoding="utf-8")


def test_default_config_prints_on_the_spool_and_card_simulators(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "diag", "test-print", "--printer", "a4"]) == exitcodes.OK
    assert "a4: printed job a4-1: 1 page(s)" in capsys.readouterr().out
    assert main(["--home", str(tmp_path), "diag", "test-print", "--printer", "card"]) == exitcodes.OK
    assert "card: printed job card-1: 1 card(s)" in capsys.readouterr().out


def test_unknown_printer_and_non_printer_are_usage_errors(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "diag", "test-print", "--printer", "lobby"]) == exitcodes.USAGE
    assert "no printer 'lobby'; configured: a4, card, permit_printer, receipt" in capsys.readouterr().err
    assert main(["--home", str(tmp_path), "diag", "test-print", "--printer", "idcard"]) == exitcodes.USAGE
    assert "not a printer" in capsys.readouterr().err


def test_receipt_test_page_is_printed_and_reads_back(tmp_path, capsys):
    from devices.sim import registry

    assert main(["--home", str(tmp_path), "diag", "test-print", "--printer", "receipt"]) == exitcodes.OK
    printed = registry.get_instance("receipt").receipts[-1]
    assert any("SELF-TEST" in line for line in printed.text_lines())


def test_device_errors_exit_4_with_the_error_code(tmp_path, capsys):
    write_config(
        tmp_path,
        {
            "card": {"kind": "card_printer", "url": "sim://cardprinter?instance=c&scenario=hopper_empty"},
            "a4": {"kind": "document_printer", "url": "spool://a4?scenario=offline"},
            "lan": {"kind": "document_printer", "url": "cups://127.0.0.1:9/lobby", "options": {"request_timeout": 0.5}},
        },
    )
    for name, code in (("card", "media_empty"), ("a4", "printer_offline"), ("lan", "unavailable")):
        assert main(["--home", str(tmp_path), "diag", "test-print", "--printer", name]) == exitcodes.DEVICE_ERROR
        assert f"{name}: {code}:" in capsys.readouterr().err


def test_bad_printer_url_is_a_usage_error(tmp_path, capsys):
    write_config(tmp_path, {"a4": {"kind": "document_printer", "url": "lpt://1"}})
    assert main(["--home", str(tmp_path), "diag", "test-print", "--printer", "a4"]) == exitcodes.USAGE
    assert "cups://QUEUE" in capsys.readouterr().err


def test_test_pages_are_real_pdfs_without_personal_data():
    a4 = PdfReader(io.BytesIO(a4_self_test_page("demo-kiosk-001", "a4", "20260101-120000")))
    text = a4.pages[0].extract_text()
    assert len(a4.pages) == 1 and "TEST PAGE" in text and "demo-kiosk-001" in text
    card = PdfReader(io.BytesIO(card_self_test_page("demo-kiosk-001", "card", "20260101-120000")))
    assert len(card.pages) == 2
    assert round(float(card.pages[0].mediabox.width)) == 243  # 85.6 mm
