"""Staged rollouts driven by raw kiosk reports over HTTP: advance on the success threshold, stop on the
error threshold, pause/resume, and never count an assignment as success."""

from __future__ import annotations

import uuid

import requests


def desired_status(server, kiosk: tuple[str, str]) -> int:
    return requests.get(f"{server.url}/api/v1/kiosks/{kiosk[0]}/desired", auth=kiosk, timeout=10).status_code


def send(server, kiosk: tuple[str, str], status: str, doc: dict, reason: str | None = None) -> None:
    body = {"status": status, "version": doc["version"], "sha256": doc["sha256"], "reason": reason}
    response = requests.post(f"{server.url}/api/v1/kiosks/{kiosk[0]}/reports", auth=kiosk, json=body,
                             headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=10)  # fmt: skip
    assert response.status_code == 201, response.text


def setup_fleet(admin, make_document, sizes: tuple[int, ...]) -> tuple[list[list[tuple[str, str]]], dict]:
    batches = [[admin.enrol(f"g{g}-k{i}", group=f"g{g}") for i in range(size)] for g, size in enumerate(sizes)]
    doc = admin.push(make_document(1))
    return batches, doc


def test_rollout_advances_batch_by_batch_on_reports(fleet_server, admin, make_document):
    batches, doc = setup_fleet(admin, make_document, (2, 4, 2))
    rollout = admin.call("POST", "/rollouts", 201, json={
        "document_id": doc["id"], "batches": [{"group": "g0"}, {"group": "g1"}, {"kiosks": ["g2-k0", "g2-k1"]}],
        "success_threshold": 0.75, "error_threshold": 0.5})  # fmt: skip
    assert rollout["status"] == "running" and rollout["current_batch"] == 0
    assert [desired_status(fleet_server, k) for k in batches[0] + batches[1][:1]] == [200, 200, 204]
    send(fleet_server, batches[0][0], "pending", doc)  # applied but in its health window: not yet a success
    send(fleet_server, batches[0][1], "applied", doc)
    assert admin.call("GET", f"/rollouts/{rollout['id']}")["current_batch"] == 0
    send(fleet_server, batches[0][0], "applied", doc)
    state = admin.call("GET", f"/rollouts/{rollout['id']}")
    assert state["current_batch"] == 1 and state["batches"][0]["applied"] == 2
    assert desired_status(fleet_server, batches[1][0]) == 200 and desired_status(fleet_server, batches[2][0]) == 204
    for kiosk in batches[1][:2]:
        send(fleet_server, kiosk, "applied", doc)
    send(fleet_server, batches[1][2], "rejected", doc, "expired")  # 1 of 4 failed: under the 50 % error threshold
    assert admin.call("GET", f"/rollouts/{rollout['id']}")["current_batch"] == 1  # 2 of 4 < 75 %
    send(fleet_server, batches[1][3], "applied", doc)
    assert admin.call("GET", f"/rollouts/{rollout['id']}")["current_batch"] == 2
    for kiosk in batches[2]:
        send(fleet_server, kiosk, "applied", doc)
    final = admin.call("GET", f"/rollouts/{rollout['id']}")
    assert final["status"] == "completed"
    assert [(b["applied"], b["failed"]) for b in final["batches"]] == [(2, 0), (3, 1), (2, 0)]


def test_rollout_stops_on_error_threshold_and_resume_acknowledges(fleet_server, admin, make_document):
    batches, doc = setup_fleet(admin, make_document, (4, 2))
    rollout = admin.call("POST", "/rollouts", 201, json={
        "document_id": doc["id"], "batches": [{"group": "g0"}, {"group": "g1"}],
        "success_threshold": 0.5, "error_threshold": 0.25})  # fmt: skip
    send(fleet_server, batches[0][0], "rejected", doc, "unknown_key")
    assert admin.call("GET", f"/rollouts/{rollout['id']}")["status"] == "running"  # 1 of 4 is not above 25 %
    send(fleet_server, batches[0][1], "rolled_back", doc, "health_check_failed")
    assert admin.call("GET", f"/rollouts/{rollout['id']}")["status"] == "stopped"
    send(fleet_server, batches[0][2], "applied", doc)
    send(fleet_server, batches[0][3], "applied", doc)  # successes no longer move a stopped rollout
    state = admin.call("GET", f"/rollouts/{rollout['id']}")
    assert state["status"] == "stopped" and state["current_batch"] == 0
    assert desired_status(fleet_server, batches[1][0]) == 204
    admin.call("POST", f"/rollouts/{rollout['id']}/pause", 409)
    resumed = admin.call("POST", f"/rollouts/{rollout['id']}/resume")
    assert resumed["status"] == "running" and resumed["current_batch"] == 1
    assert desired_status(fleet_server, batches[1][0]) == 200


def test_pause_holds_a_rollout_until_resumed(fleet_server, admin, make_document):
    batches, doc = setup_fleet(admin, make_document, (1, 1))
    rollout = admin.call("POST", "/rollouts", 201, json={
        "document_id": doc["id"], "batches": [{"group": "g0"}, {"group": "g1"}], "start": False})  # fmt: skip
    assert rollout["status"] == "created" and desired_status(fleet_server, batches[0][0]) == 204
    admin.call("POST", f"/rollouts/{rollout['id']}/start")
    admin.call("POST", f"/rollouts/{rollout['id']}/pause")
    send(fleet_server, batches[0][0], "applied", doc)
    assert admin.call("GET", f"/rollouts/{rollout['id']}")["current_batch"] == 0
    assert admin.call("POST", f"/rollouts/{rollout['id']}/resume")["current_batch"] == 1
    admin.call("POST", f"/rollouts/{rollout['id']}/start", 409)


def test_rollout_refuses_unknown_or_repeated_kiosks(admin, make_document):
    admin.enrol("k-1")
    doc = admin.push(make_document(1))
    admin.call("POST", "/rollouts", 422, json={"document_id": doc["id"], "batches": [{"kiosks": ["nobody"]}]})
    admin.call(
        "POST", "/rollouts", 422, json={"document_id": doc["id"], "batches": [{"kiosks": ["k-1"]}, {"kiosks": ["k-1"]}]}
    )
    admin.call(
        "POST", "/rollouts", 422, json={"document_id": doc["id"], "batches": [{"group": "g", "kiosks": ["k-1"]}]}
    )
