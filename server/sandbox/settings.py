"""Settings of one sandbox instance; every business figure that varies by city is here."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")  # no daylight saving in China
DEFAULT_PHOTO_DIR = Path(__file__).parent / "data" / "photos"
DEMO_KIOSK_ID = "demo-kiosk-001"
DEMO_KIOSK_KEY = "demo-kiosk-001-sandbox-key"  # public on purpose: sandbox only
DEFAULT_ADMIN_TOKEN = "sandbox-admin-token"


class InvalidSetting(ValueError):
    pass


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def check_public_base_url(url: str) -> str:
    """An absolute https URL without query or fragment (plain http only for a loopback host, in development)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise InvalidSetting(f"public_base_url must be an absolute https URL, got {url!r}")
    if parts.scheme != "https" and not _is_loopback(parts.hostname):
        raise InvalidSetting(f"public_base_url must use https outside loopback, got {url!r}")
    return url.strip().rstrip("/")


class Clock:
    """The server's clock; tests and the demo may pin it (PUT /api/v1/sandbox/clock)."""

    def __init__(self, fixed: dt.datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._fixed = fixed

    def set(self, fixed: dt.datetime | None) -> None:
        if fixed is not None and fixed.tzinfo is None:
            fixed = fixed.replace(tzinfo=dt.UTC)
        with self._lock:
            self._fixed = fixed

    def now(self) -> dt.datetime:
        with self._lock:
            return self._fixed or dt.datetime.now(dt.UTC)

    def utc_naive(self) -> dt.datetime:
        """For the database, which stores UTC without a zone."""
        return self.now().astimezone(dt.UTC).replace(tzinfo=None)

    def today(self) -> dt.date:
        """The business date, in China time."""
        return self.now().astimezone(CHINA_TZ).date()


@dataclass
class SandboxSettings:
    db_url: str = "sqlite:///sandbox.sqlite3"
    photo_dir: Path | None = DEFAULT_PHOTO_DIR
    sandbox_mode: bool = True  # fault injection, simulated payer and clock endpoints
    admin_token: str = DEFAULT_ADMIN_TOKEN
    face_threshold: float = 0.5  # faceengine.DEFAULT_THRESHOLD: dlib's 0.6 embedding distance
    verification_ttl_s: int = 900
    temp_id_fee_cents: int = 1000
    temp_id_validity_months: int = 3
    record_yearly_cap: int = 3  # 0 = no cap
    certificate_validity_days: int = 90
    certificate_verify_limit: int = 5
    traffic_max_single_fine_cents: int | None = None
    issuing_unit: str = "演示市公安局"
    endorsement_authority: str = "演示市公安局出入境管理支队"
    endorsement_wait_days: int = 60  # no repeat Hong Kong/Macao application within ~2 months [U: per city]
    endorsement_key_seed: str = "sandbox-endorsement-issuer-1"  # a sandbox's demo key; a real backend holds an HSM key
    area_code: str = "110105"  # prefix of document numbers
    # Where citizens' and employers' phones reach the public verify pages (the certificate's QR and printed
    # address). https in production; None: this server's own URL as the kiosk reaches it (development).
    public_base_url: str | None = None
    issue_seal: bool = True  # certificates carry the unit's electronic seal image
    seed_demo_data: bool = True
    clock: Clock = field(default_factory=Clock)

    def __post_init__(self) -> None:
        if self.public_base_url is not None:
            self.public_base_url = check_public_base_url(self.public_base_url)

    @classmethod
    def from_env(cls, **overrides: object) -> SandboxSettings:
        """KIOSK_SANDBOX_DB, _PHOTO_DIR, _ADMIN_TOKEN, _FACE_THRESHOLD, _RECORD_CAP, _VERIFY_LIMIT, _PUBLIC_URL."""
        env = os.environ
        values: dict[str, object] = {}
        if "KIOSK_SANDBOX_DB" in env:
            values["db_url"] = env["KIOSK_SANDBOX_DB"]
        if "KIOSK_SANDBOX_PHOTO_DIR" in env:
            values["photo_dir"] = Path(env["KIOSK_SANDBOX_PHOTO_DIR"])
        if "KIOSK_SANDBOX_ADMIN_TOKEN" in env:
            values["admin_token"] = env["KIOSK_SANDBOX_ADMIN_TOKEN"]
        if "KIOSK_SANDBOX_FACE_THRESHOLD" in env:
            values["face_threshold"] = float(env["KIOSK_SANDBOX_FACE_THRESHOLD"])
        if "KIOSK_SANDBOX_RECORD_CAP" in env:
            values["record_yearly_cap"] = int(env["KIOSK_SANDBOX_RECORD_CAP"])
        if "KIOSK_SANDBOX_PUBLIC_URL" in env:
            values["public_base_url"] = env["KIOSK_SANDBOX_PUBLIC_URL"]
        if "KIOSK_SANDBOX_VERIFY_LIMIT" in env:
            values["certificate_verify_limit"] = int(env["KIOSK_SANDBOX_VERIFY_LIMIT"])
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]
