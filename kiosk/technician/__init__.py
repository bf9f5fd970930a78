"""Technician diagnostics: login (PIN + TOTP), device self-tests, counters, ports, logs, out-of-service.

The technician screen (ui/technician) and `kiosk diag` both use TechnicianService; the core's availability
reads load_out_of_service(home).
"""

from kiosk.technician.auth import LoginResult, TechnicianAuth
from kiosk.technician.outofservice import (
    KIOSK,
    SERVICES,
    TARGETS,
    clear_out_of_service,
    load_out_of_service,
    set_out_of_service,
)
from kiosk.technician.selftest import ActionResult, Check, SelfTestResult
from kiosk.technician.service import DeviceInfo, NotLoggedIn, TechnicianService

__all__ = [
    "KIOSK",
    "SERVICES",
    "TARGETS",
    "ActionResult",
    "Check",
    "DeviceInfo",
    "LoginResult",
    "NotLoggedIn",
    "SelfTestResult",
    "TechnicianAuth",
    "TechnicianService",
    "clear_out_of_service",
    "load_out_of_service",
    "set_out_of_service",
]
