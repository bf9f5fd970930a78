"""The one-line state of the kiosk for systemd's STATUS= (what `systemctl status police-kiosk` shows):

  starting                                    the core is still loading
  attract                                     every service offered, nobody at the screen
  attract; unavailable: traffic=reason.device.receipt_printer
  in a visit: temp_id at pay                  a citizen is mid-way (service and step only, never who)
  out of service: clock not synchronised      nothing can be offered, and why

Read on the GUI thread at every watchdog ping, so it only asks what never blocks: the flow's view, the
cached availability, the small out-of-service file.
"""

from __future__ import annotations

from typing import Any

from kiosk.home import KioskHome
from kiosk.technician.outofservice import KIOSK, load_out_of_service


def _visit(runtime: Any) -> str | None:
    flow = getattr(runtime, "active_flow", None)
    if flow is None:
        return None
    step = flow.view().step
    return f"in a visit: {flow.service} at {getattr(step, 'value', step)}"


def _switched_off(runtime: Any) -> dict[str, str]:
    home = getattr(runtime, "home", None) or KioskHome.resolve()  # a start-up stand-in has no home: the launcher's
    return load_out_of_service(home)


def kiosk_status(runtime: Any) -> str:
    ready = getattr(runtime, "ready", None)
    if ready is not None and not ready.is_set():
        return "starting"
    visit = _visit(runtime)
    if visit is not None:
        return visit
    availability: dict[str, tuple[bool, str | None]] = runtime.service_availability()
    unavailable = {service: reason or "unknown" for service, (ok, reason) in availability.items() if not ok}
    if availability and len(unavailable) == len(availability):
        switched = _switched_off(runtime)
        if KIOSK in switched:
            return f"out of service: {switched[KIOSK]}"
        return "out of service: " + ", ".join(sorted(set(unavailable.values())))
    if unavailable:
        return "attract; unavailable: " + ", ".join(f"{s}={r}" for s, r in sorted(unavailable.items()))
    return "attract"
