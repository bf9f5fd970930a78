"""The health window of a slot on trial: what the new software must show before it is committed.

  not_ready          the attract screen was never painted (READY=1 not sent)
  core_failed        the core (journal, audit log, devices) did not come up
  crash_loop         the new slot crashed or hung more than once since the switch
  device:KIND        a device the old software could use is unusable now
  self_test:KIND     a device's self-test (no printing) failed
Reasons are short (the fleet server keeps 32 characters) and name kinds only, never data.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.flows.context import device_usable
from kiosk.monitor import refresh_device

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HealthVerdict:
    ok: bool
    reason: str | None = None


OK = HealthVerdict(True)


@dataclass
class TrialHealth:
    """Called once, when the health window ends, on the appliance thread (never the GUI's)."""

    ready: threading.Event
    core_up: Callable[[], bool]
    devices: Callable[[], Mapping[str, Any]]  # open devices by kind
    required_kinds: Callable[[], set[str]]
    self_test: Callable[[str, Any], bool]  # (kind, device) -> passed; must not print
    trial_crashes: Callable[[], int]
    max_crashes: int = 1

    def __call__(self, baseline_usable: list[str]) -> HealthVerdict:
        if not self.ready.is_set():
            return HealthVerdict(False, "not_ready")
        if not self.core_up():
            return HealthVerdict(False, "core_failed")
        if self.trial_crashes() > self.max_crashes:
            return HealthVerdict(False, "crash_loop")
        devices = self.devices()
        for kind in sorted(self.required_kinds() & set(baseline_usable)):
            device = devices.get(kind)
            if device is not None:
                refresh_device(device)
            if not device_usable(device):
                log.warning("trial health: device %s unusable", kind)
                return HealthVerdict(False, f"device:{kind}"[:32])
            try:
                passed = self.self_test(kind, device)
            except Exception as error:  # a self-test that raises is a failed one
                log.warning("trial health: self-test of %s raised %s", kind, type(error).__name__)
                passed = False
            if not passed:
                return HealthVerdict(False, f"self_test:{kind}"[:32])
        return OK


def trial_crashes(trying: Mapping[str, Any] | None, attempts: int) -> int:
    """Starts of the trial slot beyond the first (each one followed a crash, a hang or a power cut)."""
    if trying is None:
        return 0
    return max(0, attempts - int(trying.get("attempts_left", attempts)) - 1)
