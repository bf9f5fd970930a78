"""Idempotent seeding: the demo kiosk, the fictional people and their cases, and registry photos.

Running it twice changes nothing; rows that exist are left alone (their dates stay as first seeded).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.sandbox import demo_data, endorsements, keys, numbers, rules
from server.sandbox.models import (
    CertificateRow,
    Citizen,
    EndorsementRow,
    Kiosk,
    PaymentOrderRow,
    PermitRow,
    RegistryPhoto,
    TempIdCardRow,
    Vehicle,
    ViolationRow,
)
from server.sandbox.settings import DEMO_KIOSK_ID, DEMO_KIOSK_KEY, SandboxSettings

log = logging.getLogger(__name__)
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_kiosk(session: Session, kiosk_id: str, now: dt.datetime, key: str | None = None) -> str:
    """Create or re-key a kiosk; returns the key (kept by the server only as its hash)."""
    key = key or secrets.token_urlsafe(24)
    row = session.get(Kiosk, kiosk_id)
    if row is None:
        session.add(Kiosk(kiosk_id=kiosk_id, key_sha256=key_hash(key), created_at=now, enabled=True))
    else:
        row.key_sha256, row.enabled = key_hash(key), True
    return key


def seed_demo(session: Session, settings: SandboxSettings) -> None:
    now, today = settings.clock.utc_naive(), settings.clock.today()
    if session.get(Kiosk, DEMO_KIOSK_ID) is None:
        create_kiosk(session, DEMO_KIOSK_ID, now, DEMO_KIOSK_KEY)
    for person in demo_data.CITIZENS:
        if session.get(Citizen, person.id_number) is None:
            _add_citizen(session, settings, person, now, today)
    session.flush()
    _seed_vehicles(session, settings, today)
    _seed_permits(session, settings, today)
    for number, id_number, purpose, code, revoked in demo_data.DEMO_CERTIFICATES:
        if session.get(CertificateRow, number) is None:
            session.add(CertificateRow(
                certificate_number=number, id_number=id_number, purpose=purpose, issue_date=today,
                expiry_date=today + dt.timedelta(days=settings.certificate_validity_days),
                verification_code=code, verification_count=0, revoked=revoked, issuing_unit=settings.issuing_unit,
                checked_until=today,
            ))  # fmt: skip
    keys.ensure_active_key(session, today)  # the published key set is never empty


def _add_citizen(
    session: Session, settings: SandboxSettings, person: demo_data.DemoCitizen, now: dt.datetime, today: dt.date
) -> None:
    application = f"SQ{person.id_number[-6:]}" if person.card_application_pending else None
    session.add(Citizen(
        id_number=person.id_number, name=person.name, sex=person.sex, ethnicity=person.ethnicity,
        birth_date=person.birth_date, address=person.address, card_application_no=application,
        record_status=person.record_status, licence_points=person.licence_points,
    ))  # fmt: skip
    if person.active_temp_id:
        issued = today - dt.timedelta(days=10)
        order = numbers.order_id()
        session.add(PaymentOrderRow(
            order_id=order, kiosk_id=DEMO_KIOSK_ID, amount_cents=settings.temp_id_fee_cents, purpose="temp_id",
            reference="seed", status="paid", created_at=now, settled_at=now, consumed_by="seed",
        ))  # fmt: skip
        session.add(TempIdCardRow(
            card_number=numbers.temp_card_number(session, settings.area_code), id_number=person.id_number,
            valid_from=issued, valid_until=rules.add_months(issued, settings.temp_id_validity_months),
            payment_order_id=order,
        ))  # fmt: skip


def _seed_permits(session: Session, settings: SandboxSettings, today: dt.date) -> None:
    for number, holder, birth, expiry, employee, endorsed_days_ago in demo_data.DEMO_PERMITS:
        if session.get(PermitRow, number) is not None:
            continue
        session.add(PermitRow(permit_number=number, id_number=holder, birth_date=birth, expiry_date=expiry,
                              state_employee=employee))  # fmt: skip
        session.flush()  # the endorsement below refers to it
        if endorsed_days_ago is not None:
            applied = today - dt.timedelta(days=endorsed_days_ago)
            until = rules.add_months(applied, 3)
            record = endorsements.signed_record(settings, "G", "HK", 1, applied, until, f"ESEED{number}")
            session.add(EndorsementRow(
                number=f"ESEED{number}", permit_number=number, id_number=holder, destination="HK", type="G", entries=1,
                valid_from=applied, valid_until=until, applied_on=applied, authority=settings.endorsement_authority,
                record=record, written_at=dt.datetime.combine(applied, dt.time(10)),
            ))  # fmt: skip


def _seed_vehicles(session: Session, settings: SandboxSettings, today: dt.date) -> None:
    vehicle_ids: dict[str, int] = {}
    for car in demo_data.VEHICLES:
        row = session.execute(
            select(Vehicle).where(Vehicle.plate_number == car.plate_number, Vehicle.plate_type == car.plate_type)
        ).scalar_one_or_none()
        if row is None:
            row = Vehicle(plate_number=car.plate_number, plate_type=car.plate_type, vin=car.vin,
                          owner_id_number=car.owner_id_number, commercial=car.commercial)  # fmt: skip
            session.add(row)
            session.flush()
        vehicle_ids[car.plate_number] = row.id
    for item in demo_data.VIOLATIONS:
        if session.get(ViolationRow, item.violation_id) is None:
            session.add(_violation_row(session, settings, item, vehicle_ids[item.plate_number], today))


def _violation_row(
    session: Session, settings: SandboxSettings, item: demo_data.DemoViolation, vehicle_id: int, today: dt.date
) -> ViolationRow:
    occurred = dt.datetime.combine(today - dt.timedelta(days=item.days_ago), dt.time(1, 30))  # 09:30 China time
    row = ViolationRow(
        violation_id=item.violation_id, vehicle_id=vehicle_id, code=item.code, description=item.description,
        place=item.place, occurred_at=occurred, fine_cents=item.fine_cents, points=item.points,
        camera_recorded=item.camera_recorded, authority=item.authority, status="unhandled",
    )  # fmt: skip
    if item.decided_days_ago is not None:
        owner = next(car.owner_id_number for car in demo_data.VEHICLES if car.plate_number == item.plate_number)
        row.status, row.driver_id_number = "handled", owner
        row.decided_on = today - dt.timedelta(days=item.decided_days_ago)
        row.decision_number = numbers.decision_number(session, settings.area_code)
    if item.paid:
        row.status, row.paid_cents = "paid", item.fine_cents
        row.paid_at = dt.datetime.combine(row.decided_on or today, dt.time(2, 0))
    return row


def import_photos(session: Session, photo_dir: Path) -> int:
    """Load <id_number>.jpg|.jpeg|.png from a folder into the registry (known citizens only)."""
    if not photo_dir.is_dir():
        return 0
    imported = 0
    for path in sorted(photo_dir.iterdir()):
        if path.suffix.lower() not in PHOTO_SUFFIXES or session.get(Citizen, path.stem.upper()) is None:
            continue
        register_photo(session, path.stem.upper(), path.read_bytes())
        imported += 1
    log.info("registry images imported: %d", imported)
    return imported


def register_photo(session: Session, id_number: str, image: bytes) -> None:
    row = session.get(RegistryPhoto, id_number)
    if row is None:
        session.add(RegistryPhoto(id_number=id_number, image=image))
    elif row.image != image:
        row.image = image
