"""What the temporary-ID service prints, built from the backend's answers only (also after a crash)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from contracts import TempIdCard
from devices.cardprinter.stock import CardStock
from devices.receipt.job import ReceiptJob
from printing.receipts import PaymentReceiptData, payment_receipt
from printing.temp_id import CardPrintSpec, TempIdCardData, build_temp_id_pdf

SERVICE_NAME = "临时居民身份证"
CHANNEL = "扫码支付"


def print_spec(printer: Mapping[str, Any] | None) -> CardPrintSpec:
    """The card printer's dot grid and stock, from its capabilities(); the default printer's without one."""
    if not printer:
        return CardPrintSpec()
    dpi = int(printer.get("dpi", CardPrintSpec.dpi))
    return CardPrintSpec(dpi=dpi, stock=CardStock.from_option(printer.get("stock")))


def card_pdf(card: TempIdCard, printer: Mapping[str, Any] | None = None) -> bytes:
    """The card exactly as the backend issued it (its validity dates, not ones recomputed here), laid out
    for the card printer whose capabilities() are given (its dpi and pre-printed stock)."""
    return build_temp_id_pdf(TempIdCardData(
        name=card.name, sex=card.sex, ethnicity=card.ethnicity, birth_date=card.birth_date, address=card.address,
        id_number=card.id_number, photo=base64.b64decode(card.photo_jpeg_b64),
        issuing_authority=card.issuing_authority, valid_from=card.valid_from, valid_until=card.valid_until,
        card_number=card.card_number,
    ), print_spec(printer))  # fmt: skip


def fee_receipt(order_id: str, amount_cents: int, paid_at: datetime, kiosk_id: str, *,
                is_reprint: bool = False) -> ReceiptJob:  # fmt: skip
    return payment_receipt(PaymentReceiptData(
        order_id=order_id, service_name=SERVICE_NAME, amount_fen=amount_cents, paid_at=paid_at, channel=CHANNEL,
        kiosk_id=kiosk_id,
    ), is_reprint=is_reprint)  # fmt: skip
