"""Issue 21 item 4: a technician lock-out that a passer-by cannot trigger against the technician holding
the second factor, counted on the monotonic clock (wall-clock jumps change nothing), kept across restarts
and reboots without lost updates, never longer than the configured maximum, and proof against a damaged
lockout file."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from kiosk.home import KioskHome
from kiosk.technician import totp
from kiosk.technician.audit_sink import MemoryAudit
from kiosk.technician.auth import BASE_LOCK_S, MAX_FAILURES, TechnicianAuth
from tests.kiosk.technician.helpers import FAST_SCRYPT_N, PIN, FakeClock

WRONG = "135790"
YEAR = 365 * 24 * 3600.0


class Machine:
    """One kiosk's clocks: a wall clock anyone with root (or NTP) can move, and a monotonic clock and boot
    id that only a reboot resets."""

    def __init__(self) -> None:
        self.wall = FakeClock(1_800_000_000.0)
        self.mono = FakeClock(5_000.0)
        self.boot = "boot-1"

    def advance(self, seconds: float) -> None:
        self.wall.advance(seconds)
        self.mono.advance(seconds)

    def reboot(self, downtime_s: float = 600.0) -> None:
        self.wall.advance(downtime_s)
        self.mono.now = 12.0  # a new boot counts from (near) zero
        self.boot = f"boot-{int(self.wall.now)}"

    def auth(self, home: KioskHome, **kwargs) -> TechnicianAuth:
        return TechnicianAuth(home, MemoryAudit(), clock=self.wall, monotonic=self.mono,
                              boot_id=lambda: self.boot, scrypt_n=FAST_SCRYPT_N, **kwargs)  # fmt: skip


@pytest.fixture
def home(tmp_path) -> KioskHome:
    return KioskHome(tmp_path / "home").ensure()


@pytest.fixture
def machine() -> Machine:
    return Machine()


def lockout_file(home: KioskHome):
    return home.root / "technician" / "lockout.json"


def provision(machine: Machine, home: KioskHome, *, with_totp: bool) -> tuple[TechnicianAuth, bytes | None]:
    auth = machine.auth(home)
    secret = totp.new_secret() if with_totp else None
    auth.set_pin(PIN, actor="cli:test", totp_secret=secret)
    return auth, secret


def fail_until_locked(auth: TechnicianAuth, count: int = MAX_FAILURES, code: str | None = None) -> None:
    for _ in range(count):
        auth.login(WRONG, code)


def fail_counted(auth: TechnicianAuth, machine: Machine, count: int) -> None:
    """`count` failures that all count: each waits out the lock the one before started."""
    for _ in range(count):
        machine.advance(auth.pin_locked_for())
        auth.login(WRONG)


def test_wrong_pins_at_the_screen_never_block_the_technician_with_totp(machine, home):
    auth, secret = provision(machine, home, with_totp=True)
    fail_until_locked(auth, 40)  # a passer-by tapping the clock and guessing for a while
    assert auth.pin_locked_for() > 0 and auth.locked_for() == 0  # the pad stays open for a PIN + code
    assert auth.login(PIN).reason == "locked"  # a PIN alone still meets the back-off
    assert auth.login(PIN, "000000").reason == "locked"  # ... and so does a wrong code, uncounted
    assert auth.login(PIN, totp.totp(secret, machine.wall())).ok  # the technician gets in
    assert auth.pin_locked_for() == 0  # and the success clears the back-off


def test_wrong_codes_with_the_right_pin_still_back_off(machine, home):
    auth, secret = provision(machine, home, with_totp=True)
    for _ in range(MAX_FAILURES - 1):
        assert auth.login(PIN, "000000").reason == "wrong"
    assert auth.login(PIN, "000000").reason == "locked"
    assert auth.locked_for() == BASE_LOCK_S  # this one blocks everybody: someone knows the PIN
    assert auth.login(PIN, totp.totp(secret, machine.wall())).reason == "locked"
    machine.advance(BASE_LOCK_S)
    assert auth.login(PIN, totp.totp(secret, machine.wall())).ok


def test_without_totp_wrong_pins_lock_everyone_for_the_bounded_time(machine, home):
    auth, _ = provision(machine, home, with_totp=False)
    fail_until_locked(auth)
    assert auth.locked_for() == BASE_LOCK_S and auth.login(PIN).reason == "locked"
    machine.advance(BASE_LOCK_S)
    assert auth.login(PIN).ok


def test_moving_the_wall_clock_forward_does_not_skip_the_lock(machine, home):
    auth, _ = provision(machine, home, with_totp=False)
    fail_until_locked(auth)
    machine.wall.advance(YEAR)
    assert auth.login(PIN).reason == "locked"
    assert machine.auth(home).locked_for() == BASE_LOCK_S  # a restart reads the same monotonic deadline


def test_moving_the_wall_clock_back_does_not_lengthen_the_lock(machine, home):
    auth, _ = provision(machine, home, with_totp=False)
    fail_until_locked(auth)
    machine.wall.advance(-YEAR)
    machine.mono.advance(BASE_LOCK_S)
    assert auth.locked_for() == 0 and auth.login(PIN).ok


def test_a_restart_within_the_boot_keeps_the_deadline(machine, home):
    auth, _ = provision(machine, home, with_totp=False)
    fail_until_locked(auth)
    machine.advance(BASE_LOCK_S - 10)
    restarted = machine.auth(home)
    assert restarted.locked_for() == pytest.approx(10)
    assert restarted.login(PIN).reason == "locked"
    machine.advance(10)
    assert restarted.login(PIN).ok


def test_a_reboot_resumes_the_remainder_and_never_exceeds_the_maximum(machine, home):
    auth, _ = provision(machine, home, with_totp=False)
    fail_counted(auth, machine, MAX_FAILURES + 2)  # the 7th: 120 s from now, written with its remainder
    machine.reboot(downtime_s=YEAR)  # off for a year (or the clock says so): the downtime does not count
    after = machine.auth(home)
    assert after.locked_for() == 2 * 2 * BASE_LOCK_S
    machine.advance(2 * 2 * BASE_LOCK_S)
    assert after.login(PIN).ok


def test_the_back_off_never_exceeds_the_configured_maximum(machine, home):
    auth = machine.auth(home, max_lock_s=120)
    auth.set_pin(PIN, actor="cli:test")
    fail_counted(auth, machine, 50)
    assert auth.locked_for() == 120 and json.loads(lockout_file(home).read_text())["pin"]["failures"] == 50
    data = json.loads(lockout_file(home).read_text())
    data["pin"].update(remaining_s=10**9, deadline=10**12)  # a file that claims a thousand years
    lockout_file(home).write_text(json.dumps(data))
    assert auth.locked_for() == 120


@pytest.mark.parametrize(
    "content",
    [
        b"{ not json",
        b"",
        b"[]",
        b"{}",
        b"[" * 10_000,
        b'{"format": 2, "boot_id": "boot-1", "pin": {"failures": 0, "remaining_s": 0, "deadline": 0}}',
        b'{"format": 2, "boot_id": "boot-1", "pin": {"failures": -1, "remaining_s": 0, "deadline": 0},'
        b' "factor": {"failures": 0, "remaining_s": 0, "deadline": 0}, "last_totp_step": -1}',
        b'{"format": 2, "boot_id": "boot-1", "pin": {"failures": 0, "remaining_s": NaN, "deadline": 0},'
        b' "factor": {"failures": 0, "remaining_s": 0, "deadline": 0}, "last_totp_step": -1}',
        b'{"format": 2, "boot_id": "boot-1", "pin": {"failures": 0, "remaining_s": 1e400, "deadline": 0},'
        b' "factor": {"failures": 0, "remaining_s": 0, "deadline": 0}, "last_totp_step": -1}',
        b'{"format": 2, "boot_id": "boot-1", "pin": {"failures": "0", "remaining_s": 0, "deadline": 0},'
        b' "factor": {"failures": 0, "remaining_s": 0, "deadline": 0}, "last_totp_step": 99999999999999}',
        b'{"failures": "x", "locked_until": 0}',
        b"\xff\xfe\x00",
    ],
)
def test_a_damaged_lockout_file_counts_as_locked_for_the_maximum_and_never_crashes(machine, home, content):
    auth, _ = provision(machine, home, with_totp=False)
    lockout_file(home).write_bytes(content)
    assert auth.login(PIN).reason == "locked"
    assert auth.locked_for() == 900  # technician.max_lockout_s by default
    machine.advance(900)
    assert auth.login(PIN).ok  # bounded: the damage is not a lock for ever


def test_a_damaged_file_still_lets_the_totp_holder_in_after_the_current_window(machine, home):
    auth, secret = provision(machine, home, with_totp=True)
    seen = totp.totp(secret, machine.wall())  # a code someone may have watched being typed
    lockout_file(home).write_bytes(b"garbage")
    assert auth.login(PIN, seen).reason == "locked"  # not replayable after the damage
    machine.advance(2 * totp.DEFAULT_STEP)
    assert auth.login(PIN, totp.totp(secret, machine.wall())).ok


def test_the_earlier_wall_clock_format_is_read_with_its_lock_bounded(machine, home):
    auth, _ = provision(machine, home, with_totp=False)
    lockout_file(home).write_text(json.dumps({"failures": 6, "locked_until": 9e18, "last_totp_step": -1}))
    assert auth.locked_for() == 2 * BASE_LOCK_S  # the nominal lock for 6 failures, not until the year 2e11


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kiosk.home import KioskHome
    from kiosk.technician.audit_sink import MemoryAudit
    from kiosk.technician.auth import TechnicianAuth
    auth = TechnicianAuth(KioskHome(Path(sys.argv[1])), MemoryAudit(), scrypt_n=2**10)
    for _ in range(int(sys.argv[2])):
        auth.login("135790", "000000")
    """
)


def test_failures_from_two_processes_are_never_lost(home):
    auth = TechnicianAuth(home, MemoryAudit(), scrypt_n=FAST_SCRYPT_N)  # the real clocks and boot id
    auth.set_pin(PIN, actor="cli:test")
    count = 2  # 4 in all, below the lock, so every attempt is read and counted
    children = [subprocess.Popen([sys.executable, "-c", CHILD, str(home.root), str(count)]) for _ in range(2)]
    for child in children:
        assert child.wait(timeout=120) == 0
    data = json.loads(lockout_file(home).read_text())
    assert data["pin"]["failures"] == 2 * count
    assert auth.login(WRONG).reason == "locked"  # the 5th failure
