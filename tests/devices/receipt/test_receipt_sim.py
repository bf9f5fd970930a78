"""The simulator's stream parser and print engine: any chunking, any bytes, receipts read back as text."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.receipt.job import Align, Cut, QrCode, ReceiptJob, Text
from devices.receipt.protocol import encode_job, qr_store, status_request
from devices.receipt.render import MAX_KEPT_RECEIPTS, MAX_LINES_PER_RECEIPT
from devices.receipt.samples import payment_receipt
from devices.receipt.sim import ReceiptPrinterSimulator, load_scenario, scenario_names
from devices.receipt.stream import MAX_KEPT_PAYLOAD, Command, EscPosParser, TextRun


def merged(events: list) -> list:
    """Events with adjacent text runs joined (chunking may split a run)."""
    out: list = []
    for event in events:
        if isinstance(event, TextRun) and out and isinstance(out[-1], TextRun):
            out[-1] = TextRun(out[-1].data + event.data)
        else:
            out.append(event)
    return out


def feed_in_pieces(data: bytes, cuts: list[int]) -> list:
    parser = EscPosParser()
    events, start = [], 0
    for cut in sorted(set(cuts)):
        events += parser.feed(data[start:cut])
        start = cut
    return events + parser.feed(data[start:])


def test_parser_names_commands_and_keeps_qr_payload() -> None:
    events = EscPosParser().feed(b"\x1b@\x1c&\x1bE\x01Hi\n" + qr_store(b"ABC") + b"\x1dVB\x00")
    names = [e.name if isinstance(e, Command) else e.data for e in events]
    assert names == ["initialise", "hanzi_on", "bold", b"Hi", "lf", "symbol", "cut"]
    assert events[5].payload == b"1P0ABC"
    assert events[6].payload == b"\x00"


def test_big_raster_images_are_skipped_by_count_not_buffered() -> None:
    image = b"\x1dv0\x00" + (100).to_bytes(2, "little") + (200).to_bytes(2, "little") + b"\xff" * 20000
    parser = EscPosParser()
    events = []
    for start in range(0, len(image) + 3, 1000):
        events += parser.feed((image + b"ok\n")[start : start + 1000])
        assert parser.buffered <= 8
    assert [type(e).__name__ for e in events] == ["Command", "TextRun", "Command"]
    assert events[0].skipped == 20000 and events[1].data == b"ok"


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_any_chunking_gives_the_same_events(data: st.DataObject) -> None:
    stream = encode_job(payment_receipt()) + status_request(2)
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=20))
    assert merged(feed_in_pieces(stream, cuts)) == merged(EscPosParser().feed(stream))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.lists(st.integers(0, 600), max_size=6))
def test_arbitrary_bytes_never_crash_the_parser_and_buffers_stay_bounded(data: bytes, cuts: list[int]) -> None:
    parser = EscPosParser()
    start = 0
    for cut in [*sorted(set(cuts)), len(data)]:
        parser.feed(data[start:cut])
        start = max(start, cut)
        assert parser.buffered <= MAX_KEPT_PAYLOAD + 8


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=800))
def test_arbitrary_bytes_never_crash_the_simulator(data: bytes) -> None:
    sim = ReceiptPrinterSimulator()
    sim.write_from_host(data)
    sim.write_from_host(status_request(1))
    assert len(sim.receipts) <= MAX_KEPT_RECEIPTS
    assert all(len(r.lines) <= MAX_LINES_PER_RECEIPT for r in sim.receipts)
    assert sim.describe()["parser_buffered"] <= MAX_KEPT_PAYLOAD + 8


def test_a_receipt_reads_back_as_text_with_markers_and_cut() -> None:
    sim = ReceiptPrinterSimulator()
    job = ReceiptJob(
        (Text("缴费凭证", bold=True, double=True, align=Align.CENTER), Text("金额 10 元"), QrCode("ABC"), Cut())
    )
    data = encode_job(job)
    for start in range(0, len(data), 7):  # dribbled in 7-byte pieces, splitting GB18030 characters
        sim.write_from_host(data[start : start + 7])
    [receipt] = sim.receipts
    assert receipt.text_lines() == ["[2x] **缴费凭证**", "金额 10 元", "[QR:ABC]"]
    assert receipt.lines[0].align == "center" and receipt.cut == "partial"
    assert sim.transcript()[-1] == "--- cut ---"


def test_without_fs_ampersand_a_non_chinese_printer_prints_mojibake() -> None:
    sim = ReceiptPrinterSimulator()
    sim.write_from_host(b"\x1b@" + "汉字".encode("gb18030") + b"\n")
    assert sim.current_lines != ["汉字"]
    chinese_model = ReceiptPrinterSimulator(hanzi_default=True)
    chinese_model.write_from_host(b"\x1b@" + "汉字".encode("gb18030") + b"\n")
    assert chinese_model.current_lines == ["汉字"]


def test_text_wraps_at_48_columns_and_esc_at_drops_an_unprinted_line() -> None:
    sim = ReceiptPrinterSimulator()
    sim.write_from_host(b"\x1b@\x1c&" + "汉".encode("gb18030") * 25 + b"\nlost\x1b@kept\n")
    assert sim.current_lines == ["汉" * 24, "汉", "kept"]


@pytest.mark.parametrize(
    ("scenario", "replies"),
    [
        ("ok", [0x12, 0x12, 0x12, 0x12]),
        ("paper_near_end", [0x12, 0x12, 0x12, 0x1E]),
        ("cover_open", [0x1A, 0x16, 0x12, 0x12]),
        ("cutter_error", [0x1A, 0x52, 0x1A, 0x12]),
        ("offline", [0x1A, 0x12, 0x12, 0x12]),
    ],
)
def test_scenarios_answer_dle_eot_like_a_printer(scenario: str, replies: list[int]) -> None:
    sim = ReceiptPrinterSimulator(load_scenario(scenario))
    for n in (1, 2, 3, 4):
        sim.write_from_host(status_request(n))
    assert b"".join(sim.read_to_host(1, 1.0) for _ in range(4)) == bytes(replies)


def test_silence_never_answers_and_prints_nothing() -> None:
    sim = ReceiptPrinterSimulator(load_scenario("silence"))
    sim.write_from_host(status_request(1) + encode_job(payment_receipt()))
    assert sim.read_to_host(1, 0.05) == b"" and sim.receipts == [] and sim.current_lines == []


def test_slow_drain_dribbles_pipelined_replies_one_chunk_at_a_time() -> None:
    sim = ReceiptPrinterSimulator(load_scenario("slow_drain"))
    start = time.monotonic()
    sim.write_from_host(b"".join(status_request(n) for n in (1, 2, 3, 4)))
    assert [sim.read_to_host(4, 2.0) for _ in range(4)] == [b"\x12"] * 4  # one byte per read
    assert time.monotonic() - start >= 4 * sim.scenario.reply_delay_s


def test_paper_runs_out_mid_job_then_refill_tears_off_the_partial_receipt() -> None:
    sim = ReceiptPrinterSimulator.from_params({"scenario": "paper_out_mid_job", "paper_out_after": "150"})
    job = encode_job(payment_receipt())
    sim.write_from_host(job)
    assert sim.paper == "out" and sim.receipts == []
    assert sim.dropped_bytes > 0 and 0 < len(sim.current_lines) < 10
    sim.write_from_host(status_request(4))
    assert sim.read_to_host(1, 1.0) == b"\x72"
    sim.refill()
    assert len(sim.torn) == 1 and sim.torn[0].cut == "torn" and sim.current_lines == []
    sim.write_from_host(job)
    assert len(sim.receipts) == 1 and sim.paper == "ok"


def test_cover_open_stops_printing_until_closed() -> None:
    sim = ReceiptPrinterSimulator()
    sim.open_cover()
    sim.write_from_host(encode_job(payment_receipt()))
    assert sim.receipts == []
    sim.close_cover()
    sim.write_from_host(encode_job(payment_receipt()))
    assert len(sim.receipts) == 1


def test_scenario_files_load_and_unknown_ones_are_refused() -> None:
    assert {
        "ok",
        "paper_near_end",
        "paper_out_mid_job",
        "cover_open",
        "cutter_error",
        "offline",
        "silence",
        "slow_drain",
    } <= set(scenario_names())
    with pytest.raises(ValueError, match="unknown"):
        load_scenario("nope")


def test_png_of_a_receipt_has_a_readable_qr(tmp_path) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    cv2 = pytest.importorskip("cv2")
    sim = ReceiptPrinterSimulator()
    sim.write_from_host(encode_job(payment_receipt("PAY-1")))
    path = sim.render_png(0, tmp_path / "receipt.png")
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    assert image.shape[1] == 592 and image.shape[0] > 600
    assert [r.text for r in zxingcpp.read_barcodes(image)] == ["https://ga.example.gov.cn/q?order=PAY-1"]
