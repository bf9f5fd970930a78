"""A staged rollout across 50 simulated kiosks, each a real agent with its own data dir, polled step by
step: it advances group by group on the kiosks' own reports and stops when too many reject."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.trust import read_active

GROUPS, PER_GROUP = 5, 10
ROGUE_IN_GROUP_3 = 3  # kiosks provisioned with another key: they must reject (unknown_key)


def poll_all(kiosks) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for kiosk in kiosks:
        kind = kiosk.agent.poll_once().kind
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def test_rollout_over_50_kiosks_advances_then_stops_on_errors(make_kiosk, admin, make_document, clock):
    other_key = Ed25519PrivateKey.generate()
    kiosks = [
        make_kiosk(f"k{g}-{i:02d}", group=f"g{g}", trusted=other_key if g == 3 and i < ROGUE_IN_GROUP_3 else None)
        for g in range(GROUPS)
        for i in range(PER_GROUP)
    ]
    doc = admin.push(make_document(1))
    rollout = admin.call("POST", "/rollouts", 201, json={
        "document_id": doc["id"], "batches": [{"group": f"g{g}"} for g in range(GROUPS)],
        "success_threshold": 0.7, "error_threshold": 0.2})  # fmt: skip
    batch_seen = []
    for _ in range(GROUPS + 1):  # each round: everyone polls, the health window passes, everyone polls
        poll_all(kiosks)
        clock.advance(61)
        poll_all(kiosks)
        state = admin.call("GET", f"/rollouts/{rollout['id']}")
        batch_seen.append(state["current_batch"])
        if state["status"] != "running":
            break
    assert state["status"] == "stopped" and state["current_batch"] == 3
    assert batch_seen == [1, 2, 3]  # one group per round; group 3 rejected within its first round
    assert [(b["applied"], b["failed"], b["in_progress"]) for b in state["batches"]][3] == (0, 3, 7)
    poll_all(kiosks)  # the 7 good kiosks of group 3 finish their health window: no advance while stopped
    clock.advance(61)
    poll_all(kiosks)
    state = admin.call("GET", f"/rollouts/{rollout['id']}")
    assert state["status"] == "stopped" and state["current_batch"] == 3
    counts = [(b["applied"], b["failed"], b["assigned"]) for b in state["batches"]]
    assert counts == [(10, 0, True), (10, 0, True), (10, 0, True), (7, 3, True), (0, 0, False)]
    versions = {k.kiosk_id: read_active(k.home).version for k in kiosks}
    assert all(versions[f"k{g}-{i:02d}"] == 1 for g in range(3) for i in range(PER_GROUP))
    assert all(versions[f"k4-{i:02d}"] == 0 for i in range(PER_GROUP))  # the last group never got it
    rogue = admin.history("k3-00")[0]
    assert (rogue["status"], rogue["reason"]) == ("rejected", "unknown_key")
    resumed = admin.call("POST", f"/rollouts/{rollout['id']}/resume")  # the admins accept the 3 failures
    assert resumed["status"] == "running" and resumed["current_batch"] == 4
    poll_all(kiosks[40:])
    clock.advance(61)
    poll_all(kiosks[40:])
    assert admin.call("GET", f"/rollouts/{rollout['id']}")["status"] == "completed"
