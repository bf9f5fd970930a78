"""Request bodies of the fleet API (pydantic 2). Responses are plain JSON built by the routes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenRequest(_Body):
    kiosk_id: Name | None = None
    group: Name | None = None
    label: str = Field(default="", max_length=200)
    expires_in_s: int | None = Field(default=None, gt=0, le=90 * 24 * 3600)


class EnrolRequest(_Body):
    token: str = Field(min_length=16, max_length=200)
    kiosk_id: Name
    channels: list[Name] = Field(default_factory=list, max_length=32)
    software_version: str | None = Field(default=None, max_length=64)


class DeviceInfo(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str = Field(min_length=1, max_length=64)
    kind: str = Field(min_length=1, max_length=32)


class InventoryRequest(_Body):
    software_version: str = Field(min_length=1, max_length=64)
    devices: list[DeviceInfo] = Field(default_factory=list, max_length=64)
    channels: list[Name] | None = Field(default=None, max_length=32)


class HeartbeatRequest(_Body):
    device_states: dict[str, dict[str, Any]] = Field(default_factory=dict)
    availability: dict[str, bool] = Field(default_factory=dict)


class ReportRequest(_Body):
    status: Literal["pending", "applied", "rejected", "rolled_back"]
    version: int | None = Field(default=None, ge=0)
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    reason: str | None = Field(default=None, max_length=32)
    message: str = Field(default="", max_length=500)
    running_version: int | None = Field(default=None, ge=0)
    running_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class AssignmentRequest(_Body):
    document_id: int
    target_kind: Literal["kiosk", "group", "channel"]
    target: Name


class BatchSpec(_Body):
    group: Name | None = None
    kiosks: list[Name] | None = Field(default=None, min_length=1, max_length=100_000)


class RolloutRequest(_Body):
    document_id: int
    batches: list[BatchSpec] = Field(min_length=1, max_length=100)
    success_threshold: float = Field(default=1.0, gt=0, le=1)
    error_threshold: float = Field(default=0.0, ge=0, lt=1)
    start: bool = True


class KioskUpdate(_Body):
    group: Name | None = None
    label: str | None = Field(default=None, max_length=200)
