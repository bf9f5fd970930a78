"""ReceiptPrinter against the simulator: in-process (sim://), through a real pty and over TCP."""

from __future__ import annotations

import pytest

from devices.errors import DeviceBusy, DeviceTimeout, DeviceUnavailable
from devices.operation import CancelToken
from devices.receipt.device import ReceiptPrinter, plan_chunks
from devices.receipt.errors import (
    PrintCancelled,
    PrinterNotReady,
    PrintInterrupted,
    PrintUnplugged,
    StatusReplyError,
)
from devices.receipt.job import REPRINT_MARK, ReceiptJob, Text
from devices.receipt.protocol import encode_segments
from devices.receipt.samples import payment_receipt
from devices.receipt.sim import ReceiptPrinterSimulator
from devices.registry import DeviceSettings, build_device
from devices.sim import registry
from devices.sim.hosts import PtySimulator, TcpSimulator
from devices.status import DeviceState
from devices.transport import Transport, TransportSettings


def job_lines(job: ReceiptJob) -> list[str]:
    return [e.text for e in job.elements if isinstance(e, Text)]


def attach(engine: ReceiptPrinterSimulator, name: str, **options: object) -> ReceiptPrinter:
    """A printer on a sim:// URL whose engine the test built (to script mid-job events)."""
    registry.register_instance(name, engine)
    printer = ReceiptPrinter("receipt", Transport(TransportSettings(url=f"sim://receipt?instance={name}")), **options)
    printer.open()
    return printer


@pytest.mark.parametrize(
    ("scenario", "state", "paper", "cover_open", "error"),
    [
        ("ok", DeviceState.ONLINE, "ok", False, None),
        ("paper_near_end", DeviceState.ONLINE, "near_end", False, None),
        ("paper_out_mid_job", DeviceState.ONLINE, "near_end", False, None),
        ("cover_open", DeviceState.USER_ERROR, "ok", True, None),
        ("cutter_error", DeviceState.HARDWARE_ERROR, "ok", False, "cutter"),
        ("offline", DeviceState.OFFLINE, "ok", False, None),
        ("slow_drain", DeviceState.ONLINE, "ok", False, None),
    ],
)
def test_every_scenario_maps_to_its_device_status(make_printer, scenario, state, paper, cover_open, error) -> None:
    printer, _ = make_printer(scenario)
    assert printer.status.state is state
    assert dict(printer.status.detail) == {"paper": paper, "cover_open": cover_open, "error": error}


def test_paper_out_is_a_user_error_and_mechanical_faults_hardware_errors(make_printer) -> None:
    printer, sim = make_printer()
    sim.set_paper("out")
    printer.query_status()
    assert printer.status.state is DeviceState.USER_ERROR and printer.status.detail["paper"] == "out"
    sim.refill()
    for fault, state in (
        ("mechanical", "hardware_error"),
        ("unrecoverable", "hardware_error"),
        ("recoverable", "offline"),
    ):
        sim.set_error(fault)
        assert printer.query_status().error == fault
        assert printer.status.state.value == state


def test_silence_is_offline_on_open_and_a_timeout_on_query(make_printer) -> None:
    printer, _ = make_printer("silence", reply_timeout=0.05)
    assert printer.status.state is DeviceState.OFFLINE and printer.status.last_error == "timeout"
    with pytest.raises(DeviceTimeout):
        printer.query_status()
    with pytest.raises(DeviceTimeout):
        printer.print_job(payment_receipt())


def test_slow_replies_need_a_long_enough_reply_timeout(make_printer) -> None:
    patient, _ = make_printer("slow_drain", reply_timeout=1.0)
    assert patient.query_status().paper == "ok"
    hasty, _ = make_printer("slow_drain", reply_timeout=0.005)
    with pytest.raises(DeviceTimeout):
        hasty.query_status()


def test_status_changes_are_published_only_on_real_change(make_printer) -> None:
    printer, sim = make_printer()
    events = []
    printer.subscribe(lambda name, status: events.append(status))
    for _ in range(3):
        printer.query_status()
    assert events == []
    sim.set_paper("near_end")
    printer.query_status()
    printer.query_status()
    assert [e.detail["paper"] for e in events] == ["near_end"]


def test_prints_a_receipt_and_reads_it_back(make_printer) -> None:
    printer, sim = make_printer(chunk_size=128)
    job = payment_receipt("PAY-42")
    result = printer.print_job(job)
    [receipt] = sim.receipts
    assert result.bytes_sent == result.total_bytes == len(b"".join(encode_segments(job)))
    assert result.chunks > 1 and printer.status.state is DeviceState.ONLINE
    assert "订单号: PAY-42" in receipt.plain_lines()
    assert receipt.text_lines()[0] == "[2x] **XX市公安局自助警务室**"
    assert receipt.qr_codes == ["https://ga.example.gov.cn/q?order=PAY-42"]
    assert all(line in receipt.plain_lines() for line in job_lines(job) if len(line) < 24)


@pytest.mark.parametrize(
    ("arrange", "code"),
    [
        (lambda sim: sim.set_paper("out"), "paper_out"),
        (lambda sim: sim.open_cover(), "cover_open"),
        (lambda sim: sim.set_online(False), "printer_offline"),
        (lambda sim: sim.set_error("cutter"), "printer_error"),
    ],
)
def test_a_job_is_refused_before_any_print_data_when_the_printer_cannot_print(make_printer, arrange, code) -> None:
    printer, sim = make_printer()
    arrange(sim)
    sim.received.clear()
    with pytest.raises(PrinterNotReady) as refused:
        printer.print_job(payment_receipt())
    assert refused.value.code == code
    assert bytes(sim.received) == b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04"


def test_paper_out_mid_job_reports_progress_and_the_job_can_be_resumed(make_printer) -> None:
    printer, sim = make_printer("paper_out_mid_job", query="paper_out_after=400", chunk_size=128)
    job = payment_receipt()
    with pytest.raises(PrintInterrupted) as interrupted:
        printer.print_job(job)
    error = interrupted.value
    assert error.cause == "paper_out" and "bytes sent" in str(error)
    assert 400 <= error.bytes_sent < error.total_bytes and error.resume_segment > 1
    assert printer.status.state is DeviceState.USER_ERROR and printer.status.last_error == "print_interrupted"
    sim.refill()
    printer.print_job(job, start_segment=error.resume_segment)
    printed = sim.torn[0].plain_lines() + sim.receipts[0].plain_lines()
    assert all(line in printed for line in job_lines(job) if len(line) < 24)  # nothing lost
    assert printer.status.state is DeviceState.ONLINE


def test_cover_opened_mid_job_is_reported_with_progress_and_a_reprint_comes_out_whole() -> None:
    class CoverOpensMidJob(ReceiptPrinterSimulator):
        def receive(self, data: bytes) -> None:
            super().receive(data)
            if len(self.received) > 300 and not self.torn and not self.receipts:
                self.open_cover()

    sim = CoverOpensMidJob()
    printer = attach(sim, "cover-mid-job", chunk_size=100)
    with pytest.raises(PrintInterrupted) as interrupted:
        printer.print_job(payment_receipt())
    assert interrupted.value.cause == "cover_open" and interrupted.value.bytes_sent > 300
    sim.close_cover()
    printer.print_job(ReceiptJob(payment_receipt().elements, is_reprint=True))
    assert len(sim.torn) == 1 and len(sim.receipts) == 1
    assert sim.receipts[0].plain_lines()[0] == REPRINT_MARK
    assert sim.receipts[0].qr_codes


def test_cancel_mid_job_voids_and_cuts_the_partial_receipt() -> None:
    token = CancelToken()

    class CancelsMidJob(ReceiptPrinterSimulator):
        def receive(self, data: bytes) -> None:
            super().receive(data)
            if len(self.received) > 200:
                token.cancel()

    sim = CancelsMidJob()
    printer = attach(sim, "cancel-mid-job", chunk_size=100)
    with pytest.raises(PrintCancelled) as cancelled:
        printer.print_job(payment_receipt(), cancel=token)
    assert cancelled.value.code == "cancelled" and cancelled.value.bytes_sent > 0
    assert "*** 作废 VOID ***" in sim.receipts[0].plain_lines()


def test_unplug_mid_job_is_reported_and_the_printer_recovers_when_plugged_back() -> None:
    class UnpluggedMidJob(ReceiptPrinterSimulator):
        pulled = False

        def receive(self, data: bytes) -> None:
            super().receive(data)
            if len(self.received) > 200 and not self.pulled:
                self.pulled = True
                self.unplug()

    sim = UnpluggedMidJob()
    printer = attach(sim, "unplug-mid-job", chunk_size=100)
    with pytest.raises(PrintUnplugged) as unplugged:
        printer.print_job(payment_receipt())
    assert isinstance(unplugged.value, DeviceUnavailable) and unplugged.value.bytes_sent > 200
    assert printer.status.state is DeviceState.OFFLINE
    sim.plug()
    sim.tear_off()  # the partial receipt, as a technician would
    printer.print_job(payment_receipt())
    assert len(sim.torn) == 1 and len(sim.receipts) == 1 and printer.status.state is DeviceState.ONLINE


def test_unplugged_printer_raises_unavailable_on_query(make_printer) -> None:
    printer, sim = make_printer()
    sim.unplug()
    with pytest.raises(DeviceUnavailable):
        printer.query_status()
    assert printer.status.state is DeviceState.OFFLINE


def test_garbage_status_reply_is_a_typed_protocol_error() -> None:
    class Garbage(ReceiptPrinterSimulator):
        def status_byte(self, function: int) -> int | None:
            return 0xFF

    printer = attach(Garbage(), "garbage")
    assert printer.status.state is DeviceState.HARDWARE_ERROR
    with pytest.raises(StatusReplyError):
        printer.query_status()


def test_printer_is_busy_during_a_job_and_status_queries_are_refused() -> None:
    seen = []

    class Observer(ReceiptPrinterSimulator):
        def receive(self, data: bytes) -> None:
            super().receive(data)
            if len(data) > 3 and not seen:
                seen.append(printer.status.state)
                try:
                    printer.query_status()
                except DeviceBusy as error:
                    seen.append(error.code)

    printer = attach(Observer(), "busy")
    printer.print_job(payment_receipt())
    assert seen == [DeviceState.BUSY, "busy"]


def test_plan_chunks_splits_only_between_segments_and_resumes_with_the_header() -> None:
    segments = [b"H", b"a" * 50, b"b" * 50, b"c" * 200, b"d"]
    chunks = plan_chunks(segments, 0, 100)
    assert [first for first, _ in chunks] == [0, 2, 3, 4]
    assert b"".join(c for _, c in chunks) == b"".join(segments)
    assert plan_chunks(segments, 3, 100)[0] == (3, b"H" + b"c" * 200)
    with pytest.raises(ValueError):
        plan_chunks(segments, 5, 100)


def test_registry_builds_it_with_options() -> None:
    printer = build_device(
        DeviceSettings("receipt", "receipt_printer", "sim://receipt?instance=reg", options={"chunk_size": 64})
    )
    assert isinstance(printer, ReceiptPrinter) and printer.kind == "receipt_printer" and printer.chunk_size == 64


def test_end_to_end_through_a_real_pty() -> None:
    sim = ReceiptPrinterSimulator()
    with PtySimulator(sim) as host:
        printer = ReceiptPrinter("receipt", Transport(TransportSettings(url=host.port_path)), reply_timeout=1.0)
        printer.open()
        try:
            assert printer.status.state is DeviceState.ONLINE
            printer.print_job(payment_receipt("PTY-1"))
            sim.set_paper("near_end")
            assert printer.query_status().paper == "near_end"
        finally:
            printer.close()
    assert "订单号: PTY-1" in sim.receipts[0].plain_lines()


def test_end_to_end_over_tcp() -> None:
    sim = ReceiptPrinterSimulator()
    with TcpSimulator(sim) as server:
        printer = ReceiptPrinter("receipt", Transport(TransportSettings(url=server.url)), reply_timeout=1.0)
        printer.open()
        try:
            printer.print_job(payment_receipt("TCP-1"))
            sim.open_cover()
            assert printer.query_status().cover_open
            assert printer.status.state is DeviceState.USER_ERROR
        finally:
            printer.close()
    assert sim.receipts[0].qr_codes == ["https://ga.example.gov.cn/q?order=TCP-1"]


@pytest.mark.parametrize(("paper", "columns"), [("80mm", 48), ("58mm", 32)])
def test_the_paper_option_lays_receipts_out_for_58_and_80_mm(paper: str, columns: int) -> None:
    from devices.receipt.job import LabelValue
    from devices.receipt.profile import text_columns

    sim = ReceiptPrinterSimulator(paper=paper)
    printer = attach(sim, f"paper-{paper}", paper=paper)
    assert printer.capabilities()["columns"] == columns and printer.capabilities()["encoding"] == "gb2312"
    job = ReceiptJob((LabelValue("号牌号码", "京A·12345"), Text("本凭证为处罚决定书摘要，完整决定书可在交通安全综合服务管理平台查询"),
                      Text("￥10.00 ¥10.00")))  # fmt: skip
    printer.print_job(job)
    sent = bytes(sim.received)
    for function in (1, 2, 3, 4):  # the status requests between chunks
        sent = sent.replace(bytes([0x10, 0x04, function]), b"")
    assert sent == printer.encode(job)  # what encode() says is exactly what went out
    lines = sim.current_lines
    assert lines[0].endswith(" 京A·12345") and text_columns(lines[0]) == columns  # filled, not wrapped
    assert all(text_columns(line) <= columns for line in lines)
    assert lines[-1] == "￥10.00 ￥10.00"  # a GB2312 printer gets the full-width yuan sign
    with pytest.raises(ValueError, match="paper"):
        ReceiptPrinter("receipt", Transport(TransportSettings(url="sim://receipt?instance=x")), paper="76mm")
