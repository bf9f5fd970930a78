"""What the temporary-ID service prints, built from the backend's answers only (also after a crash)."""

from __future__ import annotations

import base64
from datetime import datetime

from contracts import TempIdCard
from devices.receipt.job import ReceiptJob
from printing.receipts import PaymentReceiptData, payment_receipt
from printing.temp_id import TempIdCardData, build_temp_id_pdf

SERVICE_NAME = "临时居民身份证"
CHANNEL = "扫码支付"


def card_pdf(card: TempIdCard) -> bytes:
    """The card exactly as the backend issued it (its validity, not one recomputed here)."""
    months = (card.valid_until.year - card.valid_from.year) * 12 + card.valid_until.month - card.valid_from.month
    return build_temp_id_pdf(TempIdCardData(
        name=card.name, sex=card.sex, ethnicity=card.ethnicity, birth_date=card.birth_date, address=card.address,
        id_number=card.id_number, photo=base64.b64decode(card.photo_jpeg_b64),
        issuing_authority=card.issuing_authority, issue_date=card.valid_from, card_number=card.card_number,
        valid_months=months,
    ))  # fmt: skip


def fee_receipt(order_id: str, amount_cents: int, paid_at: datetime, kiosk_id: str, *,
                is_reprint: bool = False) -> ReceiptJob:  # fmt: skip
    return payment_receipt(PaymentReceiptData(
        order_id=order_id, service_name=SERVICE_NAME, amount_fen=amount_cents, paid_at=paid_at, channel=CHANNEL,
        kiosk_id=kiosk_id,
    ), is_reprint=is_reprint)  # fmt: skip
