"""The appliance thread's behaviour: off unless the launcher started the app; a crash loop takes the kiosk
out of service and raises the fleet alert; guards write the out-of-service record; the nightly restart asks
the GUI to quit; an orderly stop marks the start clean. Plus the journal handler and the STATUS= line."""

from __future__ import annotations

import logging
import socket
from datetime import datetime

import pytest

from kiosk.alerts import KioskAlerts
from kiosk.appliance.clock import ClockGuard, ClockSync
from kiosk.appliance.journald import JournalHandler, attach_journal, decode_fields, encode_fields
from kiosk.appliance.service import AppliancePorts, ApplianceService
from kiosk.appliance.status import kiosk_status
from kiosk.appliance.watchdog import ProcessSignals
from kiosk.config import ApplianceConfig, default_config
from kiosk.home import KioskHome
from kiosk.technician.outofservice import load_out_of_service_records, set_out_of_service
from kiosk.update import boot
from tests.kiosk.update.packages import factory_layout


class Harness:
    def __init__(self, tmp_path, **appliance) -> None:
        self.layout = factory_layout(tmp_path)
        self.home = KioskHome(self.layout.home).ensure()
        self.config = default_config().model_copy(update={"appliance": ApplianceConfig(**appliance)})
        self.visit = False
        self.alerts = KioskAlerts()
        self.signals = ProcessSignals()
        self.synced = True
        self.now = datetime.fromisoformat("2026-03-10T12:00:00")
        ports = AppliancePorts(home=self.home, config=lambda: self.config, visit_in_progress=lambda: self.visit,
                               devices=dict, alert=self.alerts.raise_alert, update_ports=lambda _a: None)  # fmt: skip
        self.service = ApplianceService(
            ports, self.layout, "factory", signals=self.signals, clock=lambda: 10_000.0, local_now=lambda: self.now,
            clock_guard=ClockGuard(120, sync=lambda: ClockSync(self.synced, "test")),
        )  # fmt: skip


def test_without_the_launcher_there_is_no_appliance_thread(tmp_path):
    ports = AppliancePorts(home=KioskHome(tmp_path), config=default_config, visit_in_progress=lambda: False,
                           devices=dict, alert=lambda c, d: None, update_ports=lambda _a: None)  # fmt: skip
    assert ApplianceService.for_runtime(ports, environ={}) is None


def test_a_crash_loop_takes_the_kiosk_out_of_service_and_raises_the_fleet_alert(tmp_path):
    harness = Harness(tmp_path, crash_loop_restarts=3, crash_loop_minutes=5)
    for moment in (9_800.0, 9_900.0, 10_000.0):
        boot.record_start(harness.layout, "a", now=moment)
    harness.service.check_crash_loop()
    record = load_out_of_service_records(harness.home)["kiosk"]
    assert record["by"] == "appliance:crash_loop" and record["reason"] == "crash loop: 3 starts in 5 min"
    status = harness.alerts.status()
    assert status.detail["alerts"] == "crash_loop"
    assert harness.alerts.as_devices()["kiosk_alerts"].status.state.value == "hardware_error"
    harness.service.conditions.apply()  # the appliance's own clearing never lifts it
    assert load_out_of_service_records(harness.home)["kiosk"]["by"] == "appliance:crash_loop"


def test_a_tick_writes_the_clock_condition_and_lifts_it_when_synchronised_again(tmp_path):
    harness = Harness(tmp_path, disk_prune_below_mb=50, disk_stop_below_mb=20)
    harness.synced = False
    harness.service.tick()
    assert load_out_of_service_records(harness.home)["kiosk"]["reason"].startswith("clock not synchronised")
    harness.synced = True
    harness.service.tick()
    assert "kiosk" not in load_out_of_service_records(harness.home)


def test_the_nightly_restart_asks_the_gui_to_quit_once_in_the_quiet_hours(tmp_path):
    harness = Harness(tmp_path, quiet_hours="02:00-05:00", min_uptime_for_restart_h=1)
    harness.service.started_at -= 2 * 3600  # up for two hours
    harness.service.tick()
    assert not harness.signals.exit_requested  # noon
    harness.now = datetime.fromisoformat("2026-03-11T02:30:00")
    harness.visit = True
    harness.service.tick()
    assert not harness.signals.exit_requested  # a citizen is mid-way
    harness.visit = False
    harness.service.tick()
    assert harness.signals.exit_reason == "nightly restart"


def test_an_orderly_stop_marks_this_start_clean(tmp_path):
    harness = Harness(tmp_path)
    boot.record_start(harness.layout, "factory")
    harness.service.stop()
    assert boot.read_starts(harness.layout)[-1]["clean"] is True


# -- journal -----------------------------------------------------------------------------------------
@pytest.fixture
def journal_socket(tmp_path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        path = tmp_path / "journal.socket"
        server.bind(str(path))
        server.settimeout(5)
        yield path, server


def test_records_reach_the_journal_as_fields_with_personal_numbers_masked(journal_socket):
    path, server = journal_socket
    logger = logging.getLogger("kiosk.test.journal")
    logger.propagate = False
    handler = attach_journal(logger, path, environ={"KIOSK_SLOT": "b"})
    assert attach_journal(logger, path) is handler  # idempotent
    try:
        logger.warning("card %s read for order %s", "110105198503121234", "T-1")
        fields = decode_fields(server.recv(65536))
        assert fields["MESSAGE"] == "card 110***********1234 read for order T-1"
        assert (fields["PRIORITY"], fields["SYSLOG_IDENTIFIER"], fields["KIOSK_SLOT"]) == ("4", "police-kiosk", "b")
        assert fields["LOGGER"] == "kiosk.test.journal" and fields["CODE_FUNC"].startswith("test_records")
        try:
            raise ValueError("phone 13812345678 refused")
        except ValueError:
            logger.exception("refund failed")
        fields = decode_fields(server.recv(65536))
        assert "ValueError: phone 138****5678 refused" in fields["EXCEPTION"] and fields["PRIORITY"] == "3"
    finally:
        logger.removeHandler(handler)
        handler.close()


def test_values_with_newlines_use_the_binary_field_form():
    data = encode_fields({"MESSAGE": "two\nlines", "PRIORITY": "6"})
    assert data.startswith(b"MESSAGE\n" + (9).to_bytes(8, "little") + b"two\nlines\n")
    assert decode_fields(data) == {"MESSAGE": "two\nlines", "PRIORITY": "6"}


def test_no_journal_socket_no_handler_and_a_gone_journal_drops_records_quietly(tmp_path):
    assert attach_journal(logging.getLogger("kiosk.test.nojournal"), tmp_path / "absent") is None
    handler = JournalHandler(tmp_path / "absent")
    handler.emit(logging.LogRecord("x", logging.INFO, __file__, 1, "message", (), None))  # no exception
    handler.close()


# -- STATUS= -------------------------------------------------------------------------------------------
class Runtime:
    def __init__(self, home, availability, flow=None) -> None:
        self.home, self._availability, self.active_flow = home, availability, flow

    def service_availability(self):
        return self._availability


def test_the_status_line_says_attract_visit_or_out_of_service_and_why(tmp_path):
    home = KioskHome(tmp_path).ensure()
    ok = {"temp_id": (True, None), "traffic": (True, None)}
    assert kiosk_status(Runtime(home, ok)) == "attract"
    one_down = {"temp_id": (True, None), "traffic": (False, "reason.device.receipt_printer")}
    assert kiosk_status(Runtime(home, one_down)) == "attract; unavailable: traffic=reason.device.receipt_printer"
    set_out_of_service(home, "kiosk", "clock not synchronised", "appliance")
    down = {"temp_id": (False, "reason.out_of_service"), "traffic": (False, "reason.out_of_service")}
    assert kiosk_status(Runtime(home, down)) == "out of service: clock not synchronised"

    class Flow:
        service = "traffic"

        def view(self):
            from kiosk.flows.base import StepKind

            return type("View", (), {"step": StepKind.PAY})()

    assert kiosk_status(Runtime(home, ok, Flow())) == "in a visit: traffic at pay"
