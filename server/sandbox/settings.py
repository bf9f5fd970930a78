"""Settings of one sandbox instance; every business figure that varies by city is here."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from server.guard.ratelimit import Rate

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")  # no daylight saving in China
DEFAULT_PHOTO_DIR = Path(__file__).parent / "data" / "photos"
DEMO_KIOSK_ID = "demo-kiosk-001"
DEMO_KIOSK_KEY = "demo-kiosk-001-sandbox-key"  # public on purpose: sandbox only
MIN_ADMIN_TOKEN_CHARS = 16
PUBLIC_RATE = Rate(burst=60, per_minute=60)  # unauthenticated routes (certificate checks, health), per address
SANDBOX_RATE = Rate(burst=600, per_minute=1200)  # the sandbox-mode controls (payer, faults, clock)
LOGIN_FAILURE_RATE = Rate(burst=20, per_minute=4)  # wrong kiosk keys or admin tokens a source may try


def write_admin_token_file(path: Path) -> Path:
    """A fresh random admin token in a 0600 file (kept when it exists): for the demo and local development."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secrets.token_urlsafe(32) + "\n")
    return path


def read_admin_token(path: Path) -> str:
    """The admin token from its file: not readable by others, 16+ characters (ValueError otherwise)."""
    mode = path.stat().st_mode
    if mode & 0o007:
        raise ValueError(f"{path} is accessible to other users: chmod 600 it")
    token = path.read_text(encoding="utf-8").strip()
    if len(token) < MIN_ADMIN_TOKEN_CHARS:
        raise ValueError(f"the admin token in {path} is shorter than {MIN_ADMIN_TOKEN_CHARS} characters")
    return token


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
    admin_token: str = ""  # empty: the admin API is off (set it from a file: admin_token_file / --admin-token-file)
    admin_token_file: Path | None = None
    face_threshold: float = 0.5  # faceengine.DEFAULT_THRESHOLD: dlib's 0.6 embedding distance
    verification_ttl_s: int = 900
    face_attempt_window_s: int = 900  # failed face comparisons are counted over this window
    face_failures_per_person: int = 5  # then that person's face checks are refused (429) for the window
    face_failures_per_kiosk: int = 20  # then that kiosk's face checks are refused (429) for the window
    idempotency_ttl_s: int = 24 * 3600  # stored answers (they hold personal data) are purged after this
    file_group: str | None = None  # SQLite file 0640 and new directories 0750 for this group (else 0600/0700)
    body_limit: int = 64 * 1024  # bytes; routes carrying a photo get image_body_limit
    image_body_limit: int = 2 * 1024 * 1024
    body_read_timeout_s: float = 30.0
    public_rate: Rate = PUBLIC_RATE
    sandbox_rate: Rate = SANDBOX_RATE
    login_failure_rate: Rate = LOGIN_FAILURE_RATE
    alert_after_failures: int = 5  # failed logins from one source in an hour -> a logged security alert
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
        if self.admin_token_file is not None and not self.admin_token:
            self.admin_token = read_admin_token(Path(self.admin_token_file))
        if self.admin_token and len(self.admin_token) < MIN_ADMIN_TOKEN_CHARS:
            raise ValueError(f"an admin token needs {MIN_ADMIN_TOKEN_CHARS}+ characters")
        if self.public_base_url is not None:
            self.public_base_url = check_public_base_url(self.public_base_url)

    @classmethod
    def from_env(cls, **overrides: object) -> SandboxSettings:
        """KIOSK_SANDBOX_DB, _PHOTO_DIR, _ADMIN_TOKEN_FILE, _FACE_THRESHOLD, _RECORD_CAP, _VERIFY_LIMIT, _PUBLIC_URL."""
        env = os.environ
        values: dict[str, object] = {}
        if "KIOSK_SANDBOX_DB" in env:
            values["db_url"] = env["KIOSK_SANDBOX_DB"]
        if "KIOSK_SANDBOX_PHOTO_DIR" in env:
            values["photo_dir"] = Path(env["KIOSK_SANDBOX_PHOTO_DIR"])
        if env.get("KIOSK_SANDBOX_ADMIN_TOKEN_FILE"):
            values["admin_token_file"] = Path(env["KIOSK_SANDBOX_ADMIN_TOKEN_FILE"])
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
