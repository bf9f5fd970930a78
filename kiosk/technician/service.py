"""TechnicianService: what a technician can see and do, for the technician screen and `kiosk diag`.

Plain Python, blocking calls (the screen runs them in workers). It works on the kiosk's own device objects
when the application passes them in (a port can be open only once), or builds and opens its own from the
configuration (the CLI). Every action is audited with its outcome; no result carries personal data.
"""

from __future__ import annotations

import contextlib
import getpass
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devices.errors import DeviceError
from devices.registry import DeviceSettings, build_device
from kiosk import logs
from kiosk.config import KioskConfig
from kiosk.home import KioskHome
from kiosk.technician import outofservice, selftest
from kiosk.technician.audit_sink import AuditSink, default_audit
from kiosk.technician.auth import TechnicianAuth
from kiosk.technician.consumables import ConsumableCounters, consumables_for
from kiosk.technician.ports import PortInfo, discover_ports
from kiosk.technician.selftest import ActionResult, SelfTestResult
from kiosk.trust import load_verified_config

NO_DRIVER = "no_driver"
MAX_AUDIT_TEXT = 200


class NotLoggedIn(PermissionError):
    """The technician session has ended (logged out or timed out)."""


@dataclass(frozen=True)
class DeviceInfo:
    name: str
    kind: str
    url: str
    state: str
    detail: dict[str, Any] = field(default_factory=dict)
    last_error: str | None = None
    counters: dict[str, int] = field(default_factory=dict)
    consumables: dict[str, int] = field(default_factory=dict)  # used since the last reset (persisted)
    driver: bool = True  # False: no driver for this kind in this build (e.g. not installed yet)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CounterRow:
    device: str
    kind: str
    consumable: str
    used: int
    reset_at: str | None


@dataclass
class _Slot:
    settings: DeviceSettings
    device: Any | None = None
    build_error: str | None = None
    opened: bool = False
    built_here: bool = False  # this service built (and so closes) the device; the app's are left alone
    owner: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    lock: threading.Lock = field(default_factory=threading.Lock)


def build_configured_device(settings: DeviceSettings) -> Any:
    """build_device, plus the camera while the registry does not know it yet."""
    try:
        return build_device(settings)
    except ValueError:
        if settings.kind != "camera":
            raise
        from devices.camera import Camera

        return Camera.from_settings(settings.name, settings.url, dict(settings.options))


def _verified_config(home: KioskHome, audit: AuditSink) -> KioskConfig:
    """What `kiosk run` would run on: the signed configuration, re-verified (kiosk.trust.startup)."""
    return load_verified_config(home, audit=audit).config


def cli_actor() -> str:
    """The audit actor for a remote shell: the login name (who ran it), never a citizen's data."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry (containers)
        return "cli:unknown"


def _short(value: Any) -> Any:
    return value[:MAX_AUDIT_TEXT] if isinstance(value, str) else value


class TechnicianService:
    def __init__(
        self,
        home: KioskHome,
        config: KioskConfig | None = None,
        *,
        devices: Mapping[str, Any] | None = None,
        audit: AuditSink | None = None,
        auth: TechnicianAuth | None = None,
        actor: str = "technician",
        require_login: bool = False,
        clock: Callable[[], float] = time.time,
        comports: Callable[[], Iterable[Any]] | None = None,
    ) -> None:
        self.home = home
        self.audit = audit or default_audit(home)
        self.config = config or _verified_config(home, self.audit)
        settings = self.config.technician
        self.auth = auth or TechnicianAuth(
            home, self.audit, clock=clock, idle_logout_s=settings.idle_logout_s, max_lock_s=settings.max_lockout_s
        )
        self.actor = actor
        self.require_login = require_login
        self.clock = clock
        self._comports = comports
        self._counters = ConsumableCounters(home)
        self._slots = {s.name: _Slot(s) for s in self.config.device_settings()}
        for name, device in (devices or {}).items():
            if name in self._slots:
                self._slots[name].device, self._slots[name].opened = device, True

    @property
    def exit_allowed(self) -> bool:
        """Whether the technician screen may offer "exit app" (technician.allow_exit_app; off by default)."""
        return self.config.technician.allow_exit_app

    def exit_app(self) -> bool:
        """Audit and allow leaving the app, if the configuration allows it; False (audited) otherwise."""
        self._check_session()
        allowed = self.exit_allowed
        self._record("exit_app" if allowed else "exit_app_refused", self.config.kiosk_id)
        if allowed:
            self.auth.logout()
        return allowed

    @classmethod
    def for_cli(cls, home_arg: str | None) -> TechnicianService:
        home = KioskHome.resolve(home_arg).ensure()
        return cls(home, actor=cli_actor())

    def close(self) -> None:
        """Close the devices this service opened itself (never the application's)."""
        for slot in self._slots.values():
            if slot.device is not None and slot.opened and slot.built_here:
                slot.device.close()
                slot.opened = False

    # -- plumbing ------------------------------------------------------------------------------------
    def _check_session(self) -> None:
        if self.require_login:
            if not self.auth.session_active():
                raise NotLoggedIn("technician session ended")
            self.auth.touch()

    def _record(self, action: str, target: str = "", **detail: Any) -> None:
        self.audit.append(self.actor, f"technician.{action}", target, {k: _short(v) for k, v in detail.items()})

    def _slot(self, name: str) -> _Slot:
        try:
            return self._slots[name]
        except KeyError:
            raise KeyError(f"no device {name!r}; configured: {', '.join(sorted(self._slots)) or 'none'}") from None

    def _device(self, slot: _Slot) -> Any | None:
        """The slot's device, built and opened on first use (None when this build has no driver)."""
        with slot.lock:
            if slot.device is None and slot.build_error is None:
                try:
                    slot.device = build_configured_device(slot.settings)
                    slot.built_here = True
                except (ValueError, ImportError) as error:
                    slot.build_error = str(error)
            if slot.device is not None and not slot.opened:
                slot.device.open()
                slot.opened = True
        return slot.device

    def device_names(self, kind: str | None = None) -> list[str]:
        return [n for n, s in self._slots.items() if kind is None or s.settings.kind == kind]

    def _sync_consumables(self, slot: _Slot) -> dict[str, int]:
        if slot.device is None or not consumables_for(slot.settings.kind):
            return self._counters.used(slot.settings.name)
        return self._counters.sync(slot.settings.name, slot.settings.kind, dict(slot.device.counters), slot.owner)

    # -- devices -------------------------------------------------------------------------------------
    def list_devices(self, refresh: bool = False) -> list[DeviceInfo]:
        """Every configured device: state, detail, last error, counters; `refresh` asks printers now."""
        self._check_session()
        return [self._info(slot, refresh) for slot in self._slots.values()]

    def device_info(self, name: str, refresh: bool = False) -> DeviceInfo:
        self._check_session()
        return self._info(self._slot(name), refresh)

    def _info(self, slot: _Slot, refresh: bool) -> DeviceInfo:
        s = slot.settings
        device = self._device(slot)
        if device is None:
            return DeviceInfo(s.name, s.kind, s.url, NO_DRIVER, last_error=slot.build_error, driver=False)
        if refresh and callable(getattr(device, "refresh_status", None)):
            with contextlib.suppress(DeviceError, OSError):  # a failed query shows in the status
                device.refresh_status()
        status = device.status
        counters = {k: int(v) for k, v in dict(getattr(device, "counters", {})).items()}
        return DeviceInfo(
            s.name, s.kind, s.url, status.state.value, dict(status.detail), status.last_error,
            counters, self._sync_consumables(slot),
        )  # fmt: skip

    def self_test(self, name: str, *, with_print: bool = True) -> SelfTestResult:
        self._check_session()
        slot = self._slot(name)
        device = self._device(slot)
        if device is None:
            check = selftest.Check("driver", False, slot.build_error or "no driver", NO_DRIVER)
            result = SelfTestResult(name, slot.settings.kind, False, [check])
        else:
            result = selftest.self_test_device(
                device, name, slot.settings.kind, self.config.kiosk_id, with_print=with_print
            )
            self._sync_consumables(slot)
        self._record("self_test", name, passed=result.passed, error=result.error_code, with_print=with_print)
        return result

    def self_test_all(self, *, with_print: bool = True) -> list[SelfTestResult]:
        return [self.self_test(name, with_print=with_print) for name in self._slots]

    def _action(self, name: str, action: str, kinds: tuple[str, ...], run: Callable[[Any], Any]) -> ActionResult:
        self._check_session()
        slot = self._slot(name)
        if slot.settings.kind not in kinds:
            raise ValueError(f"{name} is a {slot.settings.kind}; {action} needs one of: {', '.join(kinds)}")
        device = self._device(slot)
        if device is None:
            result = ActionResult(name, action, False, NO_DRIVER, slot.build_error or "no driver")
        else:
            try:
                value = run(device)
                detail = value if isinstance(value, dict) else {}
                result = ActionResult(name, action, True, None, value if isinstance(value, str) else "", detail)
            except DeviceError as error:
                result = ActionResult(name, action, False, error.code, str(error))
            self._sync_consumables(slot)
        self._record(action, name, ok=result.ok, error=result.code)
        return result

    def test_read(self, name: str, timeout: float = 10.0) -> ActionResult:
        """Read one card (place one on the reader); the result says only card type and sizes."""
        return self._action(name, "test_read", ("idcard",), lambda d: selftest.test_read(d, timeout))

    def test_print(self, name: str) -> ActionResult:
        def run(device: Any) -> str:
            return selftest.print_test_page(device, self._slot(name).settings.kind, self.config.kiosk_id)

        return self._action(name, "test_print", selftest.PRINTER_KINDS, run)

    def test_photo(self, name: str, timeout: float = 5.0) -> ActionResult:
        """Take one frame; only its size and brightness come back (it may show a face)."""
        return self._action(name, "test_photo", ("camera",), lambda d: selftest.grab_frame_summary(d, timeout))

    def reconnect(self, name: str) -> ActionResult:
        def run(device: Any) -> str:
            reopen = getattr(device, "reconnect_now", None)
            if callable(reopen):
                reopen()
            else:
                device.close()
                device.open()
            return device.status.state.value

        kinds = tuple({s.settings.kind for s in self._slots.values()})
        return self._action(name, "reconnect", kinds, run)

    # -- counters ------------------------------------------------------------------------------------
    def consumables(self, name: str) -> dict[str, int]:
        self._check_session()
        return self._counters.used(name)

    def counter_rows(self) -> list[CounterRow]:
        """One row per device and consumable (paper, ribbon, cards) with the use since the last reset."""
        self._check_session()
        rows = []
        for name, slot in self._slots.items():
            if slot.device is not None:
                self._sync_consumables(slot)
            used, reset_at = self._counters.used(name), self._counters.reset_info(name)
            for consumable in consumables_for(slot.settings.kind):
                rows.append(
                    CounterRow(name, slot.settings.kind, consumable, used.get(consumable, 0), reset_at.get(consumable))
                )
        return rows

    def reset_counter(self, name: str, consumable: str) -> int:
        """Zero a paper/ribbon counter after loading new media; returns the count before."""
        self._check_session()
        slot = self._slot(name)
        allowed = consumables_for(slot.settings.kind)
        if consumable not in allowed:
            raise ValueError(f"{name} has no {consumable!r} counter; it has: {', '.join(allowed) or 'none'}")
        if slot.device is not None:
            self._sync_consumables(slot)  # fold in what was printed so far, then zero
        before = self._counters.reset(name, consumable, datetime.fromtimestamp(self.clock(), UTC))
        self._record("reset_counter", name, consumable=consumable, before=before)
        return before

    # -- ports and logs ------------------------------------------------------------------------------
    def ports(self) -> list[PortInfo]:
        self._check_session()
        configured = {n: s.settings.url for n, s in self._slots.items()}
        found = discover_ports(configured, comports=self._comports) if self._comports else discover_ports(configured)
        self._record("ports", "", found=len(found))
        return found

    def recent_logs(self, hours: float, limit: int = 500) -> list[dict[str, Any]]:
        self._check_session()
        entries = logs.recent_entries(self.home, hours, limit)
        self._record("view_logs", "", hours=hours, lines=len(entries))
        return entries

    def export_logs(self, hours: float, out: Path) -> logs.LogExport:
        self._check_session()
        result = logs.export_logs(self.home, hours, out)
        self._record("export_logs", str(out), hours=hours, lines=result.lines, compressed=result.compressed)
        return result

    # -- out of service ------------------------------------------------------------------------------
    def out_of_service(self) -> dict[str, dict[str, Any]]:
        self._check_session()
        return outofservice.load_out_of_service_records(self.home)

    def set_out_of_service(self, target: str, reason: str) -> str:
        self._check_session()
        moment = datetime.fromtimestamp(self.clock(), UTC)
        stored = outofservice.set_out_of_service(self.home, target, reason, self.actor, moment)
        self._record("out_of_service", target, reason=stored)
        return stored

    def clear_out_of_service(self, target: str) -> bool:
        self._check_session()
        was_out = outofservice.clear_out_of_service(self.home, target)
        self._record("back_in_service", target, was_out=was_out)
        return was_out
