"""Sample jobs for demos, `kiosk diag` test prints, tests and benchmarks. No personal data."""

from __future__ import annotations

from devices.receipt.job import Align, Cut, Feed, QrCode, ReceiptJob, Rule, Text


def payment_receipt(order: str = "PAY-20240501-0007") -> ReceiptJob:
    """A typical payment receipt: ~15 lines of Chinese, a QR code and a cut."""
    lines = [
        Text("XX市公安局自助警务室", bold=True, double=True, align=Align.CENTER),
        Text("缴费凭证", bold=True, align=Align.CENTER),
        Rule(),
        Text(f"订单号: {order}"),
        Text("业务类型: 临时居民身份证办理"),
        Text("办理地点: 城南派出所 24小时自助警务室"),
        Text("终端编号: KIOSK-0042"),
        Text("交易时间: 2024-05-01 10:32:15"),
        Text("支付方式: 微信支付"),
        Text("交易流水: 4200001234202405011234567890"),
        Rule(),
        Text("应付金额:              10.00元"),
        Text("实付 10.00元", bold=True, double=True),
        Rule(),
        Text("请妥善保管本凭证，扫描下方二维码可查询办理进度。"),
        Text("如有疑问请拨打 12345 或咨询值班民警。"),
        QrCode(f"https://ga.example.gov.cn/q?order={order}", module_size=6, error_correction="M"),
        Text("谢谢使用", align=Align.CENTER),
        Feed(2),
        Cut(),
    ]
    return ReceiptJob(tuple(lines), reference=order)
