"""The fleet agent inside a running kiosk: a real fleet server and a real sandbox backend on loopback,
simulated devices, signed documents; driven poll by poll with a fake clock (no sleeping)."""

from __future__ import annotations

import logging
import random
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import KioskConfig, document_payload
from kiosk.fleet import AgentSettings
from kiosk.fleet.enrol import enrol
from kiosk.fleet.service import FleetService
from kiosk.home import KioskHome
from kiosk.runtime import KioskRuntime
from kiosk.trust import CONFIG_TYPE, make_signed, provision_trust_root, read_active, set_secret, sign
from kiosk.trust.envelope import envelope_file_bytes
from server.sandbox.settings import DEMO_KIOSK_ID, DEMO_KIOSK_KEY
from tests.kiosk.flows.conftest import kiosk_config, sandbox  # noqa: F401

WINDOW_S = 60.0


def missing_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed when the block ends: nothing listens there


@pytest.fixture
def trusted_home(tmp_path, fleet_key) -> KioskHome:
    home = KioskHome(tmp_path / "kiosk-home").ensure()
    provision_trust_root(home, DEMO_KIOSK_ID, [fleet_key.public_key()], 1, ["province"])
    set_secret(home, "backend.kiosk_key", DEMO_KIOSK_KEY)  # the backend credential never rides in a document
    return home


@pytest.fixture
def enrol_kiosk(fleet, admin) -> Callable[[KioskHome], None]:
    def _enrol(home: KioskHome) -> None:
        token = admin.call("POST", "/enrolment-tokens", 201, json={"group": None})["token"]
        enrol(home, fleet.url, token, retries=0)

    return _enrol


@pytest.fixture
def runtime(trusted_home, sandbox, enrol_kiosk):  # noqa: F811
    runtime = KioskRuntime(trusted_home, kiosk_config(sandbox.base_url)).open()
    assert not runtime.fleet.running  # opened before enrolment: the test drives its own service below
    enrol_kiosk(trusted_home)
    yield runtime
    runtime.close()


@pytest.fixture
def service(runtime, clock):
    service = FleetService(runtime.fleet_ports, settings=AgentSettings(health_window_s=WINDOW_S), clock=clock,
                           rng=random.Random(7))  # fmt: skip
    yield service
    service.stop()


@pytest.fixture
def publish(admin, fleet_key) -> Callable[..., dict]:
    """Sign a kiosk configuration, push it to the fleet server and assign it to this kiosk."""

    def _publish(config: KioskConfig, version: int, key: Ed25519PrivateKey | None = None) -> dict:
        signed = make_signed(CONFIG_TYPE, document_payload(config), version=version,
                             expires=datetime.now(UTC) + timedelta(days=1), kiosk_ids=[DEMO_KIOSK_ID])  # fmt: skip
        document = admin.push(envelope_file_bytes(sign(signed, [key or fleet_key])))
        admin.assign(document["id"], "kiosk", DEMO_KIOSK_ID)
        return document

    return _publish


def with_receipt_url(config: KioskConfig, url: str) -> KioskConfig:
    devices = dict(config.devices)
    devices["receipt"] = devices["receipt"].model_copy(update={"url": url})
    return config.model_copy(update={"devices": devices})


def test_a_signed_change_switches_a_service_off_at_once_and_is_committed(runtime, service, publish, admin, clock):
    assert runtime.service_availability()["traffic"] == (True, None)
    traffic = runtime.config.services.traffic.model_copy(update={"enabled": False})
    doc = publish(runtime.config.model_copy(update={"services": runtime.config.services.model_copy(
        update={"traffic": traffic})}), version=1)  # fmt: skip
    outcome = service.poll_once()
    assert (outcome.kind, outcome.version) == ("applied", 1)
    assert runtime.service_availability()["traffic"] == (False, "reason.not_offered")
    assert service.last_change.applied == ("services.traffic.enabled",)
    assert admin.history(DEMO_KIOSK_ID)[0]["status"] == "pending"
    assert service.heartbeat_once().ok
    view = admin.call("GET", f"/kiosks/{DEMO_KIOSK_ID}")
    assert view["availability"]["traffic"] is False and view["availability"]["temp_id"] is True
    assert view["device_states"]["receipt"]["state"] == "online"  # the runtime's own device, by config name
    assert {(d["name"], d["kind"]) for d in view["devices"]} >= {
        ("receipt", "receipt_printer"),
        ("a4", "document_printer"),
    }
    clock.advance(WINDOW_S + 1)
    assert service.poll_once().kind == "committed"
    view = admin.call("GET", f"/kiosks/{DEMO_KIOSK_ID}")
    assert (view["applied_version"], view["applied_sha256"], view["last_status"]) == (1, doc["sha256"], "applied")
    assert runtime.service_availability()["traffic"] == (False, "reason.not_offered")


def test_a_document_signed_by_an_unknown_key_is_rejected_and_changes_nothing(runtime, service, publish, admin):
    before = runtime.config
    texts = runtime.config.ui.model_copy(update={"texts": {"prompt.read_card": "forged"}})
    publish(runtime.config.model_copy(update={"ui": texts}), version=1, key=Ed25519PrivateKey.generate())
    outcome = service.poll_once()
    assert (outcome.kind, outcome.reason) == ("rejected", "unknown_key")
    assert runtime.config is before and runtime.context.config is before and read_active(runtime.home).version == 0
    latest = admin.history(DEMO_KIOSK_ID)[0]
    assert (latest["status"], latest["reason"]) == ("rejected", "unknown_key")
    assert admin.call("GET", f"/kiosks/{DEMO_KIOSK_ID}")["last_status"] == "rejected"


def test_a_config_that_breaks_a_needed_device_is_rolled_back(runtime, service, publish, admin, clock):
    original_url = runtime.config.devices["receipt"].url
    original_devices = runtime.config.devices
    publish(with_receipt_url(runtime.config, f"socket://127.0.0.1:{missing_port()}"), version=1)
    assert service.poll_once().kind == "applied"
    printer = runtime.devices["receipt_printer"]
    assert printer.transport.settings.url.startswith("socket://") and printer.status.state.value == "no_device"
    assert runtime.service_availability()["traffic"] == (False, "reason.device.receipt_printer")
    clock.advance(WINDOW_S + 1)
    outcome = service.poll_once()
    assert (outcome.kind, outcome.reason) == ("rolled_back", "health_check_failed")
    restored = runtime.devices["receipt_printer"]
    assert restored.transport.settings.url == original_url and restored.status.state.value == "online"
    assert runtime.config.devices == original_devices
    assert runtime.service_availability()["traffic"] == (True, None)
    latest = admin.history(DEMO_KIOSK_ID)[0]
    assert (latest["status"], latest["version"], latest["reason"]) == ("rolled_back", 1, "health_check_failed")


def test_a_printer_already_out_of_paper_does_not_roll_back_an_unrelated_change(runtime, service, publish, clock):
    from tests.kiosk.flows.conftest import sim

    sim("t-receipt").set_paper("out")
    runtime.device_set.monitor.refresh_all()
    assert runtime.service_availability()["traffic"][0] is False
    publish(runtime.config.model_copy(update={"site_name": "城南派出所自助警务室"}), version=1)
    assert service.poll_once().kind == "applied"
    clock.advance(WINDOW_S + 1)
    assert service.poll_once().kind == "committed"
    assert runtime.config.site_name == "城南派出所自助警务室"


def test_a_device_change_waits_for_the_citizen_then_comes_into_force(runtime, service, publish, clock):
    old_printer = runtime.devices["receipt_printer"]
    runtime.start_flow("traffic")  # a citizen is on the plate step: no order yet, so the agent applies
    publish(with_receipt_url(runtime.config, "sim://receipt?instance=t-receipt-new"), version=1)
    assert service.poll_once().kind == "applied"
    assert service.last_change.status == "deferred" and runtime.devices["receipt_printer"] is old_printer
    runtime.end_session("finished")
    assert service.poll_once().kind == "health_pending"
    assert runtime.devices["receipt_printer"].transport.settings.url == "sim://receipt?instance=t-receipt-new"
    clock.advance(WINDOW_S + 1)
    assert service.poll_once().kind == "committed"


def test_runtime_starts_and_stops_the_service_only_when_enrolled(trusted_home, sandbox, enrol_kiosk, admin, caplog):  # noqa: F811
    with caplog.at_level(logging.INFO, logger="kiosk.fleet.service"):
        runtime = KioskRuntime(trusted_home, kiosk_config(sandbox.base_url)).open()
    assert not runtime.fleet.running and "not enrolled" in caplog.text
    runtime.close()
    enrol_kiosk(trusted_home)
    runtime = KioskRuntime(trusted_home, kiosk_config(sandbox.base_url))
    heard = threading.Event()
    runtime.fleet.add_heartbeat_listener(lambda _outcome: heard.set())
    runtime.open()
    try:
        assert runtime.fleet.running
        assert heard.wait(10)  # the thread polled and sent a heartbeat with the real device states
        view = admin.call("GET", f"/kiosks/{DEMO_KIOSK_ID}")
        assert view["availability"] == {"certificate": True, "temp_id": True, "traffic": True, "endorsement": False}
        # the configured devices by name, and the kiosk's own alerts as one more entry (none raised: online)
        assert set(view["device_states"]) == {"idcard", "receipt", "a4", "card", "camera", "kiosk_alerts"}
        assert view["device_states"]["kiosk_alerts"]["state"] == "online"
    finally:
        runtime.close()
    assert not runtime.fleet.running
