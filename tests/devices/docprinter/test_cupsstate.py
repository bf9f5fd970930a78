"""CUPS printer-state / printer-state-reasons mapped to the status model and to named errors."""

from __future__ import annotations

import pytest

from devices.docprinter import cupsstate, errors, ipp
from devices.docprinter.cupsstate import PrinterSnapshot, printer_status
from devices.status import DeviceState


def status_of(capture_bytes: bytes):
    attributes = ipp.decode(capture_bytes).group(ipp.PRINTER_GROUP)
    return printer_status(PrinterSnapshot.from_attributes(attributes))


def test_real_idle_printer_is_online(capture):
    status = status_of(capture("printer-idle"))
    assert status.state is DeviceState.ONLINE
    assert status.detail["queue"] == "idle" and status.detail["accepting"] is True
    assert status.detail["reasons"] == ""


def test_real_disabled_queue_is_offline_stopped(capture):
    status = status_of(capture("printer-disabled"))  # cupsdisable -r maintenance
    assert status.state is DeviceState.OFFLINE
    assert status.detail["queue"] == "stopped"
    assert status.detail["message"] == "maintenance"
    assert isinstance(cupsstate.error_for_status(status), errors.PrinterOffline)


def test_real_rejecting_queue_is_offline_not_accepting(capture):
    status = status_of(capture("printer-rejecting"))  # cupsreject
    assert status.state is DeviceState.OFFLINE
    assert status.detail["accepting"] is False and status.detail["queue"] == "idle"
    assert "not accepting" in str(cupsstate.error_for_status(status))


def test_real_media_empty_beats_paused(capture):
    status = status_of(capture("printer-media-empty"))  # backend reported media-empty-error, queue stopped
    assert status.state is DeviceState.USER_ERROR
    assert status.detail["paper"] == "out"
    assert isinstance(cupsstate.error_for_status(status), errors.MediaEmpty)


@pytest.mark.parametrize(
    ("reasons", "state", "detail", "error"),
    [
        (("media-empty-error",), DeviceState.USER_ERROR, {"paper": "out"}, errors.MediaEmpty),
        (("media-needed",), DeviceState.USER_ERROR, {"paper": "out"}, errors.MediaEmpty),
        (("media-jam-error",), DeviceState.USER_ERROR, {"paper": "jam"}, errors.MediaJam),
        (("toner-empty-error",), DeviceState.USER_ERROR, {"toner": "out"}, errors.TonerEmpty),
        (("marker-supply-empty-error",), DeviceState.USER_ERROR, {"toner": "out"}, errors.TonerEmpty),
        (("door-open-error",), DeviceState.USER_ERROR, {"door": "open"}, errors.CoverOpen),
        (("cover-open",), DeviceState.USER_ERROR, {"door": "open"}, errors.CoverOpen),
        (("toner-low-warning",), DeviceState.ONLINE, {"toner": "low"}, None),
        (("toner-low-report",), DeviceState.ONLINE, {"toner": "ok"}, None),
        (("media-empty-warning",), DeviceState.ONLINE, {"paper": "low"}, None),
        (("offline-report",), DeviceState.OFFLINE, {"paper": "ok"}, errors.PrinterOffline),
        (("other-error",), DeviceState.HARDWARE_ERROR, {}, errors.PrinterFault),
        (("fuser-over-temp-error",), DeviceState.HARDWARE_ERROR, {}, errors.PrinterFault),
        (("cups-missing-filter-warning",), DeviceState.ONLINE, {}, None),
        (("cups-waiting-for-job-completed",), DeviceState.ONLINE, {}, None),
        (("connecting-to-device",), DeviceState.ONLINE, {}, None),
        (
            ("media-jam-error", "offline-report", "other-error"),
            DeviceState.USER_ERROR,
            {"paper": "jam"},
            errors.MediaJam,
        ),
        (("other-error", "paused"), DeviceState.HARDWARE_ERROR, {}, errors.PrinterFault),
    ],
)
def test_reason_mapping(reasons, state, detail, error):
    status = printer_status(PrinterSnapshot(cupsstate.PRINTER_PROCESSING, reasons))
    assert status.state is state
    for key, value in detail.items():
        assert status.detail[key] == value
    assert cupsstate.blocks_printing(status) is (error is not None)
    if error is not None:
        assert type(cupsstate.error_for_status(status)) is error


def test_paused_only_counts_when_the_queue_is_stopped():
    # "paused" while still processing means pause-after-current-job: the job in hand finishes.
    assert printer_status(PrinterSnapshot(cupsstate.PRINTER_PROCESSING, ("paused",))).state is DeviceState.ONLINE
    assert printer_status(PrinterSnapshot(cupsstate.PRINTER_STOPPED, ("paused",))).state is DeviceState.OFFLINE


def test_split_reason():
    assert cupsstate.split_reason("toner-low-warning") == ("toner-low", "warning")
    assert cupsstate.split_reason("offline-report") == ("offline", "report")
    assert cupsstate.split_reason("media-jam") == ("media-jam", "error")


def test_missing_attributes_default_to_an_idle_accepting_printer():
    snapshot = PrinterSnapshot.from_attributes({"printer-state-reasons": [None]})
    assert snapshot == PrinterSnapshot(cupsstate.PRINTER_IDLE, (), True, "")
