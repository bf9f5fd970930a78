"""The kiosk-facing API: enrolment, the desired-document poll, inventory, heartbeat and reports.

Every call but enrolment authenticates with HTTP Basic (kiosk id, secret) and may only touch its own
kiosk. The poll is read-only and cheap: a 304 needs the kiosk row and one indexed query. What a kiosk
may fetch is decided by the group and channels admins gave it; what it reports is recorded, never used.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Path, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from server.fleet import rollouts, security_events
from server.fleet.alerts import kiosk_alerts
from server.fleet.audit_heads import HeadVerdict, judge_head, public_key, regression_detail
from server.fleet.db import FleetDatabase
from server.fleet.desired import DOCUMENT_BODY, POLL_IDENTITY, desired_ref
from server.fleet.models import EnrolmentToken, Kiosk, Report, utc_now
from server.fleet.schemas import EnrolRequest, HeartbeatRequest, InventoryRequest, ReportRequest
from server.fleet.security import (
    hash_secret,
    kiosk_credentials,
    new_secret,
    note_failure,
    refuse_if_locked_out,
    secret_matches,
)
from server.fleet.settings import FleetSettings
from server.guard.ratelimit import client_address

UNPROCESSABLE = 422  # spelled out: its constant was renamed between Starlette versions
router = APIRouter(prefix="/api/v1")
NO_DOCUMENT_ETAG = '"none"'
KioskPath = Annotated[str, Path(min_length=1, max_length=64)]


def _db(request: Request) -> FleetDatabase:
    return request.app.state.db


def _settings(request: Request) -> FleetSettings:
    return request.app.state.settings


class _LoginFailed(Exception):
    """Raised inside a transaction; counted (note_failure) after it, never while the write lock is held."""

    def __init__(self, subject: str, detail: str = "unknown kiosk or wrong secret") -> None:
        self.subject, self.detail = subject, detail


def _wrong_credentials() -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown kiosk or wrong secret", {"WWW-Authenticate": "Basic"})


def _credentials(request: Request) -> tuple[str, str]:
    refuse_if_locked_out(request)
    try:
        return kiosk_credentials(request)
    except HTTPException:
        if request.headers.get("authorization"):  # garbled, not merely absent: a failed login
            raise _LoginFailed("", "malformed credentials") from None
        raise


def _authenticated(request: Request, session: Session, kiosk_id: str) -> Kiosk:
    cred_id, secret = _credentials(request)
    kiosk = session.get(Kiosk, cred_id)
    if kiosk is None or not secret_matches(secret, kiosk.secret_hash):
        raise _LoginFailed(cred_id if kiosk is not None else "")
    if cred_id != kiosk_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a kiosk may only use its own resources")
    return kiosk


@contextlib.contextmanager
def _kiosk_write(request: Request, kiosk_id: str) -> Iterator[tuple[Session, Kiosk]]:
    """A write transaction as the authenticated kiosk; a failed login is counted outside it."""
    try:
        with _db(request).write() as session:
            yield session, _authenticated(request, session, kiosk_id)
    except _LoginFailed as failed:
        note_failure(request, security_events.KIOSK_LOGIN_FAILED, failed.subject, failed.detail)
        raise _wrong_credentials() from None


class _EnrolRefused(Exception):
    def __init__(self, error: HTTPException) -> None:
        self.error = error


def _claim_token(session: Session, body: EnrolRequest) -> EnrolmentToken:
    token = session.scalars(select(EnrolmentToken).where(EnrolmentToken.token_hash == hash_secret(body.token))).first()
    if token is None or token.expires_at <= utc_now():
        raise _EnrolRefused(HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown or expired enrolment token"))
    if token.used_at is not None:
        raise _EnrolRefused(HTTPException(status.HTTP_409_CONFLICT, "enrolment token already used"))
    if token.kiosk_id and token.kiosk_id != body.kiosk_id:
        raise _EnrolRefused(HTTPException(status.HTTP_403_FORBIDDEN, "this enrolment token is for another kiosk id"))
    if session.get(Kiosk, body.kiosk_id) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "a kiosk with this id is already enrolled")
    # Compare-and-set: of concurrent exchanges of one token exactly one sees used_at still NULL.
    claimed = session.execute(
        update(EnrolmentToken)
        .where(EnrolmentToken.id == token.id, EnrolmentToken.used_at.is_(None))
        .values(used_at=utc_now(), used_by=body.kiosk_id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise _EnrolRefused(HTTPException(status.HTTP_409_CONFLICT, "enrolment token already used"))
    return token


@router.post("/enrol", status_code=status.HTTP_201_CREATED)
def enrol(body: EnrolRequest, request: Request) -> dict[str, Any]:
    """Unauthenticated (the token is the credential): rate-limited, and every attempt is counted."""
    refuse_if_locked_out(request)
    secret = new_secret()
    try:
        with _db(request).write() as session:
            token = _claim_token(session, body)
            session.add(Kiosk(
                id=body.kiosk_id, secret_hash=hash_secret(secret), group_name=token.group_name,
                channels=sorted(set(token.channels or [])), reported_channels=sorted(set(body.channels)),
                label=token.label, software_version=body.software_version,
            ))  # fmt: skip
            security_events.record(session, security_events.ENROLLED, client_address(request.scope), body.kiosk_id)
    except _EnrolRefused as refused:
        note_failure(request, security_events.ENROL_FAILED, detail=str(refused.error.detail))
        raise refused.error from None
    return {"kiosk_id": body.kiosk_id, "secret": secret, "poll_interval_s": _settings(request).poll_interval_s}


def _poll_identity(request: Request, connection: Connection, kiosk_id: str) -> tuple[str | None, list[str]]:
    """Authenticate a poll reading only the columns it needs: (group, channels)."""
    try:
        cred_id, secret = _credentials(request)
        row = connection.execute(POLL_IDENTITY, {"kiosk_id": cred_id}).first()
        if row is None or not secret_matches(secret, row.secret_hash):
            raise _LoginFailed(cred_id if row is not None else "")
    except _LoginFailed as failed:
        connection.rollback()  # a read connection, no write lock: the failure is counted in its own write
        note_failure(request, security_events.KIOSK_LOGIN_FAILED, failed.subject, failed.detail)
        raise _wrong_credentials() from None
    if cred_id != kiosk_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a kiosk may only use its own resources")
    channels = row.channels
    if isinstance(channels, str):  # JSON column read through Core on some drivers
        channels = json.loads(channels)
    return row.group_name, channels or []


def _desired_response(request: Request, kiosk_id: str) -> Response:
    interval = str(_settings(request).poll_interval_s)
    with _db(request).engine.connect() as connection:
        group, channels = _poll_identity(request, connection, kiosk_id)
        ref = desired_ref(connection, kiosk_id, group, channels)
        etag = NO_DOCUMENT_ETAG if ref is None else f'"{ref[1]}"'
        headers = {"ETag": etag, "X-Poll-Interval": interval, "Cache-Control": "no-cache"}
        if_none_match = request.headers.get("if-none-match")
        if if_none_match is not None and etag in [part.strip() for part in if_none_match.split(",")[:16]]:
            return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
        if ref is None:
            return Response(status_code=status.HTTP_204_NO_CONTENT, headers=headers)
        body = connection.execute(DOCUMENT_BODY, {"document_id": ref[0]}).scalar_one()
    return Response(content=body, media_type="application/json", headers=headers)


@router.get("/kiosks/{kiosk_id}/desired")
async def desired(request: Request, kiosk_id: KioskPath) -> Response:
    """The poll. On SQLite it runs on the event loop: its two indexed point reads take a fraction of a
    millisecond, less than handing the request to a worker thread and back. On PostgreSQL each read is
    a network round trip, so worker threads overlap them (both measured in benchmarks/bench_fleet.py)."""
    if _db(request).is_sqlite:
        return _desired_response(request, kiosk_id)
    return await run_in_threadpool(_desired_response, request, kiosk_id)


class _KeyMismatch(Exception):
    pass


def _register_device_key(kiosk: Kiosk, key_b64: str) -> None:
    try:
        public_key(key_b64)
    except ValueError as error:
        raise HTTPException(UNPROCESSABLE, f"device_public_key: {error}") from error
    if kiosk.device_public_key is None:
        kiosk.device_public_key = key_b64  # the first one registered is kept
    elif kiosk.device_public_key != key_b64:
        raise _KeyMismatch()


@router.put("/kiosks/{kiosk_id}/inventory")
def inventory(body: InventoryRequest, request: Request, kiosk_id: KioskPath) -> dict[str, Any]:
    try:
        with _kiosk_write(request, kiosk_id) as (_session, kiosk):
            if body.device_public_key is not None:
                _register_device_key(kiosk, body.device_public_key)
            kiosk.software_version = body.software_version
            kiosk.devices = [device.model_dump(exclude_none=True) for device in body.devices]
            if body.channels is not None:  # recorded as reported; admins decide what the kiosk may fetch
                kiosk.reported_channels = sorted(set(body.channels))
            kiosk.inventory_at = utc_now()
    except _KeyMismatch:
        with _db(request).write() as session:
            security_events.record(session, security_events.DEVICE_KEY_MISMATCH, client_address(request.scope),
                                   kiosk_id, "inventory offered another device key than the one registered")  # fmt: skip
        raise HTTPException(status.HTTP_409_CONFLICT, "another device key is registered for this kiosk") from None
    return {"ok": True}


_HEAD_EVENTS = {HeadVerdict.REGRESSED: security_events.AUDIT_HEAD_REGRESSED,
                HeadVerdict.BAD_SIGNATURE: security_events.AUDIT_HEAD_BAD_SIGNATURE,
                HeadVerdict.NO_DEVICE_KEY: security_events.AUDIT_HEAD_UNVERIFIABLE}  # fmt: skip


def _anchor_head(session: Session, request: Request, kiosk: Kiosk, body: HeartbeatRequest) -> str | None:
    if body.audit_head is None:
        return None
    head = body.audit_head
    detail = regression_detail(kiosk, head) if kiosk.audit_seq is not None else ""
    verdict = judge_head(kiosk, head)
    if verdict in _HEAD_EVENTS:
        detail = detail if verdict is HeadVerdict.REGRESSED else f"audit head seq {head.seq}: {verdict.value}"
        security_events.record(session, _HEAD_EVENTS[verdict], client_address(request.scope), kiosk.id, detail)
    return verdict.value


@router.post("/kiosks/{kiosk_id}/heartbeat")
def heartbeat(body: HeartbeatRequest, request: Request, kiosk_id: KioskPath) -> dict[str, Any]:
    settings = _settings(request)
    with _kiosk_write(request, kiosk_id) as (session, kiosk):
        kiosk.device_states = {name: state.model_dump() for name, state in body.device_states.items()}
        kiosk.availability = dict(body.availability)
        kiosk.last_heartbeat = now = utc_now()
        verdict = _anchor_head(session, request, kiosk, body)
        alerts = [alert.to_json() for alert in kiosk_alerts(kiosk, now, settings)]
    answer: dict[str, Any] = {"poll_interval_s": settings.poll_interval_s, "alerts": alerts}
    if verdict is not None:
        answer["audit_head"] = verdict
    return answer


def _report_json(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "status": report.status,
        "version": report.version,
        "sha256": report.sha256,
        "reason": report.reason,
        "message": report.message,
        "running_version": report.running_version,
        "running_sha256": report.running_sha256,
        "reported_at": report.reported_at.isoformat(timespec="seconds"),
    }


def _same_report(report: Report, body: ReportRequest) -> bool:
    return (report.status, report.version, report.sha256, report.reason) == (
        body.status,
        body.version,
        body.sha256,
        body.reason,
    )


def _record_report(session: Session, kiosk: Kiosk, body: ReportRequest, key: str) -> Report:
    report = Report(kiosk_id=kiosk.id, idempotency_key=key, **body.model_dump())
    session.add(report)
    kiosk.last_status, kiosk.last_reason, kiosk.last_report_at = body.status, body.reason, utc_now()
    if body.running_version is not None:  # what runs now, in the kiosk's own words
        kiosk.applied_version, kiosk.applied_sha256 = body.running_version, body.running_sha256
    session.flush()
    if body.sha256:
        rollouts.on_report(session, kiosk.id, body.sha256)
    return report


@router.post("/kiosks/{kiosk_id}/reports", status_code=status.HTTP_201_CREATED)
def report(
    body: ReportRequest,
    request: Request,
    response: Response,
    kiosk_id: KioskPath,
    idempotency_key: str = Header(min_length=8, max_length=64),
) -> dict[str, Any]:
    with _kiosk_write(request, kiosk_id) as (session, kiosk):
        query = select(Report).where(Report.kiosk_id == kiosk.id, Report.idempotency_key == idempotency_key)
        earlier = session.scalars(query).first()
        if earlier is not None:  # a retry: replay the first result
            if not _same_report(earlier, body):
                raise HTTPException(UNPROCESSABLE, "Idempotency-Key reused with other content")
            response.status_code = status.HTTP_200_OK
            return _report_json(earlier)
        return _report_json(_record_report(session, kiosk, body, idempotency_key))
