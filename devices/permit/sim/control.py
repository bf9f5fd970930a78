"""The permit simulator's control API, for tests, the demo's simulator control window and `kiosk sim permit`:
present a demo permit (under a scenario) to the virtual reader, take it away, look at what the chip holds.

    sim = PermitSimulator(vpcd_host="127.0.0.1", vpcd_port=35963)
    sim.present("zhang_weiming", scenario="with_endorsements")   # the card connects to vpcd: inserted
    key = sim.access_key()                                        # what is printed on it
    sim.remove()                                                  # disconnects: removed

A permit keeps its chip across remove/present of the same id (what was written stays on it), like a real
card lifted and put back; presenting another id or scenario makes a fresh chip.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from devices.permit.mrz import AccessKey
from devices.permit.sim.card import SimulatedPermit, load_permits, load_scenario, make_permit
from devices.permit.sim.chip import CardPulled
from devices.permit.sim.vpcd import DEFAULT_PORT, CardPulledNow, Pacing, VpcdCard

log = logging.getLogger(__name__)


class PermitSimulator:
    kind = "permit"

    def __init__(self, vpcd_host: str = "127.0.0.1", vpcd_port: int = DEFAULT_PORT,
                 pacing: Pacing | None = None) -> None:  # fmt: skip
        self.vpcd_host, self.vpcd_port = vpcd_host, vpcd_port
        self.pacing = pacing or Pacing(bitrate=None)
        self.permits = load_permits()
        self.permit: SimulatedPermit | None = None
        self._card: VpcdCard | None = None
        self._lock = threading.RLock()
        self.pulled = threading.Event()  # set when a scenario pulled the card by itself

    # -- physical actions ------------------------------------------------------------------------------
    def present(self, permit_id: str, scenario: str | dict[str, Any] | None = None, *, today: dt.date | None = None,
                timeout: float = 5.0) -> SimulatedPermit | None:  # fmt: skip
        """Put a permit on the reader. Returns None for a scenario that presents nothing (no_card)."""
        settings = load_scenario(scenario) if isinstance(scenario, str) else dict(scenario or {})
        with self._lock:
            self.remove()
            if settings.get("present", True) is False:
                self.permit = None
                return None
            same = self.permit is not None and self.permit.permit_id == permit_id and self.permit.scenario == settings
            if not same:
                self.permit = make_permit(permit_id, settings, today=today, permits=self.permits)
            assert self.permit is not None
            self.permit.chip.reset()
            self.pulled.clear()
            self._card = VpcdCard(self._answer, host=self.vpcd_host, port=self.vpcd_port,
                                  on_power=self._power, pacing=self.pacing)  # fmt: skip
            self._card.insert(timeout)
            return self.permit

    def remove(self) -> None:
        with self._lock:
            card, self._card = self._card, None
        if card is not None:
            card.remove()

    def close(self) -> None:
        self.remove()

    @property
    def card_present(self) -> bool:
        return self._card is not None and self._card.inserted

    def access_key(self) -> AccessKey:
        """What is printed on the permit now on the reader (the MRZ fields a person types in)."""
        if self.permit is None:
            raise LookupError("no permit has been presented")
        return self.permit.access_key

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "vpcd": f"{self.vpcd_host}:{self.vpcd_port}",
            "permit": self.permit.permit_id if self.permit else None,
            "present": self.card_present,
            "apdus": self.permit.chip.counters["apdus"] if self.permit else 0,
        }

    # -- the card's answers ----------------------------------------------------------------------------
    def _answer(self, command: bytes) -> bytes:
        permit = self.permit
        if permit is None:
            raise CardPulledNow("no permit")
        try:
            return permit.chip.process(command)
        except CardPulled as pulled:
            log.debug("scenario pulls the simulated permit: %s", pulled)
            self.pulled.set()
            raise CardPulledNow(str(pulled)) from pulled

    def _power(self, code: int) -> None:
        if self.permit is not None and code in (0, 2):  # power off or reset: the chip forgets its session
            self.permit.chip.reset()
