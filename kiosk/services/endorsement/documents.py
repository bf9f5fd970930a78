"""What the endorsement service writes and prints: the backend's signed record (to the chip, unchanged), the
block on the permit's rewritable back, and the receipts."""

from __future__ import annotations

import base64
from datetime import datetime

from contracts import IssuedEndorsement
from devices.receipt.job import ReceiptJob
from devices.rewritable.layout import EndorsementBlock
from printing.receipts import PaymentReceiptData, payment_receipt

SERVICE_NAME = "往来港澳通行证签注"
CHANNEL = "扫码支付"


def chip_record(issued: IssuedEndorsement) -> bytes:
    return base64.b64decode(issued.record_b64, validate=True)


def back_block(issued: IssuedEndorsement) -> EndorsementBlock:
    return EndorsementBlock(type=str(issued.type), destination=str(issued.destination), entries=issued.entries,
                            valid_from=issued.valid_from, valid_to=issued.valid_until, number=issued.number)  # fmt: skip


def fee_receipt(order_id: str, amount_cents: int, paid_at: datetime, kiosk_id: str) -> ReceiptJob:
    return payment_receipt(PaymentReceiptData(order_id=order_id, service_name=SERVICE_NAME, amount_fen=amount_cents,
                                              paid_at=paid_at, channel=CHANNEL, kiosk_id=kiosk_id))  # fmt: skip
