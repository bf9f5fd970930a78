"""The A/B update through the real fleet server: a good release is downloaded, installed in the inactive
slot, switched to at a quiet moment and committed after its health window; a bad one is rolled back with
its reason and the databases taken back by the newer code; a trial that keeps crashing is ended by the
launcher; refusals (older software, a newer config schema, a wrong package) never touch a slot."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.audit import AuditLog
from kiosk.journal import Journal
from kiosk.migrations import JOURNAL, head_revision
from kiosk.update import boot
from kiosk.update.state import Phase
from tests.kiosk.update.fleet_harness import CHANNEL, WINDOW_S, release_document

HEADS_010 = {"journal": "j0001", "audit": "a0001"}
RELEASE_010 = Path(__file__).resolve().parents[2] / "fixtures" / "releases" / "0.1.0"


def publish(admin, release_key, package, version: int, **kwargs) -> dict:
    admin.upload_package(package)
    doc = admin.push(release_document(release_key, version, package, **kwargs))
    admin.call("POST", "/assignments", 201, json={"document_id": doc["id"], "target_kind": "channel",
                                                  "target": CHANNEL})  # fmt: skip
    return doc


def statuses(admin, kiosk_id: str) -> list[tuple[str, str | None]]:
    return [(r["status"], r["reason"]) for r in reversed(admin.history(kiosk_id))]


def test_a_good_release_is_installed_switched_and_committed(make_kiosk, admin, release_key, releases, clock):
    kiosk = make_kiosk()
    doc = publish(admin, release_key, releases["0.2.0"], 1)
    assert kiosk.run().kind == "health_pending"  # downloaded, installed, switched, restarted into the trial
    assert (kiosk.slot, kiosk.version, kiosk.exits) == ("a", "0.2.0", ["switching to software 0.2.0 in slot a"])
    assert boot.read_boot_state(kiosk.layout).primary == boot.FACTORY  # not committed yet
    clock.advance(WINDOW_S + 1)
    assert kiosk.run().kind == "committed"
    state = boot.read_boot_state(kiosk.layout)
    assert (state.primary, state.previous, state.trying) == ("a", boot.FACTORY, None)
    assert statuses(admin, kiosk.kiosk_id) == [("pending", None), ("applied", None)]
    assert admin.history(kiosk.kiosk_id)[0]["sha256"] == doc["sha256"]
    assert not list((kiosk.layout.update_dir / "downloads").iterdir())  # the download is gone after the commit
    kiosk.boot()
    assert kiosk.run().kind == "unchanged" and kiosk.slot == "a"  # and it stays


def test_a_release_that_fails_its_health_window_is_rolled_back_with_the_databases(
    make_kiosk, admin, release_key, releases, clock
):
    kiosk = make_kiosk(heads=HEADS_010, bad_versions={"0.3.0"})
    for name in ("journal.sqlite3", "audit.sqlite3", "person.key"):  # the data of release 0.1.0 ...
        shutil.copyfile(RELEASE_010 / name, kiosk.home.root / name)

    def start_software(sim) -> None:  # ... which each start opens, migrating it to its own head
        if sim.version == "0.3.0":
            Journal.open(sim.home.journal_url, kiosk_id=sim.kiosk_id, secret_path=sim.home.root / "person.key").close()
            AuditLog(sim.home.audit_file).close()

    kiosk.on_start = start_software
    publish(admin, release_key, releases["0.3.0"], 1)
    assert kiosk.run().kind == "health_pending" and kiosk.version == "0.3.0"
    journal_db = kiosk.home.root / "journal.sqlite3"
    revision = "SELECT version_num FROM alembic_version"
    assert sqlite3.connect(journal_db).execute(revision).fetchone()[0] == head_revision(JOURNAL)
    clock.advance(WINDOW_S + 1)
    outcome = kiosk.run()
    assert (outcome.kind, outcome.detail) == ("rolled_back", "self_test:idcard")
    assert (kiosk.slot, kiosk.version) == (boot.FACTORY, "0.1.0")
    failed = boot.read_boot_state(kiosk.layout).failed_trial
    assert (failed["slot"], failed["reason"], failed["downgrade"]) == ("a", "self_test:idcard", "done")
    assert sqlite3.connect(journal_db).execute(revision).fetchone()[0] == "j0001"  # what 0.1.0 knows
    history = admin.history(kiosk.kiosk_id)
    assert statuses(admin, kiosk.kiosk_id) == [("pending", None), ("rolled_back", "self_test:idcard")]
    assert history[0]["message"] == "databases: done"
    kiosk.agent.state.etag = None  # even when asked again, the rolled-back release stays refused
    assert (kiosk.run().kind, statuses(admin, kiosk.kiosk_id)[-1]) == ("rejected", ("rejected", "rolled_back"))


def test_a_trial_that_keeps_crashing_is_ended_by_the_launcher(make_kiosk, admin, release_key, releases):
    kiosk = make_kiosk()
    publish(admin, release_key, releases["0.2.0"], 1)
    assert kiosk.run().kind == "health_pending" and kiosk.slot == "a"
    for _ in range(boot.TRIAL_ATTEMPTS - 1):  # the new software dies before its window ends, again and again
        assert kiosk.boot() == "a"
    assert kiosk.boot() == boot.FACTORY  # attempts used up: the launcher falls back
    outcome = kiosk.run()
    assert (outcome.kind, outcome.detail) == ("rolled_back", "crash_loop")
    assert statuses(admin, kiosk.kiosk_id)[-1] == ("rolled_back", "crash_loop")
    assert kiosk.agent.state.phase == Phase.IDLE


def test_a_switch_waits_for_a_quiet_moment(make_kiosk, admin, release_key, releases):
    kiosk = make_kiosk()
    kiosk.quiet = False
    publish(admin, release_key, releases["0.2.0"], 1)
    assert kiosk.run().kind == "waiting_for_quiet"
    assert kiosk.slot == boot.FACTORY and boot.slot_release(kiosk.layout, "a")["version"] == "0.2.0"
    assert boot.read_boot_state(kiosk.layout).trying is None
    kiosk.quiet = True
    assert kiosk.run().kind == "health_pending" and kiosk.slot == "a"


def test_older_software_is_refused_unless_the_signed_release_allows_it(make_kiosk, admin, release_key, releases):
    kiosk = make_kiosk()
    publish(admin, release_key, releases["0.0.9"], 1)
    outcome = kiosk.run()
    assert (outcome.kind, outcome.detail) == ("rejected", "rollback")
    assert not kiosk.layout.slot_dir("a").exists()
    publish(admin, release_key, releases["0.0.9"], 2, allow_downgrade=True)
    assert kiosk.run().kind == "health_pending" and kiosk.version == "0.0.9"


def test_a_release_needing_a_newer_config_schema_is_refused(make_kiosk, admin, release_key, releases):
    kiosk = make_kiosk()
    publish(admin, release_key, releases["0.2.0"], 1, min_config_schema=2)
    outcome = kiosk.run()
    assert (outcome.kind, outcome.detail) == ("rejected", "schema_invalid")
    assert statuses(admin, kiosk.kiosk_id) == [("rejected", "schema_invalid")]


def test_a_package_of_another_size_or_hash_is_refused_before_anything_is_installed(
    make_kiosk, admin, release_key, releases, tmp_path
):
    kiosk = make_kiosk()
    good = releases["0.2.0"]
    admin.upload_package(good)
    longer = type(good)(good.path, good.version, good.sha256, good.size + 100)  # signed with the wrong size
    doc = admin.push(release_document(release_key, 1, longer, channels=(), kiosk_ids=(kiosk.kiosk_id,)))
    admin.call("POST", "/assignments", 201, json={"document_id": doc["id"], "target_kind": "kiosk",
                                                  "target": kiosk.kiosk_id})  # fmt: skip
    outcome = kiosk.run()
    assert (outcome.kind, outcome.detail) == ("rejected", "package_size_mismatch")
    stored = tmp_path / "packages" / f"{good.sha256}.deb"  # a damaged disk on the server (or a lying mirror)
    data = bytearray(stored.read_bytes())
    data[100] ^= 0xFF
    stored.write_bytes(bytes(data))
    doc = admin.push(release_document(release_key, 2, good, channels=(), kiosk_ids=(kiosk.kiosk_id,)))
    admin.call("POST", "/assignments", 201, json={"document_id": doc["id"], "target_kind": "kiosk",
                                                  "target": kiosk.kiosk_id})  # fmt: skip
    outcome = kiosk.run()
    assert (outcome.kind, outcome.detail) == ("rejected", "package_hash_mismatch")
    assert not kiosk.layout.slot_dir("a").exists() and kiosk.agent.state.phase == Phase.IDLE
    assert not list((kiosk.layout.update_dir / "downloads").iterdir())  # the bad bytes are gone
    assert [s for s, _ in statuses(admin, kiosk.kiosk_id)] == ["pending", "rejected", "pending", "rejected"]


def test_an_unsigned_or_foreign_release_is_rejected(make_kiosk, admin, releases):
    kiosk = make_kiosk()
    admin.upload_package(releases["0.2.0"])
    doc = admin.push(release_document(Ed25519PrivateKey.generate(), 1, releases["0.2.0"]))
    admin.call("POST", "/assignments", 201, json={"document_id": doc["id"], "target_kind": "channel",
                                                  "target": CHANNEL})  # fmt: skip
    outcome = kiosk.run()
    assert (outcome.kind, outcome.detail) == ("rejected", "unknown_key")
    assert not kiosk.layout.slot_dir("a").exists()
