"""CardPrinter over the simulator: exact bytes of a job, every scenario's status and error, jams, unplug."""

from __future__ import annotations

import pytest

from devices.cardprinter.device import CardPrinter
from devices.cardprinter.protocol import Bitmap
from devices.docprinter import errors
from devices.docprinter.base import DocumentPrinter, JobState, partial_result
from devices.errors import DeviceCancelled, DeviceUnavailable
from devices.operation import CancelToken
from devices.registry import DeviceSettings, build_device
from devices.sim import registry
from devices.status import DeviceState


def test_registered_kind_builds_a_document_printer():
    printer = build_device(DeviceSettings("card", "card_printer", "sim://cardprinter?instance=card"))
    assert isinstance(printer, CardPrinter) and isinstance(printer, DocumentPrinter)
    assert printer.kind == "card_printer"


def test_exact_bytes_of_a_two_sided_card_job(make_printer):
    printer, sim = make_printer(width_px=16, height_px=2)
    front, back = Bitmap(16, 2, b"\xf0\x0f\xaa\x55"), Bitmap(16, 2, b"\x00\x01\x80\x00")
    sim.received.clear()
    result = printer.print_cards([(front, back)], job_name="order-1", timeout=5)
    assert bytes(sim.received) == (
        b"\x1bRst\r\x1bRrt\r"  # ready?
        b"\x1bSs\r"
        b"\x1bDb;k;f;16;2;4;\xf0\x0f\xaa\x55\r"
        b"\x1bDb;k;b;16;2;4;\x00\x01\x80\x00\r"
        b"\x1bSe\r"
        b"\x1bRst\r\x1bRrt\r"  # status after the job
    )
    assert (result.pages, result.unit, result.state) == (1, "card", JobState.COMPLETED)
    assert sim.printed[0].front == front and sim.printed[0].back == back


def test_print_pdf_renders_both_sides_and_counts(make_printer, card_pdf_factory):
    printer, sim = make_printer()
    result = printer.print_pdf(card_pdf_factory(), job_name="order-2", copies=2, timeout=30)
    assert result.pages == 2 and len(sim.printed) == 2
    card = sim.printed[0]
    assert (card.front.width, card.front.height) == (1016, 648)
    assert card.front.pixel(180, 648 - 180) and not card.front.pixel(500, 20)
    assert card.back.pixel(500, 648 - 20) and not card.back.pixel(500, 100)
    assert printer.counters["cards_printed"] == 2 and printer.counters["jobs"] == 1
    assert sim.ribbon_used == 4 and printer.status.detail["ribbon_remaining"] == 996


@pytest.mark.parametrize(
    ("scenario", "state", "detail"),
    [
        ("ok", DeviceState.ONLINE, {"hopper": "ok", "ribbon": "ok", "cover": "closed", "jam": False}),
        ("hopper_empty", DeviceState.USER_ERROR, {"hopper": "empty"}),
        ("ribbon_low", DeviceState.ONLINE, {"ribbon": "low", "ribbon_remaining": 20}),
        ("ribbon_out", DeviceState.USER_ERROR, {"ribbon": "out"}),
        ("cover_open", DeviceState.USER_ERROR, {"cover": "open"}),
        ("card_jam_mid_print", DeviceState.ONLINE, {"jam": False}),
        ("silence", DeviceState.OFFLINE, {}),
    ],
)
def test_scenario_status_after_open(make_printer, scenario, state, detail):
    printer, _ = make_printer(f"scenario={scenario}")
    assert printer.status.state is state
    for key, value in detail.items():
        assert printer.status.detail[key] == value


@pytest.mark.parametrize(
    ("scenario", "error", "state"),
    [
        ("hopper_empty", errors.MediaEmpty, DeviceState.USER_ERROR),
        ("ribbon_out", errors.RibbonOut, DeviceState.USER_ERROR),
        ("cover_open", errors.CoverOpen, DeviceState.USER_ERROR),
        ("card_jam_mid_print", errors.CardJam, DeviceState.USER_ERROR),
        ("silence", errors.PrinterOffline, DeviceState.OFFLINE),
    ],
)
def test_scenario_print_error(make_printer, card_pdf_factory, scenario, error, state):
    printer, sim = make_printer(f"scenario={scenario}")
    with pytest.raises(error) as caught:
        printer.print_pdf(card_pdf_factory(), job_name="order-3", timeout=10)
    assert partial_result(caught.value).pages == 0 and sim.printed == []
    assert printer.status.state is state and printer.status.last_error == error.code
    assert printer.counters["jobs_failed"] == 1


def test_ribbon_low_prints_with_the_warning_kept(make_printer, card_pdf_factory):
    printer, sim = make_printer("scenario=ribbon_low")
    printer.print_pdf(card_pdf_factory(), job_name="order-4", timeout=30)
    assert len(sim.printed) == 1
    assert printer.status.state is DeviceState.ONLINE and printer.status.detail["ribbon"] == "low"


def test_jam_mid_job_reports_the_cards_that_came_out_then_recovers(make_printer, card_pdf_factory):
    printer, sim = make_printer()
    sim.jam_next_card(after=1)  # the second card jams
    with pytest.raises(errors.CardJam) as caught:
        printer.print_pdf(card_pdf_factory(), job_name="order-5", copies=3, timeout=30)
    partial = partial_result(caught.value)
    assert (partial.pages, partial.unit, partial.state) == (1, "card", JobState.FAILED)
    assert len(sim.printed) == 1 and printer.counters["cards_printed"] == 1
    assert printer.status.state is DeviceState.USER_ERROR and printer.status.detail["jam"] is True
    sim.clear_jam()
    assert printer.refresh_status().state is DeviceState.ONLINE
    assert printer.print_pdf(card_pdf_factory(), job_name="order-5", copies=2, timeout=30).pages == 2


def test_cancel_is_honoured_between_cards_not_mid_card(make_printer):
    printer, sim = make_printer(width_px=8, height_px=1)
    token = CancelToken()
    original = sim.receive

    def cancel_at_first_print(data: bytes) -> None:
        original(data)
        if data == b"\x1bSe\r":
            token.cancel()

    sim.receive = cancel_at_first_print
    card = (Bitmap(8, 1, b"\x01"), None)
    with pytest.raises(DeviceCancelled) as caught:
        printer.print_cards([card, card, card], job_name="order-6", timeout=5, cancel=token)
    assert partial_result(caught.value).pages == 1 and len(sim.printed) == 1
    assert partial_result(caught.value).state is JobState.CANCELLED


def test_unplug_goes_offline_and_replug_recovers(make_printer, card_pdf_factory):
    printer, sim = make_printer()
    events = []
    printer.subscribe(lambda name, status: events.append(status.state))
    sim.unplug()
    with pytest.raises(DeviceUnavailable):
        printer.print_pdf(card_pdf_factory(), job_name="order-7", timeout=10)
    assert printer.status.state is DeviceState.OFFLINE
    assert DeviceState.OFFLINE in events
    sim.plug()
    result = printer.print_pdf(card_pdf_factory(), job_name="order-7", timeout=30)
    assert result.pages == 1 and printer.status.state is DeviceState.ONLINE
    assert printer.counters["reconnects"] == 1


def test_silent_printer_that_wakes_up_recovers(make_printer, card_pdf_factory):
    printer, sim = make_printer("scenario=silence")
    assert printer.status.state is DeviceState.OFFLINE
    sim.set_silent(False)
    assert printer.refresh_status().state is DeviceState.ONLINE
    assert printer.print_pdf(card_pdf_factory(), job_name="order-8", timeout=30).pages == 1


def test_site_command_overrides_reach_the_wire(make_printer):
    printer, sim = make_printer(commands={"status": "Rse"})
    assert bytes(sim.received).startswith(b"\x1bRse\r")
    assert printer.status.state is DeviceState.HARDWARE_ERROR  # the simulator does not know "Rse"


def test_wrong_panel_size_and_personal_job_names_are_refused(make_printer):
    printer, _ = make_printer()
    with pytest.raises(ValueError, match="panel must be"):
        printer.print_cards([(Bitmap(8, 1, b"\x00"), None)], job_name="order-9", timeout=5)
    with pytest.raises(ValueError):
        printer.print_cards([], job_name="110101199003071234", timeout=5)


def test_same_instance_after_reopen_keeps_its_cards(make_printer, card_pdf_factory):
    printer, sim = make_printer()
    printer.print_pdf(card_pdf_factory(), job_name="order-10", timeout=30)
    printer.close()
    printer.open()
    assert registry.get_instance("card") is sim and printer.status.detail["ribbon_remaining"] == 998
