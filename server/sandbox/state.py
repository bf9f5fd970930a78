"""The per-app state every route reaches through request.app.state.sandbox, and the shared dependencies."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from fastapi import Depends, Header, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from contracts import ADMIN_TOKEN_HEADER, KIOSK_ID_HEADER, KIOSK_KEY_HEADER, ErrorCode
from server.guard.events import SecurityCounters
from server.guard.ratelimit import FailureLimiter, client_address
from server.sandbox.errors import ApiError
from server.sandbox.faults import FaultController
from server.sandbox.models import Kiosk
from server.sandbox.seed import key_hash
from server.sandbox.settings import SandboxSettings

KIOSK_LOGIN_FAILED = "kiosk_login_failed"
ADMIN_LOGIN_FAILED = "admin_login_failed"


@dataclass
class SandboxState:
    settings: SandboxSettings
    engine: Engine
    sessions: sessionmaker[Session]
    faults: FaultController = field(default_factory=FaultController)
    # Side-effecting calls run one at a time: idempotency records and counters stay consistent
    # without relying on database-specific locking (the sandbox is one process).
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    login_failures: FailureLimiter | None = None
    security: SecurityCounters | None = None

    def __post_init__(self) -> None:
        self.login_failures = self.login_failures or FailureLimiter(self.settings.login_failure_rate)
        self.security = self.security or SecurityCounters(self.settings.alert_after_failures)


def get_state(request: Request) -> SandboxState:
    return request.app.state.sandbox


def get_db(state: SandboxState = Depends(get_state)) -> Iterator[Session]:
    with state.sessions() as session:
        yield session


def _refuse_if_locked_out(request: Request, state: SandboxState) -> str:
    source = client_address(request.scope)
    if state.login_failures.locked_out(source):  # type: ignore[union-attr]
        raise ApiError(429, ErrorCode.RATE_LIMITED, "too many failed attempts from this address: try again later")
    return source


def _failed(state: SandboxState, source: str, kind: str) -> None:
    state.login_failures.failed(source)  # type: ignore[union-attr]
    state.security.record(kind, source)  # type: ignore[union-attr]


def authenticated_kiosk(
    request: Request,
    kiosk_id: str | None = Header(default=None, alias=KIOSK_ID_HEADER),
    kiosk_key: str | None = Header(default=None, alias=KIOSK_KEY_HEADER),
    state: SandboxState = Depends(get_state),
) -> str:
    """The calling kiosk's id, or 401 for a missing, unknown, disabled or wrong credential (counted; a
    source that keeps failing is refused with 429 for a while)."""
    if not kiosk_id or not kiosk_key:
        raise ApiError(401, ErrorCode.UNAUTHORIZED, "kiosk credentials required")
    source = _refuse_if_locked_out(request, state)
    if len(kiosk_id) > 64 or len(kiosk_key) > 256:
        _failed(state, source, KIOSK_LOGIN_FAILED)
        raise ApiError(401, ErrorCode.UNAUTHORIZED, "unknown kiosk or wrong key")
    with state.sessions() as session:
        kiosk = session.get(Kiosk, kiosk_id)
        expected = kiosk.key_sha256 if kiosk is not None and kiosk.enabled else key_hash("")
        valid = hmac.compare_digest(expected, key_hash(kiosk_key))  # same work for unknown kiosks
    if kiosk is None or not kiosk.enabled or not valid:
        _failed(state, source, KIOSK_LOGIN_FAILED)
        raise ApiError(401, ErrorCode.UNAUTHORIZED, "unknown kiosk or wrong key")
    return kiosk_id


def admin(
    request: Request,
    token: str | None = Header(default=None, alias=ADMIN_TOKEN_HEADER),
    state: SandboxState = Depends(get_state),
) -> None:
    """The admin API is off unless the sandbox was started with an admin token (from a file)."""
    expected = state.settings.admin_token
    if not expected:
        raise ApiError(403, ErrorCode.FORBIDDEN, "the admin API is off: start the sandbox with --admin-token-file")
    source = _refuse_if_locked_out(request, state)
    if not token or not hmac.compare_digest(token.encode(), expected.encode()):
        _failed(state, source, ADMIN_LOGIN_FAILED)
        raise ApiError(401, ErrorCode.UNAUTHORIZED, "admin token required")
