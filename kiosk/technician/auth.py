"""Technician login: a PIN (scrypt hash in the data dir) plus a TOTP code (on by default for new installs).

Failed attempts back off (kiosk.technician.lockout: monotonic clock, kept across restarts, bounded by the
configured maximum). Wrong PINs - what anyone at the screen can enter - feed the PIN back-off, which a
correct PIN + TOTP pair passes: a passer-by cannot lock out the technician who holds the second factor.
A right PIN with a wrong code feeds the second-factor back-off, which stops everyone. A session ends after
2 minutes without activity (configurable, on the monotonic clock). Every attempt is audited with its
outcome, never with the PIN or code. The wall clock is read for TOTP codes only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from kiosk.home import KioskHome
from kiosk.technician import totp
from kiosk.technician.audit_sink import AuditSink
from kiosk.technician.lockout import (
    BASE_LOCK_S,
    DEFAULT_MAX_LOCK_S,
    MAX_FAILURES,
    Lock,
    Lockout,
    LockoutState,
    lock_seconds,
    read_boot_id,
)
from kiosk.trust.atomic import atomic_write_bytes

DEFAULT_IDLE_LOGOUT_S = 120.0
PIN_MIN, PIN_MAX = 6, 12
MIN_DISTINCT_DIGITS = 3
COMMON_PINS = frozenset({"112233", "123321", "159753", "147258", "258369", "147852", "000123", "102030"})
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2**14, 8, 1, 32
ACTOR = "technician"

Clock = Callable[[], float]
__all__ = ["BASE_LOCK_S", "MAX_FAILURES", "LoginResult", "PinPolicyError", "TechnicianAuth", "lock_seconds"]


class PinPolicyError(ValueError):
    """A PIN that may not be set (length, characters, or too easy to guess)."""


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    reason: str  # "ok" | "wrong" | "locked" | "not_provisioned"
    retry_after_s: float = 0.0  # while locked: seconds until the next attempt is possible
    failures: int = 0


def technician_dir(home: KioskHome) -> Path:
    return home.root / "technician"


def hash_pin(pin: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=SCRYPT_LEN, maxmem=64 * 1024 * 1024)


def _is_repeated_block(pin: str) -> bool:
    return any(pin == pin[:size] * (len(pin) // size) for size in range(1, len(pin) // 2 + 1) if len(pin) % size == 0)


def check_pin_policy(pin: str) -> None:
    """Refuse what a passer-by guesses first: repeats, runs, repeated blocks, mirror images, common PINs."""
    if not (pin.isascii() and pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        raise PinPolicyError(f"the PIN must be {PIN_MIN} to {PIN_MAX} digits")
    if len(set(pin)) < MIN_DISTINCT_DIGITS:
        raise PinPolicyError(f"the PIN needs at least {MIN_DISTINCT_DIGITS} different digits (not 000000, 121212)")
    if len({(int(b) - int(a)) % 10 for a, b in pairwise(pin)}) == 1:
        raise PinPolicyError("the PIN must not be a run of digits (123456, 987654, 135791)")
    if _is_repeated_block(pin) or pin == pin[::-1] or pin in COMMON_PINS:
        raise PinPolicyError("the PIN is too easy to guess (repeated blocks, mirror images, common PINs)")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes()[: 64 * 1024])
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError):
        return {"corrupt": True}
    return data if isinstance(data, dict) else {"corrupt": True}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    atomic_write_bytes(path, json.dumps(data, sort_keys=True).encode("utf-8"), mode=0o600)


@dataclass(frozen=True)
class _Factors:
    pin_ok: bool
    has_totp: bool
    step: int | None  # the accepted, not replayed TOTP step (-1 without TOTP), None when the code failed


class TechnicianAuth:
    """PIN + TOTP login with persisted, monotonic back-off and an inactivity-ended session."""

    def __init__(
        self,
        home: KioskHome,
        audit: AuditSink,
        *,
        clock: Clock = time.time,
        monotonic: Clock | None = None,
        boot_id: Callable[[], str] = read_boot_id,
        idle_logout_s: float = DEFAULT_IDLE_LOGOUT_S,
        max_lock_s: float = DEFAULT_MAX_LOCK_S,
        scrypt_n: int = SCRYPT_N,
    ) -> None:
        """clock: the wall clock (TOTP codes only). monotonic: back-off and idle time; a test that injects
        one fake `clock` drives both with it."""
        self.home = home
        self.scrypt_n = scrypt_n  # cost of new hashes; a stored hash keeps its own parameters
        self.audit = audit
        self.clock = clock
        self.monotonic = monotonic or (time.monotonic if clock is time.time else clock)
        self.idle_logout_s = idle_logout_s
        self._credentials_path = technician_dir(home) / "credentials.json"
        self.lockout = Lockout(
            technician_dir(home) / "lockout.json", monotonic=self.monotonic, boot_id=boot_id,
            max_lock_s=max_lock_s, totp_floor=lambda: totp.time_step(self.clock()) + 1,
        )  # fmt: skip
        self._lock = threading.Lock()
        self._last_activity: float | None = None

    # -- provisioning ------------------------------------------------------------------------------
    @property
    def provisioned(self) -> bool:
        return "pin" in _read_json(self._credentials_path)

    @property
    def second_factor_required(self) -> bool:
        return bool(_read_json(self._credentials_path).get("totp"))

    def set_pin(self, pin: str, *, actor: str, totp_secret: bytes | None = None, keep_totp: bool = False) -> None:
        """Store a new PIN (and TOTP secret, or none); clears any lock-out. Audited without the secrets."""
        check_pin_policy(pin)
        salt = secrets.token_bytes(16)
        record: dict[str, Any] = {
            "pin": {
                "salt": salt.hex(),
                "n": self.scrypt_n,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
                "hash": hash_pin(pin, salt, self.scrypt_n).hex(),
            }
        }
        old_totp = _read_json(self._credentials_path).get("totp")
        if totp_secret is not None:
            record["totp"] = {"secret": totp.secret_to_base32(totp_secret), "digits": 6, "step": totp.DEFAULT_STEP}
        elif keep_totp and old_totp:
            record["totp"] = old_totp
        with self._lock, self.lockout.locked() as state:
            _write_json(self._credentials_path, record)
            self.lockout.write(LockoutState(state.boot_id, last_totp_step=state.last_totp_step))
        self.audit.append(actor, "technician.set_pin", ACTOR, {"second_factor": "totp" in record})

    # -- login -------------------------------------------------------------------------------------
    def locked_for(self) -> float:
        """Seconds until a correct login (PIN + code when TOTP is provisioned) is accepted again; 0 when
        nothing stops it. The PIN back-off alone does not stop a technician holding the second factor."""
        state = self.lockout.peek()
        factor = self.lockout.remaining(state.factor)
        return factor if self.second_factor_required else max(factor, self.lockout.remaining(state.pin))

    def pin_locked_for(self) -> float:
        """Seconds left on the PIN back-off (attempts that are not a full correct pair are refused)."""
        return self.lockout.remaining(self.lockout.peek().pin)

    def login(self, pin: str, totp_code: str | None = None) -> LoginResult:
        with self._lock, self.lockout.locked() as state:
            result = self._attempt(state, pin, totp_code)
        detail: dict[str, Any] = {"result": result.reason, "failures": result.failures}
        if result.retry_after_s:
            detail["locked_for_s"] = round(result.retry_after_s)
        self.audit.append(ACTOR, "technician.login", ACTOR, detail)
        return result

    def _attempt(self, state: LockoutState, pin: str, totp_code: str | None) -> LoginResult:
        credentials = _read_json(self._credentials_path)
        if not isinstance(credentials.get("pin"), dict):
            return LoginResult(False, "not_provisioned")
        factor_wait = self.lockout.remaining(state.factor)
        if factor_wait > 0:  # someone who knows the PIN is guessing codes: nothing is checked
            return LoginResult(False, "locked", factor_wait, state.factor.failures)
        factors = self._check_factors(credentials, pin, totp_code, state.last_totp_step)
        pin_wait = self.lockout.remaining(state.pin)
        if factors.pin_ok and factors.step is not None and (factors.has_totp or pin_wait == 0):
            self.lockout.write(LockoutState(state.boot_id, last_totp_step=max(factors.step, state.last_totp_step)))
            self._last_activity = self.monotonic()
            return LoginResult(True, "ok")
        if pin_wait > 0:  # refused unread and uncounted: a guess during the back-off learns nothing
            return LoginResult(False, "locked", pin_wait, state.pin.failures)
        return self._failed(state, "factor" if factors.pin_ok else "pin")  # "factor": right PIN, wrong code

    def _failed(self, state: LockoutState, which: str) -> LoginResult:
        lock: Lock = self.lockout.failed(getattr(state, which))
        self.lockout.write(replace(state, **{which: lock}, damaged=False))
        wait = self.lockout.remaining(lock)
        return LoginResult(False, "locked" if wait else "wrong", wait, lock.failures)

    def _check_factors(self, credentials: dict[str, Any], pin: str, code: str | None, last_step: int) -> _Factors:
        """Both factors, always both (the answer does not tell which one was wrong). A damaged record
        counts as a wrong PIN, never as an error."""
        try:
            record = credentials["pin"]
            expected = bytes.fromhex(record["hash"])
            actual = hash_pin(pin, bytes.fromhex(record["salt"]), int(record["n"]), int(record["r"]), int(record["p"]))
            pin_ok = hmac.compare_digest(expected, actual)
        except (KeyError, TypeError, ValueError, OverflowError, MemoryError):
            pin_ok = False
        second = credentials.get("totp")
        if not second:
            return _Factors(pin_ok, False, -1)
        try:
            step = totp.match_totp(
                totp.secret_from_base32(second["secret"]), code or "", self.clock(),
                step=int(second.get("step", totp.DEFAULT_STEP)), digits=int(second.get("digits", totp.DEFAULT_DIGITS)),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            step = None
        plausible_last = last_step <= totp.time_step(self.clock()) + 1  # a floor from the future is stale
        replayed = step is not None and plausible_last and step <= last_step  # each code opens the panel once
        return _Factors(pin_ok, True, None if replayed else step)

    # -- session -----------------------------------------------------------------------------------
    @property
    def logged_in(self) -> bool:
        return self._last_activity is not None

    def touch(self) -> None:
        """Record activity (a touch on the technician screen), postponing the automatic logout."""
        if self._last_activity is not None:
            self._last_activity = self.monotonic()

    def idle_remaining(self) -> float:
        if self._last_activity is None:
            return 0.0
        return max(0.0, min(self._last_activity + self.idle_logout_s - self.monotonic(), self.idle_logout_s))

    def session_active(self) -> bool:
        """True while logged in and active; an expired session is logged out (and audited) here."""
        if self._last_activity is None:
            return False
        if self.idle_remaining() > 0:
            return True
        self._end_session("technician.auto_logout")
        return False

    def logout(self) -> None:
        if self._last_activity is not None:
            self._end_session("technician.logout")

    def _end_session(self, action: str) -> None:
        self._last_activity = None
        self.audit.append(ACTOR, action, ACTOR, {})
