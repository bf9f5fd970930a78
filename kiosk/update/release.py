"""A software release: a signed document like the configuration (same envelope, same threshold of trusted
Ed25519 keys, kiosk.trust's acceptance rules) whose payload names the package the fleet server serves.

    {"signed": {"type": "kiosk-software", "version": 7, "expires": ..., "channels": ["county"],
                "schema_version": 1,
                "payload": {"software_version": "0.2.0", "min_config_schema": 1,
                            "package": {"filename": "police-kiosk_0.2.0_amd64.deb", "sha256": "...", "size": 123},
                            "allow_downgrade": false}},
     "signatures": [...]}

On top of kiosk.trust's rules (signatures, type, addressing, envelope version floor, expiry) a kiosk refuses a
release that needs a newer configuration schema than it runs (schema_invalid), or whose software is older than
the committed one unless the signed payload says allow_downgrade (rollback).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.home import KioskHome
from kiosk.trust.envelope import SignedDocument
from kiosk.trust.errors import ConfigRejected, Reason
from kiosk.trust.policy import Floor, evaluate
from kiosk.trust.root import load_trust_root

RELEASE_TYPE = "kiosk-software"
RELEASE_SCHEMA_VERSION = 1
MAX_PACKAGE_BYTES = 4 * 1024**3
_VERSION = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$")


def parse_version(text: str) -> tuple[int, int, int]:
    """'0.2.10' -> (0, 2, 10); ValueError for anything but three plain numbers."""
    match = _VERSION.match(text)
    if match is None:
        raise ValueError(f"software version {text!r} is not MAJOR.MINOR.PATCH")
    return int(match[1]), int(match[2]), int(match[3])


class PackageRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    filename: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._+~-]{0,199}\.deb$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(gt=0, le=MAX_PACKAGE_BYTES)


class ReleasePayload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    software_version: str = Field(pattern=_VERSION.pattern)
    package: PackageRef
    min_config_schema: int = Field(default=1, ge=1, le=1000)
    allow_downgrade: bool = False  # a signed permission to go below the committed software version
    notes: str = Field(default="", max_length=500)


@dataclass(frozen=True)
class Release:
    doc: SignedDocument
    payload: ReleasePayload
    noop: bool  # the exact release document already accepted

    @property
    def software_version(self) -> str:
        return self.payload.software_version

    @property
    def version(self) -> int:
        return self.doc.version

    @property
    def sha256(self) -> str:
        return self.doc.sha256


def parse_payload(payload: dict[str, Any]) -> ReleasePayload:
    try:
        return ReleasePayload.model_validate(payload)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise ConfigRejected(Reason.SCHEMA_INVALID, f"release payload at {where}: {first['msg']}") from error


def accept_release(
    home: KioskHome,
    raw: bytes,
    *,
    floor: Floor,
    committed_version: str,
    config_schema: int,
    now: datetime | None = None,
) -> Release:
    """Verify a release document against this kiosk's trust root; raise ConfigRejected with a stable reason."""
    root = load_trust_root(home)
    decision = evaluate(
        raw,
        expected_type=RELEASE_TYPE,
        trusted=root.keys,
        threshold=root.threshold,
        kiosk_id=root.kiosk_id,
        channels=root.channels,
        floor=floor,
        now=now,
    )
    doc = decision.doc
    if doc.schema_version != RELEASE_SCHEMA_VERSION:
        raise ConfigRejected(Reason.SCHEMA_INVALID, f"release schema_version {doc.schema_version} is not supported")
    payload = parse_payload(doc.payload)
    if decision.noop:
        return Release(doc, payload, noop=True)
    if payload.min_config_schema > config_schema:
        raise ConfigRejected(Reason.SCHEMA_INVALID, f"software {payload.software_version} needs configuration schema "
                             f"{payload.min_config_schema}; this kiosk runs {config_schema}")  # fmt: skip
    if parse_version(payload.software_version) < parse_version(committed_version) and not payload.allow_downgrade:
        raise ConfigRejected(Reason.ROLLBACK, f"software {payload.software_version} is older than the committed "
                             f"{committed_version} and the release does not allow a downgrade")  # fmt: skip
    return Release(doc, payload, noop=False)
