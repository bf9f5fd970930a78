"""The sandbox's tables (SQLAlchemy 2 declarative). Alembic migrations in migrations/ create them.

Datetimes are stored naive in UTC (SQLite keeps no zone); business dates (issue, due) are dates in
China time. Amounts are integer cents.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Kiosk(Base):
    __tablename__ = "kiosks"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class Citizen(Base):
    __tablename__ = "citizens"
    id_number: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    sex: Mapped[str] = mapped_column(String(2))
    ethnicity: Mapped[str] = mapped_column(String(16))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    address: Mapped[str] = mapped_column(String(128))
    card_application_no: Mapped[str | None] = mapped_column(String(32))  # set while an application is pending
    record_status: Mapped[str] = mapped_column(String(16), default="clean")  # clean | record | pending
    licence_points: Mapped[int | None] = mapped_column(Integer)  # None: holds no driving licence


class FaceVerificationToken(Base):
    __tablename__ = "face_verifications"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    id_number: Mapped[str] = mapped_column(ForeignKey("citizens.id_number"))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PaymentOrderRow(Base):
    __tablename__ = "payment_orders"
    order_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    settled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    consumed_by: Mapped[str | None] = mapped_column(String(64))  # the document or violation it paid for
    # A traffic-fine order may pay several decisions at once; this is how much of it is spoken for.
    allocated_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # At most one refund per payment order (retried in place when the platform refused an attempt).
    refund_id: Mapped[str | None] = mapped_column(String(32))
    refund_state: Mapped[str | None] = mapped_column(String(16))
    refund_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    refund_requested_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    refund_settled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class TempIdCardRow(Base):
    __tablename__ = "temp_id_cards"
    card_number: Mapped[str] = mapped_column(String(20), primary_key=True)
    id_number: Mapped[str] = mapped_column(ForeignKey("citizens.id_number"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    payment_order_id: Mapped[str] = mapped_column(String(32))


class RecordRequest(Base):
    """Every certificate request (any outcome) counts towards the yearly cap."""

    __tablename__ = "record_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id_number: Mapped[str] = mapped_column(ForeignKey("citizens.id_number"), index=True)
    requested_on: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20))
    acceptance_number: Mapped[str | None] = mapped_column(String(32))


class CertificateRow(Base):
    __tablename__ = "certificates"
    certificate_number: Mapped[str] = mapped_column(String(32), primary_key=True)
    id_number: Mapped[str] = mapped_column(ForeignKey("citizens.id_number"))
    purpose: Mapped[str] = mapped_column(String(20))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    expiry_date: Mapped[dt.date] = mapped_column(Date)
    verification_code: Mapped[str] = mapped_column(String(16))
    verification_count: Mapped[int] = mapped_column(Integer, default=0)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the paper says besides the citizen's own fields (None on rows from before migration 0003).
    issuing_unit: Mapped[str | None] = mapped_column(String(64))
    checked_until: Mapped[dt.date | None] = mapped_column(Date)
    key_id: Mapped[str | None] = mapped_column(String(32))  # the issuer key that signed its payload


class IssuerKeyRow(Base):
    """A certificate-signing key. The sandbox keeps the private half in its database; a real backend keeps
    it in an HSM and this table would hold only the public half."""

    __tablename__ = "issuer_keys"
    kid: Mapped[str] = mapped_column(String(32), primary_key=True)
    private_key: Mapped[bytes] = mapped_column(LargeBinary)  # raw 32-byte Ed25519 seed
    public_x: Mapped[str] = mapped_column(String(43))  # base64url raw public key, as published
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)  # None: the active key
    status: Mapped[str] = mapped_column(String(8), default="active")  # active | retired | revoked


class Vehicle(Base):
    __tablename__ = "vehicles"
    __table_args__ = (UniqueConstraint("plate_number", "plate_type"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plate_number: Mapped[str] = mapped_column(String(10))
    plate_type: Mapped[str] = mapped_column(String(2))
    vin: Mapped[str] = mapped_column(String(17))
    owner_id_number: Mapped[str] = mapped_column(ForeignKey("citizens.id_number"), index=True)
    commercial: Mapped[bool] = mapped_column(Boolean, default=False)


class ViolationRow(Base):
    __tablename__ = "violations"
    violation_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    code: Mapped[str] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(String(128))
    place: Mapped[str] = mapped_column(String(128))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    fine_cents: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    camera_recorded: Mapped[bool] = mapped_column(Boolean)  # 非现场
    authority: Mapped[str] = mapped_column(String(16))  # traffic | highway | chengguan | airport | rail
    status: Mapped[str] = mapped_column(String(16), default="unhandled")
    driver_id_number: Mapped[str | None] = mapped_column(String(18))  # whose licence took the points
    decision_number: Mapped[str | None] = mapped_column(String(16), unique=True)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    paid_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    paid_cents: Mapped[int | None] = mapped_column(Integer)


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    request_sha256: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)  # may hold personal data: purged after idempotency_ttl_s
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class FaceAttempt(Base):
    """One face comparison: failed ones count towards the per-person and per-kiosk limits."""

    __tablename__ = "face_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    matched: Mapped[bool] = mapped_column(Boolean)


class RegistryPhoto(Base):
    """Registry photos imported from the photo folder (or registered by an operator)."""

    __tablename__ = "registry_photos"
    id_number: Mapped[str] = mapped_column(ForeignKey("citizens.id_number"), primary_key=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)


class PermitRow(Base):
    """往来港澳通行证 held by the exit-entry administration (what BAC needs is on its MRZ)."""

    __tablename__ = "permits"
    permit_number: Mapped[str] = mapped_column(String(9), primary_key=True)
    id_number: Mapped[str] = mapped_column(ForeignKey("citizens.id_number"), index=True)
    birth_date: Mapped[str] = mapped_column(String(6))  # YYMMDD as on the MRZ
    expiry_date: Mapped[str] = mapped_column(String(6))
    state_employee: Mapped[bool] = mapped_column(Boolean, default=False)


class EndorsementRow(Base):
    __tablename__ = "endorsements"
    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    permit_number: Mapped[str] = mapped_column(ForeignKey("permits.permit_number"), index=True)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    destination: Mapped[str] = mapped_column(String(2))
    type: Mapped[str] = mapped_column(String(1))
    entries: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    payment_order_id: Mapped[str | None] = mapped_column(String(32))
    kiosk_id: Mapped[str | None] = mapped_column(String(64))
    authority: Mapped[str] = mapped_column(String(64))
    record: Mapped[bytes] = mapped_column(LargeBinary)
    written_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
