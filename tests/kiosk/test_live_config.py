"""Configuration changes put into force on a running kiosk (real sandbox backend, simulated devices)."""

from __future__ import annotations

import uuid

from devices.receipt.samples import payment_receipt
from devices.status import DeviceState
from kiosk.config import KioskConfig
from kiosk.flows.base import StepKind
from kiosk.live_config import changed_paths
from server.sandbox.demo_data import ZHANG
from tests.kiosk.flows.conftest import face_check, live_face, make_runtime, runtime, sandbox, sim  # noqa: F401


def updated(config: KioskConfig, **sections: dict) -> KioskConfig:
    """`config` with fields of its sections replaced, e.g. updated(c, ui={"texts": {...}})."""
    changes = {name: getattr(config, name).model_copy(update=values) for name, values in sections.items()}
    return config.model_copy(update=changes)


def to_temp_id_confirm(runtime):  # noqa: F811
    flow = runtime.start_flow("temp_id")
    flow.handle("submit_id_number", id_number=ZHANG)
    view = face_check(runtime, flow, ZHANG)
    assert view.step is StepKind.CONFIRM, view.data
    return flow


def test_text_change_is_live_and_nothing_else_is_touched(runtime):  # noqa: F811
    devices_before = dict(runtime.devices)
    backend_before = runtime.backend
    new = updated(runtime.config, ui={"texts": {"prompt.read_card": "请将身份证放在感应区（新）"}})
    change = runtime.live.apply(new)
    assert (change.status, change.applied, change.restart_required) == ("applied", ("ui.texts",), ())
    assert runtime.config.ui.texts["prompt.read_card"] == "请将身份证放在感应区（新）"
    assert runtime.context.config is runtime.config  # what flows read
    assert runtime.devices == devices_before and runtime.backend is backend_before
    assert runtime.live.apply(new).status == "unchanged"


def test_running_flow_keeps_its_config_and_the_next_flow_gets_the_new_one(runtime):  # noqa: F811
    first = to_temp_id_confirm(runtime)
    assert first.view().data["amount_cents"] == 1000
    new = updated(
        runtime.config,
        services={"temp_id": runtime.config.services.temp_id.model_copy(update={"fee_cents": 1500})},
        session={"payment_timeout_s": 300},
        backend={"read_timeout_s": 7.0},
    )
    change = runtime.live.apply(new)
    assert change.backend_rebuilt and {"services.temp_id.fee_cents", "session.payment_timeout_s"} <= set(change.applied)
    # The flow at the confirm step goes on with the amount, time-out and (closed) client it started with.
    pay = first.handle("confirm")
    assert pay.step is StepKind.PAY and (pay.data["amount_cents"], pay.data["expires_in_s"]) == (1000, 180)
    assert first.ctx.config.services.temp_id.fee_cents == 1000
    assert first.handle("cancel").data["error_code"] == "cancelled"
    runtime.end_session("finished")
    second = to_temp_id_confirm(runtime)
    assert second.ctx.config.services.temp_id.fee_cents == 1500 and second.ctx.backend is runtime.backend
    assert second.handle("confirm").data["expires_in_s"] == 300


def test_purpose_removed_mid_flow_does_not_break_the_citizen_at_that_step(runtime):  # noqa: F811
    flow = runtime.start_flow("certificate")
    flow.handle("enter_id_number")
    flow.handle("submit_id_number", id_number=ZHANG)
    assert "收养" in face_check(runtime, flow, ZHANG).data["purposes"]
    purposes = [p for p in runtime.config.services.certificate.purposes if p != "收养"]
    certificate = runtime.config.services.certificate.model_copy(update={"purposes": purposes})
    runtime.live.apply(updated(runtime.config, services={"certificate": certificate}))
    assert flow.handle("submit_purpose", purpose="收养").step is StepKind.CONFIRM
    runtime.end_session("finished")
    nxt = runtime.start_flow("certificate")
    nxt.handle("enter_id_number")
    nxt.handle("submit_id_number", id_number=ZHANG)
    assert "收养" not in face_check(runtime, nxt, ZHANG).data["purposes"]


def test_service_switched_off_and_face_thresholds(runtime):  # noqa: F811
    assert runtime.service_availability()["traffic"] == (True, None)
    new = updated(
        runtime.config,
        services={"traffic": runtime.config.services.traffic.model_copy(update={"enabled": False})},
        face={"max_attempts": 5, "min_sharpness": 55.0},
    )
    runtime.live.apply(new)
    assert runtime.service_availability()["traffic"] == (False, "reason.not_offered")
    assert runtime.quality.thresholds.min_sharpness == 55.0 and runtime.context.quality is runtime.quality
    face_step = runtime.start_flow("temp_id").handle("submit_id_number", id_number=ZHANG)
    assert face_step.step is StepKind.CAPTURE_FACE and face_step.data["max_attempts"] == 5


def test_device_url_change_reopens_the_device_on_another_simulator(runtime):  # noqa: F811
    old_device, old_monitor = runtime.devices["receipt_printer"], runtime.device_set.monitor
    instance = f"t-receipt-{uuid.uuid4().hex[:6]}"
    devices = dict(runtime.config.devices)
    devices["receipt"] = devices["receipt"].model_copy(
        update={"url": f"sim://receipt?instance={instance}&scenario=paper_near_end"}
    )
    change = runtime.live.apply(runtime.config.model_copy(update={"devices": devices}))
    assert (change.applied, change.reopened_devices, change.closed_devices) == (
        ("devices.receipt",), ("receipt",), ("receipt",))  # fmt: skip
    new_device = runtime.devices["receipt_printer"]
    assert new_device is not old_device and old_device.status.state is DeviceState.OFFLINE
    assert new_device.status.detail["paper"] == "near_end"  # it talks to the new simulator
    new_device.print_job(payment_receipt(), timeout=10)
    assert len(sim(instance).receipts) == 1 and sim("t-receipt").receipts == []
    assert runtime.device_set.monitor is not old_monitor and runtime.device_set.monitor is not None
    assert runtime.service_availability()["traffic"] == (True, None)


def test_device_change_waits_while_a_citizen_is_mid_way(runtime):  # noqa: F811
    old_device = runtime.devices["receipt_printer"]
    devices = dict(runtime.config.devices)
    devices["receipt"] = devices["receipt"].model_copy(update={"url": "sim://receipt?instance=t-receipt-2"})
    new = updated(runtime.config, ui={"texts": {"k": "v"}}).model_copy(update={"devices": devices})
    runtime.start_flow("traffic")
    deferred = runtime.live.apply(new)
    assert (deferred.status, deferred.reason) == ("deferred", "citizen_busy")
    assert runtime.devices["receipt_printer"] is old_device and runtime.config.ui.texts == {}  # all or nothing
    runtime.end_session("finished")
    assert runtime.live.apply(new).status == "applied"
    assert runtime.devices["receipt_printer"].transport.settings.url == "sim://receipt?instance=t-receipt-2"


def test_kiosk_id_and_orientation_need_a_restart(runtime):  # noqa: F811
    running_id = runtime.config.kiosk_id
    new = updated(runtime.config, ui={"orientation": "landscape", "texts": {"k": "v"}})
    new = new.model_copy(update={"kiosk_id": "another-kiosk"})
    change = runtime.live.apply(new)
    assert change.status == "applied" and change.applied == ("ui.texts",)
    assert change.restart_required == ("kiosk_id", "ui.orientation")
    assert (runtime.config.kiosk_id, runtime.config.ui.orientation) == (running_id, "portrait")  # what really runs
    assert runtime.backend.kiosk_id == running_id
    again = runtime.live.apply(new)
    assert (again.status, again.restart_required) == ("unchanged", ("kiosk_id", "ui.orientation"))


def test_backend_url_change_is_checked_at_once(runtime, sandbox):  # noqa: F811
    assert runtime.backend_ok()
    dead = updated(runtime.config, backend={"url": "http://127.0.0.1:9", "retries": 0})
    change = runtime.live.apply(dead)
    assert change.backend_rebuilt and not runtime.backend_ok()
    assert runtime.service_availability()["temp_id"] == (False, "reason.backend_down")
    runtime.live.apply(updated(dead, backend={"url": sandbox.base_url, "retries": 1}))
    assert runtime.backend_ok()


def test_changed_paths_names_leaves_and_devices():
    base = KioskConfig()
    new = updated(base, ui={"voice": False}, session={"warning_s": 30})
    assert changed_paths(base, new) == ["session.warning_s", "ui.voice"]
