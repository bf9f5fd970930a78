"""Receipts: content, the one reprint mark, GB2312-only text, widths that match what the printer (its
simulator) actually prints on 80 mm and 58 mm paper, and a preview that shows the same lines."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.units import mm

from devices.receipt.job import REPRINT_MARK, Align, Cut, LabelValue, QrCode, ReceiptJob, Text
from devices.receipt.layout import PrintLine, element_lines, header_lines, wrap_columns
from devices.receipt.profile import ReceiptProfile, in_gb2312, printable_text, text_columns
from devices.receipt.protocol import encode_job
from devices.receipt.render import ReceiptRenderer
from devices.receipt.stream import EscPosParser
from printing import demo
from printing.receipt_pdf import render_receipt_pdf
from printing.receipts import (
    as_reprint,
    certificate_acceptance_receipt,
    format_yuan,
    payment_receipt,
    traffic_decision_receipt,
)
from tests.printing.conftest import decode_qr_codes, page_texts, pdf_pages, render_png

PROFILES = [ReceiptProfile("80mm"), ReceiptProfile("58mm"), ReceiptProfile("58mm", "gb18030")]
AMBIGUOUS = "京A·12345 — 超速50%…× 3 ℃"
MIXED_TEXT = st.text(alphabet="违法行为机动车号牌京A12345-：，。()元 abcXYZ0123456789·—…×℃", max_size=80)


def _all_jobs(**plate) -> list[ReceiptJob]:
    traffic = dataclasses.replace(demo.demo_traffic_receipt(), plate_number="京A·12345", **plate)
    return [
        payment_receipt(demo.demo_payment_receipt()),
        traffic_decision_receipt(traffic),
        certificate_acceptance_receipt(demo.demo_acceptance_receipt(), is_reprint=True),
    ]


def laid_out(job: ReceiptJob, profile: ReceiptProfile) -> list[PrintLine]:
    lines = header_lines(job, profile)
    for element in job.elements:
        lines.extend(element_lines(element, profile) or [])
    return lines


def printed(job: ReceiptJob, profile: ReceiptProfile) -> list[str]:
    """What the simulated printer of that width puts on paper from the encoded bytes (text lines only)."""
    renderer = ReceiptRenderer(columns=profile.columns)
    renderer.apply(EscPosParser().feed(encode_job(job, profile)))
    receipt = renderer.tear_off() or renderer.receipts[-1]
    return [line.text for line in receipt.lines if line.qr is None and line.text]


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: f"{p.paper}-{p.charset}")
def test_what_the_layout_says_is_what_the_printer_prints(profile):
    """Every laid-out line fits the paper, so the printer never wraps on its own (which splits numbers)."""
    for job in _all_jobs():
        lines = laid_out(job, profile)
        assert all(line.columns <= profile.columns for line in lines)
        assert printed(job, profile) == [line.text for line in lines if line.text]


def test_east_asian_ambiguous_characters_take_two_columns():
    assert text_columns(AMBIGUOUS) == len(AMBIGUOUS) + sum(1 for ch in AMBIGUOUS if ord(ch) >= 0x80)
    profile = ReceiptProfile("80mm")
    job = ReceiptJob((LabelValue("号牌号码", "京A·12345"), Text("·" * 24), Text("·" * 25)))
    assert printed(job, profile) == [laid_out(job, profile)[0].text, "·" * 24, "·" * 24, "·"]
    assert len(printed(job, profile)[0]) < 48  # the dots fill 48 columns with fewer characters


def test_only_gb2312_characters_unless_the_printer_has_the_gb18030_font():
    text = "缴费 ¥10.00 – 𠀀 €"
    assert printable_text(text, "gb2312") == "缴费 ￥10.00 - ? ?"
    assert printable_text(text, "gb18030") == text
    for job in _all_jobs():
        for line in laid_out(job, ReceiptProfile("80mm")):
            assert all(in_gb2312(ch.encode("gbk")) for ch in line.text), line.text


@pytest.mark.parametrize("profile", PROFILES[:2], ids=lambda p: p.paper)
def test_the_sample_receipts_are_gb2312_clean_without_folding(profile):
    for job in _all_jobs():
        for element in job.elements:
            for attribute in ("text", "label", "value"):
                value = getattr(element, attribute, None)
                if value is not None:
                    assert printable_text(value, "gb2312") == value, value


@settings(max_examples=150, deadline=None)
@given(label=MIXED_TEXT, value=MIXED_TEXT, profile=st.sampled_from(PROFILES))
def test_label_value_never_exceeds_the_paper(label, value, profile):
    for line in element_lines(LabelValue(label, value), profile) or []:
        assert line.columns <= profile.columns


@settings(max_examples=150, deadline=None)
@given(text=MIXED_TEXT, width=st.integers(min_value=2, max_value=48))
def test_wrap_columns_fits_and_keeps_characters(text, width):
    lines = wrap_columns(text, width)
    assert all(text_columns(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_label_value_fills_the_line_exactly_or_moves_the_value_below():
    (line,) = element_lines(LabelValue("订单号", "KO2024"), ReceiptProfile("80mm"))
    assert line.columns == 48 and line.text.startswith("订单号 .") and line.text.endswith(". KO2024")
    long = element_lines(LabelValue("违法地点", "北京市朝阳区建国路与东三环中路交叉口向南约200米处"), ReceiptProfile("58mm"))
    assert long[0].text == "违法地点" and all(line.align == Align.RIGHT for line in long[1:])


def test_a_title_is_double_size_when_the_paper_has_room():
    title = Text("违法处理凭证", bold=True, double=True, align=Align.CENTER)
    assert element_lines(title, ReceiptProfile("80mm"))[0].double
    long_title = Text("违法处理凭证违法处理凭", bold=True, double=True)
    assert not element_lines(long_title, ReceiptProfile("58mm"))[0].double


def test_payment_receipt_content():
    data = demo.demo_payment_receipt()
    job = payment_receipt(data)
    text = "\n".join(printed(job, ReceiptProfile("80mm")))
    for expected in (data.order_id, data.service_name, "10.00元", data.channel, "2024-05-06 10:30:15", data.kiosk_id):
        assert expected in text
    assert job.reference == data.order_id and not job.is_reprint and "补打" not in text
    assert isinstance(job.elements[-1], Cut)


def test_traffic_receipt_totals_fine_and_late_fee():
    data = dataclasses.replace(demo.demo_traffic_receipt(), fine_fen=20000, late_fee_fen=1800)
    lines = printed(traffic_decision_receipt(data), ReceiptProfile("80mm"))
    text = "\n".join(lines)
    assert data.decision_number in text and "3分" in text and "200.00元" in text and "18.00元" in text
    assert next(line for line in lines if line.startswith("实缴合计")).endswith(" 218.00元")


def test_the_acceptance_slip_says_where_and_how_to_look_the_result_up():
    data = demo.demo_acceptance_receipt()
    job = certificate_acceptance_receipt(data)
    text = "".join(printed(job, ReceiptProfile("80mm")))
    assert data.result_url in text and "扫描下方二维码" in text and "2024-05-09前办结" in text
    assert QrCode(data.result_url, module_size=6, error_correction="M") in job.elements
    offline = certificate_acceptance_receipt(dataclasses.replace(data, result_url=None, settle_by=None))
    assert not any(isinstance(element, QrCode) for element in offline.elements)
    assert "3个工作日内" in "".join(printed(offline, ReceiptProfile("80mm")))


@pytest.mark.parametrize("profile", PROFILES[:2], ids=lambda p: p.paper)
def test_a_reprint_carries_exactly_one_mark_on_paper_and_in_the_preview(fonts, profile):
    original = payment_receipt(demo.demo_payment_receipt())
    reprint = as_reprint(as_reprint(original))
    assert reprint.elements == original.elements and reprint.is_reprint
    on_paper = "\n".join(printed(reprint, profile))
    preview = "".join(page_texts(render_receipt_pdf(reprint, profile)))
    assert on_paper.count("补打") == 1 and preview.count("补打") == 1 and "重打" not in on_paper + preview
    assert printed(reprint, profile)[0] == REPRINT_MARK
    assert "补打" not in "".join(printed(original, profile))


@pytest.mark.parametrize(("fen", "text"), [(0, "0.00元"), (1, "0.01元"), (1000, "10.00元"), (123456, "1234.56元")])
def test_format_yuan(fen, text):
    assert format_yuan(fen) == text


def test_negative_amount_is_refused():
    with pytest.raises(ValueError):
        format_yuan(-1)


@pytest.mark.parametrize("profile", PROFILES[:2], ids=lambda p: p.paper)
def test_receipt_pdf_has_the_papers_width_and_the_printed_lines(fonts, profile):
    job = traffic_decision_receipt(dataclasses.replace(demo.demo_traffic_receipt(), plate_number="京A·12345"))
    pdf = render_receipt_pdf(job, profile)
    (page,) = pdf_pages(pdf)
    assert float(page.mediabox.width) == pytest.approx(profile.paper_mm * mm, abs=0.01)
    extracted = "".join(page_texts(pdf)[0].split())
    for line in printed(job, profile):
        assert "".join(line.split()) in extracted
    assert pdf == render_receipt_pdf(job, profile)


def test_receipt_pdf_qr_decodes_to_the_result_url(fonts, tmp_path):
    data = demo.demo_acceptance_receipt()
    (image,) = render_png(render_receipt_pdf(certificate_acceptance_receipt(data)), tmp_path, dpi=200)
    assert decode_qr_codes(image) == [data.result_url]
