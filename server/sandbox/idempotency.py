"""Idempotency-Key handling (Stripe's design): the first successful answer is stored and replayed.

A key is scoped to the calling kiosk. The request is fingerprinted by method, path and canonical
JSON body; the same key with another fingerprint is refused (409). Failed calls (4xx) are not stored:
they took no effect, so the kiosk may retry them under the same key once the cause is fixed.

Stored answers hold personal data (a temporary ID card, a certificate), so they expire: after
`idempotency_ttl_s` they are deleted (at every keyed call and at start-up) and a key is forgotten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import delete
from sqlalchemy.orm import Session

from contracts import ErrorCode
from server.sandbox.errors import ApiError
from server.sandbox.models import IdempotencyRecord
from server.sandbox.settings import SandboxSettings
from server.sandbox.state import SandboxState

REPLAY_HEADER = "Idempotent-Replayed"


def fingerprint(request: Request, body: BaseModel | None) -> str:
    payload = body.model_dump(mode="json") if body is not None else None
    canonical = json.dumps([request.method, request.url.path, payload], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def purge_expired(session: Session, settings: SandboxSettings) -> int:
    """Delete stored answers older than the TTL; returns how many went."""
    cutoff = settings.clock.utc_naive() - dt.timedelta(seconds=settings.idempotency_ttl_s)
    return session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff)).rowcount or 0


def run_idempotent(
    state: SandboxState,
    request: Request,
    kiosk_id: str,
    key: str | None,
    body: BaseModel | None,
    action: Callable[[Session], BaseModel],
    status_code: int = 200,
) -> JSONResponse:
    if not key:
        raise ApiError(400, ErrorCode.IDEMPOTENCY_KEY_MISSING, "Idempotency-Key header required")
    if len(key) > 128:
        raise ApiError(400, ErrorCode.INVALID_REQUEST, "Idempotency-Key longer than 128 characters")
    digest = fingerprint(request, body)
    with state.write_lock, state.sessions() as session:
        purge_expired(session, state.settings)
        stored = session.get(IdempotencyRecord, (kiosk_id, key))
        if stored is not None:
            if stored.request_sha256 != digest:
                raise ApiError(409, ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key reused with other parameters")
            return JSONResponse(json.loads(stored.response_body), stored.status_code, headers={REPLAY_HEADER: "true"})
        try:
            result = action(session)
        except Exception:
            session.rollback()
            raise
        body_json = result.model_dump(mode="json", exclude_none=True)
        session.add(IdempotencyRecord(
            kiosk_id=kiosk_id, key=key, request_sha256=digest, status_code=status_code,
            response_body=json.dumps(body_json, ensure_ascii=False), created_at=state.settings.clock.utc_naive(),
        ))  # fmt: skip
        session.commit()
    return JSONResponse(body_json, status_code)
