from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.units import mm

from devices.receipt.job import PAPER_COLUMNS, Align, Cut, QrCode, ReceiptJob, Text, display_width
from printing import demo
from printing.receipt_pdf import render_receipt_pdf
from printing.receipts import (
    REPRINT_MARK,
    apply_reprint_marking,
    as_reprint,
    certificate_acceptance_receipt,
    format_yuan,
    label_value,
    payment_receipt,
    text_columns,
    traffic_decision_receipt,
    wrap_columns,
)
from tests.printing.conftest import decode_qr_codes, page_texts, pdf_pages, render_png

MIXED_TEXT = st.text(alphabet="违法行为机动车号牌京A12345-：，。()元 abcXYZ0123456789", max_size=80)


def _texts(job: ReceiptJob) -> list[str]:
    return [element.text for element in job.elements if isinstance(element, Text)]


def _all_jobs() -> list[ReceiptJob]:
    return [
        payment_receipt(demo.demo_payment_receipt()),
        traffic_decision_receipt(demo.demo_traffic_receipt()),
        certificate_acceptance_receipt(demo.demo_acceptance_receipt(), is_reprint=True),
    ]


def test_label_value_fills_the_line_exactly():
    (line,) = label_value("订单号", "KO2024")
    assert display_width(line.text) == PAPER_COLUMNS
    assert line.text.startswith("订单号 .") and line.text.endswith(". KO2024")


def test_label_value_moves_a_long_value_to_its_own_right_aligned_lines():
    lines = label_value("违法地点", "北京市朝阳区建国路与东三环中路交叉口向南约200米处")
    assert lines[0].text == "违法地点"
    assert all(line.align == Align.RIGHT for line in lines[1:])
    assert "".join(line.text for line in lines[1:]) == "北京市朝阳区建国路与东三环中路交叉口向南约200米处"


@settings(max_examples=150, deadline=None)
@given(label=MIXED_TEXT, value=MIXED_TEXT)
def test_label_value_never_exceeds_the_paper(label, value):
    for line in label_value(label, value):
        assert text_columns(line) <= PAPER_COLUMNS


@settings(max_examples=150, deadline=None)
@given(text=MIXED_TEXT, width=st.integers(min_value=2, max_value=48))
def test_wrap_columns_fits_and_keeps_characters(text, width):
    lines = wrap_columns(text, width)
    assert all(display_width(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_every_receipt_fits_48_columns():
    for job in _all_jobs():
        assert all(text_columns(e) <= PAPER_COLUMNS for e in job.elements if isinstance(e, Text))
        assert isinstance(job.elements[-1], Cut)


def test_payment_receipt_content():
    data = demo.demo_payment_receipt()
    job = payment_receipt(data)
    text = "\n".join(_texts(job))
    for expected in (data.order_id, data.service_name, "10.00元", data.channel, "2024-05-06 10:30:15", data.kiosk_id):
        assert expected in text
    assert job.reference == data.order_id and not job.is_reprint
    assert REPRINT_MARK not in text


def test_traffic_receipt_totals_fine_and_late_fee():
    data = dataclasses.replace(demo.demo_traffic_receipt(), fine_fen=20000, late_fee_fen=1800)
    text = "\n".join(_texts(traffic_decision_receipt(data)))
    assert data.decision_number in text and "3分" in text
    assert "200.00元" in text and "18.00元" in text
    assert next(line for line in text.split("\n") if line.startswith("实缴合计")).endswith(" 218.00元")


def test_acceptance_receipt_promises_three_working_days_and_carries_the_reference_qr():
    data = demo.demo_acceptance_receipt()
    job = certificate_acceptance_receipt(data)
    assert "3个工作日内" in "".join(_texts(job))
    assert QrCode(data.reference_number, module_size=6, error_correction="M") in job.elements


def test_reprint_marking_appears_once_and_only_on_reprints():
    original = payment_receipt(demo.demo_payment_receipt())
    reprint = as_reprint(original)
    assert reprint.is_reprint and _texts(reprint)[0] == REPRINT_MARK
    assert _texts(as_reprint(reprint)).count(REPRINT_MARK) == 1
    unmarked = apply_reprint_marking(dataclasses.replace(reprint, is_reprint=False))
    assert unmarked.elements == original.elements
    built = payment_receipt(demo.demo_payment_receipt(), is_reprint=True)
    assert built.elements == reprint.elements


@pytest.mark.parametrize(("fen", "text"), [(0, "0.00元"), (1, "0.01元"), (1000, "10.00元"), (123456, "1234.56元")])
def test_format_yuan(fen, text):
    assert format_yuan(fen) == text


def test_negative_amount_is_refused():
    with pytest.raises(ValueError):
        format_yuan(-1)


def test_receipt_pdf_is_80_mm_wide_with_the_receipt_text(fonts):
    job = traffic_decision_receipt(demo.demo_traffic_receipt())
    pdf = render_receipt_pdf(job)
    (page,) = pdf_pages(pdf)
    assert float(page.mediabox.width) == pytest.approx(80 * mm, abs=0.01)
    extracted = [line.strip() for line in page_texts(pdf)[0].split("\n")]
    for line in _texts(job):
        assert line.strip() in extracted
    assert pdf == render_receipt_pdf(job)


def test_receipt_pdf_qr_decodes(fonts, tmp_path):
    data = demo.demo_acceptance_receipt()
    (image,) = render_png(render_receipt_pdf(certificate_acceptance_receipt(data)), tmp_path, dpi=200)
    assert decode_qr_codes(image) == [data.reference_number]
