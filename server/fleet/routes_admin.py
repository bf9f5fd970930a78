"""The administrators' API (bearer token): enrolment tokens, documents, assignments, rollouts, kiosks.

List endpoints page by keyset: ?limit=N&after=CURSOR, answering {"items": [...], "next": CURSOR|null}.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.fleet import rollouts, security_events
from server.fleet.alerts import kiosk_alerts
from server.fleet.db import FleetDatabase
from server.fleet.documents import (
    InvalidDocument,
    distinct_keyids,
    envelope_bytes,
    inspect_document,
    merge_signatures,
)
from server.fleet.models import (
    Assignment,
    Document,
    EnrolmentToken,
    Kiosk,
    Report,
    Rollout,
    SecurityEvent,
    utc_now,
)
from server.fleet.routes_kiosk import _report_json
from server.fleet.schemas import MAX_INT, AssignmentRequest, KioskUpdate, RolloutRequest, TokenRequest
from server.fleet.security import hash_secret, new_secret, require_admin
from server.fleet.settings import FleetSettings

UNPROCESSABLE = 422  # spelled out: its constant was renamed between Starlette versions
router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_admin)])
Limit = Query(default=100, ge=1, le=500)
# Annotated, not shared defaults: FastAPI binds a shared Query()/Path() object to the first parameter name.
IdAfter = Annotated[int, Query(ge=0, le=MAX_INT)]
NameAfter = Annotated[str, Query(max_length=64)]
IdPath = Annotated[int, Path(ge=1, le=MAX_INT)]
KioskPath = Annotated[str, Path(min_length=1, max_length=64)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_INT)]


def _db(request: Request) -> FleetDatabase:
    return request.app.state.db


def _settings(request: Request) -> FleetSettings:
    return request.app.state.settings


def _page(items: list[dict[str, Any]], limit: int, cursor_field: str) -> dict[str, Any]:
    return {"items": items, "next": items[-1][cursor_field] if len(items) == limit else None}


def _get(session: Session, model: type, key: Any) -> Any:
    row = session.get(model, key)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no such {model.__tablename__[:-1].replace('_', ' ')}")
    return row


@router.post("/enrolment-tokens", status_code=status.HTTP_201_CREATED)
def create_token(body: TokenRequest, request: Request) -> dict[str, Any]:
    token = new_secret()
    expires = utc_now() + timedelta(seconds=body.expires_in_s or _settings(request).token_ttl_s)
    with _db(request).write() as session:
        row = EnrolmentToken(
            token_hash=hash_secret(token),
            kiosk_id=body.kiosk_id,
            group_name=body.group,
            channels=sorted(set(body.channels)),
            label=body.label,
            expires_at=expires,
        )
        session.add(row)
        session.flush()
        token_id = row.id
    return {"id": token_id, "token": token, "kiosk_id": body.kiosk_id, "group": body.group,
            "channels": sorted(set(body.channels)), "expires_at": expires.isoformat(timespec="seconds")}  # fmt: skip


def _document_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "sha256": doc.sha256,
        "type": doc.doc_type,
        "version": doc.version,
        "expires": doc.expires,
        "kiosk_ids": doc.kiosk_ids,
        "channels": doc.channels,
        "signatures": doc.signature_count,
        "size": len(doc.body),
        "uploaded_at": doc.uploaded_at.isoformat(timespec="seconds"),
    }


def _merge_into(doc: Document, signatures: list[dict[str, str]], signed: dict[str, Any]) -> dict[str, Any]:
    """Add the upload's new key ids to a document held; the merged copy is then the one served."""
    merge = merge_signatures(json.loads(doc.body)["signatures"], signatures)
    if merge.added:
        doc.body = envelope_bytes(signed, merge.signatures)
        doc.etag = hashlib.sha256(doc.body).hexdigest()
        doc.signature_count = distinct_keyids(merge.signatures)
    return _document_json(doc) | {"created": False, "signatures_added": merge.added,
                                  "conflicting_keyids": merge.conflicting}  # fmt: skip


def _store_document(db: FleetDatabase, body: bytes, settings: FleetSettings) -> dict[str, Any]:
    try:
        info = inspect_document(body, timedelta(days=settings.document_horizon_days))
    except InvalidDocument as error:
        raise HTTPException(UNPROCESSABLE, f"not a signed document: {error}") from error
    with db.write() as session:
        existing = session.scalars(select(Document).where(Document.sha256 == info.sha256).with_for_update()).first()
        if existing is not None:  # the same signed content again: its signatures are merged in
            return _merge_into(existing, info.signatures, info.signed)
        doc = Document(
            sha256=info.sha256, etag=hashlib.sha256(body).hexdigest(), doc_type=info.doc_type, version=info.version,
            expires=info.expires, kiosk_ids=info.kiosk_ids, channels=info.channels, body=body,
            signature_count=distinct_keyids(info.signatures),
        )  # fmt: skip
        session.add(doc)
        session.flush()
        return _document_json(doc) | {"created": True, "signatures_added": [], "conflicting_keyids": []}


@router.post("/documents", status_code=status.HTTP_201_CREATED)
async def upload_document(request: Request, response: Response) -> dict[str, Any]:
    """The envelope bytes as the request body; stored as-is (kiosks verify the signatures). 201 for a new
    document; 200 for a known one, whose new key ids' signatures are merged into the copy served."""
    body = await request.body()
    stored = await run_in_threadpool(_store_document, _db(request), body, _settings(request))
    if not stored["created"]:
        response.status_code = status.HTTP_200_OK
    return stored


@router.get("/documents")
def list_documents(request: Request, limit: int = Limit, after: IdAfter = 0) -> dict[str, Any]:
    with _db(request).read() as session:
        rows = session.scalars(select(Document).where(Document.id > after).order_by(Document.id).limit(limit))
        return _page([_document_json(doc) for doc in rows], limit, "id")


@router.get("/documents/{document_id}")
def get_document(request: Request, document_id: IdPath) -> dict[str, Any]:
    with _db(request).read() as session:
        return _document_json(_get(session, Document, document_id))


def _assignment_json(row: Assignment) -> dict[str, Any]:
    return {"id": row.id, "document_id": row.document_id, "target_kind": row.target_kind, "target": row.target,
            "rollout_id": row.rollout_id, "created_at": row.created_at.isoformat(timespec="seconds")}  # fmt: skip


@router.post("/assignments", status_code=status.HTTP_201_CREATED)
def assign(body: AssignmentRequest, request: Request) -> dict[str, Any]:
    with _db(request).write() as session:
        _get(session, Document, body.document_id)
        if body.target_kind == "kiosk":
            _get(session, Kiosk, body.target)
        row = Assignment(document_id=body.document_id, target_kind=body.target_kind, target=body.target)
        session.add(row)
        session.flush()
        return _assignment_json(row)


@router.get("/assignments")
def list_assignments(request: Request, limit: int = Limit, after: IdAfter = 0) -> dict[str, Any]:
    with _db(request).read() as session:
        rows = session.scalars(select(Assignment).where(Assignment.id > after).order_by(Assignment.id).limit(limit))
        return _page([_assignment_json(row) for row in rows], limit, "id")


@router.delete("/assignments/{assignment_id}", status_code=status.HTTP_204_NO_CONTENT)
def unassign(request: Request, assignment_id: IdPath) -> None:
    with _db(request).write() as session:
        session.delete(_get(session, Assignment, assignment_id))


def _audit_head_json(kiosk: Kiosk) -> dict[str, Any] | None:
    if kiosk.audit_seq is None:
        return None
    at = kiosk.audit_at.isoformat(timespec="seconds") if kiosk.audit_at else None
    return {"seq": kiosk.audit_seq, "hash": kiosk.audit_hash, "key_id": kiosk.audit_key_id, "at": at}


def kiosk_json(kiosk: Kiosk, settings: FleetSettings) -> dict[str, Any]:
    def iso(moment: Any) -> str | None:
        return None if moment is None else moment.isoformat(timespec="seconds")

    return {
        "id": kiosk.id,
        "group": kiosk.group_name,
        "channels": kiosk.channels,
        "reported_channels": kiosk.reported_channels,
        "label": kiosk.label,
        "software_version": kiosk.software_version,
        "devices": kiosk.devices,
        "applied_version": kiosk.applied_version,
        "applied_sha256": kiosk.applied_sha256,
        "last_status": kiosk.last_status,
        "last_reason": kiosk.last_reason,
        "last_seen": iso(kiosk.last_heartbeat),
        "device_states": kiosk.device_states,
        "availability": kiosk.availability,
        "device_key_registered": kiosk.device_public_key is not None,
        "audit_head": _audit_head_json(kiosk),
        "alerts": [alert.to_json() for alert in kiosk_alerts(kiosk, utc_now(), settings)],
    }


@router.get("/kiosks")
def list_kiosks(
    request: Request, limit: int = Limit, after: NameAfter = "", group: str | None = Query(None, max_length=64)
) -> dict[str, Any]:
    query = select(Kiosk).where(Kiosk.id > after).order_by(Kiosk.id).limit(limit)
    if group is not None:
        query = query.where(Kiosk.group_name == group)
    with _db(request).read() as session:
        return _page([kiosk_json(k, _settings(request)) for k in session.scalars(query)], limit, "id")


@router.get("/kiosks/{kiosk_id}")
def get_kiosk(request: Request, kiosk_id: KioskPath) -> dict[str, Any]:
    with _db(request).read() as session:
        kiosk = _get(session, Kiosk, kiosk_id)
        answer = kiosk_json(kiosk, _settings(request))
        answer["alerts"] += security_events.kiosk_alerts(session, _settings(request), kiosk_id)
        return answer


@router.patch("/kiosks/{kiosk_id}")
def update_kiosk(body: KioskUpdate, request: Request, kiosk_id: KioskPath) -> dict[str, Any]:
    """Group and channels decide what a kiosk may fetch: only admins set them (here or in the token)."""
    with _db(request).write() as session:
        kiosk = _get(session, Kiosk, kiosk_id)
        if "group" in body.model_fields_set:
            kiosk.group_name = body.group
        if body.channels is not None:
            kiosk.channels = sorted(set(body.channels))
        if body.reset_device_key:  # a replaced kiosk PC registers its new key at its next inventory
            kiosk.device_public_key = kiosk.audit_seq = kiosk.audit_hash = kiosk.audit_key_id = kiosk.audit_at = None
        if body.label is not None:
            kiosk.label = body.label
        return kiosk_json(kiosk, _settings(request))


@router.get("/kiosks/{kiosk_id}/reports")
def kiosk_reports(
    request: Request, kiosk_id: KioskPath, limit: int = Limit, before: OptionalId = None
) -> dict[str, Any]:
    """Newest first; page on with ?before=<next>."""
    query = select(Report).where(Report.kiosk_id == kiosk_id).order_by(Report.id.desc()).limit(limit)
    if before is not None:
        query = query.where(Report.id < before)
    with _db(request).read() as session:
        _get(session, Kiosk, kiosk_id)
        return _page([_report_json(row) for row in session.scalars(query)], limit, "id")


@router.get("/alerts")
def alerts(request: Request, limit: int = Limit, after: NameAfter = "") -> dict[str, Any]:
    """Kiosks with at least one alert, paged over kiosks (a page may hold fewer than `limit` items), and
    the open security alerts (failed logins, enrolment attempts, audit heads gone back)."""
    settings, now = _settings(request), utc_now()
    with _db(request).read() as session:
        kiosks = list(session.scalars(select(Kiosk).where(Kiosk.id > after).order_by(Kiosk.id).limit(limit)))
        items = [{"kiosk_id": k.id, "alerts": [a.to_json() for a in found]}
                 for k in kiosks if (found := kiosk_alerts(k, now, settings))]  # fmt: skip
        security = security_events.open_alerts(session, settings)
    return {"items": items, "next": kiosks[-1].id if len(kiosks) == limit else None, "security": security}


@router.get("/security-events")
def list_security_events(request: Request, limit: int = Limit, before: OptionalId = None,
                         kind: str | None = Query(None, max_length=32)) -> dict[str, Any]:  # fmt: skip
    """Counted events, newest first; page on with ?before=<next>."""
    query = select(SecurityEvent).order_by(SecurityEvent.id.desc()).limit(limit)
    if before is not None:
        query = query.where(SecurityEvent.id < before)
    if kind is not None:
        query = query.where(SecurityEvent.kind == kind)
    with _db(request).read() as session:
        items = [security_events.event_json(event, _settings(request)) for event in session.scalars(query)]
    return _page(items, limit, "id")


@router.post("/security-events/{event_id}/acknowledge")
def acknowledge_security_event(request: Request, event_id: IdPath) -> dict[str, Any]:
    with _db(request).write() as session:
        event = _get(session, SecurityEvent, event_id)
        event.acknowledged_at = event.acknowledged_at or utc_now()
        return security_events.event_json(event, _settings(request))


def _batches(session: Session, body: RolloutRequest) -> list[list[str]]:
    result = []
    for spec in body.batches:
        if (spec.group is None) == (spec.kiosks is None):
            raise HTTPException(UNPROCESSABLE, "a batch is either a group or a kiosk list")
        if spec.kiosks is not None:
            result.append(list(dict.fromkeys(spec.kiosks)))
        else:
            result.append(
                list(session.scalars(select(Kiosk.id).where(Kiosk.group_name == spec.group).order_by(Kiosk.id)))
            )
    return result


@router.post("/rollouts", status_code=status.HTTP_201_CREATED)
def create_rollout(body: RolloutRequest, request: Request) -> dict[str, Any]:
    with _db(request).write() as session:
        document = _get(session, Document, body.document_id)
        try:
            rollout = rollouts.create_rollout(
                session, document, _batches(session, body), body.success_threshold, body.error_threshold
            )
            if body.start:
                rollouts.start(session, rollout)
        except rollouts.RolloutError as error:
            raise HTTPException(UNPROCESSABLE, str(error)) from error
        return rollouts.describe(session, rollout)


@router.get("/rollouts")
def list_rollouts(request: Request, limit: int = Limit, after: IdAfter = 0) -> dict[str, Any]:
    with _db(request).read() as session:
        rows = session.scalars(select(Rollout).where(Rollout.id > after).order_by(Rollout.id).limit(limit))
        return _page([rollouts.describe(session, row) for row in rows], limit, "id")


@router.get("/rollouts/{rollout_id}")
def get_rollout(request: Request, rollout_id: IdPath) -> dict[str, Any]:
    with _db(request).read() as session:
        return rollouts.describe(session, _get(session, Rollout, rollout_id))


@router.post("/rollouts/{rollout_id}/{action}")
def control_rollout(request: Request, rollout_id: IdPath, action: str = Path(max_length=16)) -> dict[str, Any]:
    with _db(request).write() as session:
        _get(session, Rollout, rollout_id)
        rollout = rollouts.lock(session, rollout_id)
        try:
            if action == "start":
                rollouts.start(session, rollout)
            elif action == "pause":
                rollouts.pause(rollout)
            elif action == "resume":
                rollouts.resume(session, rollout)
            else:
                raise HTTPException(status.HTTP_404_NOT_FOUND, f"no action {action!r}: start, pause or resume")
        except rollouts.RolloutError as error:
            raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error
        return rollouts.describe(session, rollout)
