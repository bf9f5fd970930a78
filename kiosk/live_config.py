"""Apply a newly accepted configuration to the running kiosk without a restart, where that is safe.

    configurator = LiveConfigurator(runtime)
    change = configurator.apply(new_config)      # off the GUI thread: it may open devices and ask the backend

What changes live: ui.texts/language/voice, site texts, services.* (fees, on/off, purposes), session.*,
face.* (thresholds, attempts, verifier) and backend.* (the client is rebuilt). Device URLs/options close the
old device and open a new one in its place - never while a citizen is mid-way (an open journal order or a
running flow): then nothing at all is applied and the change says "deferred", to be retried. Fields the
running process cannot change (kiosk id, window geometry) keep their running value and are reported as
restart_required, so runtime.config always says what really runs.

Consistency: flows keep the ServiceContext they were started with (`self.ctx`), so the context is never
edited in place: a new one is built and swapped in. A flow already at the confirm step keeps its config
(payment time-out, purposes offered) and backend client; the next flow started gets the new ones.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from devices.registry import build_device
from kiosk.backend.client import BackendClient
from kiosk.config import KioskConfig
from kiosk.face import FaceQualityChecker, FaceThresholds, create_verifier
from kiosk.monitor import DeviceMonitor

if TYPE_CHECKING:
    from kiosk.runtime import KioskRuntime

log = logging.getLogger(__name__)

# The running process cannot take these: the journal, backend headers and trust root are bound to the
# kiosk id; the window's size and mode are fixed when it is created.
RESTART_FIELDS: tuple[str, ...] = ("schema_version", "kiosk_id", "ui.orientation", "ui.fullscreen", "ui.screen_dpi")


@dataclass(frozen=True)
class LiveChange:
    """What one apply did. status: unchanged | applied | deferred (nothing applied; retry later)."""

    status: Literal["unchanged", "applied", "deferred"]
    applied: tuple[str, ...] = ()  # dotted field paths now in force, e.g. "ui.texts", "devices.receipt"
    restart_required: tuple[str, ...] = ()  # paths that keep their running value until a restart
    reopened_devices: tuple[str, ...] = ()  # device names built and opened anew
    closed_devices: tuple[str, ...] = ()  # device names closed (removed or replaced)
    failed_devices: tuple[tuple[str, str], ...] = ()  # (name, why) for devices that could not be built
    backend_rebuilt: bool = False
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def changed_paths(old: BaseModel, new: BaseModel, prefix: str = "") -> list[str]:
    """Dotted paths of the leaf fields that differ; each device counts as one leaf ("devices.NAME")."""
    paths: list[str] = []
    for name in type(new).model_fields:
        before, after = getattr(old, name), getattr(new, name)
        path = f"{prefix}{name}"
        if isinstance(after, BaseModel) and isinstance(before, BaseModel):
            paths.extend(changed_paths(before, after, f"{path}."))
        elif path == "devices":
            names = sorted(set(before) | set(after))
            paths.extend(f"devices.{device}" for device in names if before.get(device) != after.get(device))
        elif before != after:
            paths.append(path)
    return paths


def _replace_path(model: BaseModel, path: str, value: Any) -> Any:
    head, _, rest = path.partition(".")
    if not rest:
        return model.model_copy(update={head: value})
    return model.model_copy(update={head: _replace_path(getattr(model, head), rest, value)})


def _read_path(model: Any, path: str) -> Any:
    for part in path.split("."):
        model = getattr(model, part)
    return model


def running_config(old: KioskConfig, new: KioskConfig) -> tuple[KioskConfig, list[str]]:
    """`new` with the restart-only fields kept at their running value, and the names of those fields."""
    pending = [path for path in RESTART_FIELDS if _read_path(old, path) != _read_path(new, path)]
    result = new
    for path in pending:
        result = _replace_path(result, path, _read_path(old, path))
    return result, pending


def citizen_busy(runtime: KioskRuntime) -> bool:
    """A citizen is mid-way: an unfinished journal order, or a flow on screen that has not finished."""
    return runtime.journal.open_transaction_count() > 0 or runtime.active_flow is not None


class LiveConfigurator:
    """Applies configurations to one runtime. Call from one thread at a time (the fleet service's)."""

    def __init__(self, runtime: KioskRuntime) -> None:
        self.runtime = runtime

    def apply(self, new_config: KioskConfig) -> LiveChange:
        runtime = self.runtime
        target, restart = running_config(runtime.config, new_config)
        paths = changed_paths(runtime.config, target)
        if not paths:
            return LiveChange("unchanged", restart_required=tuple(restart))
        device_names = [path.split(".", 1)[1] for path in paths if path.startswith("devices.")]
        if device_names and citizen_busy(runtime):
            log.info("configuration change deferred: devices %s change while a citizen is mid-way", device_names)
            return LiveChange("deferred", restart_required=tuple(restart), reason="citizen_busy")
        old_config = runtime.config
        backend_rebuilt = any(path.startswith("backend.") for path in paths)
        self._swap_context(target, backend_rebuilt, any(path.startswith("face.") for path in paths))
        reopened, closed, failed = (
            self._swap_devices(old_config, target, device_names) if device_names else ((), (), ())
        )
        if backend_rebuilt:
            runtime.refresh_health()  # the cached answer was about the old client
        log.info("configuration applied live: %s; restart needed for: %s", paths, restart or "nothing")
        return LiveChange("applied", tuple(paths), tuple(restart), tuple(reopened), tuple(closed), tuple(failed),
                          backend_rebuilt)  # fmt: skip

    # -- the context flows read ------------------------------------------------------------------------
    def _swap_context(self, config: KioskConfig, rebuild_backend: bool, face_changed: bool) -> None:
        runtime = self.runtime
        context = runtime.context
        backend = BackendClient.from_kiosk_config(config) if rebuild_backend else runtime.backend
        quality, verifier = context.quality, context.verifier
        if face_changed:
            quality = FaceQualityChecker(FaceThresholds.from_config(config.face), detector=runtime.quality.detector)
        if face_changed or rebuild_backend:
            verifier = create_verifier(config.face, backend)
        # A new context object: running flows hold the old one and finish with the config they started with.
        new_context = dataclasses.replace(context, config=config, backend=backend, quality=quality, verifier=verifier)
        old_backend = runtime.backend
        runtime.context, runtime.backend, runtime.quality, runtime.config = new_context, backend, quality, config
        if backend is not old_backend:
            # Only drops pooled connections: a flow still holding the old client reconnects on its next call.
            old_backend.close()

    # -- devices ---------------------------------------------------------------------------------------
    def _swap_devices(
        self, old: KioskConfig, new: KioskConfig, names: Iterable[str]
    ) -> tuple[list[str], list[str], list[tuple[str, str]]]:
        """Close the old device, open the new one in its place; the monitor is paused meanwhile so it never
        reopens a device that was just closed."""
        runtime = self.runtime
        monitor, runtime.monitor = runtime.monitor, None
        if monitor is not None:
            monitor.stop()
        reopened: list[str] = []
        closed: list[str] = []
        failed: list[tuple[str, str]] = []
        try:
            for name in names:
                if name in old.devices and self._close_device(name, old.devices[name].kind):
                    closed.append(name)
                if name in new.devices:
                    error = self._open_device(new, name)
                    if error:
                        failed.append((name, error))
                    else:
                        reopened.append(name)
        finally:
            if monitor is not None:
                runtime.monitor = DeviceMonitor(runtime.devices).start()
        return reopened, closed, failed

    def _close_device(self, name: str, kind: str) -> bool:
        device = self.runtime.devices.get(kind)
        if device is None or getattr(device, "name", name) != name:
            return False  # another device of this kind is the one in use
        del self.runtime.devices[kind]
        try:
            device.close()
        except Exception as error:  # a device that fails to close is gone either way
            log.warning("closing device %s failed: %s", name, type(error).__name__)
        return True

    def _open_device(self, config: KioskConfig, name: str) -> str | None:
        settings = next(s for s in config.device_settings() if s.name == name)
        try:
            device = build_device(settings)
        except (ValueError, ImportError) as error:
            log.error("device %s (%s) has no driver: %s", name, settings.kind, error)
            return str(error)
        device.open()  # never raises for a missing device: it shows in the status
        self.runtime.devices[settings.kind] = device
        return None
