"""`kiosk diag print-sample {certificate|temp-id|receipt} --out FILE.pdf`: a document with demo data.

Technicians use it to check fonts and layout on a new machine without touching personal data: the person
(张三) is fictional and the certificate is signed with the public demo key.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli import exitcodes

if TYPE_CHECKING:
    from devices.receipt.job import ReceiptJob

DOCUMENTS = ("certificate", "temp-id", "receipt")
RECEIPTS = ("payment", "traffic", "acceptance")


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    parser = groups["diag"].add_parser("print-sample", help="write a demo document (fictional person) as PDF")
    parser.add_argument("document", choices=DOCUMENTS, help="which document to render")
    parser.add_argument("--out", required=True, type=Path, help="PDF file to write")
    parser.add_argument("--receipt", choices=RECEIPTS, default="payment", help="receipt kind (receipt only)")
    parser.add_argument("--reprint", action="store_true", help="mark the receipt as a reprint (补打)")
    parser.add_argument("--paper", choices=("80mm", "58mm"), default="80mm", help="receipt paper width (receipt only)")
    parser.set_defaults(handler=print_sample)


def _receipt_pdf(kind: str, reprint: bool, paper: str) -> bytes:
    from devices.receipt.profile import ReceiptProfile
    from printing import demo, receipts
    from printing.receipt_pdf import render_receipt_pdf

    builders: dict[str, Callable[[], ReceiptJob]] = {
        "payment": lambda: receipts.payment_receipt(demo.demo_payment_receipt(), is_reprint=reprint),
        "traffic": lambda: receipts.traffic_decision_receipt(demo.demo_traffic_receipt(), is_reprint=reprint),
        "acceptance": lambda: receipts.certificate_acceptance_receipt(
            demo.demo_acceptance_receipt(), is_reprint=reprint
        ),
    }
    return render_receipt_pdf(builders[kind](), ReceiptProfile(paper))


def _render(args: argparse.Namespace) -> bytes:
    # Imported here so `kiosk --help` never pays for reportlab and OpenCV.
    from printing import demo
    from printing.certificate import build_certificate_pdf
    from printing.temp_id import build_temp_id_pdf

    if args.document == "certificate":
        return build_certificate_pdf(demo.demo_certificate())
    if args.document == "temp-id":
        return build_temp_id_pdf(demo.demo_temp_id())
    return _receipt_pdf(args.receipt, args.reprint, args.paper)


def print_sample(args: argparse.Namespace) -> int:
    from printing.fonts import FontNotFoundError

    try:
        pdf = _render(args)
    except FontNotFoundError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return exitcodes.FAILURE
    try:
        args.out.write_bytes(pdf)
    except OSError as error:
        print(f"kiosk: cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return exitcodes.FAILURE
    print(f"wrote {args.out} ({len(pdf)} bytes)")
    return exitcodes.OK
