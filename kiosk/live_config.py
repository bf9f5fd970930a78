"""Apply a newly accepted configuration to the running kiosk without a restart, where that is safe.

    configurator = LiveConfigurator(LivePorts(...))  # built by the composition root
    change = configurator.apply(new_config)          # off the GUI thread: it may open devices and ask the backend

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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from kiosk.backend.client import BackendClient
from kiosk.config import KioskConfig
from kiosk.device_set import DeviceSet
from kiosk.face import FaceQualityChecker, FaceThresholds, create_verifier
from kiosk.flows.context import ServiceContext

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


@dataclass(frozen=True)
class LivePorts:
    """What a live change needs of the running kiosk (the composition root binds these)."""

    context: Callable[[], ServiceContext]  # the context the next flow will start with
    install: Callable[[ServiceContext], None]  # put a new context (config, backend, face checks) in force
    devices: DeviceSet
    visit_in_progress: Callable[[], bool]  # an unfinished journal order, or a flow on screen
    refresh_health: Callable[[], bool]


class LiveConfigurator:
    """Applies configurations to the running kiosk. Call from one thread at a time (the fleet service's)."""

    def __init__(self, ports: LivePorts) -> None:
        self.ports = ports

    def apply(self, new_config: KioskConfig) -> LiveChange:
        ports = self.ports
        running = ports.context().config
        target, restart = running_config(running, new_config)
        paths = changed_paths(running, target)
        if not paths:
            return LiveChange("unchanged", restart_required=tuple(restart))
        device_names = [path.split(".", 1)[1] for path in paths if path.startswith("devices.")]
        if device_names and ports.visit_in_progress():
            log.info("configuration change deferred: devices %s change while a citizen is mid-way", device_names)
            return LiveChange("deferred", restart_required=tuple(restart), reason="citizen_busy")
        backend_rebuilt = any(path.startswith("backend.") for path in paths)
        self._swap_context(target, backend_rebuilt, any(path.startswith("face.") for path in paths))
        swap = ports.devices.swap(running, target, device_names) if device_names else None
        if backend_rebuilt:
            ports.refresh_health()  # the cached answer was about the old client
        log.info("configuration applied live: %s; restart needed for: %s", paths, restart or "nothing")
        return LiveChange("applied", tuple(paths), tuple(restart), tuple(swap.reopened if swap else ()),
                          tuple(swap.closed if swap else ()), tuple(swap.failed if swap else ()),
                          backend_rebuilt)  # fmt: skip

    # -- the context flows read ------------------------------------------------------------------------
    def _swap_context(self, config: KioskConfig, rebuild_backend: bool, face_changed: bool) -> None:
        context = self.ports.context()
        backend = BackendClient.from_kiosk_config(config) if rebuild_backend else context.backend
        quality, verifier = context.quality, context.verifier
        if face_changed:
            quality = FaceQualityChecker(FaceThresholds.from_config(config.face), detector=context.quality.detector)
        if face_changed or rebuild_backend:
            verifier = create_verifier(config.face, backend)
        # A new context object: running flows hold the old one and finish with the config they started with.
        self.ports.install(dataclasses.replace(context, config=config, backend=backend, quality=quality,
                                               verifier=verifier))  # fmt: skip
        if backend is not context.backend:
            # Only drops pooled connections: a flow still holding the old client reconnects on its next call.
            context.backend.close()
