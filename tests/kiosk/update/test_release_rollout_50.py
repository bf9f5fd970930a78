"""Software releases through the fleet's staged rollouts, across 50 simulated kiosks in 5 groups: a good
release advances group by group on the kiosks' own reports and completes; a bad one fails its health window
on the first group, which rolls back, and the error threshold stops the rollout before any other group
gets it."""

from __future__ import annotations

from kiosk.update import boot
from tests.kiosk.update.fleet_harness import WINDOW_S, release_document

GROUPS, PER_GROUP = 5, 10


def round_of_polls(kiosks, clock) -> None:
    """Every kiosk polls (and installs, switches, restarts), the health window passes, every kiosk polls."""
    for kiosk in kiosks:
        kiosk.run()
    clock.advance(WINDOW_S + 1)
    for kiosk in kiosks:
        kiosk.run()


def roll_out(admin, release_key, package, version: int) -> dict:
    admin.upload_package(package)
    doc = admin.push(release_document(release_key, version, package))
    return admin.call("POST", "/rollouts", 201, json={
        "document_id": doc["id"], "batches": [{"group": f"g{g}"} for g in range(GROUPS)],
        "success_threshold": 0.7, "error_threshold": 0.2})  # fmt: skip


def test_a_good_release_completes_and_a_bad_one_is_stopped_by_its_thresholds(
    make_kiosk, admin, release_key, releases, clock
):
    kiosks = [make_kiosk(f"k{g}-{i:02d}", group=f"g{g}", bad_versions={"0.3.0"})
              for g in range(GROUPS) for i in range(PER_GROUP)]  # fmt: skip
    good = roll_out(admin, release_key, releases["0.2.0"], 1)
    reached = []
    for _ in range(GROUPS + 1):
        round_of_polls(kiosks, clock)
        state = admin.call("GET", f"/rollouts/{good['id']}")
        reached.append(state["current_batch"])
        if state["status"] != "running":
            break
    assert state["status"] == "completed" and reached == [1, 2, 3, 4, 4]
    assert {kiosk.version for kiosk in kiosks} == {"0.2.0"}
    assert all(boot.read_boot_state(kiosk.layout).primary == "a" for kiosk in kiosks)

    bad = roll_out(admin, release_key, releases["0.3.0"], 2)
    round_of_polls(kiosks, clock)
    state = admin.call("GET", f"/rollouts/{bad['id']}")
    assert (state["status"], state["current_batch"]) == ("stopped", 0)
    counts = [(b["applied"], b["failed"], b["assigned"]) for b in state["batches"]]
    assert counts == [(0, 10, True)] + [(0, 0, False)] * (GROUPS - 1)
    first_group, others = kiosks[:PER_GROUP], kiosks[PER_GROUP:]
    assert {kiosk.version for kiosk in first_group} == {"0.2.0"}  # rolled back to the previous slot
    assert all(boot.read_boot_state(k.layout).failed_trial["reason"] == "self_test:idcard" for k in first_group)
    round_of_polls(others, clock)  # a stopped rollout assigns nothing more
    assert {kiosk.version for kiosk in others} == {"0.2.0"}
    assert all(not kiosk.layout.slot_dir("b").exists() for kiosk in others)
    reasons = {report["reason"] for kiosk in first_group for report in admin.history(kiosk.kiosk_id)[:1]}
    assert reasons == {"self_test:idcard"}
