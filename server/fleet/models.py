"""The fleet server's tables (SQLAlchemy 2 declarative, migrations-ready: a naming convention for every
constraint, so Alembic autogenerate produces stable names on SQLite and PostgreSQL alike).

What a kiosk runs is known only from its own reports (Kiosk.applied_* and Report rows), never from
an Assignment: an assignment is what the admins want, a report is what happened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, LargeBinary, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from contracts.sqltypes import UtcDateTime, utc_now

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class EnrolmentToken(Base):
    __tablename__ = "enrolment_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex; the token itself is never stored
    kiosk_id: Mapped[str | None] = mapped_column(String(64))  # pinned kiosk id, or any
    group_name: Mapped[str | None] = mapped_column(String(64))
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)  # assigned by the admin who made the token
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_by: Mapped[str | None] = mapped_column(String(64))


class Kiosk(Base):
    __tablename__ = "kiosks"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64))  # sha256 of a 256-bit random secret
    # What the kiosk may fetch is decided by these two, which only admins set (token, PATCH /kiosks):
    group_name: Mapped[str | None] = mapped_column(String(64), index=True)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    reported_channels: Mapped[list[str]] = mapped_column(JSON, default=list)  # the kiosk's own words, recorded only
    label: Mapped[str] = mapped_column(String(200), default="")
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    software_version: Mapped[str | None] = mapped_column(String(64))
    devices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    inventory_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_heartbeat: Mapped[datetime | None] = mapped_column(UtcDateTime)
    device_states: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    availability: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    # The kiosk's device key (first one registered is kept) and the newest audit-log head it signed:
    device_public_key: Mapped[str | None] = mapped_column(String(44))
    audit_seq: Mapped[int | None] = mapped_column(BigInteger)
    audit_hash: Mapped[str | None] = mapped_column(String(64))
    audit_key_id: Mapped[str | None] = mapped_column(String(128))
    audit_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # From the kiosk's reports only:
    applied_version: Mapped[int | None] = mapped_column(BigInteger)
    applied_sha256: Mapped[str | None] = mapped_column(String(64))
    last_status: Mapped[str | None] = mapped_column(String(16))
    last_reason: Mapped[str | None] = mapped_column(String(32))
    last_report_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)  # of the canonical "signed" bytes
    etag: Mapped[str] = mapped_column(String(64))  # sha256 of the stored body bytes (changes when signatures merge)
    signature_count: Mapped[int] = mapped_column(default=1)  # distinct key ids in the body served
    doc_type: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(BigInteger)
    expires: Mapped[str] = mapped_column(String(40))
    kiosk_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    body: Mapped[bytes] = mapped_column(LargeBinary)  # the envelope exactly as uploaded
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Assignment(Base):
    """Desired document for a target. Precedence: kiosk > group > channel; then the newest one."""

    __tablename__ = "assignments"
    __table_args__ = (Index("ix_assignments_target", "target_kind", "target"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(8))  # kiosk | group | channel
    target: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    rollout_id: Mapped[int | None] = mapped_column(ForeignKey("rollouts.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Rollout(Base):
    __tablename__ = "rollouts"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    status: Mapped[str] = mapped_column(String(16), default="created")  # created|running|paused|stopped|completed
    success_threshold: Mapped[float] = mapped_column()  # fraction of a batch applied to advance
    error_threshold: Mapped[float] = mapped_column()  # fraction of a batch failed above which it stops
    current_batch: Mapped[int] = mapped_column(default=0)
    batch_count: Mapped[int] = mapped_column()
    errors_acknowledged_batch: Mapped[int | None] = mapped_column()  # resumed after a stop in this batch
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class RolloutMember(Base):
    __tablename__ = "rollout_members"
    __table_args__ = (UniqueConstraint("rollout_id", "kiosk_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rollout_id: Mapped[int] = mapped_column(ForeignKey("rollouts.id"), index=True)
    batch: Mapped[int] = mapped_column()
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), index=True)


class Report(Base):
    """One kiosk's account of one document: applied | pending | rejected | rolled_back (+ reason)."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("kiosk_id", "idempotency_key"),
        Index("ix_reports_kiosk_sha", "kiosk_id", "sha256"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(500), default="")
    running_version: Mapped[int | None] = mapped_column(BigInteger)
    running_sha256: Mapped[str | None] = mapped_column(String(64))
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SecurityEvent(Base):
    """Counted security events (failed logins, enrolment attempts, audit-head regressions...), one row per
    kind, source, subject and hour, so a flood of attempts adds to a counter instead of adding rows."""

    __tablename__ = "security_events"
    __table_args__ = (UniqueConstraint("kind", "source", "subject", "window_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(64))  # the peer address
    subject: Mapped[str] = mapped_column(String(64), default="")  # a known kiosk id, or ""
    window_start: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    count: Mapped[int] = mapped_column(default=0)
    detail: Mapped[str] = mapped_column(String(200), default="")
    first_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
