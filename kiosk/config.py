"""The kiosk's configuration, typed and declared in one place, with the bounds of every value.

Loaded once by the composition root and passed down. The same schema validates the payload of signed
configuration documents pushed by the fleet server, so an invalid payload is refused before it is applied.

parse_config(data, home=...) is the trust boundary (a file, a signed payload): on top of each field's
bounds it refuses file references outside the data home, secrets (backend.kiosk_key lives in the 0600
secrets file, kiosk.trust.secrets), and time-outs that are not positive (contracts.config_rules). Models
built in Python (the demo, tests) get the field bounds and URL rules only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from contracts import config_rules
from contracts.config_rules import RuleViolation
from devices.registry import DeviceSettings
from kiosk.services import SERVICES

SCHEMA_VERSION = 1
KIOSK_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"  # the fleet server's Name
Label = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]+$")]
TextKey = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]
Text = Annotated[str, StringConstraints(max_length=2000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _boundary(info: ValidationInfo) -> dict[str, Any] | None:
    """The parse_config context when validating a file or a document; None for models built in Python."""
    return info.context if isinstance(info.context, dict) and info.context.get("boundary") else None


class DeviceConfig(_Strict):
    kind: Literal[
        "idcard", "receipt_printer", "document_printer", "card_printer", "camera", "permit_reader", "rewritable_printer"
    ]
    url: str = Field(min_length=1, max_length=512)
    baudrate: int = Field(default=115200, ge=300, le=4_000_000)
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _device_url(cls, url: str) -> str:
        return config_rules.check_device_url(url, "url")

    @model_validator(mode="after")
    def _file_options(self, info: ValidationInfo) -> Self:
        boundary = _boundary(info)
        if boundary is not None:
            config_rules.check_option_paths(self.options, boundary.get("home"), "options")
        return self


class BackendConfig(_Strict):
    url: str = "http://127.0.0.1:8750"  # https, or http to loopback (the embedded sandbox)
    kiosk_key: str = Field(default="", max_length=256)  # from the secrets file; never in a signed document
    ca_file: str | None = None  # private CA to pin (verify=ca.pem); inside the data home
    connect_timeout_s: float = Field(default=3.0, gt=0, le=60)
    read_timeout_s: float = Field(default=10.0, gt=0, le=300)
    retries: int = Field(default=3, ge=0, le=10)

    @field_validator("url")
    @classmethod
    def _remote_url(cls, url: str) -> str:
        return config_rules.check_remote_url(url, "url")

    @field_validator("kiosk_key")
    @classmethod
    def _no_secret(cls, key: str, info: ValidationInfo) -> str:
        if key and _boundary(info) is not None:
            raise ValueError("secrets never travel in a configuration: `kiosk config set-secret backend.kiosk_key`")
        return key

    @field_validator("ca_file")
    @classmethod
    def _ca_in_home(cls, path: str | None, info: ValidationInfo) -> str | None:
        boundary = _boundary(info)
        if path is None or boundary is None:
            return path
        home = boundary.get("home")
        if home is None:
            raise RuleViolation("outside_home", "ca_file: file references need the data home to check them")
        return config_rules.check_local_path(path, home, "ca_file")


def _services_model() -> type[BaseModel]:
    """services.NAME for every service in the registry, each validated by the service's own settings model."""
    fields: dict[str, Any] = {spec.name: (spec.settings, spec.settings()) for spec in SERVICES}
    return create_model("ServicesConfig", __base__=_Strict, **fields)


ServicesConfig = _services_model()


class SessionConfig(_Strict):
    idle_timeout_s: int = Field(default=60, ge=30, le=120)
    warning_s: int = Field(default=20, ge=20, le=60)
    payment_timeout_s: int = Field(default=180, ge=30, le=900)

    @model_validator(mode="after")
    def _warning_within_idle(self) -> Self:
        if self.warning_s >= self.idle_timeout_s:
            raise ValueError("warning_s must be shorter than idle_timeout_s")
        return self


class UiConfig(_Strict):
    language: Literal["zh", "en"] = "zh"
    orientation: Literal["portrait", "landscape"] = "portrait"
    screen_dpi: float = Field(default=96.0, ge=50, le=600)
    fullscreen: bool = False
    voice: bool = True
    texts: dict[TextKey, Text] = Field(default_factory=dict, max_length=1000)  # overrides of prompt texts by key


class FaceConfig(_Strict):
    verifier: Literal["backend", "local"] = "backend"
    # The local verifier's (the backend decides its own): faceengine's score, 0.5 = dlib's 0.6 embedding distance.
    # Below 0.4 (distance 0.72) strangers match; above 0.95 nobody does.
    match_threshold: float = Field(default=0.5, ge=0.4, le=0.95)
    max_attempts: int = Field(default=3, ge=1, le=10)  # comparisons before the citizen is referred to staff
    min_face_fraction: float = Field(default=0.12, ge=0.03, lt=1)  # face width / frame width
    max_face_fraction: float = Field(default=0.55, gt=0, le=1)
    max_centre_offset: float = Field(default=0.25, gt=0, lt=1)
    min_brightness: float = Field(default=50, ge=0, le=255)
    max_brightness: float = Field(default=225, ge=0, le=255)
    min_sharpness: float = Field(default=40, ge=0, le=10_000)
    # Liveness (faceengine.liveness.LivenessSettings): challenges per attempt, seconds per attempt, attempts.
    liveness_challenges_per_attempt: int = Field(default=2, ge=1, le=3)
    liveness_time_budget_s: float = Field(default=6.0, gt=0, le=60)
    liveness_max_attempts: int = Field(default=3, ge=1, le=10)

    @model_validator(mode="after")
    def _ranges_not_empty(self) -> Self:
        if self.min_face_fraction >= self.max_face_fraction or self.min_brightness >= self.max_brightness:
            raise ValueError("each min_* must be below its max_*")
        return self


class TechnicianConfig(_Strict):
    idle_logout_s: int = Field(default=120, ge=30, le=600)  # an abandoned technician session closes
    allow_exit_app: bool = False  # the technician screen offers "exit app" only when this is set
    max_lockout_s: int = Field(default=900, ge=60, le=3600)  # the longest PIN back-off


class ApplianceConfig(_Strict):
    """Unattended operation on the kiosk PC (kiosk.appliance, kiosk.update). Times are the kiosk's local time."""

    quiet_hours: str = Field(default="02:00-05:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
    nightly_restart: bool = True  # once a night, in the quiet hours, when nobody is at the screen
    min_uptime_for_restart_h: float = Field(default=12.0, ge=1, le=24 * 14)
    updates_outside_quiet_hours: bool = False  # switch to a new software slot at any quiet moment
    update_health_window_s: float = Field(default=120.0, ge=10, le=3600)
    crash_loop_restarts: int = Field(default=5, ge=2, le=50)  # this many unplanned starts ...
    crash_loop_minutes: float = Field(default=10.0, gt=0, le=24 * 60)  # ... within this time = a crash loop
    disk_prune_below_mb: int = Field(default=1024, ge=50, le=10**6)  # under this: prune logs, downloads, old slots
    disk_stop_below_mb: int = Field(default=200, ge=20, le=10**6)  # still under this after pruning: out of service
    clock_max_jump_s: float = Field(default=120.0, ge=1, le=86400)  # wall clock moving against the monotonic one


class KioskConfig(_Strict):
    schema_version: int = Field(default=SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION)
    kiosk_id: str = Field(default="demo-kiosk-001", pattern=KIOSK_ID_PATTERN)
    site_name: Label = "智慧警务室（演示）"
    issuing_unit: Label = "演示市公安局"
    devices: dict[TextKey, DeviceConfig] = Field(default_factory=dict, max_length=32)
    backend: BackendConfig = BackendConfig()
    services: ServicesConfig = ServicesConfig()  # type: ignore[valid-type]
    session: SessionConfig = SessionConfig()
    ui: UiConfig = UiConfig()
    face: FaceConfig = FaceConfig()
    appliance: ApplianceConfig = ApplianceConfig()
    technician: TechnicianConfig = TechnicianConfig()

    @model_validator(mode="after")
    def _durations_positive(self, info: ValidationInfo) -> Self:
        if _boundary(info) is not None:  # services and device options included, whoever declared them
            config_rules.check_durations(self.model_dump(mode="python"))
        return self

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
        "permit": DeviceConfig(kind="permit_reader", url="pcsc://"),  # the virtual card behind pcscd (vpcd)
        "permit_printer": DeviceConfig(kind="rewritable_printer", url="sim://rewritable?instance=permit_printer"),
    }


def default_config() -> KioskConfig:
    return KioskConfig(devices=simulated_devices())


def document_payload(config: KioskConfig) -> dict[str, Any]:
    """What a signed document carries for `config`: everything but the kiosk id (each kiosk runs under its
    trust root's) and the secrets (the kiosk's own 0600 file)."""
    return config.model_dump(mode="json", exclude={"kiosk_id": True, "backend": {"kiosk_key"}})


def parse_config(data: Any, *, home: Path | None = None) -> KioskConfig:
    """Validate a configuration from a file or a signed payload; `home` is the data home's root, the only
    place file references may point to (without it, any file reference is refused). Raises ConfigError."""
    try:
        config_rules.check_structure(data)
        return KioskConfig.model_validate(data, context={"boundary": True, "home": home})
    except RuleViolation as violation:
        raise ConfigError(f"invalid configuration: {violation}") from violation
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise ConfigError(f"invalid configuration at {where}: {first['msg']}") from error


def load_config(path: Path) -> KioskConfig:
    """The payload of a configuration file, or the simulated default when there is none. It does NOT
    check signatures: `kiosk run` and the runtime use kiosk.trust.load_verified_config(home)."""
    if not path.exists():
        return default_config()
    try:
        data = config_rules.parse_document(path.read_bytes())
    except (OSError, RuleViolation) as error:
        raise ConfigError(f"cannot read configuration {path}: {error}") from error
    # A stored config may be a signed envelope; its payload is the configuration.
    if isinstance(data, dict) and "signed" in data and "signatures" in data:
        signed = data["signed"]
        data = signed.get("payload", {}) if isinstance(signed, dict) else None
    return parse_config(data, home=path.parent.parent)
