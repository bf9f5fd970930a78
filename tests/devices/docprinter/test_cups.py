"""CupsPrinter against a scripted IPP server on loopback: every way a job can end."""

from __future__ import annotations

import threading

import pytest

from devices.docprinter import errors, ipp
from devices.docprinter.base import JobState, partial_result
from devices.docprinter.cups import CupsPrinter, parse_cups_url
from devices.errors import DeviceBusy, DeviceCancelled
from devices.operation import CancelToken
from devices.status import DeviceState

from .fake_ipp import FakeCups


@pytest.fixture
def fake():
    with FakeCups() as server:
        yield server


def printer_for(fake: FakeCups, **options) -> CupsPrinter:
    options = {"poll_interval": 0.01, "stall_grace_s": 0.05, "request_timeout": 2.0, **options}
    return CupsPrinter("a4", fake.url, **options)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("cups://kiosk-a4", ("localhost", 631, "kiosk-a4")),
        ("cups://printserver:8631/office", ("printserver", 8631, "office")),
        ("cups://10.1.2.3/lobby", ("10.1.2.3", 631, "lobby")),
    ],
)
def test_parse_cups_url(url, expected):
    assert parse_cups_url(url) == expected


@pytest.mark.parametrize("url", ["spool://a4", "cups://", "cups://h:1/a/b"])
def test_parse_cups_url_refuses(url):
    with pytest.raises(ValueError):
        parse_cups_url(url)


def test_completed_job_reports_pages_and_counts(fake, pdf_factory):
    fake.job_states = [3, 5, 5, 9]
    fake.impressions = 3
    printer = printer_for(fake)
    result = printer.print_pdf(pdf_factory(3), job_name="order-1001", timeout=5)
    assert (result.job_id, result.pages, result.state) == ("kiosk-a4-42", 3, JobState.COMPLETED)
    assert printer.counters == {"jobs": 1, "jobs_failed": 0, "pages_printed": 3}
    assert printer.status.state is DeviceState.ONLINE
    submitted = next(r for r in fake.requests if r.code == ipp.PRINT_JOB)
    assert submitted.first(ipp.OPERATION_GROUP, "job-name") == "order-1001"
    assert submitted.first(ipp.OPERATION_GROUP, "document-format") == "application/pdf"
    assert submitted.data.startswith(b"%PDF")


def test_pages_fall_back_to_the_pdf_when_cups_does_not_count(fake, pdf_factory):
    fake.impressions = 0
    result = printer_for(fake).print_pdf(pdf_factory(2), job_name="order-1", copies=2, timeout=5)
    assert result.pages == 4
    submitted = next(r for r in fake.requests if r.code == ipp.PRINT_JOB)
    assert submitted.first(ipp.JOB_GROUP, "copies") == 2


def test_blocked_printer_refuses_before_sending(fake, pdf_factory):
    fake.printer["printer-state-reasons"] = ["media-empty-error"]
    printer = printer_for(fake)
    with pytest.raises(errors.MediaEmpty):
        printer.print_pdf(pdf_factory(), job_name="order-1", timeout=5)
    assert ipp.PRINT_JOB not in fake.operations()
    assert printer.status.state is DeviceState.USER_ERROR
    assert printer.status.detail["paper"] == "out" and printer.status.last_error == "media_empty"


def test_not_accepting_is_offline(fake, pdf_factory):
    fake.accepting_status = 0x0506
    printer = printer_for(fake)
    with pytest.raises(errors.PrinterOffline):
        printer.print_pdf(pdf_factory(), job_name="order-1", timeout=5)
    assert printer.status.state is DeviceState.OFFLINE
    assert printer.counters["jobs_failed"] == 1


def test_jam_while_printing_cancels_the_job_and_names_the_error(fake, pdf_factory):
    fake.job_states = [5, 6]
    fake.printer["printer-state-reasons"] = ["none"]
    printer = printer_for(fake)

    def jam_after_submit(request):
        if request.code == ipp.GET_JOB_ATTRIBUTES:
            fake.printer["printer-state"] = [5]
            fake.printer["printer-state-reasons"] = ["media-jam-error", "paused"]

    original = fake.answer
    fake.answer = lambda request: (jam_after_submit(request), original(request))[1]
    with pytest.raises(errors.MediaJam) as caught:
        printer.print_pdf(pdf_factory(), job_name="order-1", timeout=5)
    assert fake.operations()[-1] == ipp.CANCEL_JOB
    assert partial_result(caught.value).state is JobState.FAILED
    assert printer.status.state is DeviceState.USER_ERROR and printer.status.detail["paper"] == "jam"


def test_aborted_job_is_job_failed(fake, pdf_factory):
    fake.job_states = [5, 8]
    with pytest.raises(errors.JobFailed, match="aborted"):
        printer_for(fake).print_pdf(pdf_factory(), job_name="order-1", timeout=5)


def test_job_cancelled_at_the_server_is_not_reported_as_printed(fake, pdf_factory):
    fake.job_states = [5, 7]
    with pytest.raises(errors.JobFailed, match="cancelled at the print server"):
        printer_for(fake).print_pdf(pdf_factory(), job_name="order-1", timeout=5)


def test_timeout_cancels_the_job_so_it_cannot_print_later(fake, pdf_factory):
    fake.job_states = [3]  # stays pending forever
    printer = printer_for(fake)
    with pytest.raises(errors.JobTimeout) as caught:
        printer.print_pdf(pdf_factory(), job_name="order-1", timeout=0.3)
    assert caught.value.code == "job_timeout"
    cancel = fake.requests[-1]
    assert cancel.code == ipp.CANCEL_JOB and cancel.first(ipp.OPERATION_GROUP, "job-id") == 42
    assert cancel.first(ipp.OPERATION_GROUP, "requesting-user-name") == "kiosk"


def test_caller_cancel_cancels_the_job(fake, pdf_factory):
    fake.job_states = [5]
    token = CancelToken()
    original = fake.answer

    def cancel_on_first_poll(request):
        if request.code == ipp.GET_JOB_ATTRIBUTES:
            token.cancel()
        return original(request)

    fake.answer = cancel_on_first_poll
    with pytest.raises(DeviceCancelled) as caught:
        printer_for(fake).print_pdf(pdf_factory(), job_name="order-1", timeout=5, cancel=token)
    assert fake.operations()[-1] == ipp.CANCEL_JOB
    assert partial_result(caught.value).state is JobState.CANCELLED


def test_unreachable_server_is_offline_not_an_exception():
    printer = CupsPrinter("a4", "cups://127.0.0.1:9/kiosk-a4", request_timeout=0.5)
    status = printer.refresh_status()
    assert status.state is DeviceState.OFFLINE and status.last_error == "unavailable"


def test_one_job_at_a_time(fake, pdf_factory):
    fake.job_states = [5, 5, 5, 9]
    printer = printer_for(fake)
    started, release = threading.Event(), threading.Event()
    original = fake.answer

    def hold(request):
        if request.code == ipp.GET_JOB_ATTRIBUTES and not started.is_set():
            started.set()
            release.wait(5)
        return original(request)

    fake.answer = hold
    worker = threading.Thread(target=lambda: printer.print_pdf(pdf_factory(), job_name="order-1", timeout=10))
    worker.start()
    assert started.wait(5)
    assert printer.status.state is DeviceState.BUSY
    with pytest.raises(DeviceBusy):
        printer.print_pdf(pdf_factory(), job_name="order-2", timeout=1)
    release.set()
    worker.join(5)
    assert printer.counters["pages_printed"] == 1


def test_a_server_that_never_answers_times_out(pdf_factory):
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts the connection in the backlog, never answers
        url = f"cups://127.0.0.1:{silent.getsockname()[1]}/kiosk-a4"
        printer = CupsPrinter("a4", url, request_timeout=0.2)
        status = printer.refresh_status()
        assert status.state is DeviceState.OFFLINE and status.last_error == "timeout"
        with pytest.raises(errors.JobTimeout):
            printer.print_pdf(pdf_factory(), job_name="order-1", timeout=0.1)
