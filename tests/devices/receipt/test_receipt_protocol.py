"""Exact bytes of the ESC/POS encoder and the DLE EOT status parser."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.errors import ProtocolError
from devices.receipt import protocol
from devices.receipt.errors import StatusReplyError
from devices.receipt.job import Align, Cut, Feed, QrCode, ReceiptJob, Rule, Text
from devices.receipt.layout import wrap_columns
from devices.receipt.protocol import PrinterStatus, encode_job, encode_segments, parse_status


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def test_qr_store_of_abc_matches_the_manual() -> None:
    assert protocol.qr_store(b"ABC") == h("1D 28 6B 06 00 31 50 30 41 42 43")


def test_qr_code_sequence_model_size_error_correction_store_print() -> None:
    encoded = protocol.qr_code(QrCode("ABC", module_size=8, error_correction="Q"))
    assert encoded == h(
        "1B 61 01"  # centre
        "1D 28 6B 04 00 31 41 32 00"  # model 2
        "1D 28 6B 03 00 31 43 08"  # module size 8
        "1D 28 6B 03 00 31 45 32"  # error correction Q
        "1D 28 6B 06 00 31 50 30 41 42 43"  # store "ABC"
        "1D 28 6B 03 00 31 51 30"  # print
    )


def test_qr_store_length_uses_both_length_bytes() -> None:
    data = b"x" * 300
    assert protocol.qr_store(data)[:5] == h("1D 28 6B") + (303).to_bytes(2, "little")


@pytest.mark.parametrize(
    ("element", "message"),
    [
        (QrCode("x", module_size=17), "module size"),
        (QrCode("x", error_correction="Z"), "error correction"),
        (QrCode(""), "QR data"),
        (QrCode("9" * 7090), "QR data"),
    ],
)
def test_invalid_qr_codes_are_refused_before_any_io(element: QrCode, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        protocol.encode_element(element)


def test_job_starts_with_init_then_hanzi_mode_and_encodes_chinese_as_gb18030() -> None:
    job = ReceiptJob((Text("缴费凭证"),))
    assert encode_job(job) == h("1B 40 1C 26") + h("1B 61 00 1B 45 00 1D 21 00") + "缴费凭证".encode("gb18030") + b"\n"
    assert "缴费凭证".encode("gb18030") == h("BD C9 B7 D1 C6 BE D6 A4")


def test_text_attributes_bold_double_and_alignment() -> None:
    encoded = protocol.text_line(Text("合计", bold=True, double=True, align=Align.RIGHT))
    assert encoded == h("1B 61 02 1B 45 01 1D 21 11") + h("BA CF BC C6 0A")


def test_feed_cut_and_rule() -> None:
    assert protocol.encode_element(Feed(3)) == h("1B 64 03")
    assert protocol.encode_element(Feed(300)) == h("1B 64 FF 1B 64 2D")
    assert protocol.encode_element(Cut()) == h("1D 56 42 00")
    assert protocol.encode_element(Cut(partial=False)) == h("1D 56 41 00")
    assert protocol.encode_element(Rule("=")).endswith(b"=" * 48 + b"\n")
    # '─' is "ambiguous" in Unicode but a full-width glyph in 汉字 mode: 24 of them fill 48 columns
    assert protocol.encode_element(Rule("─")).endswith("─".encode("gb18030") * 24 + b"\n")


def test_control_characters_in_text_cannot_inject_commands() -> None:
    encoded = protocol.text_line(Text("A\x1b@B\x10\x04\x01C"))
    assert encoded.endswith(b"A@BC\n")
    assert encoded.count(b"\x1b") == 2  # only the align and bold commands the encoder wrote


def test_long_lines_wrap_at_48_columns_each_line_with_its_own_modes() -> None:
    wrapped = protocol.text_line(Text("汉" * 30)).split(b"\n")
    modes = h("1B 61 00 1B 45 00 1D 21 00")
    assert wrapped[:2] == [modes + "汉".encode("gb18030") * 24, modes + "汉".encode("gb18030") * 6]
    assert wrap_columns("汉" * 13, 24) == ["汉" * 12, "汉"]
    assert wrap_columns("word " * 12, 48)[0].rstrip() == ("word " * 9).rstrip()


def test_a_double_size_text_too_wide_for_double_prints_bold_at_normal_size() -> None:
    assert protocol.text_line(Text("汉" * 12, double=True)).startswith(h("1B 61 00 1B 45 00 1D 21 11"))
    too_wide = protocol.text_line(Text("汉" * 13, double=True))
    assert too_wide == h("1B 61 00 1B 45 01 1D 21 00") + "汉".encode("gb18030") * 13 + b"\n"


def test_segments_are_header_plus_one_per_element() -> None:
    job = ReceiptJob((Text("a"), Feed(1), Cut()))
    segments = encode_segments(job)
    assert segments[0] == h("1B 40 1C 26")
    assert len(segments) == 4
    assert b"".join(segments) == encode_job(job)


def test_status_requests() -> None:
    assert [protocol.status_request(n) for n in (1, 2, 3, 4)] == [
        h("10 04 01"),
        h("10 04 02"),
        h("10 04 03"),
        h("10 04 04"),
    ]
    with pytest.raises(ValueError):
        protocol.status_request(5)


@pytest.mark.parametrize(
    ("replies", "expected"),
    [
        ("12 12 12 12", PrinterStatus(True, "ok", False, None, False)),
        ("12 12 12 1E", PrinterStatus(True, "near_end", False, None, False)),
        ("1A 32 12 72", PrinterStatus(False, "out", False, None, False)),
        ("1A 32 12 7E", PrinterStatus(False, "out", False, None, False)),
        ("1A 16 12 12", PrinterStatus(False, "ok", True, None, False)),
        ("1A 52 1A 12", PrinterStatus(False, "ok", False, "cutter", False)),
        ("1A 52 16 12", PrinterStatus(False, "ok", False, "mechanical", False)),
        ("1A 52 32 12", PrinterStatus(False, "ok", False, "unrecoverable", False)),
        ("1A 52 52 12", PrinterStatus(False, "ok", False, "recoverable", False)),
        ("1A 52 12 12", PrinterStatus(False, "ok", False, "recoverable", False)),  # error flagged, no cause
        ("1A 1A 12 12", PrinterStatus(False, "ok", False, None, True)),
        ("1A 32 12 12", PrinterStatus(False, "out", False, None, False)),  # stopped at paper end
    ],
)
def test_status_bytes_parse_to_printer_status(replies: str, expected: PrinterStatus) -> None:
    assert parse_status(h(replies)) == expected


def test_can_print_only_when_online_with_paper_closed_and_no_error() -> None:
    assert parse_status(h("12 12 12 1E")).can_print
    assert not parse_status(h("1A 16 12 12")).can_print


@pytest.mark.parametrize("bad", ["13 12 12 12", "12 92 12 12", "12 12 10 12", "12 12 12 02", "00 00 00 00"])
def test_replies_of_the_wrong_shape_raise_a_typed_error(bad: str) -> None:
    with pytest.raises(StatusReplyError):
        parse_status(h(bad))


@pytest.mark.parametrize("length", [0, 3, 5])
def test_wrong_number_of_replies_is_a_protocol_error(length: int) -> None:
    with pytest.raises(StatusReplyError):
        parse_status(b"\x12" * length)


@settings(deadline=None)
@given(st.binary(min_size=0, max_size=8))
def test_any_bytes_give_a_status_or_a_typed_error(data: bytes) -> None:
    try:
        status = parse_status(data)
    except ProtocolError:
        assert len(data) != 4 or not all(protocol.is_status_reply(b) for b in data)
        return
    assert len(data) == 4 and all(b & 0x93 == 0x12 for b in data)
    assert status.paper in ("ok", "near_end", "out")
    assert status.error in (None, "cutter", "mechanical", "recoverable", "unrecoverable")


@settings(deadline=None)
@given(st.lists(st.sampled_from([b for b in range(256) if b & 0x93 == 0x12]), min_size=4, max_size=4))
def test_every_valid_reply_combination_parses(replies: list[int]) -> None:
    status = parse_status(bytes(replies))
    assert status.online == (not replies[0] & 0x08)
    assert status.cover_open == bool(replies[1] & 0x04)


def test_a_reprint_is_marked_in_the_header_segment_so_segment_numbers_stay_the_same() -> None:
    original = ReceiptJob((Text("a"), Cut()))
    reprint = ReceiptJob(original.elements, is_reprint=True)
    assert encode_segments(reprint)[1:] == encode_segments(original)[1:]
    assert encode_segments(reprint)[0].startswith(h("1B 40 1C 26"))
    assert encode_segments(reprint)[0].count("补打".encode("gb18030")) == 1
