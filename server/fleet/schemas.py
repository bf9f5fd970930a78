"""Request bodies of the fleet API (pydantic 2), every field bounded: lengths, list and map sizes,
integer ranges (within 2**53, what any JSON reader keeps exactly), finite numbers only. Whatever a
kiosk reports is stored in these shapes and nothing larger. Responses are plain JSON built by the routes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_INT = 2**53
Name = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
ShortText = Annotated[str, StringConstraints(max_length=200)]
Scalar = (
    Annotated[str, StringConstraints(max_length=200)]
    | Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
    | float
    | bool
    | None
)
Base64Key = Annotated[str, StringConstraints(min_length=44, max_length=44, pattern=r"^[A-Za-z0-9+/]{43}=$")]
Base64Signature = Annotated[str, StringConstraints(min_length=88, max_length=88, pattern=r"^[A-Za-z0-9+/]{86}==$")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class TokenRequest(_Body):
    kiosk_id: Name | None = None
    group: Name | None = None
    channels: list[Name] = Field(default_factory=list, max_length=32)  # assigned by the admin, never the kiosk
    label: str = Field(default="", max_length=200)
    expires_in_s: int | None = Field(default=None, gt=0, le=90 * 24 * 3600)


class EnrolRequest(_Body):
    token: str = Field(min_length=16, max_length=200)
    kiosk_id: Name
    channels: list[Name] = Field(default_factory=list, max_length=32)  # recorded as reported, never used
    software_version: str | None = Field(default=None, max_length=64)


class DeviceInfo(_Body):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)  # fields a newer kiosk adds are dropped
    name: str = Field(min_length=1, max_length=64)
    kind: str = Field(min_length=1, max_length=32)
    model: str | None = Field(default=None, max_length=64)
    serial: str | None = Field(default=None, max_length=64)
    firmware: str | None = Field(default=None, max_length=64)


class InventoryRequest(_Body):
    software_version: str = Field(min_length=1, max_length=64)
    devices: list[DeviceInfo] = Field(default_factory=list, max_length=64)
    channels: list[Name] | None = Field(default=None, max_length=32)  # the trust root's, as reported
    device_public_key: Base64Key | None = None  # raw Ed25519 key that signs the kiosk's audit heads


class DeviceState(_Body):
    state: str = Field(min_length=1, max_length=32)
    detail: dict[Annotated[str, StringConstraints(min_length=1, max_length=32)], Scalar] = Field(
        default_factory=dict, max_length=32
    )
    last_error: str | None = Field(default=None, max_length=200)


class AuditHead(_Body):
    """The kiosk's signed audit-log head: Ed25519 over canonical JSON {type, kiosk_id, seq, hash}."""

    seq: Count
    hash: Sha256
    key_id: str = Field(min_length=1, max_length=128)
    signature: Base64Signature


class HeartbeatRequest(_Body):
    device_states: dict[Name, DeviceState] = Field(default_factory=dict, max_length=32)
    availability: dict[Name, bool] = Field(default_factory=dict, max_length=32)
    audit_head: AuditHead | None = None


class ReportRequest(_Body):
    status: Literal["pending", "applied", "rejected", "rolled_back"]
    version: Count | None = None
    sha256: Sha256 | None = None
    reason: str | None = Field(default=None, max_length=32)
    message: str = Field(default="", max_length=500)
    running_version: Count | None = None
    running_sha256: Sha256 | None = None


class AssignmentRequest(_Body):
    document_id: Id
    target_kind: Literal["kiosk", "group", "channel"]
    target: Name


class BatchSpec(_Body):
    group: Name | None = None
    kiosks: list[Name] | None = Field(default=None, min_length=1, max_length=10_000)


class RolloutRequest(_Body):
    document_id: Id
    batches: list[BatchSpec] = Field(min_length=1, max_length=100)
    success_threshold: float = Field(default=1.0, gt=0, le=1)
    error_threshold: float = Field(default=0.0, ge=0, lt=1)
    start: bool = True


class KioskUpdate(_Body):
    group: Name | None = None
    channels: list[Name] | None = Field(default=None, max_length=32)
    label: str | None = Field(default=None, max_length=200)
    reset_device_key: bool = False  # a replaced kiosk PC: forget its device key and audit anchor
