"""Counting and alerting security events: failed kiosk and admin logins, enrolment attempts, device-key
mismatches and audit-log heads that went backwards (a truncated audit log).

Events are counted per kind, source address, subject (a known kiosk id, or "") and hour, in one row
each (an upsert), so an attacker's flood moves a counter instead of growing the table. An event
kind is an alert once its count in the hour reaches its threshold; an admin acknowledges it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.fleet.models import SecurityEvent, utc_now
from server.fleet.settings import FleetSettings

ENROL_FAILED = "enrol_failed"
ENROLLED = "enrolled"
KIOSK_LOGIN_FAILED = "kiosk_login_failed"
ADMIN_LOGIN_FAILED = "admin_login_failed"
DEVICE_KEY_MISMATCH = "device_key_mismatch"
AUDIT_HEAD_REGRESSED = "audit_head_regressed"
AUDIT_HEAD_BAD_SIGNATURE = "audit_head_bad_signature"
AUDIT_HEAD_UNVERIFIABLE = "audit_head_unverifiable"
ALWAYS_ALERT = frozenset({DEVICE_KEY_MISMATCH, AUDIT_HEAD_REGRESSED, AUDIT_HEAD_BAD_SIGNATURE})
NEVER_ALERT = frozenset({ENROLLED, AUDIT_HEAD_UNVERIFIABLE})


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def record(session: Session, kind: str, source: str, subject: str = "", detail: str = "") -> None:
    """Count one event (its own statement; commit with the session)."""
    now = utc_now()
    values = {"kind": kind, "source": source[:64], "subject": subject[:64], "window_start": _hour(now),
              "count": 1, "detail": detail[:200], "first_at": now, "last_at": now}  # fmt: skip
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(SecurityEvent).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["kind", "source", "subject", "window_start"],
        set_={"count": SecurityEvent.count + 1, "last_at": now, "detail": values["detail"]},
    )
    session.execute(statement)


def is_alert(event: SecurityEvent, settings: FleetSettings) -> bool:
    if event.acknowledged_at is not None or event.kind in NEVER_ALERT:
        return False
    return event.kind in ALWAYS_ALERT or event.count >= settings.alert_after_failures


def event_json(event: SecurityEvent, settings: FleetSettings) -> dict[str, Any]:
    return {
        "id": event.id, "kind": event.kind, "source": event.source, "subject": event.subject,
        "count": event.count, "detail": event.detail, "hour": event.window_start.isoformat(timespec="seconds"),
        "first_at": event.first_at.isoformat(timespec="seconds"), "last_at": event.last_at.isoformat(timespec="seconds"),
        "alert": is_alert(event, settings), "acknowledged": event.acknowledged_at is not None,
    }  # fmt: skip


def open_alerts(session: Session, settings: FleetSettings, limit: int = 100) -> list[dict[str, Any]]:
    """The newest unacknowledged events that are alerts (within the last 30 days)."""
    since = utc_now() - timedelta(days=30)
    query = (
        select(SecurityEvent)
        .where(SecurityEvent.acknowledged_at.is_(None), SecurityEvent.window_start >= since)
        .order_by(SecurityEvent.last_at.desc(), SecurityEvent.id.desc())
        .limit(limit * 4)
    )
    return [event_json(e, settings) for e in session.scalars(query) if is_alert(e, settings)][:limit]


def kiosk_alerts(session: Session, settings: FleetSettings, kiosk_id: str) -> list[dict[str, str]]:
    """Unacknowledged alerts about one kiosk, in the kiosk alert shape {kind, subject, detail}."""
    query = select(SecurityEvent).where(SecurityEvent.subject == kiosk_id, SecurityEvent.acknowledged_at.is_(None))
    return [{"kind": e.kind, "subject": "", "detail": f"{e.detail} ({e.count}x, last {e.last_at:%Y-%m-%d %H:%M}Z)"}
            for e in session.scalars(query.order_by(SecurityEvent.id)) if is_alert(e, settings)]  # fmt: skip
