"""Technician login: a PIN (scrypt hash in the data dir) plus a TOTP code when one is provisioned.

Five failures in a row lock the panel for 30 s, each further failure doubles the wait (up to an hour); the
count and the lock live in a file, so restarting the kiosk does not reset them. A session ends after a
period without activity. Every attempt is audited with its outcome, never with the PIN or code.
All times come from one injectable wall clock (epoch seconds): locks and TOTP must survive restarts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.home import KioskHome
from kiosk.technician import totp
from kiosk.technician.audit_sink import AuditSink
from kiosk.trust.atomic import atomic_write_bytes

MAX_FAILURES = 5
BASE_LOCK_S = 30.0
MAX_LOCK_S = 3600.0
DEFAULT_IDLE_LOGOUT_S = 300.0
PIN_MIN, PIN_MAX = 6, 12
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2**14, 8, 1, 32
ACTOR = "technician"

Clock = Callable[[], float]


class PinPolicyError(ValueError):
    """A PIN that may not be set (length or characters)."""


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    reason: str  # "ok" | "wrong" | "locked" | "not_provisioned"
    retry_after_s: float = 0.0  # while locked: seconds until the next attempt is possible
    failures: int = 0


def technician_dir(home: KioskHome) -> Path:
    return home.root / "technician"


def lock_seconds(failures: int) -> float:
    """How long the panel stays locked after `failures` consecutive failures (0 below the limit)."""
    if failures < MAX_FAILURES:
        return 0.0
    return min(BASE_LOCK_S * 2 ** (failures - MAX_FAILURES), MAX_LOCK_S)


def hash_pin(pin: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=SCRYPT_LEN, maxmem=64 * 1024 * 1024)


def check_pin_policy(pin: str) -> None:
    if not (pin.isascii() and pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        raise PinPolicyError(f"the PIN must be {PIN_MIN} to {PIN_MAX} digits")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {"corrupt": True}
    return data if isinstance(data, dict) else {"corrupt": True}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    atomic_write_bytes(path, json.dumps(data, sort_keys=True).encode("utf-8"), mode=0o600)


class TechnicianAuth:
    """PIN + optional TOTP login with persisted lock-out and an inactivity-ended session."""

    def __init__(
        self,
        home: KioskHome,
        audit: AuditSink,
        *,
        clock: Clock = time.time,
        idle_logout_s: float = DEFAULT_IDLE_LOGOUT_S,
        scrypt_n: int = SCRYPT_N,
    ) -> None:
        self.home = home
        self.scrypt_n = scrypt_n  # cost of new hashes; a stored hash keeps its own parameters
        self.audit = audit
        self.clock = clock
        self.idle_logout_s = idle_logout_s
        self._credentials_path = technician_dir(home) / "credentials.json"
        self._lockout_path = technician_dir(home) / "lockout.json"
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
        with self._lock:
            _write_json(self._credentials_path, record)
            _write_json(self._lockout_path, {"failures": 0, "locked_until": 0.0, "last_totp_step": -1})
        self.audit.append(actor, "technician.set_pin", ACTOR, {"second_factor": "totp" in record})

    # -- login -------------------------------------------------------------------------------------
    def locked_for(self) -> float:
        """Seconds until a login attempt is accepted again (0 when not locked)."""
        state = _read_json(self._lockout_path)
        return max(0.0, float(state.get("locked_until", 0.0)) - self.clock())

    def login(self, pin: str, totp_code: str | None = None) -> LoginResult:
        with self._lock:
            result = self._attempt(pin, totp_code)
        detail: dict[str, Any] = {"result": result.reason, "failures": result.failures}
        if result.retry_after_s:
            detail["locked_for_s"] = round(result.retry_after_s)
        self.audit.append(ACTOR, "technician.login", ACTOR, detail)
        return result

    def _attempt(self, pin: str, totp_code: str | None) -> LoginResult:
        credentials = _read_json(self._credentials_path)
        if "pin" not in credentials:
            return LoginResult(False, "not_provisioned")
        state = _read_json(self._lockout_path)
        failures = int(state.get("failures", 0)) if not state.get("corrupt") else MAX_FAILURES
        now = self.clock()
        locked_until = float(state.get("locked_until", 0.0))
        if now < locked_until:
            return LoginResult(False, "locked", locked_until - now, failures)
        step = self._check_factors(credentials, pin, totp_code, now, int(state.get("last_totp_step", -1)))
        if step is None:
            failures += 1
            wait = lock_seconds(failures)
            last_step = int(state.get("last_totp_step", -1))
            _write_json(
                self._lockout_path, {"failures": failures, "locked_until": now + wait, "last_totp_step": last_step}
            )
            return LoginResult(False, "locked" if wait else "wrong", wait, failures)
        _write_json(self._lockout_path, {"failures": 0, "locked_until": 0.0, "last_totp_step": step})
        self._last_activity = now
        return LoginResult(True, "ok")

    def _check_factors(
        self, credentials: dict[str, Any], pin: str, code: str | None, now: float, last_step: int
    ) -> int | None:
        """The accepted TOTP step (-1 without TOTP) when every factor holds, else None. Both factors are
        always checked, so the answer does not tell which one was wrong."""
        record = credentials["pin"]
        expected = bytes.fromhex(record["hash"])
        actual = hash_pin(pin, bytes.fromhex(record["salt"]), int(record["n"]), int(record["r"]), int(record["p"]))
        pin_ok = hmac.compare_digest(expected, actual)
        second = credentials.get("totp")
        if not second:
            return -1 if pin_ok else None
        step = totp.match_totp(
            totp.secret_from_base32(second["secret"]),
            code or "",
            now,
            step=int(second.get("step", totp.DEFAULT_STEP)),
            digits=int(second.get("digits", totp.DEFAULT_DIGITS)),
        )
        replayed = step is not None and step <= last_step  # each code opens the panel once
        return step if pin_ok and step is not None and not replayed else None

    # -- session -----------------------------------------------------------------------------------
    @property
    def logged_in(self) -> bool:
        return self._last_activity is not None

    def touch(self) -> None:
        """Record activity (a touch on the technician screen), postponing the automatic logout."""
        if self._last_activity is not None:
            self._last_activity = self.clock()

    def idle_remaining(self) -> float:
        if self._last_activity is None:
            return 0.0
        return max(0.0, self._last_activity + self.idle_logout_s - self.clock())

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
