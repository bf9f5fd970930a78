"""The composition root: builds devices, backend client, journal, session and face checks from the
configuration once, and hands the UI (or `kiosk flow`) what it needs. No Qt here."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from kiosk.alerts import KioskAlerts
from kiosk.appliance.service import AppliancePorts, ApplianceService
from kiosk.appliance.wiring import build_update_ports
from kiosk.backend.client import BackendClient
from kiosk.backend.errors import BackendError
from kiosk.config import KioskConfig
from kiosk.device_set import DeviceSet
from kiosk.face import FaceQualityChecker, FaceThresholds, create_verifier
from kiosk.fleet.service import FleetPorts, FleetService
from kiosk.flows.base import StepKind
from kiosk.flows.common import ServiceFlow
from kiosk.flows.context import ServiceContext, service_availability
from kiosk.flows.printing import PRINT_DEADLINE_S
from kiosk.home import KioskHome
from kiosk.journal.journal import Journal
from kiosk.journal.reconcile import ReconcileReport
from kiosk.live_config import LiveConfigurator, LivePorts
from kiosk.printers import kiosk_printers
from kiosk.recovery.periodic import MoneyReconciler
from kiosk.recovery.startup import reconcile_at_startup
from kiosk.services import spec_of
from kiosk.session import CitizenSession
from kiosk.spooler import Spooler
from kiosk.technician import load_out_of_service

log = logging.getLogger(__name__)

HEALTH_CACHE_S = 10.0
COMMITTED_GRACE_S = 30.0  # beyond the print deadline, for the receipt after the document


class KioskRuntime:
    """Everything one kiosk process runs on. `open()` before use, `close()` at exit."""

    def __init__(self, home: KioskHome, config: KioskConfig | None = None) -> None:
        self.home = home.ensure()
        config = config or _verified_config(self.home)
        self.session = CitizenSession()
        self.device_set = DeviceSet()
        self.devices: dict[str, Any] = self.device_set.by_kind
        backend = BackendClient.from_kiosk_config(config)
        self.journal = Journal.for_home(home.root, kiosk_id=config.kiosk_id)
        self.alerts = KioskAlerts(audit=self._audit_alert)
        self.context = ServiceContext(
            config=config, backend=backend, journal=self.journal, session=self.session, devices=self.devices,
            quality=FaceQualityChecker(FaceThresholds.from_config(config.face)),
            verifier=create_verifier(config.face, backend), out_of_service=self._out_of_service,
            alert=self.alerts.raise_alert,
        )  # fmt: skip
        self.money = MoneyReconciler(self.journal, lambda: self.backend, lambda: self.session.order_ids, self.alerts)
        self.tray_notice: tuple[str, ...] = ()  # what the last citizen may have left at the output slots
        self._health: tuple[float, bool] = (-HEALTH_CACHE_S, False)
        self._health_checking = threading.Event()
        self._probe: BackendClient | None = None
        self._probe_config: Any = None
        self._flow: ServiceFlow | None = None
        self._flow_listeners: list[Callable[[ServiceFlow], None]] = []
        self._lock = threading.Lock()
        self.live = LiveConfigurator(LivePorts(
            context=lambda: self.context, install=self._install_context, devices=self.device_set,
            visit_in_progress=self.visit_in_progress, refresh_health=self.refresh_health,
        ))  # fmt: skip
        self.fleet_ports = FleetPorts(
            home=self.home, config=lambda: self.config, devices=lambda: {**self.devices, **self.alerts.as_devices()},
            open_transactions=self.journal.open_transaction_count, backend_ok=self.backend_ok,
            refresh_health=self.refresh_health, service_availability=self.service_availability, live=self.live,
        )  # fmt: skip
        self.fleet = FleetService(self.fleet_ports)  # polls the fleet server once open(), if this kiosk is enrolled
        self._technician: Any = None  # kiosk.technician.TechnicianService, made on first use
        self.appliance = ApplianceService.for_runtime(AppliancePorts(
            home=self.home, config=lambda: self.config, visit_in_progress=self.visit_in_progress,
            devices=lambda: self.devices, alert=self.alerts.raise_alert, update_ports=build_update_ports,
        ))  # fmt: skip  # None unless started by the appliance launcher
        self.spooler: Spooler | None = None
        self.reconcile_report: ReconcileReport | None = None  # what open() found unfinished and did

    # -- what the collaborators are given ---------------------------------------------------------------
    @property
    def config(self) -> KioskConfig:
        return self.context.config

    @property
    def backend(self) -> BackendClient:
        return self.context.backend

    @property
    def quality(self) -> FaceQualityChecker:
        return self.context.quality

    def _install_context(self, context: ServiceContext) -> None:
        self.context = context  # the health probe follows context.config.backend by itself

    def visit_in_progress(self) -> bool:
        """A citizen is mid-way: an unfinished journal order, or a flow on screen that has not finished."""
        return self.journal.open_transaction_count() > 0 or self.active_flow is not None

    def open(self) -> KioskRuntime:
        self.device_set.open(self.config.device_settings())
        self.spooler = Spooler(self.journal, kiosk_printers(self.devices.get)).start()
        self.context.spooler = self.spooler
        self.session.add_wipe_listener(self.spooler.discard_for_orders)  # queued prints hold personal data
        self.refresh_health()
        self.reconcile_report = self._reconcile_at_startup()
        self.device_set.start_monitor()
        self.money.start()
        self.fleet.start()
        if self.appliance is not None:
            self.appliance.start()
        return self

    def _reconcile_at_startup(self) -> ReconcileReport | None:
        """Orders a previous run left unfinished, settled before the first citizen (no session to exclude)."""
        try:
            return reconcile_at_startup(self.journal, self.backend, self.devices, self.config.kiosk_id)
        except Exception as error:  # the kiosk must start; the orders stay journalled for the next start
            log.error("start-up reconciliation failed: %s", type(error).__name__)
            return None

    def close(self) -> None:
        if self.appliance is not None:
            self.appliance.stop()
        self.fleet.stop()
        self.money.stop()
        self.end_session("shutdown")
        if self.spooler is not None:
            self.spooler.close()
        if self._technician is not None:
            self._technician.close()  # closes only what it opened itself, never self.devices
            getattr(self._technician.audit, "close", lambda: None)()
        self.device_set.close()
        self.backend.close()
        if self._probe is not None:
            self._probe.close()
        self.journal.close()

    # -- what the UI asks ------------------------------------------------------------------------------
    def backend_ok(self) -> bool:
        """The last known backend health; never blocks (the UI calls this on its GUI thread).

        A stale answer triggers one background check; until it returns the previous answer stands."""
        checked_at, ok = self._health
        if time.monotonic() - checked_at >= HEALTH_CACHE_S and not self._health_checking.is_set():
            self._health_checking.set()
            threading.Thread(target=self._check_health, name="backend-health", daemon=True).start()
        return ok

    def _health_probe(self) -> BackendClient:
        """A client for health checks only: one attempt, short time-outs (a health check is asked again
        later anyway, and start-up must not sit through retries of an unreachable backend)."""
        if self._probe is None or self._probe_config is not self.config.backend:
            backend = self.config.backend
            quick = backend.model_copy(update={"retries": 0, "connect_timeout_s": min(1.0, backend.connect_timeout_s),
                                               "read_timeout_s": min(2.0, backend.read_timeout_s)})  # fmt: skip
            self._probe, self._probe_config = BackendClient(quick, self.config.kiosk_id), backend
        return self._probe

    def refresh_health(self) -> bool:
        """Check now (blocking): at start-up and in tests."""
        self._check_health()
        return self._health[1]

    def _check_health(self) -> None:
        try:
            try:
                self._health_probe().health()
                ok = True
            except BackendError:
                ok = False
            self._health = (time.monotonic(), ok)
        finally:  # always, and only after the answer is stored: no second check starts on the stale one
            self._health_checking.clear()

    def service_availability(self) -> dict[str, tuple[bool, str | None]]:
        """Per service: usable now, or the reason. Never blocks (device statuses come from the monitor)."""
        return service_availability(self.context, self.backend_ok())

    def add_config_listener(self, listener: Callable[[], None]) -> None:
        """Called (on the fleet thread) after a configuration change was applied live, e.g. new texts."""

        def notify(_change: object) -> None:
            try:
                listener()
            except RuntimeError:  # the window it would update is gone (shutting down)
                log.debug("a configuration listener is gone")

        self.fleet.add_listener(notify)

    @property
    def active_flow(self) -> ServiceFlow | None:
        """The flow a citizen is in now; None between sessions and once it has finished."""
        flow = self._flow
        return flow if flow is not None and not flow.view().finished else None

    def start_flow(self, service: str) -> ServiceFlow:
        with self._lock:
            if self._flow is not None:
                self._flow.abort()
            self._flow = spec_of(service).load_flow()(self.context)
            for listener in list(self._flow_listeners):
                listener(self._flow)
            return self._flow

    def add_flow_listener(self, listener: Callable[[ServiceFlow], None]) -> None:
        """Called with every flow started (the demo's simulated citizen follows the screen's prompts)."""
        self._flow_listeners.append(listener)

    def camera_frame(self) -> Any:
        camera = self.devices.get("camera")
        if camera is None:
            return None
        try:
            return camera.capture(timeout=1.0)
        except Exception:  # a lost frame shows as a blank preview; the status already says why
            return None

    def detect_face(self, frame: Any) -> tuple[int, int, int, int] | None:
        faces = self.quality.detector.detect(frame)
        if len(faces) != 1:
            return None
        box = faces[0]
        return (box.x, box.y, box.width, box.height)

    def end_session(self, reason: str) -> None:
        """Wipe the visit. A paid visit still delivering is waited for (the next citizen cannot start meanwhile):
        it prints the document and the receipt, then the session is wiped."""
        with self._lock:
            flow, self._flow = self._flow, None
            if flow is not None and not flow.abort():
                log.info("session end waits for a paid visit to finish delivering")
                if not flow.wait_finished(PRINT_DEADLINE_S + COMMITTED_GRACE_S):
                    log.error("a paid visit did not finish delivering in time")
            self.tray_notice = _left_behind(flow, reason)
            self.session.wipe()
        camera = self.devices.get("camera")
        if camera is not None and hasattr(camera, "wipe"):
            camera.wipe()
        log.info("session ended: %s", reason)

    def _audit_alert(self, code: str, detail: dict[str, Any]) -> None:
        from kiosk.audit import AuditLog  # opened per alert: alerts are rare

        with AuditLog.for_home(self.home) as audit:
            audit.append("kiosk", f"alert.{code}", "kiosk", detail)

    def technician_service(self) -> Any:
        """The technician screen's service (made once): this runtime's home, config and own device objects,
        by configured name (a port opens only once), with login required for every action."""
        if self._technician is None:
            from kiosk.technician import TechnicianService  # the technician stack loads on first use

            by_name = {
                s.name: self.devices[s.kind]
                for s in self.config.device_settings()
                if getattr(self.devices.get(s.kind), "name", None) == s.name
            }
            self._technician = TechnicianService(self.home, self.config, devices=by_name, require_login=True)
        return self._technician

    def _out_of_service(self) -> dict[str, str]:
        return load_out_of_service(self.home)


def _left_behind(flow: ServiceFlow | None, reason: str) -> tuple[str, ...]:
    """The items of a finished visit the citizen never confirmed taking (the session timed out on the done
    screen or after a paid visit was abandoned): the next citizen is told to call for help if they find them."""
    if flow is None or reason == "finished":
        return ()
    view = flow.view()
    if view.step is StepKind.DONE or (flow.committed and view.finished):
        return tuple(view.data.get("take_items", ()))
    return ()


def _verified_config(home: KioskHome) -> KioskConfig:
    """The active configuration, its signatures checked again at every start (a fallback is audited)."""
    from kiosk.audit import AuditLog
    from kiosk.trust import load_verified_config

    with AuditLog.for_home(home) as audit:
        return load_verified_config(home, audit=audit).config
