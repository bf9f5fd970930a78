"""What the traffic service prints: one decision receipt per handled and paid violation."""

from __future__ import annotations

from contracts import ViolationPayment
from devices.receipt.job import ReceiptJob
from printing.receipts import TrafficDecisionReceiptData, traffic_decision_receipt

CHANNEL = "扫码支付"


def decision_receipt(payment: ViolationPayment, *, plate_number: str, description: str, points: int,
                     order_id: str, kiosk_id: str, is_reprint: bool = False) -> ReceiptJob:  # fmt: skip
    return traffic_decision_receipt(TrafficDecisionReceiptData(
        decision_number=payment.decision_number, plate_number=plate_number, violation=description, points=points,
        fine_fen=payment.fine_cents, late_fee_fen=payment.late_fee_cents, paid_at=payment.paid_at,
        channel=CHANNEL, order_id=order_id, kiosk_id=kiosk_id,
    ), is_reprint=is_reprint)  # fmt: skip
