"""The spool simulator: jobs kept in memory, files only on request, every scenario mapped."""

from __future__ import annotations

import stat
import threading

import pytest

from devices.docprinter import build_document_printer, errors
from devices.docprinter.base import DocumentPrinter, JobState, partial_result
from devices.docprinter.spool import SpoolPrinter, get_spool
from devices.errors import DeviceCancelled
from devices.operation import CancelToken
from devices.status import DeviceState


def open_printer(url: str = "spool://a4", **options) -> SpoolPrinter:
    printer = build_document_printer("a4", url, **options)
    assert isinstance(printer, SpoolPrinter) and isinstance(printer, DocumentPrinter)
    printer.open()
    return printer


def test_ok_keeps_jobs_in_memory_only(pdf_factory, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    printer = open_printer()
    pdf = pdf_factory(2)
    result = printer.print_pdf(pdf, job_name="order-1", timeout=5)
    assert (result.pages, result.state) == (2, JobState.COMPLETED)
    job = get_spool("a4").printed[0]
    assert job.pdf == pdf and job.path is None and job.job_name == "order-1"
    assert list(tmp_path.iterdir()) == []
    assert printer.counters == {"jobs": 1, "jobs_failed": 0, "pages_printed": 2}


def test_files_only_with_an_explicit_directory_and_private(pdf_factory, tmp_path):
    printer = open_printer(directory=tmp_path / "spool")
    result = printer.print_pdf(pdf_factory(), job_name="order-2", timeout=5)
    path = get_spool("a4").printed[0].path
    assert path == tmp_path / "spool" / f"{result.job_id}-order-2.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_media_empty_refuses_until_paper_is_loaded(pdf_factory):
    printer = open_printer("spool://a4?scenario=media_empty")
    assert printer.status.state is DeviceState.USER_ERROR and printer.status.detail["paper"] == "out"
    with pytest.raises(errors.MediaEmpty):
        printer.print_pdf(pdf_factory(), job_name="order-3", timeout=5)
    assert get_spool("a4").jobs == [] and printer.status.last_error == "media_empty"
    get_spool("a4").load_paper()
    assert printer.refresh_status().state is DeviceState.ONLINE
    printer.print_pdf(pdf_factory(), job_name="order-3", timeout=5)
    assert len(get_spool("a4").printed) == 1


def test_toner_low_prints_and_warns(pdf_factory):
    printer = open_printer("spool://a4?scenario=toner_low")
    assert printer.status.state is DeviceState.ONLINE and printer.status.detail["toner"] == "low"
    printer.print_pdf(pdf_factory(), job_name="order-4", timeout=5)
    assert printer.status.detail["toner"] == "low"


def test_offline_refuses_then_recovers(pdf_factory):
    printer = open_printer(scenario="offline")
    assert printer.status.state is DeviceState.OFFLINE
    with pytest.raises(errors.PrinterOffline):
        printer.print_pdf(pdf_factory(), job_name="order-5", timeout=5)
    assert printer.status.state is DeviceState.OFFLINE and printer.status.last_error == "printer_offline"
    get_spool("a4").set_online(True)
    assert printer.refresh_status().state is DeviceState.ONLINE


def test_jam_mid_job_reports_the_page_that_came_out(pdf_factory):
    printer = open_printer("spool://a4?scenario=jam_mid_job")
    with pytest.raises(errors.MediaJam) as caught:
        printer.print_pdf(pdf_factory(3), job_name="order-6", timeout=5)
    partial = partial_result(caught.value)
    assert (partial.pages, partial.state) == (1, JobState.FAILED)
    assert get_spool("a4").jobs[-1].state is JobState.FAILED and get_spool("a4").printed == []
    assert printer.status.state is DeviceState.USER_ERROR and printer.status.detail["paper"] == "jam"
    assert printer.counters["jobs_failed"] == 1 and printer.counters["pages_printed"] == 0
    with pytest.raises(errors.MediaJam):  # still jammed: refused before printing
        printer.print_pdf(pdf_factory(), job_name="order-6", timeout=5)
    get_spool("a4").clear_jam()
    assert printer.print_pdf(pdf_factory(3), job_name="order-6", timeout=5).pages == 3


def test_slow_job_times_out(pdf_factory):
    printer = open_printer("spool://a4?scenario=slow", slow_page_seconds=0.05)
    with pytest.raises(errors.JobTimeout) as caught:
        printer.print_pdf(pdf_factory(10), job_name="order-7", timeout=0.12)
    assert 1 <= partial_result(caught.value).pages < 10
    assert printer.status.state is DeviceState.ONLINE and printer.status.last_error == "job_timeout"


def test_slow_job_can_be_cancelled(pdf_factory):
    printer = open_printer("spool://a4?scenario=slow", slow_page_seconds=0.05)
    token = CancelToken()
    timer = threading.Timer(0.07, token.cancel)
    timer.start()
    with pytest.raises(DeviceCancelled) as caught:
        printer.print_pdf(pdf_factory(50), job_name="order-8", timeout=30, cancel=token)
    timer.join()
    assert partial_result(caught.value).state is JobState.CANCELLED
    assert get_spool("a4").jobs[-1].state is JobState.CANCELLED


def test_status_events_only_on_change(pdf_factory):
    printer = open_printer()
    events = []
    printer.subscribe(lambda name, status: events.append(status.state))
    printer.refresh_status()
    printer.refresh_status()
    assert events == []
    printer.print_pdf(pdf_factory(), job_name="order-9", timeout=5)
    assert events == [DeviceState.BUSY, DeviceState.ONLINE]


def test_unknown_scenario_and_bad_url():
    with pytest.raises(ValueError, match="unknown spool scenario"):
        open_printer("spool://a4?scenario=on_fire")
    with pytest.raises(ValueError):
        build_document_printer("a4", "lpt1://x")
