"""Traffic violations (12123-style self-service): lookup, handling and payment of the fine."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.responses import JSONResponse
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from contracts import (
    IDEMPOTENCY_HEADER,
    ErrorCode,
    HandleViolationRequest,
    HandlingDecision,
    Violation,
    ViolationList,
    ViolationPayment,
    ViolationPaymentRequest,
    ViolationsByLicence,
    ViolationsByPlate,
)
from server.sandbox import numbers, rules
from server.sandbox.checks import citizen_or_404, consume_payment, require_verified
from server.sandbox.errors import ApiError
from server.sandbox.idempotency import run_idempotent
from server.sandbox.models import Citizen, Vehicle, ViolationRow
from server.sandbox.settings import SandboxSettings
from server.sandbox.state import SandboxState, authenticated_kiosk, get_db, get_state

router = APIRouter(prefix="/traffic", tags=["traffic"])


def _facts(row: ViolationRow, vehicle: Vehicle) -> rules.ViolationFacts:
    return rules.ViolationFacts(
        code=row.code, points=row.points, fine_cents=row.fine_cents, camera_recorded=row.camera_recorded,
        authority=row.authority, commercial_vehicle=vehicle.commercial, status=row.status,
    )  # fmt: skip


def _amounts(row: ViolationRow, today: dt.date) -> tuple[int, int]:
    """(days overdue, late fee) of a handled, unpaid violation."""
    if row.status != "handled" or row.decided_on is None:
        return 0, 0
    overdue = rules.days_overdue(row.decided_on, today)
    return overdue, rules.late_fee_cents(row.fine_cents, overdue)


def _view(row: ViolationRow, vehicle: Vehicle, driver_points: int | None, settings: SandboxSettings) -> Violation:
    reason = rules.self_service_refusal(_facts(row, vehicle), driver_points, settings.traffic_max_single_fine_cents)
    overdue, late_fee = _amounts(row, settings.clock.today())
    return Violation(
        violation_id=row.violation_id, plate_number=vehicle.plate_number, plate_type=vehicle.plate_type,
        code=row.code, description=row.description, place=row.place, time=row.occurred_at.replace(tzinfo=dt.UTC),
        fine_cents=row.fine_cents, points=row.points, status=row.status, recording_authority=row.authority,
        self_service=reason is None, reason=reason, decision_number=row.decision_number,
        due_date=rules.fine_due_date(row.decided_on) if row.decided_on else None,
        days_overdue=overdue, late_fee_cents=late_fee,
        amount_due_cents=row.fine_cents + late_fee if row.status == "handled" else 0,
    )  # fmt: skip


def _listing(session: Session, settings: SandboxSettings, criteria, driver_points: int | None) -> ViolationList:
    rows = session.execute(
        select(ViolationRow, Vehicle).join(Vehicle).where(criteria).order_by(ViolationRow.occurred_at)
    ).all()
    return ViolationList(
        driver_points=driver_points,
        violations=[_view(row, vehicle, driver_points, settings) for row, vehicle in rows],
    )


@router.post("/violations/by-licence", response_model=ViolationList)
def by_licence(
    query: ViolationsByLicence,
    _kiosk: str = Depends(authenticated_kiosk),
    session: Session = Depends(get_db),
    state: SandboxState = Depends(get_state),
) -> ViolationList:
    """Violations on the person's vehicles or recorded against their licence."""
    citizen = citizen_or_404(session, query.id_number)
    criteria = or_(Vehicle.owner_id_number == citizen.id_number, ViolationRow.driver_id_number == citizen.id_number)
    return _listing(session, state.settings, criteria, citizen.licence_points)


@router.post("/violations/by-plate", response_model=ViolationList)
def by_plate(
    query: ViolationsByPlate,
    _kiosk: str = Depends(authenticated_kiosk),
    session: Session = Depends(get_db),
    state: SandboxState = Depends(get_state),
) -> ViolationList:
    """Plate + plate type + last 6 of the VIN; eligibility is judged against the owner's licence."""
    vehicle = session.execute(
        select(Vehicle).where(Vehicle.plate_number == query.plate_number, Vehicle.plate_type == query.plate_type)
    ).scalar_one_or_none()
    if vehicle is None or vehicle.vin[-6:] != query.vin_last6:  # one answer for both: no probing of VINs
        raise ApiError(404, ErrorCode.VEHICLE_NOT_FOUND, "no vehicle with this plate, type and VIN")
    owner = session.get(Citizen, vehicle.owner_id_number)
    return _listing(
        session, state.settings, ViolationRow.vehicle_id == vehicle.id, owner.licence_points if owner else None
    )


def _violation(session: Session, violation_id: str) -> tuple[ViolationRow, Vehicle]:
    row = session.get(ViolationRow, violation_id)
    if row is None:
        raise ApiError(404, ErrorCode.VIOLATION_NOT_FOUND, "no such violation")
    return row, session.get(Vehicle, row.vehicle_id)


@router.post("/violations/{violation_id}/handle", response_model=HandlingDecision, status_code=201)
def handle(
    violation_id: Annotated[str, Path(min_length=1, max_length=20)],
    body: HandleViolationRequest,
    request: Request,
    idempotency_key: str | None = Header(default=None, alias=IDEMPOTENCY_HEADER),
    kiosk_id: str = Depends(authenticated_kiosk),
    state: SandboxState = Depends(get_state),
) -> JSONResponse:
    """The verified driver acknowledges: points go to their licence, a 16-digit decision number is issued."""
    settings = state.settings

    def decide(session: Session) -> HandlingDecision:
        row, vehicle = _violation(session, violation_id)
        driver = citizen_or_404(session, body.driver_id_number)
        require_verified(session, settings, kiosk_id, body.verification_token, body.driver_id_number)
        if driver.licence_points is None:
            raise ApiError(409, ErrorCode.NOT_ELIGIBLE, "no_driving_licence")
        reason = rules.self_service_refusal(
            _facts(row, vehicle), driver.licence_points, settings.traffic_max_single_fine_cents
        )
        if reason is not None:
            raise ApiError(409, ErrorCode.NOT_ELIGIBLE, reason.value)
        today = settings.clock.today()
        driver.licence_points += row.points
        row.status, row.driver_id_number, row.decided_on = "handled", driver.id_number, today
        row.decision_number = numbers.decision_number(session, settings.area_code)
        return HandlingDecision(
            violation_id=row.violation_id, decision_number=row.decision_number, points_recorded=row.points,
            driver_points_total=driver.licence_points, fine_cents=row.fine_cents, due_date=rules.fine_due_date(today),
        )  # fmt: skip

    return run_idempotent(state, request, kiosk_id, idempotency_key, body, decide, status_code=201)


@router.post("/violations/{violation_id}/payment", response_model=ViolationPayment, status_code=201)
def pay(
    violation_id: Annotated[str, Path(min_length=1, max_length=20)],
    body: ViolationPaymentRequest,
    request: Request,
    idempotency_key: str | None = Header(default=None, alias=IDEMPOTENCY_HEADER),
    kiosk_id: str = Depends(authenticated_kiosk),
    state: SandboxState = Depends(get_state),
) -> JSONResponse:
    """Settle a handled violation from a paid traffic_fine order that still covers its fine + late fee."""
    settings = state.settings

    def settle(session: Session) -> ViolationPayment:
        row, _vehicle = _violation(session, violation_id)
        if row.status != "handled" or row.decision_number is None:
            raise ApiError(409, ErrorCode.NOT_ELIGIBLE, "already_paid" if row.status == "paid" else "not_handled")
        _overdue, late_fee = _amounts(row, settings.clock.today())
        due = row.fine_cents + late_fee
        consume_payment(session, kiosk_id, body.payment_order_id, "traffic_fine", due, row.decision_number, split=True)
        row.status, row.paid_cents, row.paid_at = "paid", due, settings.clock.utc_naive()
        return ViolationPayment(
            violation_id=row.violation_id, decision_number=row.decision_number, fine_cents=row.fine_cents,
            late_fee_cents=late_fee, paid_cents=due, paid_at=settings.clock.now(),
        )  # fmt: skip

    return run_idempotent(state, request, kiosk_id, idempotency_key, body, settle, status_code=201)
