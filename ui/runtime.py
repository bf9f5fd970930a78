"""What the touchscreen needs from the application core; the composition root implements it.

Threads: the UI calls `start_flow`, `end_session`, `call_duty_officer` and every `Flow.handle`/`Flow.abort`
from worker threads (QThreadPool), never from the GUI thread. `config`, `service_availability`, `camera_frame`
and `technician_service` are called on the GUI thread and must return at once (cached state, latest frame,
an object built once without I/O beyond opening the audit log); the technician screen runs every call of
that service on its own thread pool.
`Flow.abort()` may be called while another worker is blocked in `Flow.handle()` (time-out, cancel during a
card read); it must make that call return or raise promptly. Results of a call that returns after the
session ended are ignored by the UI.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # typing only: the start-up path stays light (the technician stack loads on first use)
    import numpy as np

    from kiosk.config import KioskConfig
    from kiosk.flows.base import Flow
    from kiosk.technician import TechnicianService


@cache
def home_services() -> tuple[str, ...]:
    """A tile for each service of the core's registry (kiosk/services), and for 港澳签注 until its package is
    registered."""
    from kiosk.services import service_names

    names = service_names()
    return (*names, *(name for name in ("endorsement",) if name not in names))


@runtime_checkable
class KioskRuntime(Protocol):
    @property
    def config(self) -> KioskConfig:
        """The active configuration (ui.*, session.*, site_name)."""
        ...

    def service_availability(self) -> dict[str, tuple[bool, str | None]]:
        """service -> (available now, reason text key when not), for every registered service."""
        ...

    def start_flow(self, service: str) -> Flow:
        """A fresh flow for one citizen's session of `service` (called in a worker)."""
        ...

    def camera_frame(self) -> np.ndarray | None:
        """The latest BGR frame for the live preview, or None when the camera has none yet."""
        ...

    def end_session(self, reason: str) -> None:
        """Wipe every personal field, image and queued print ("timeout", "cancelled", "finished", "error")."""
        ...

    def call_duty_officer(self, where: str) -> None:
        """求助: ring the duty officer through the configured intercom hook (called in a worker); raise when it
        cannot ring. `where` is the page or step the citizen is on, never who they are. Optional until the
        core has it: without it the help sheet says the call did not go through and shows the number."""
        ...

    def technician_service(self) -> TechnicianService:
        """The technician screen's service, made once: the kiosk's home and config, the runtime's own device
        objects (`devices=` by configured name) and `require_login=True`; it logs in (PIN + TOTP, persisted
        lock-out) and audits every action itself."""
        ...
