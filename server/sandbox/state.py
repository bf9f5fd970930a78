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
from server.sandbox.errors import ApiError
from server.sandbox.faults import FaultController
from server.sandbox.models import Kiosk
from server.sandbox.seed import key_hash
from server.sandbox.settings import SandboxSettings


@dataclass
class SandboxState:
    settings: SandboxSettings
    engine: Engine
    sessions: sessionmaker[Session]
    faults: FaultController = field(default_factory=FaultController)
    # Side-effecting calls run one at a time: idempotency records and counters stay consistent
    # without relying on database-specific locking (the sandbox is one process).
    write_lock: threading.Lock = field(default_factory=threading.Lock)


def get_state(request: Request) -> SandboxState:
    return request.app.state.sandbox


def get_db(state: SandboxState = Depends(get_state)) -> Iterator[Session]:
    with state.sessions() as session:
        yield session


def authenticated_kiosk(
    kiosk_id: str | None = Header(default=None, alias=KIOSK_ID_HEADER),
    kiosk_key: str | None = Header(default=None, alias=KIOSK_KEY_HEADER),
    state: SandboxState = Depends(get_state),
) -> str:
    """The calling kiosk's id, or 401 for a missing, unknown, disabled or wrong credential."""
    if not kiosk_id or not kiosk_key:
        raise ApiError(401, ErrorCode.UNAUTHORIZED, "kiosk credentials required")
    with state.sessions() as session:
        kiosk = session.get(Kiosk, kiosk_id)
        expected = kiosk.key_sha256 if kiosk is not None and kiosk.enabled else key_hash("")
        valid = hmac.compare_digest(expected, key_hash(kiosk_key))  # same work for unknown kiosks
    if kiosk is None or not kiosk.enabled or not valid:
        raise ApiError(401, ErrorCode.UNAUTHORIZED, "unknown kiosk or wrong key")
    return kiosk_id


def admin(
    token: str | None = Header(default=None, alias=ADMIN_TOKEN_HEADER), state: SandboxState = Depends(get_state)
) -> None:
    if not token or not hmac.compare_digest(token, state.settings.admin_token):
        raise ApiError(401, ErrorCode.UNAUTHORIZED, "admin token required")
