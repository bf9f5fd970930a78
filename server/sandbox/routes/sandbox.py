"""Sandbox-only controls (mounted only in sandbox mode): simulated payer, faults, clock. And admin calls."""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from contracts import (
    ClockSetting,
    ErrorCode,
    FaultSettings,
    FaultState,
    KioskCreate,
    KioskCredential,
    PaymentOrder,
    PhotoRegistration,
)
from server.sandbox import seed
from server.sandbox.checks import citizen_or_404
from server.sandbox.errors import ApiError
from server.sandbox.routes.payments import order_of, order_view
from server.sandbox.state import SandboxState, admin, get_db, get_state

sandbox_router = APIRouter(prefix="/sandbox", tags=["sandbox"])
admin_router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(admin)])


def _settle(state: SandboxState, request: Request, order_id: str, outcome: str) -> PaymentOrder:
    """The payer's phone: idempotent (settling again with the same outcome answers the same)."""
    with state.write_lock, state.sessions() as session:
        row = order_of(session, order_id, None)
        if row.status == "pending":
            row.status, row.settled_at = outcome, state.settings.clock.utc_naive()
            session.commit()
        elif row.status != outcome:
            raise ApiError(409, ErrorCode.ORDER_NOT_PENDING, f"order is {row.status}")
        return order_view(row, str(request.base_url))


@sandbox_router.post("/payments/{order_id}/pay", response_model=PaymentOrder)
def simulate_pay(order_id: str, request: Request, state: SandboxState = Depends(get_state)) -> PaymentOrder:
    return _settle(state, request, order_id, "paid")


@sandbox_router.post("/payments/{order_id}/fail", response_model=PaymentOrder)
def simulate_fail(order_id: str, request: Request, state: SandboxState = Depends(get_state)) -> PaymentOrder:
    return _settle(state, request, order_id, "failed")


@sandbox_router.get("/payments/{order_id}", response_model=PaymentOrder)
def payer_view(order_id: str, request: Request, session: Session = Depends(get_db)) -> PaymentOrder:
    """What the QR code points at: the order as the payer's phone would show it."""
    return order_view(order_of(session, order_id, None), str(request.base_url))


@sandbox_router.get("/faults", response_model=FaultState)
def get_faults(state: SandboxState = Depends(get_state)) -> FaultState:
    return state.faults.state()


@sandbox_router.put("/faults", response_model=FaultState)
def set_faults(settings: FaultSettings, state: SandboxState = Depends(get_state)) -> FaultState:
    state.faults.configure(settings)
    return state.faults.state()


@sandbox_router.delete("/faults", response_model=FaultState)
def reset_faults(state: SandboxState = Depends(get_state)) -> FaultState:
    state.faults.configure(FaultSettings())
    return state.faults.state()


@sandbox_router.put("/clock", response_model=ClockSetting)
def set_clock(setting: ClockSetting, state: SandboxState = Depends(get_state)) -> ClockSetting:
    state.settings.clock.set(setting.now)
    return ClockSetting(now=state.settings.clock.now())


@admin_router.post("/kiosks", response_model=KioskCredential, status_code=201)
def create_kiosk(body: KioskCreate, state: SandboxState = Depends(get_state)) -> KioskCredential:
    """Enrol (or re-key) a kiosk; the key is shown once."""
    with state.write_lock, state.sessions() as session:
        key = seed.create_kiosk(session, body.kiosk_id, state.settings.clock.utc_naive())
        session.commit()
    return KioskCredential(kiosk_id=body.kiosk_id, kiosk_key=key)


@admin_router.get("/security-events")
def security_events(state: SandboxState = Depends(get_state)) -> dict[str, object]:
    """Failed kiosk and admin logins counted per source address and hour, newest first (in memory)."""
    return {"items": state.security.snapshot()}  # type: ignore[union-attr]


@admin_router.post("/photos", status_code=204)
def register_photo(body: PhotoRegistration, state: SandboxState = Depends(get_state)) -> None:
    try:
        image = base64.b64decode(body.image_jpeg_b64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ApiError(422, ErrorCode.INVALID_IMAGE, "image_jpeg_b64 is not base64") from error
    with state.write_lock, state.sessions() as session:
        citizen_or_404(session, body.id_number)
        seed.register_photo(session, body.id_number, image)
        session.commit()
