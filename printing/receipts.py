"""Receipts as devices.receipt.job.ReceiptJob: what they say, not how wide the paper is.

The driver lays the job out for its printer (48 columns on 80 mm, 32 on 58 mm, long values wrapped with
numbers kept whole) and adds the one reprint mark (补打) to a reprint. Receipts identify the transaction
(order / reference number), never the person. Only characters of GB2312 are used in fixed texts (￥ or 元,
never ¥), because that is the font most kiosk printers carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from devices.receipt.job import Align, Cut, Element, Feed, LabelValue, QrCode, ReceiptJob, Rule, Text

HEADER = "智慧警务室 自助服务终端"


def label_value(label: str, value: str, *, bold: bool = False) -> tuple[LabelValue]:
    return (LabelValue(label, value, bold=bold),)


def paragraph(text: str, *, align: Align = Align.LEFT, bold: bool = False) -> tuple[Text]:
    return (Text(text, bold=bold, align=align),)


def title(text: str) -> tuple[Text]:
    """Double-size centred when the paper has room for it, else bold normal size (decided by the driver)."""
    return (Text(text, bold=True, double=True, align=Align.CENTER),)


def format_yuan(fen: int) -> str:
    """Amounts are integer fen to keep money out of floating point: 1000 -> 10.00元."""
    if fen < 0:
        raise ValueError("amount must not be negative")
    return f"{fen // 100}.{fen % 100:02d}元"


def format_time(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def as_reprint(job: ReceiptJob) -> ReceiptJob:
    """The same receipt flagged as a reprint: the driver prints its one 补打 mark at the top."""
    return replace(job, is_reprint=True)


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
    return ReceiptJob(
        elements=tuple(elements),
        reference=reference,
        is_reprint=is_reprint,
        metadata={"kind": kind, "issued_at": issued_at.isoformat()},
    )


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
    result_url: str | None = None  # where the result is looked up, from the backend (the QR's content)
    settle_by: date | None = None  # from the backend; None: the usual 3 working days are promised
    working_days: int = 3


def _how_to_look_up(data: AcceptanceReceiptData) -> list[Element]:
    when = f"预计{data.settle_by:%Y-%m-%d}前办结" if data.settle_by else f"预计{data.working_days}个工作日内办结"
    if data.result_url is None:
        return [*paragraph(f"您的申请已受理，{when}。请本人携带身份证件和本回执到公安机关户籍窗口查询办理结果。")]
    return [
        *paragraph(f"您的申请已受理，{when}。查询办理结果：用手机扫描下方二维码，或在浏览器打开以下网址："),
        *paragraph(data.result_url),
        Feed(1),
        QrCode(data.result_url, module_size=6, error_correction="M"),
    ]


def certificate_acceptance_receipt(data: AcceptanceReceiptData, *, is_reprint: bool = False) -> ReceiptJob:
    body = [
        *label_value("受理编号", data.reference_number, bold=True),
        *label_value("业务", data.service_name),
        *label_value("受理时间", format_time(data.accepted_at)),
        *label_value("终端编号", data.kiosk_id),
        Feed(1),
        *_how_to_look_up(data),
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
