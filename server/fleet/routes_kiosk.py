"""The kiosk-facing API: enrolment, the desired-document poll, inventory, heartbeat and reports.

Every call but enrolment authenticates with HTTP Basic (kiosk id, secret) and may only touch its own
kiosk. The poll is read-only and cheap: a 304 needs the kiosk row and one indexed query.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Header, HTTPException, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from server.fleet import rollouts
from server.fleet.alerts import kiosk_alerts
from server.fleet.db import FleetDatabase
from server.fleet.desired import DOCUMENT_BODY, POLL_IDENTITY, desired_ref
from server.fleet.models import EnrolmentToken, Kiosk, Report, utc_now
from server.fleet.schemas import EnrolRequest, HeartbeatRequest, InventoryRequest, ReportRequest
from server.fleet.security import hash_secret, kiosk_credentials, new_secret, secret_matches
from server.fleet.settings import FleetSettings

UNPROCESSABLE = 422  # spelled out: its constant was renamed between Starlette versions
router = APIRouter(prefix="/api/v1")
NO_DOCUMENT_ETAG = '"none"'


def _db(request: Request) -> FleetDatabase:
    return request.app.state.db


def _settings(request: Request) -> FleetSettings:
    return request.app.state.settings


def _authenticated(request: Request, session: Session, kiosk_id: str) -> Kiosk:
    cred_id, secret = kiosk_credentials(request)
    kiosk = session.get(Kiosk, cred_id)
    if kiosk is None or not secret_matches(secret, kiosk.secret_hash):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "unknown kiosk or wrong secret", {"WWW-Authenticate": "Basic"}
        )
    if cred_id != kiosk_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a kiosk may only use its own resources")
    return kiosk


def _claim_token(session: Session, body: EnrolRequest) -> EnrolmentToken:
    token = session.scalars(select(EnrolmentToken).where(EnrolmentToken.token_hash == hash_secret(body.token))).first()
    if token is None or token.expires_at <= utc_now():
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown or expired enrolment token")
    if token.used_at is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "enrolment token already used")
    if token.kiosk_id and token.kiosk_id != body.kiosk_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this enrolment token is for another kiosk id")
    if session.get(Kiosk, body.kiosk_id) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, f"kiosk {body.kiosk_id} is already enrolled")
    # Compare-and-set: of two concurrent exchanges of one token, exactly one updates the row.
    claimed = session.execute(
        update(EnrolmentToken)
        .where(EnrolmentToken.id == token.id, EnrolmentToken.used_at.is_(None))
        .values(used_at=utc_now(), used_by=body.kiosk_id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise HTTPException(status.HTTP_409_CONFLICT, "enrolment token already used")
    return token


@router.post("/enrol", status_code=status.HTTP_201_CREATED)
def enrol(body: EnrolRequest, request: Request) -> dict[str, Any]:
    secret = new_secret()
    with _db(request).write() as session:
        token = _claim_token(session, body)
        session.add(
            Kiosk(
                id=body.kiosk_id,
                secret_hash=hash_secret(secret),
                group_name=token.group_name,
                channels=sorted(set(body.channels)),
                label=token.label,
                software_version=body.software_version,
            )
        )
    return {"kiosk_id": body.kiosk_id, "secret": secret, "poll_interval_s": _settings(request).poll_interval_s}


def _poll_identity(request: Request, connection: Connection, kiosk_id: str) -> tuple[str | None, list[str]]:
    """Authenticate a poll reading only the columns it needs: (group, channels)."""
    cred_id, secret = kiosk_credentials(request)
    row = connection.execute(POLL_IDENTITY, {"kiosk_id": cred_id}).first()
    if row is None or not secret_matches(secret, row.secret_hash):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "unknown kiosk or wrong secret", {"WWW-Authenticate": "Basic"}
        )
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
        if if_none_match is not None and etag in [part.strip() for part in if_none_match.split(",")]:
            return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
        if ref is None:
            return Response(status_code=status.HTTP_204_NO_CONTENT, headers=headers)
        body = connection.execute(DOCUMENT_BODY, {"document_id": ref[0]}).scalar_one()
    return Response(content=body, media_type="application/json", headers=headers)


@router.get("/kiosks/{kiosk_id}/desired")
async def desired(kiosk_id: str, request: Request) -> Response:
    """The poll. On SQLite it runs on the event loop: its two indexed point reads take a fraction of a
    millisecond, less than handing the request to a worker thread and back. On PostgreSQL each read is
    a network round trip, so worker threads overlap them (both measured in benchmarks/bench_fleet.py)."""
    if _db(request).is_sqlite:
        return _desired_response(request, kiosk_id)
    return await run_in_threadpool(_desired_response, request, kiosk_id)


@router.put("/kiosks/{kiosk_id}/inventory")
def inventory(kiosk_id: str, body: InventoryRequest, request: Request) -> dict[str, Any]:
    with _db(request).write() as session:
        kiosk = _authenticated(request, session, kiosk_id)
        kiosk.software_version = body.software_version
        kiosk.devices = [device.model_dump() for device in body.devices]
        if body.channels is not None:  # the kiosk's trust root decides its channels
            kiosk.channels = sorted(set(body.channels))
        kiosk.inventory_at = utc_now()
    return {"ok": True}


@router.post("/kiosks/{kiosk_id}/heartbeat")
def heartbeat(kiosk_id: str, body: HeartbeatRequest, request: Request) -> dict[str, Any]:
    settings = _settings(request)
    with _db(request).write() as session:
        kiosk = _authenticated(request, session, kiosk_id)
        kiosk.device_states = body.device_states
        kiosk.availability = body.availability
        kiosk.last_heartbeat = now = utc_now()
        alerts = [alert.to_json() for alert in kiosk_alerts(kiosk, now, settings)]
    return {"poll_interval_s": settings.poll_interval_s, "alerts": alerts}


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
    kiosk_id: str,
    body: ReportRequest,
    request: Request,
    response: Response,
    idempotency_key: str = Header(min_length=8, max_length=64),
) -> dict[str, Any]:
    with _db(request).write() as session:
        kiosk = _authenticated(request, session, kiosk_id)
        query = select(Report).where(Report.kiosk_id == kiosk.id, Report.idempotency_key == idempotency_key)
        earlier = session.scalars(query).first()
        if earlier is not None:  # a retry: replay the first result
            if not _same_report(earlier, body):
                raise HTTPException(UNPROCESSABLE, "Idempotency-Key reused with other content")
            response.status_code = status.HTTP_200_OK
            return _report_json(earlier)
        return _report_json(_record_report(session, kiosk, body, idempotency_key))
