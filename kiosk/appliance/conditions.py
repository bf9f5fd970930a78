"""Conditions that take the whole kiosk out of service by themselves (clock untrustworthy, disk full, crash
loop, a refused rollback), written through the technician's out-of-service switch (kiosk.technician.
outofservice) as the "kiosk" record with by="appliance". So the citizen screen shows the kiosk out of service,
the technician screen and `kiosk diag out-of-service show` show why, and `systemctl status` too.

The appliance only ever clears a record it wrote itself: a technician's own switch is never touched, and
while it stands the appliance's reasons wait (they are written once the technician clears theirs).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from kiosk.home import KioskHome
from kiosk.technician.outofservice import (
    KIOSK,
    MAX_REASON,
    clean_reason,
    clear_out_of_service,
    load_out_of_service_records,
    set_out_of_service,
)

log = logging.getLogger(__name__)
ACTOR = "appliance"


@dataclass
class ApplianceConditions:
    home: KioskHome
    _reasons: dict[str, str] = field(default_factory=dict)  # condition name -> reason
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, name: str, reason: str | None) -> None:
        """Hold (reason) or drop (None) one condition; the record follows at the next apply()."""
        with self._lock:
            if reason:
                self._reasons[name] = reason
            else:
                self._reasons.pop(name, None)

    @property
    def reasons(self) -> dict[str, str]:
        with self._lock:
            return dict(self._reasons)

    def text(self) -> str | None:
        reasons = self.reasons
        return "; ".join(reasons[name] for name in sorted(reasons))[:MAX_REASON] if reasons else None

    def apply(self) -> bool:
        """Write or clear the appliance's out-of-service record; returns whether the kiosk is held out by it."""
        wanted = self.text()
        record = load_out_of_service_records(self.home).get(KIOSK)
        mine = record is not None and record.get("by") == ACTOR
        if record is not None and not mine:
            return False  # a technician's switch stands; never overwritten
        if wanted is None:
            if mine:
                clear_out_of_service(self.home, KIOSK)
                log.info("kiosk back in service: the appliance's conditions cleared")
            return False
        if not mine or record.get("reason") != clean_reason(wanted):
            set_out_of_service(self.home, KIOSK, wanted, ACTOR)
            log.warning("kiosk out of service: %s", wanted)
        return True
