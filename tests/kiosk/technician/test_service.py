"""TechnicianService against simulators: self-tests, test actions, counters, ports, audit, login guard."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

import pytest

from devices.camera import parse_camera_url
from devices.camera import sim as camera_sim
from devices.docprinter.spool import get_spool
from devices.sim import registry
from kiosk.audit import AuditLog
from kiosk.technician import NotLoggedIn, TechnicianService, load_out_of_service
from kiosk.technician.audit_sink import MemoryAudit
from kiosk.technician.auth import TechnicianAuth
from tests.kiosk.technician.helpers import FAST_SCRYPT_N, PIN, sim_devices, write_config

RECEIPT_DRIVER = importlib.util.find_spec("devices.receipt.device") is not None


def make_service(tmp_path, clock=None, **device_args) -> TechnicianService:
    home = write_config(tmp_path / "home", sim_devices(**device_args))
    kwargs = {"clock": clock} if clock else {}
    return TechnicianService(home, audit=MemoryAudit(), **kwargs)


@pytest.fixture
def service(tmp_path):
    service = make_service(tmp_path)
    yield service
    service.close()


def spool_of(service: TechnicianService):
    return get_spool(service.config.devices["a4"].url.split("://")[1].split("?")[0])


def test_list_devices_shows_state_detail_and_counters(service) -> None:
    devices = {d.name: d for d in service.list_devices(refresh=True)}
    assert set(devices) == {"idcard", "a4", "card", "camera"}
    assert all(d.state == "online" for d in devices.values())
    assert devices["a4"].detail["paper"] == "ok"
    assert devices["card"].detail["ribbon"] == "ok"
    assert "cards_read" in devices["idcard"].counters
    assert devices["card"].consumables == {"ribbon": 0, "cards": 0}


def test_self_test_all_passes_and_prints_test_pages(service) -> None:
    results = {r.device: r for r in service.self_test_all()}
    assert all(r.passed for r in results.values()), {n: r.checks for n, r in results.items() if not r.passed}
    assert [c.name for c in results["idcard"].checks] == ["sam_status", "sam_id"]
    assert results["idcard"].checks[1].detail.count("-") == 3  # 05.01-YYYYMMDD-...-...
    printed = spool_of(service).jobs
    assert len(printed) == 1 and printed[0].job_name.startswith("selftest-")
    assert results["camera"].checks[0].detail.startswith("640x480")
    assert service.audit.actions().count("technician.self_test") == 4


def test_failures_carry_the_device_error_code(tmp_path) -> None:
    service = make_service(tmp_path, idcard="sam_fault", a4="media_empty", card="ribbon_out")
    camera_sim.simulator_for(parse_camera_url(service.config.devices["camera"].url)).unplug()
    try:
        results = {r.device: r for r in service.self_test_all()}
    finally:
        service.close()
    assert not any(r.passed for r in results.values())
    assert results["idcard"].checks[1].skipped
    assert results["a4"].checks[1].skipped and results["a4"].checks[1].detail == "printer not ready"
    assert results["card"].error_code is not None
    assert results["camera"].error_code == "unavailable"
    assert spool_of(service).jobs == []


def test_self_test_without_print_leaves_printers_alone(service) -> None:
    result = service.self_test("a4", with_print=False)
    assert result.passed and result.checks[1].skipped
    assert spool_of(service).jobs == []


def test_missing_driver_is_a_failed_self_test_not_a_crash(tmp_path) -> None:
    service = make_service(tmp_path, receipt=True)
    try:
        info = service.device_info("receipt")
        result = service.self_test("receipt")
    finally:
        service.close()
    if RECEIPT_DRIVER:
        assert info.driver and result.passed
    else:
        assert (info.state, info.driver, result.passed, result.error_code) == ("no_driver", False, False, "no_driver")


def test_test_read_reports_no_personal_data(service) -> None:
    no_card = service.test_read("idcard", timeout=0.5)
    assert (no_card.ok, no_card.code) == (False, "no_card")
    registry.get_instance(service.config.devices["idcard"].url.split("instance=")[1].split("&")[0]).place_card(
        "zhang_san"
    )
    read = service.test_read("idcard", timeout=3)
    assert read.ok and read.detail["card_type"] == "resident" and read.detail["photo_bytes"] > 0
    assert "张三" not in repr(read) and "id_number" not in read.detail


def test_test_photo_and_print_and_kind_checks(service) -> None:
    photo = service.test_photo("camera")
    assert photo.ok and (photo.detail["width"], photo.detail["height"]) == (640, 480)
    assert service.test_print("card").ok
    with pytest.raises(ValueError):
        service.test_print("camera")
    with pytest.raises(KeyError):
        service.test_photo("nope")


def test_paper_counters_persist_and_reset(tmp_path) -> None:
    service = make_service(tmp_path)
    try:
        assert service.test_print("a4").ok and service.test_print("a4").ok
        rows = {(r.device, r.consumable): r for r in service.counter_rows()}
        assert rows[("a4", "paper")].used == 2 and rows[("card", "ribbon")].used == 0
    finally:
        service.close()
    again = TechnicianService(service.home, audit=MemoryAudit())  # a new process: counters start from the file
    try:
        assert again.test_print("a4").ok
        assert again.consumables("a4") == {"paper": 3}
        assert again.reset_counter("a4", "paper") == 3
        assert again.consumables("a4") == {"paper": 0}
        assert {r.consumable: r.reset_at is not None for r in again.counter_rows() if r.device == "a4"} == {
            "paper": True
        }
        with pytest.raises(ValueError):
            again.reset_counter("a4", "ribbon")
        assert again.audit.entries[-1][1:3] == ("technician.reset_counter", "a4")
    finally:
        again.close()


def test_ports_list_vid_pid_serial_and_by_id(tmp_path, service) -> None:
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    node = tmp_path / "ttyUSB0"
    node.touch()
    (by_id / "usb-1a86_USB_Serial_A1B2-if00-port0").symlink_to(node)
    port = SimpleNamespace(
        device=str(node), description="USB Serial", hwid="USB VID:PID=1A86:7523", vid=0x1A86, pid=0x7523,
        serial_number="A1B2", manufacturer="QinHeng", product="CH340", location="1-1",
    )  # fmt: skip
    from kiosk.technician.ports import discover_ports

    found = discover_ports(
        {"idcard": str(by_id / "usb-1a86_USB_Serial_A1B2-if00-port0")}, comports=lambda: [port], by_id_dir=by_id
    )
    assert found[0].vid_pid == "1A86:7523" and found[0].serial_number == "A1B2"
    assert found[0].by_id == [str(by_id / "usb-1a86_USB_Serial_A1B2-if00-port0")]
    assert found[0].suggested_url == found[0].by_id[0] and found[0].used_by == ["idcard"]
    service._comports = lambda: [port]
    assert [p.device for p in service.ports()] == [str(node)]


def test_out_of_service_through_the_service(service) -> None:
    service.set_out_of_service("certificate", "A4 printer jammed")
    assert load_out_of_service(service.home) == {"certificate": "A4 printer jammed"}
    assert service.out_of_service()["certificate"]["by"] == "technician"
    assert service.clear_out_of_service("certificate")
    assert load_out_of_service(service.home) == {}
    assert service.audit.actions()[-2:] == ["technician.out_of_service", "technician.back_in_service"]


def test_actions_land_in_the_real_hash_chained_audit_log(tmp_path, clock) -> None:
    home = write_config(tmp_path / "home", sim_devices())
    with AuditLog.for_home(home) as audit:
        auth = TechnicianAuth(home, audit, clock=clock, scrypt_n=FAST_SCRYPT_N)
        service = TechnicianService(home, audit=audit, auth=auth, require_login=True, clock=clock)
        try:
            with pytest.raises(NotLoggedIn):
                service.list_devices()
            auth.set_pin(PIN, actor="cli:test")
            assert auth.login(PIN).ok
            service.self_test("idcard")
            service.set_out_of_service("kiosk", "maintenance")
            clock.advance(auth.idle_logout_s + 1)
            with pytest.raises(NotLoggedIn):
                service.self_test("idcard")
        finally:
            service.close()
        actions = [e.action for e in audit.entries()]
        assert actions == [
            "technician.set_pin", "technician.login", "technician.self_test",
            "technician.out_of_service", "technician.auto_logout",
        ]  # fmt: skip
        assert audit.verify().ok


def test_uses_the_applications_devices_and_never_closes_them(tmp_path) -> None:
    home = write_config(tmp_path / "home", sim_devices())
    from devices.registry import build_device

    app_reader = build_device(TechnicianService(home, audit=MemoryAudit()).config.device_settings()[0])
    app_reader.open()
    service = TechnicianService(home, devices={"idcard": app_reader}, audit=MemoryAudit())
    try:
        assert service.self_test("idcard").passed
        assert app_reader.counters["operations"] == 2  # SAM status + SAM id went through the app's reader
        assert service.self_test("a4", with_print=False).passed  # others are built by the service
    finally:
        service.close()
    assert app_reader.status.state.value == "online"  # still open for the kiosk
    app_reader.close()


def test_no_exit_app_unless_the_configuration_allows_it(tmp_path, clock) -> None:
    home = write_config(tmp_path / "home", sim_devices())
    audit = MemoryAudit()
    auth = TechnicianAuth(home, audit, clock=clock, scrypt_n=FAST_SCRYPT_N)
    service = TechnicianService(home, audit=audit, auth=auth, require_login=True, clock=clock)
    auth.set_pin(PIN, actor="cli:test")
    assert auth.login(PIN).ok
    assert not service.exit_allowed and not service.exit_app()
    assert auth.logged_in and audit.actions()[-1] == "technician.exit_app_refused"
    technician = service.config.technician.model_copy(update={"allow_exit_app": True})
    allowed = TechnicianService(home, service.config.model_copy(update={"technician": technician}), audit=audit,
                                auth=auth, require_login=True, clock=clock)  # fmt: skip
    assert allowed.exit_allowed and allowed.exit_app()
    assert not auth.logged_in and audit.actions()[-2:] == ["technician.exit_app", "technician.logout"]


def test_the_configured_idle_time_and_lock_maximum_reach_the_login(tmp_path) -> None:
    home = write_config(tmp_path / "home", sim_devices())
    config = TechnicianService(home, audit=MemoryAudit()).config
    assert (config.technician.idle_logout_s, config.kiosk_id) == (120, "test-kiosk-7")  # the signed config ran
    strict = config.model_copy(update={"technician": config.technician.model_copy(
        update={"idle_logout_s": 45, "max_lockout_s": 300})})  # fmt: skip
    service = TechnicianService(home, strict, audit=MemoryAudit())
    assert (service.auth.idle_logout_s, service.auth.lockout.max_lock_s) == (45, 300)
