"""The kiosk's configuration, typed and declared in one place.

Loaded once by the composition root and passed down. The same schema validates the payload of signed
configuration documents pushed by the fleet server, so an invalid payload is refused before it is applied.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from devices.registry import DeviceSettings
from kiosk.services import SERVICES

SCHEMA_VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeviceConfig(_Strict):
    kind: Literal[
        "idcard", "receipt_printer", "document_printer", "card_printer", "camera", "permit_reader", "rewritable_printer"
    ]
    url: str = Field(min_length=1)
    baudrate: int = Field(default=115200, gt=0)
    options: dict[str, Any] = Field(default_factory=dict)


class BackendConfig(_Strict):
    url: str = "http://127.0.0.1:8750"
    kiosk_key: str = ""  # per-kiosk credential issued by the backend at enrolment
    ca_file: str | None = None  # private CA to pin (verify=ca.pem)
    connect_timeout_s: float = Field(default=3.0, gt=0)
    read_timeout_s: float = Field(default=10.0, gt=0)
    retries: int = Field(default=3, ge=0, le=10)


def _services_model() -> type[BaseModel]:
    """services.NAME for every service in the registry, each validated by the service's own settings model."""
    fields: dict[str, Any] = {spec.name: (spec.settings, spec.settings()) for spec in SERVICES}
    return create_model("ServicesConfig", __base__=_Strict, **fields)


ServicesConfig = _services_model()


class SessionConfig(_Strict):
    idle_timeout_s: int = Field(default=60, ge=30, le=120)
    warning_s: int = Field(default=20, ge=20, le=60)
    payment_timeout_s: int = Field(default=180, ge=30, le=900)


class UiConfig(_Strict):
    language: Literal["zh", "en"] = "zh"
    orientation: Literal["portrait", "landscape"] = "portrait"
    screen_dpi: float = Field(default=96.0, gt=0)
    fullscreen: bool = False
    voice: bool = True
    texts: dict[str, str] = Field(default_factory=dict)  # overrides of prompt texts by key


class FaceConfig(_Strict):
    verifier: Literal["backend", "local"] = "backend"
    # The local verifier's (the backend decides its own): faceengine's score, 0.5 = dlib's 0.6 embedding distance.
    match_threshold: float = Field(default=0.5, ge=0, le=1)
    max_attempts: int = Field(default=3, ge=1, le=10)  # comparisons before the citizen is referred to staff
    min_face_fraction: float = Field(default=0.12, gt=0, lt=1)  # face width / frame width
    max_face_fraction: float = Field(default=0.55, gt=0, le=1)
    max_centre_offset: float = Field(default=0.25, gt=0, lt=1)
    min_brightness: float = Field(default=50, ge=0, le=255)
    max_brightness: float = Field(default=225, ge=0, le=255)
    min_sharpness: float = Field(default=40, ge=0)
    # Liveness (faceengine.liveness.LivenessSettings): challenges per attempt, seconds per attempt, attempts.
    liveness_challenges_per_attempt: int = Field(default=2, ge=1, le=3)
    liveness_time_budget_s: float = Field(default=6.0, gt=0, le=60)
    liveness_max_attempts: int = Field(default=3, ge=1, le=10)


class ApplianceConfig(_Strict):
    """Unattended operation on the kiosk PC (kiosk.appliance, kiosk.update). Times are the kiosk's local time."""

    quiet_hours: str = Field(default="02:00-05:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
    nightly_restart: bool = True  # once a night, in the quiet hours, when nobody is at the screen
    min_uptime_for_restart_h: float = Field(default=12.0, ge=1, le=24 * 14)
    updates_outside_quiet_hours: bool = False  # switch to a new software slot at any quiet moment
    update_health_window_s: float = Field(default=120.0, ge=10, le=3600)
    crash_loop_restarts: int = Field(default=5, ge=2, le=50)  # this many unplanned starts ...
    crash_loop_minutes: float = Field(default=10.0, gt=0, le=24 * 60)  # ... within this time = a crash loop
    disk_prune_below_mb: int = Field(default=1024, ge=50)  # free space under this: prune logs, downloads, old slots
    disk_stop_below_mb: int = Field(default=200, ge=20)  # still under this after pruning: out of service
    clock_max_jump_s: float = Field(default=120.0, ge=1)  # wall clock moving this far against the monotonic one


class KioskConfig(_Strict):
    schema_version: int = SCHEMA_VERSION
    kiosk_id: str = "demo-kiosk-001"
    site_name: str = "智慧警务室（演示）"
    issuing_unit: str = "演示市公安局"
    devices: dict[str, DeviceConfig] = Field(default_factory=dict)
    backend: BackendConfig = BackendConfig()
    services: ServicesConfig = ServicesConfig()  # type: ignore[valid-type]
    session: SessionConfig = SessionConfig()
    ui: UiConfig = UiConfig()
    face: FaceConfig = FaceConfig()
    appliance: ApplianceConfig = ApplianceConfig()

    def device_settings(self) -> list[DeviceSettings]:
        return [
            DeviceSettings(name=name, kind=dev.kind, url=dev.url, baudrate=dev.baudrate, options=dev.options)
            for name, dev in self.devices.items()
        ]


class ConfigError(ValueError):
    """A configuration that cannot be used, with the reason in plain words."""


def simulated_devices() -> dict[str, DeviceConfig]:
    """The demo's device set: every device is a simulator speaking its real protocol."""
    return {
        "idcard": DeviceConfig(kind="idcard", url="sim://idcard?instance=idcard"),
        "receipt": DeviceConfig(kind="receipt_printer", url="sim://receipt?instance=receipt"),
        "a4": DeviceConfig(kind="document_printer", url="spool://a4"),
        "card": DeviceConfig(kind="card_printer", url="sim://cardprinter?instance=card"),
        "camera": DeviceConfig(kind="camera", url="simcam://demo"),
    }


def default_config() -> KioskConfig:
    return KioskConfig(devices=simulated_devices())


def parse_config(data: Any) -> KioskConfig:
    try:
        return KioskConfig.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise ConfigError(f"invalid configuration at {where}: {first['msg']}") from error


def load_config(path: Path) -> KioskConfig:
    """The active configuration, or the simulated default when none has been written yet."""
    if not path.exists():
        return default_config()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ConfigError(f"cannot read configuration {path}: {error}") from error
    # A stored config may be a signed envelope; its payload is the configuration.
    if isinstance(data, dict) and "signed" in data and "signatures" in data:
        data = data["signed"].get("payload", {})
    return parse_config(data)
