"""Technician diagnostics: login (PIN + TOTP), device self-tests, counters, ports, logs, out-of-service.

The technician screen (ui/technician) and `kiosk diag` both use TechnicianService; the core's availability
reads load_out_of_service(home).
"""

import importlib
from typing import Any

# Loaded on first use (PEP 562): the kiosk's start-up needs only load_out_of_service, not the self-tests,
# test pages (reportlab) and the PIN hashing behind the technician screen.
_WHERE = {
    "LoginResult": "auth", "TechnicianAuth": "auth",
    "KIOSK": "outofservice", "SERVICES": "outofservice", "TARGETS": "outofservice",
    "clear_out_of_service": "outofservice", "load_out_of_service": "outofservice", "set_out_of_service": "outofservice",
    "ActionResult": "selftest", "Check": "selftest", "SelfTestResult": "selftest",
    "DeviceInfo": "service", "NotLoggedIn": "service", "TechnicianService": "service",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


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
