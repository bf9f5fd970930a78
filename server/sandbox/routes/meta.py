"""Health: for load balancers, the kiosk's start-up check and technicians."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import text

from contracts import Health
from server.sandbox.state import SandboxState, get_state

router = APIRouter(tags=["meta"])
VERSION = "1.0.0"


@router.get("/health", response_model=Health)
def health(state: SandboxState = Depends(get_state)) -> Health:
    try:
        with state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # a health check reports, it does not fail
        database = "error"
    status = "ok" if database == "ok" else "degraded"
    return Health(status=status, version=VERSION, database=database, time=state.settings.clock.now().isoformat())
