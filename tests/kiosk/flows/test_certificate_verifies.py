"""A certificate printed by the real flow holds up outside the kiosk: its QR (decoded from the rendered page
with zxing) opens the verify page, verifies offline with the published key, and 编号 + 验证码 typed from the
page verify online; a tampered QR does not. Checked in-process and through `kiosk flow --save-documents`."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import cv2
import requests
import zxingcpp
from pypdf import PdfReader

from contracts.certificate_payload import encode_base32, parse_payload, split_qr_text, verify_url
from contracts.issuer_keys import ISSUER_KEYS_PATH, IssuerKeySet, verify_offline
from kiosk.cli.commands.flow_cmd import example_script
from kiosk.cli.main import main
from kiosk.flows.base import StepKind
from server.sandbox.demo_data import ZHANG
from server.sandbox.runner import start_in_thread
from server.sandbox.settings import SandboxSettings
from tests.kiosk.flows.conftest import face_check, spool

NUMBER = re.compile(r"编号：(\d+)")
CODE = re.compile(r"验证码：([0-9A-Z]+)")


def page_text(pdf: bytes) -> str:
    import io

    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def decoded_qr(pdf: bytes, tmp_path: Path) -> str:
    """The QR as a phone camera would read it: from a 150 dpi rendering, by an independent decoder."""
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(source), str(tmp_path / "page")], check=True, timeout=60)
    (image_path,) = tmp_path.glob("page-*.png")
    results = zxingcpp.read_barcodes(cv2.imread(str(image_path), cv2.IMREAD_GRAYSCALE))
    source.unlink()
    image_path.unlink()  # the rendering shows a name and an ID number: no scratch file outlives its use
    (qr,) = [result.text for result in results if result.format == zxingcpp.BarcodeFormat.QRCode]
    return qr


def published_keys(base_url: str) -> IssuerKeySet:
    return IssuerKeySet.model_validate(requests.get(base_url + ISSUER_KEYS_PATH, timeout=10).json())


def print_certificate(runtime) -> bytes:
    flow = runtime.start_flow("certificate")
    flow.handle("enter_id_number")
    flow.handle("submit_id_number", id_number=ZHANG)
    face_check(runtime, flow, ZHANG)
    flow.handle("submit_purpose", purpose="就业")
    assert flow.handle("confirm").step is StepKind.DONE
    job = spool().jobs[-1]
    return bytes(job.pdf if hasattr(job, "pdf") else job)


def test_the_printed_certificate_verifies_by_phone_offline_and_by_hand(sandbox, runtime, tmp_path, capsys):
    pdf = print_certificate(runtime)
    text = page_text(pdf)
    qr = decoded_qr(pdf, tmp_path)
    # by phone: an absolute URL on the backend's public site that opens a page saying valid
    assert qr.startswith(f"{sandbox.base_url}/v/")
    page = requests.get(qr, timeout=10)
    assert page.status_code == 200 and "有效" in page.text
    # offline: the payload and the published key, and the signed fields are the printed ones
    result = verify_offline(qr, published_keys(sandbox.base_url), today=date.today())
    claims = result.claims
    assert result.status == "valid"
    for printed in (claims.name, claims.sex, claims.purpose, claims.issuing_unit, claims.certificate_number,
                    f"{claims.valid_until.year}年{claims.valid_until.month:02d}月{claims.valid_until.day:02d}日"):
        assert printed in text
    assert claims.masked_id_number[:3] in text and claims.masked_id_number[-4:] in text
    # by hand: 编号 + 验证码 as printed, at the address printed beside them
    number, code = NUMBER.search(text).group(1), CODE.search(text).group(1)
    assert f"核验网址：{sandbox.base_url}/verify" in text
    by_hand = requests.get(f"{sandbox.base_url}/verify", params={"number": number, "code": code}, timeout=10)
    assert "有效" in by_hand.text
    # the technician's tool, both ways
    assert main(["diag", "verify-document", "--qr", qr, "--backend", sandbox.base_url, "--json"]) == 0
    assert main(["diag", "verify-document", "--number", number, "--code", code, "--backend", sandbox.base_url]) == 0
    offline, online = capsys.readouterr().out.splitlines()[:2]
    assert json.loads(offline)["certificate"]["certificate_number"] == number and online.startswith("valid")


def test_a_tampered_qr_fails_every_check(sandbox, runtime, tmp_path, capsys):
    qr = decoded_qr(print_certificate(runtime), tmp_path)
    base, payload = split_qr_text(qr)
    signed = parse_payload(payload)
    other = parse_payload(split_qr_text(decoded_qr(print_certificate(runtime), tmp_path))[1])
    forged = verify_url(base, encode_base32(other.body.replace("就业".encode(), "入学".encode()) + signed.signature))
    flipped = qr[:-3] + ("A" if qr[-3] != "A" else "B") + qr[-2:]
    for tampered in (forged, flipped):
        assert requests.get(tampered, headers={"Accept": "application/json"}, timeout=10).json()["status"] == "unknown"
        assert main(["diag", "verify-document", "--qr", tampered, "--backend", sandbox.base_url, "--json"]) == 5
        assert json.loads(capsys.readouterr().out)["reason"] in ("bad_signature", "non_canonical", "malformed")
    number = signed.claims.certificate_number
    assert main(["diag", "verify-document", "--number", number, "--code", "WRONG234", "--backend",
                 sandbox.base_url, "--json"]) == 5  # fmt: skip
    assert json.loads(capsys.readouterr().out)["status"] == "unknown"


def test_kiosk_flow_save_documents_writes_what_was_printed_and_it_verifies(tmp_path, capsys):
    home, saved = tmp_path / "home", tmp_path / "saved"
    code = main(["--home", str(home), "flow", "certificate", "--script", str(example_script("certificate")),
                 "--save-documents", str(saved)])  # fmt: skip
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and lines[-2]["outcome"] == "done"
    (name,) = lines[-1]["saved"]
    document = saved / name
    assert name.endswith(".pdf") and "document_printer" in name and document.stat().st_mode & 0o077 == 0
    pdf = document.read_bytes()
    qr = decoded_qr(pdf, tmp_path)
    text = page_text(pdf)
    assert lines[-2]["document_number"] in text
    # the demo sandbox is gone with the command; its database stays in the home: serve it again
    server = start_in_thread(SandboxSettings(db_url=f"sqlite:///{home / 'sandbox.sqlite3'}", photo_dir=None))
    try:
        keys = published_keys(server.base_url)
        result = verify_offline(split_qr_text(qr)[1], keys, today=date.today())  # the old server's port is gone
        assert result.status == "valid" and result.claims.certificate_number == lines[-2]["document_number"]
        number, code_typed = NUMBER.search(text).group(1), CODE.search(text).group(1)
        answer = requests.get(f"{server.base_url}/api/v1/certificates/{number}/verify", params={"code": code_typed},
                              timeout=10).json()  # fmt: skip
        assert answer["status"] == "valid"
    finally:
        server.stop()


def test_save_documents_keeps_the_card_pdf_and_the_receipt_bytes_with_their_picture(tmp_path, capsys):
    from PIL import Image

    from devices.cardprinter.render import render_pdf_panels
    from devices.receipt.render import ReceiptRenderer
    from devices.receipt.stream import EscPosParser

    saved = tmp_path / "saved"
    code = main(["--home", str(tmp_path / "home"), "flow", "temp-id", "--script", str(example_script("temp_id")),
                 "--save-documents", str(saved)])  # fmt: skip
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    names = lines[-1]["saved"]
    assert [name.split("-")[1] + name[name.rindex("."):] for name in names] == [
        "card_printer.pdf", "receipt_printer.escpos", "receipt_printer.png"]
    card, raw, picture = (saved / name for name in names)
    assert len(render_pdf_panels(card.read_bytes())) == 2  # front and back, as the card printer rendered them
    renderer = ReceiptRenderer()
    renderer.apply(EscPosParser().feed(raw.read_bytes()))
    assert any("10.00元" in line for line in renderer.receipts[-1].plain_lines())
    assert Image.open(picture).width == 576 + 16
