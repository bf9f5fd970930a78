"""The fleet agent embedded in the running kiosk: a background thread that polls the fleet server, sends
heartbeats with the runtime's real device states and service availability, and puts every accepted
configuration into force at once through kiosk.live_config (a rolled-back one is undone the same way).

    fleet = FleetService(FleetPorts(...))  # built by the composition root (kiosk/runtime.py)
    fleet.start()      # by KioskRuntime.open(); does nothing (says so at INFO) when not enrolled
    fleet.poll_once()  # one step, for tests and `kiosk fleet` commands; never sleeps
    fleet.stop()       # by KioskRuntime.close()

Health after a change (asked by the agent when its health window ends, on this thread, never the GUI's):
the backend answers and every device an enabled service needs is usable - except what was already broken
before the change and that the change did not touch (a printer out of paper is not the new config's fault).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.config import KioskConfig
from kiosk.fleet.agent import AgentSettings, FleetAgent, HeartbeatOutcome, PollOutcome
from kiosk.fleet.client import FleetAuthError, FleetClient, FleetRequestError, FleetUnavailable
from kiosk.fleet.enrol import send_inventory
from kiosk.fleet.state import NotEnrolled, load_credentials
from kiosk.flows.context import device_usable
from kiosk.home import KioskHome
from kiosk.live_config import LiveChange, LiveConfigurator, changed_paths
from kiosk.monitor import refresh_device
from kiosk.services import SERVICES
from kiosk.trust import TrustError, read_active

log = logging.getLogger(__name__)
PENDING_RETRY_S = 10.0  # a change deferred by a citizen mid-way is retried this soon


@dataclass(frozen=True)
class Baseline:
    """What worked just before a change was applied, so health blames the change only for what it broke."""

    usable_kinds: frozenset[str]
    backend_ok: bool
    changed: tuple[str, ...]  # dotted config paths the change touched


def required_kinds(config: KioskConfig) -> set[str]:
    """Device kinds the enabled services cannot do without."""
    return {kind for spec in SERVICES if spec.enabled(config) for kind in spec.devices}


@dataclass(frozen=True)
class FleetPorts:
    """What the fleet service needs of the running kiosk (the composition root binds these)."""

    home: KioskHome
    config: Callable[[], KioskConfig]  # what runs now
    devices: Callable[[], Mapping[str, Any]]  # the open devices by kind
    open_transactions: Callable[[], int]  # unfinished journal orders: a citizen may be mid-way
    backend_ok: Callable[[], bool]  # the cached answer (never blocks)
    refresh_health: Callable[[], bool]  # ask now (blocking, on the fleet thread)
    service_availability: Callable[[], dict[str, tuple[bool, str | None]]]
    live: LiveConfigurator


class FleetService:
    def __init__(
        self,
        ports: FleetPorts,
        *,
        settings: AgentSettings | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        """No I/O here: credentials are read by start() (or the first poll_once())."""
        self.ports = ports
        self.live = ports.live
        self.agent: FleetAgent | None = None
        self.last_outcome: PollOutcome | None = None
        self.last_change: LiveChange | None = None
        self._settings, self._clock, self._rng = settings, clock, rng
        self._client: FleetClient | None = None
        self._inventory_due = True  # at the first contact and after devices changed
        self._pending: KioskConfig | None = None  # accepted, not yet in force (a citizen was mid-way)
        self._before: KioskConfig | None = None  # what ran before the change under health watch
        self._baseline: Baseline | None = None
        self._listeners: list[Callable[[LiveChange], None]] = []
        self._heartbeat_listeners: list[Callable[[HeartbeatOutcome], None]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------------
    def enrolled(self) -> bool:
        return self._ensure_agent() is not None

    def _ensure_agent(self) -> FleetAgent | None:
        if self.agent is None:
            try:
                credentials = load_credentials(self.ports.home)
            except NotEnrolled:
                return None
            self._client = FleetClient(credentials.server_url, credentials)
            self.agent = FleetAgent(
                self.ports.home, self._client, healthy=self.healthy,
                open_transactions=self.ports.open_transactions,
                settings=self._settings, clock=self._clock, rng=self._rng,
            )  # fmt: skip
        return self.agent

    def start(self) -> FleetService:
        if self.running:
            return self
        if not self.enrolled():
            log.info("fleet service not started: this kiosk is not enrolled (kiosk fleet enrol)")
            return self
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="fleet-service", daemon=True)
        self._thread.start()
        log.info("fleet service started for %s", self._client.server_url if self._client else "?")
        return self

    def stop(self, timeout_s: float = 15.0) -> None:
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=timeout_s)
        self._thread = None
        if self._client is not None:
            self._client.close()
            self._client, self.agent = None, None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def add_listener(self, listener: Callable[[LiveChange], None]) -> None:
        """Called (on the fleet thread) after each live change, e.g. for the UI to re-read texts."""
        self._listeners.append(listener)

    def add_heartbeat_listener(self, listener: Callable[[HeartbeatOutcome], None]) -> None:
        """Called (on the fleet thread) after each heartbeat, delivered or not."""
        self._heartbeat_listeners.append(listener)

    def _run(self) -> None:
        next_heartbeat = 0.0
        while True:
            try:
                outcome = self.poll_once()
                delay = outcome.next_poll_in if self._pending is None else min(outcome.next_poll_in, PENDING_RETRY_S)
                if self._clock() >= next_heartbeat:
                    self.heartbeat_once()
                    next_heartbeat = self._clock() + (self.agent.state.poll_interval_s if self.agent else 30.0)
            except Exception:  # the kiosk keeps serving on its current config whatever happens here
                log.exception("fleet service step failed")
                delay = PENDING_RETRY_S
            if self._stop.wait(delay):
                return

    # -- one step --------------------------------------------------------------------------------------
    def poll_once(self) -> PollOutcome:
        agent = self._ensure_agent()
        if agent is None:
            return PollOutcome("not_enrolled", 3600.0, message="no fleet credentials")
        if self._pending is not None:
            self._put_in_force(self._pending)
        if self._inventory_due:
            self._send_inventory()
        outcome = agent.poll_once()
        self.last_outcome = outcome
        if outcome.kind != "unchanged":
            log.info("fleet poll: %s version=%s %s", outcome.kind, outcome.version, outcome.reason or "")
        if outcome.kind == "applied":
            self._begin_change()
        elif outcome.kind == "committed":
            self._before = self._baseline = None
            self._put_in_force(read_active(self.ports.home).config)  # no-op unless a restart came between
        elif outcome.kind == "rolled_back":
            previous = self._before or read_active(self.ports.home).config
            self._before = self._baseline = None
            self._put_in_force(previous)
        elif outcome.kind == "rejected":
            log.warning("fleet document version %s rejected: %s %s", outcome.version, outcome.reason, outcome.message)
        return outcome

    def _begin_change(self) -> None:
        ports = self.ports
        active = read_active(ports.home).config
        if self.agent is not None and self.agent.state.health is not None:  # a config, not a trust-root rotation
            usable = frozenset(kind for kind, device in ports.devices().items() if device_usable(device))
            running = ports.config()
            self._before = running
            self._baseline = Baseline(usable, ports.backend_ok(), tuple(changed_paths(running, active)))
        self._put_in_force(active)

    def _put_in_force(self, config: KioskConfig) -> None:
        try:
            change = self.live.apply(config)
        except Exception as error:  # e.g. a verifier that cannot be built: health fails, the agent rolls back
            log.error("live configuration change failed: %s: %s", type(error).__name__, error)
            self._pending = config
            return
        self._pending = config if change.status == "deferred" else None
        self.last_change = change
        if change.reopened_devices or change.closed_devices:
            self._inventory_due = True
        if change.status == "applied":
            for listener in list(self._listeners):
                listener(change)

    def _send_inventory(self) -> None:
        devices = [
            {"name": getattr(device, "name", kind), "kind": kind} for kind, device in self.ports.devices().items()
        ]
        try:
            send_inventory(self.ports.home, self._client, devices)  # type: ignore[arg-type]
        except (FleetUnavailable, FleetAuthError, FleetRequestError, TrustError) as error:
            log.info("fleet inventory not sent (%s); will retry", type(error).__name__)
            return
        self._inventory_due = False

    # -- health and heartbeat --------------------------------------------------------------------------
    def healthy(self) -> bool:
        """Asked by the agent on this thread; blocking here never blocks the GUI."""
        if self._pending is not None:
            return False  # the new configuration never came into force
        ports = self.ports
        baseline = self._baseline
        changed = baseline.changed if baseline else ()
        backend_ok = ports.refresh_health()
        if not backend_ok and (
            baseline is None or baseline.backend_ok or any(p.startswith("backend.") for p in changed)
        ):
            log.warning("health check: the backend does not answer")
            return False
        for kind in sorted(required_kinds(ports.config())):
            device = ports.devices().get(kind)
            if device is not None:
                refresh_device(device)
            if device_usable(device):
                continue
            touched = any(self._is_device_path(p, kind) for p in changed)
            if baseline is None or kind in baseline.usable_kinds or touched:
                log.warning("health check: device %s is not usable", kind)
                return False
        return True

    def _is_device_path(self, path: str, kind: str) -> bool:
        if not path.startswith("devices."):
            return False
        name = path.split(".", 1)[1]
        configs = [self.ports.config().devices.get(name), self._before.devices.get(name) if self._before else None]
        return any(config is not None and config.kind == kind for config in configs)

    def device_states(self) -> dict[str, Any]:
        """By configured device name (what admins see in the config), from the kiosk's own device objects."""
        return {getattr(device, "name", kind): device.status for kind, device in self.ports.devices().items()}

    def heartbeat_once(self) -> HeartbeatOutcome:
        agent = self._ensure_agent()
        if agent is None:
            return HeartbeatOutcome(False, (), "not enrolled")
        availability = {service: ok for service, (ok, _reason) in self.ports.service_availability().items()}
        outcome = agent.heartbeat_once(self.device_states(), availability)
        if not outcome.ok:
            log.info("fleet heartbeat failed: %s", outcome.error)
        for listener in list(self._heartbeat_listeners):
            listener(outcome)
        return outcome
