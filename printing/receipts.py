"""Receipts for the 80 mm printer, built as devices.receipt.job.ReceiptJob (48 columns, CJK = 2 columns).

Every Text element produced here fits one printed line: long values are wrapped by display width here,
because a printer that wraps on its own splits a GB18030 character or an order number mid-way.
Receipts identify the transaction (order / reference number), never the person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from devices.receipt.job import (
    PAPER_COLUMNS,
    Align,
    Cut,
    Element,
    Feed,
    QrCode,
    ReceiptJob,
    Rule,
    Text,
    display_width,
)

HEADER = "智慧警务室 自助服务终端"
REPRINT_MARK = "*** 补打 REPRINT ***"
_TOKEN = re.compile(r"[A-Za-z0-9.:\-/]+|.", re.DOTALL)


def text_columns(element: Text) -> int:
    """Columns a Text element takes: double size doubles the width."""
    return display_width(element.text) * (2 if element.double else 1)


def _split_by_width(token: str, width: int) -> list[str]:
    parts, current = [], ""
    for char in token:
        if current and display_width(current + char) > width:
            parts.append(current)
            current = ""
        current += char
    return [*parts, current] if current else parts


def wrap_columns(text: str, width: int = PAPER_COLUMNS) -> list[str]:
    """Lines of at most `width` columns; Latin/digit runs (numbers, times) stay whole when they fit."""
    lines: list[str] = []
    current = ""
    for token in _TOKEN.findall(text):
        if display_width(current + token) <= width:
            current += token
            continue
        if current.strip():
            lines.append(current.rstrip())
        pieces = _split_by_width(token.lstrip(), width) or [""]
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def label_value(
    label: str, value: str, *, width: int = PAPER_COLUMNS, fill: str = ".", bold: bool = False
) -> tuple[Text, ...]:
    """`label ....... value` on one line, or the label then the value right-aligned below when too long."""
    gap = width - display_width(label) - display_width(value) - 2
    if gap >= 2:
        return (Text(f"{label} {fill * gap} {value}", bold=bold),)
    label_lines = [Text(line, bold=bold) for line in wrap_columns(label, width)]
    value_lines = [Text(line, bold=bold, align=Align.RIGHT) for line in wrap_columns(value, width)]
    return (*label_lines, *value_lines)


def paragraph(text: str, *, align: Align = Align.LEFT, bold: bool = False) -> tuple[Text, ...]:
    return tuple(Text(line, bold=bold, align=align) for line in wrap_columns(text))


def title(text: str) -> tuple[Text, ...]:
    """Double-size centred title when it fits in 24 columns, otherwise bold normal size."""
    if display_width(text) * 2 <= PAPER_COLUMNS:
        return (Text(text, bold=True, double=True, align=Align.CENTER),)
    return paragraph(text, align=Align.CENTER, bold=True)


def format_yuan(fen: int) -> str:
    """Amounts are integer fen to keep money out of floating point: 1000 -> 10.00元."""
    if fen < 0:
        raise ValueError("amount must not be negative")
    return f"{fen // 100}.{fen % 100:02d}元"


def format_time(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def check_width(job: ReceiptJob) -> None:
    """Raise ValueError when any text line is wider than the paper."""
    for element in job.elements:
        if isinstance(element, Text) and text_columns(element) > PAPER_COLUMNS:
            raise ValueError(f"receipt line of {text_columns(element)} columns exceeds {PAPER_COLUMNS}")


def apply_reprint_marking(job: ReceiptJob) -> ReceiptJob:
    """A reprint carries 补打 REPRINT at the top, exactly once; an original carries no marking."""
    marking = (Text(REPRINT_MARK, bold=True, align=Align.CENTER), Feed(1))
    elements = job.elements[2:] if job.elements[:2] == marking else job.elements
    if job.is_reprint:
        elements = (*marking, *elements)
    return replace(job, elements=elements)


def as_reprint(job: ReceiptJob) -> ReceiptJob:
    return apply_reprint_marking(replace(job, is_reprint=True))


def _assemble(
    heading: str,
    body: Iterable[Element],
    footer: str,
    *,
    reference: str,
    kind: str,
    issued_at: datetime,
    is_reprint: bool,
) -> ReceiptJob:
    elements: list[Element] = [Text(HEADER, align=Align.CENTER), *title(heading), Rule()]
    elements.extend(body)
    elements.extend([Rule(), *paragraph(footer, align=Align.CENTER), Feed(3), Cut()])
    job = ReceiptJob(
        elements=tuple(elements),
        reference=reference,
        is_reprint=is_reprint,
        metadata={"kind": kind, "issued_at": issued_at.isoformat()},
    )
    job = apply_reprint_marking(job)
    check_width(job)
    return job


@dataclass(frozen=True)
class PaymentReceiptData:
    order_id: str
    service_name: str
    amount_fen: int
    paid_at: datetime
    channel: str  # 微信支付, 支付宝, 银联...
    kiosk_id: str


def payment_receipt(data: PaymentReceiptData, *, is_reprint: bool = False) -> ReceiptJob:
    body = [
        *label_value("订单号", data.order_id),
        *label_value("业务", data.service_name),
        *label_value("支付方式", data.channel),
        *label_value("支付时间", format_time(data.paid_at)),
        *label_value("终端编号", data.kiosk_id),
        Rule(),
        *label_value("实付金额", format_yuan(data.amount_fen), bold=True),
    ]
    return _assemble(
        "缴费凭证",
        body,
        "请妥善保管本凭证",
        reference=data.order_id,
        kind="payment",
        issued_at=data.paid_at,
        is_reprint=is_reprint,
    )


@dataclass(frozen=True)
class TrafficDecisionReceiptData:
    decision_number: str  # 决定书编号, usually 16 digits
    plate_number: str
    violation: str
    points: int
    fine_fen: int
    late_fee_fen: int
    paid_at: datetime
    channel: str
    order_id: str
    kiosk_id: str

    @property
    def total_fen(self) -> int:
        return self.fine_fen + self.late_fee_fen


def traffic_decision_receipt(data: TrafficDecisionReceiptData, *, is_reprint: bool = False) -> ReceiptJob:
    body = [
        *label_value("决定书编号", data.decision_number),
        *label_value("号牌号码", data.plate_number),
        Text("违法行为："),
        *paragraph(data.violation),
        *label_value("记分", f"{data.points}分"),
        *label_value("罚款", format_yuan(data.fine_fen)),
        *label_value("滞纳金", format_yuan(data.late_fee_fen)),
        Rule(),
        *label_value("实缴合计", format_yuan(data.total_fen), bold=True),
        *label_value("支付方式", data.channel),
        *label_value("缴款时间", format_time(data.paid_at)),
        *label_value("订单号", data.order_id),
        *label_value("终端编号", data.kiosk_id),
    ]
    footer = "本凭证为处罚决定书摘要，完整决定书可在交通安全综合服务管理平台查询"
    return _assemble(
        "违法处理凭证",
        body,
        footer,
        reference=data.order_id,
        kind="traffic_decision",
        issued_at=data.paid_at,
        is_reprint=is_reprint,
    )


@dataclass(frozen=True)
class AcceptanceReceiptData:
    reference_number: str  # 受理编号
    service_name: str
    accepted_at: datetime
    kiosk_id: str
    working_days: int = 3


def certificate_acceptance_receipt(data: AcceptanceReceiptData, *, is_reprint: bool = False) -> ReceiptJob:
    body = [
        *label_value("受理编号", data.reference_number, bold=True),
        *label_value("业务", data.service_name),
        *label_value("受理时间", format_time(data.accepted_at)),
        *label_value("终端编号", data.kiosk_id),
        Feed(1),
        *paragraph(f"您的申请已受理，预计{data.working_days}个工作日内办结。请凭受理编号查询办理结果。"),
        Feed(1),
        QrCode(data.reference_number, module_size=6, error_correction="M"),
    ]
    return _assemble(
        "受理回执",
        body,
        "请妥善保管本回执",
        reference=data.reference_number,
        kind="acceptance",
        issued_at=data.accepted_at,
        is_reprint=is_reprint,
    )


@dataclass(frozen=True)
class RefundReceiptData:
    order_id: str
    service_name: str
    amount_fen: int
    refund_reference: str  # the payment platform's refund id ("" while the refund waits to be asked again)
    state: str  # refunded | requested | failed | owed
    at: datetime
    kiosk_id: str


REFUND_STATE_TEXT = {"refunded": "已退款，1-3个工作日原路到账", "requested": "退款已受理，1-3个工作日原路到账",
                     "failed": "退款正在重新申请，到账后短信通知", "owed": "退款正在申请，1-3个工作日原路到账"}  # fmt: skip


def refund_receipt(data: RefundReceiptData, *, is_reprint: bool = False) -> ReceiptJob:
    """What a citizen charged without getting the document takes away: the refund and how to follow it up."""
    body = [
        *label_value("订单号", data.order_id),
        *label_value("业务", data.service_name),
        *label_value("退款单号", data.refund_reference or "申请中"),
        *label_value("时间", format_time(data.at)),
        *label_value("终端编号", data.kiosk_id),
        Rule(),
        *label_value("退款金额", format_yuan(data.amount_fen), bold=True),
        *paragraph(REFUND_STATE_TEXT.get(data.state, REFUND_STATE_TEXT["owed"])),
    ]
    return _assemble("退款凭证", body, "凭本凭证可到公安服务窗口查询", reference=data.order_id, kind="refund",
                     issued_at=data.at, is_reprint=is_reprint)  # fmt: skip
