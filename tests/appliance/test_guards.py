"""Unattended operation: quiet hours, the nightly restart, crash loops, disk pruning before going out of
service, an untrustworthy clock, and the out-of-service record the appliance owns (never a technician's)."""

from __future__ import annotations

import subprocess
from datetime import date, datetime

import pytest

from kiosk.appliance.clock import ClockGuard, ClockSync, chrony_sync, kernel_sync, parse_chrony_tracking
from kiosk.appliance.conditions import ApplianceConditions
from kiosk.appliance.disk import MB, DiskGuard, Usage
from kiosk.appliance.schedule import NightlyRestart, crash_loop, in_quiet_hours, quiet_night
from kiosk.home import KioskHome
from kiosk.technician.outofservice import (
    clear_out_of_service,
    load_out_of_service_records,
    set_out_of_service,
)
from kiosk.update import boot
from tests.kiosk.update.packages import app_tree, factory_layout


def at(hhmm: str, day: int = 10) -> datetime:
    return datetime.fromisoformat(f"2026-03-{day:02d}T{hhmm}:00")


@pytest.mark.parametrize(("window", "moment", "quiet"), [
    ("02:00-05:00", "02:00", True), ("02:00-05:00", "04:59", True), ("02:00-05:00", "05:00", False),
    ("02:00-05:00", "01:59", False), ("23:30-04:00", "23:45", True), ("23:30-04:00", "03:00", True),
    ("23:30-04:00", "12:00", False),
])  # fmt: skip
def test_quiet_hours_including_windows_across_midnight(window, moment, quiet):
    assert in_quiet_hours(window, at(moment)) is quiet


def test_the_nightly_restart_comes_once_per_night_after_enough_uptime_and_never_mid_visit():
    nightly = NightlyRestart("23:30-04:00", min_uptime_s=3600, done_for=date(2026, 3, 9))
    assert not nightly.due(at("23:40", 9), uptime_s=7200, visit_in_progress=False)  # started this night
    assert not nightly.due(at("12:00", 10), uptime_s=7200, visit_in_progress=False)  # not quiet
    assert not nightly.due(at("23:40", 10), uptime_s=600, visit_in_progress=False)  # just started
    assert not nightly.due(at("23:40", 10), uptime_s=7200, visit_in_progress=True)  # a citizen is mid-way
    assert nightly.due(at("23:40", 10), uptime_s=7200, visit_in_progress=False)
    nightly.mark_done(at("23:40", 10))
    assert not nightly.due(at("01:00", 11), uptime_s=9000, visit_in_progress=False)  # same night, after midnight
    assert quiet_night("23:30-04:00", at("01:00", 11)) == date(2026, 3, 10)
    assert nightly.due(at("23:31", 11), uptime_s=90000, visit_in_progress=False)  # the next night


def test_a_crash_loop_is_n_unplanned_starts_within_the_window():
    starts = [{"at": 1000.0 + 60 * i, "slot": "a", "clean": False} for i in range(5)]
    loop = crash_loop(starts, now=1300.0, restarts=5, minutes=10)
    assert loop is not None and (loop.restarts, loop.slot) == (5, "a")
    assert crash_loop(starts[1:], now=1300.0, restarts=5, minutes=10) is None  # only four
    assert crash_loop(starts, now=1000.0 + 60 * 4 + 700, restarts=5, minutes=10) is None  # the first is too old
    planned = [dict(entry) for entry in starts]
    planned[2]["clean"] = True  # a nightly restart in between is no crash
    assert crash_loop(planned, now=1300.0, restarts=5, minutes=10) is None


# -- disk ----------------------------------------------------------------------------------------------
class ShrinkingDisk:
    """Free space that grows by what is deleted: the guard's usage() sees its own pruning."""

    def __init__(self, root, free_mb: float) -> None:
        self.root, self.base = root, free_mb * MB

    def __call__(self, _path) -> Usage:
        written = sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file() and not p.is_symlink())
        return Usage(0, 0, int(self.base - written))


def test_a_full_disk_prunes_rotated_logs_and_copies_then_slots_and_keeps_the_journal(tmp_path):
    layout = factory_layout(tmp_path)
    home = KioskHome(layout.home).ensure()
    for index in (1, 2, 3):
        (home.log_dir / f"kiosk.log.{index}").write_bytes(b"x" * MB)
    (home.log_dir / "kiosk.log").write_bytes(b"live")
    (home.root / "journal.sqlite3").write_bytes(b"orders")
    (home.root / "journal.sqlite3.before-j0001").write_bytes(b"c" * MB)
    (home.root / "journal.sqlite3.before-j0002").write_bytes(b"c" * MB)
    app_tree(layout.slot_dir("b"), "0.0.9")  # a slot nobody boots
    disk = ShrinkingDisk(layout.root, free_mb=8)  # 5 MB written: 3 MB free, under the prune threshold
    guard = DiskGuard(home, layout, prune_below_mb=4, stop_below_mb=1, usage=disk)
    report = guard.check()
    assert report.pruned == ("kiosk.log.3", "kiosk.log.2", "kiosk.log.1")  # enough: nothing else goes
    assert report.stop_reason is None and report.free_mb >= 4
    assert (home.log_dir / "kiosk.log").exists() and (home.root / "journal.sqlite3").exists()
    disk.base = 1.5 * MB  # nothing left to prune can help
    report = guard.check()
    assert "b" in report.pruned and not layout.slot_dir("b").exists()
    assert (home.root / "journal.sqlite3.before-j0002").exists()  # the newest copy of each database stays
    assert report.stop_reason is not None and report.stop_reason.startswith("disk nearly full")
    assert (home.root / "journal.sqlite3").read_bytes() == b"orders"


def test_the_previous_slot_goes_only_when_everything_else_did_not_help(tmp_path):
    layout = factory_layout(tmp_path)
    home = KioskHome(layout.home).ensure()
    for slot in ("a", "b"):
        app_tree(layout.slot_dir(slot), "0.2.0", payload_kib=256)
    boot.write_boot_state(layout, boot.BootState(primary="b", previous="a"))
    guard = DiskGuard(home, layout, prune_below_mb=10**6, stop_below_mb=1, usage=ShrinkingDisk(layout.root, 10**5))
    report = guard.check()
    assert "a" in report.pruned and layout.slot_dir("b").exists()
    assert boot.read_boot_state(layout).previous is None


# -- clock ---------------------------------------------------------------------------------------------
class Clocks:
    def __init__(self) -> None:
        self.wall, self.mono, self.synced = 1_000_000.0, 50.0, True

    def sync(self) -> ClockSync:
        return ClockSync(self.synced, "test", "")

    def advance(self, seconds: float, wall_extra: float = 0.0) -> None:
        self.mono += seconds
        self.wall += seconds + wall_extra


def test_an_unsynchronised_clock_or_a_jump_stops_dated_documents_until_sync_confirms_it():
    clocks = Clocks()
    guard = ClockGuard(120, sync=clocks.sync, wall=lambda: clocks.wall, monotonic=lambda: clocks.mono)
    assert guard.check() is None
    clocks.advance(15, wall_extra=5)  # NTP slewing: fine
    assert guard.check() is None
    clocks.synced = False
    clocks.advance(15, wall_extra=-86400)  # an RTC reset to yesterday
    assert guard.check().startswith("clock not synchronised")
    clocks.synced = None  # nobody can tell
    clocks.advance(15)
    assert "jumped by -86400 s" in guard.check()
    clocks.synced = True
    clocks.advance(15)
    assert guard.check() is None


def test_chrony_tracking_is_read_from_its_csv_and_the_kernel_flag_is_always_readable():
    line = "A29FC87B,ntp.example.org,3,1700000000.1,-0.000012,0.000002,0.000004,-12.3,0.01,0.1,0.02,0.001,64.5,Normal"
    assert parse_chrony_tracking(line).synchronised is True
    assert parse_chrony_tracking(line.replace("Normal", "Not synchronised")).synchronised is False
    assert parse_chrony_tracking("garbage").synchronised is None
    state = kernel_sync()
    assert state.source == "kernel" and isinstance(state.synchronised, bool)

    def not_answering(*_args, **_kwargs):
        return subprocess.CompletedProcess([], 1, "", "506 Cannot talk to daemon")

    assert chrony_sync(not_answering).synchronised is None


# -- the out-of-service record ------------------------------------------------------------------------
def test_the_appliance_writes_and_clears_only_its_own_record(tmp_path):
    home = KioskHome(tmp_path).ensure()
    conditions = ApplianceConditions(home)
    conditions.set("clock", "clock not synchronised")
    conditions.set("disk", "disk nearly full (80 MB free)")
    assert conditions.apply() is True
    record = load_out_of_service_records(home)["kiosk"]
    assert record["by"] == "appliance"
    assert record["reason"] == "clock not synchronised; disk nearly full (80 MB free)"
    conditions.set("clock", None)
    conditions.apply()
    assert load_out_of_service_records(home)["kiosk"]["reason"] == "disk nearly full (80 MB free)"
    conditions.set("disk", None)
    assert conditions.apply() is False and "kiosk" not in load_out_of_service_records(home)

    set_out_of_service(home, "kiosk", "screen replaced", "technician:li")
    conditions.set("clock", "clock not synchronised")
    assert conditions.apply() is False  # the technician's switch stands
    assert load_out_of_service_records(home)["kiosk"]["reason"] == "screen replaced"
    conditions.set("clock", None)
    conditions.apply()
    assert load_out_of_service_records(home)["kiosk"]["by"] == "technician:li"  # never cleared by the appliance
    clear_out_of_service(home, "kiosk")
    conditions.set("clock", "clock not synchronised")
    assert conditions.apply() is True  # written once the technician's is gone
