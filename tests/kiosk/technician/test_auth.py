"""PIN + TOTP login: lock-out with growing back-off (persisted), replay refusal, auto-logout, audit."""

from __future__ import annotations

import json

import pytest

from kiosk.audit import AuditLog
from kiosk.home import KioskHome
from kiosk.technician import totp
from kiosk.technician.audit_sink import MemoryAudit
from kiosk.technician.auth import BASE_LOCK_S, MAX_FAILURES, SCRYPT_N, PinPolicyError, TechnicianAuth, lock_seconds
from tests.kiosk.technician.helpers import FAST_SCRYPT_N, PIN, FakeClock


@pytest.fixture
def home(tmp_path) -> KioskHome:
    return KioskHome(tmp_path / "home").ensure()


def make_auth(home: KioskHome, clock: FakeClock, audit=None, **kwargs) -> TechnicianAuth:
    kwargs.setdefault("scrypt_n", FAST_SCRYPT_N)  # the production cost is checked once, below
    return TechnicianAuth(home, audit or MemoryAudit(), clock=clock, **kwargs)


def test_unprovisioned_kiosk_refuses_every_pin(home, clock) -> None:
    result = make_auth(home, clock).login("000000")
    assert (result.ok, result.reason) == (False, "not_provisioned")


def test_right_pin_opens_a_session(home, clock) -> None:
    auth = make_auth(home, clock)
    auth.set_pin(PIN, actor="cli:test")
    assert auth.login(PIN).ok
    assert auth.session_active()


def test_lockout_after_five_failures_grows_and_survives_a_restart(home, clock) -> None:
    auth = make_auth(home, clock)
    auth.set_pin(PIN, actor="cli:test")
    for attempt in range(1, MAX_FAILURES):
        assert auth.login("111111").reason == "wrong", attempt
    fifth = auth.login("111111")
    assert (fifth.reason, fifth.retry_after_s) == ("locked", BASE_LOCK_S)
    # While locked even the right PIN is refused, and the count does not move.
    clock.advance(BASE_LOCK_S - 1)
    assert auth.login(PIN).reason == "locked"
    # A restart (new instance, same data dir) is still locked.
    restarted = make_auth(home, clock)
    assert restarted.locked_for() == pytest.approx(1)
    assert restarted.login(PIN).reason == "locked"
    clock.advance(1)
    sixth = restarted.login("111111")
    assert (sixth.reason, sixth.retry_after_s) == ("locked", 2 * BASE_LOCK_S)
    clock.advance(2 * BASE_LOCK_S)
    assert restarted.login("111111").retry_after_s == 4 * BASE_LOCK_S
    clock.advance(4 * BASE_LOCK_S)
    assert restarted.login(PIN).ok
    # Success resets the count: four more failures do not lock.
    for _ in range(MAX_FAILURES - 1):
        assert restarted.login("111111").reason == "wrong"


def test_back_off_is_capped_by_the_configured_maximum() -> None:
    assert lock_seconds(MAX_FAILURES - 1) == 0
    assert lock_seconds(MAX_FAILURES + 30) == 900  # technician.max_lockout_s by default
    assert lock_seconds(MAX_FAILURES + 10**6, max_lock_s=120) == 120


def test_totp_is_required_once_provisioned_and_codes_are_single_use(home, clock) -> None:
    auth = make_auth(home, clock)
    secret = totp.new_secret()
    auth.set_pin(PIN, actor="cli:test", totp_secret=secret)
    assert auth.second_factor_required
    assert auth.login(PIN).reason == "wrong"  # PIN alone is not enough
    code = totp.totp(secret, clock())
    assert auth.login("999999", code).reason == "wrong"  # the code alone neither
    assert auth.login(PIN, code).ok
    auth.logout()
    assert auth.login(PIN, code).reason == "wrong"  # the same code cannot be replayed
    clock.advance(30)
    assert auth.login(PIN, totp.totp(secret, clock())).ok


def test_keep_totp_when_changing_the_pin(home, clock) -> None:
    auth = make_auth(home, clock)
    auth.set_pin(PIN, actor="cli:test", totp_secret=totp.new_secret())
    auth.set_pin("13579246", actor="cli:test", keep_totp=True)
    assert auth.second_factor_required
    auth.set_pin("13579246", actor="cli:test")
    assert not auth.second_factor_required


@pytest.mark.parametrize(
    "bad",
    ["12345", "1234567890123", "12345a", "１２３４５６", "000000", "999999", "111112", "123456", "654321",
     "012345", "890123", "135791", "121212", "123123", "112233", "123321", "147258", "1234567890"],
)  # fmt: skip
def test_trivial_pins_are_refused(home, clock, bad: str) -> None:
    with pytest.raises(PinPolicyError):
        make_auth(home, clock).set_pin(bad, actor="cli:test")
    assert not make_auth(home, clock).provisioned


@pytest.mark.parametrize("good", [PIN, "390271", "13579246", "80412937", "507193"])
def test_ordinary_pins_are_accepted(home, clock, good: str) -> None:
    make_auth(home, clock).set_pin(good, actor="cli:test")


def test_an_abandoned_session_closes_after_two_minutes_by_default(home, clock) -> None:
    auth = make_auth(home, clock)
    auth.set_pin(PIN, actor="cli:test")
    auth.login(PIN)
    clock.advance(119)
    assert auth.session_active()
    clock.advance(2)
    assert not auth.session_active()


def test_session_ends_after_inactivity_and_touch_postpones_it(home, clock) -> None:
    audit = MemoryAudit()
    auth = make_auth(home, clock, audit, idle_logout_s=120)
    auth.set_pin(PIN, actor="cli:test")
    auth.login(PIN)
    clock.advance(100)
    auth.touch()
    clock.advance(100)
    assert auth.session_active()
    clock.advance(21)
    assert not auth.session_active()
    assert not auth.logged_in
    assert audit.actions()[-1] == "technician.auto_logout"


def test_every_attempt_is_audited_in_the_real_log_without_the_pin(home, clock) -> None:
    with AuditLog.for_home(home) as audit:
        auth = make_auth(home, clock, audit)
        auth.set_pin(PIN, actor="cli:test")
        auth.login("135790")
        auth.login(PIN)
        entries = audit.entries()
        assert [e.action for e in entries] == ["technician.set_pin", "technician.login", "technician.login"]
        assert [e.detail["result"] for e in entries[1:]] == ["wrong", "ok"]
        assert audit.verify().ok
    dump = (home.root / "audit.sqlite3").read_bytes()
    assert PIN.encode() not in dump and b"135790" not in dump


def test_credentials_are_owner_only_scrypt_hashed_and_hold_no_plain_pin(home, clock) -> None:
    auth = TechnicianAuth(home, MemoryAudit(), clock=clock)
    auth.set_pin(PIN, actor="cli:test")
    path = home.root / "technician" / "credentials.json"
    assert path.stat().st_mode & 0o777 == 0o600
    assert PIN not in path.read_text()
    assert json.loads(path.read_text())["pin"]["n"] == SCRYPT_N
    assert auth.login(PIN).ok and not auth.login("111111").ok
