"""The kiosk's secrets: one owner-only file (config/secrets.json, mode 0600), never part of a signed
configuration, never printed - `kiosk config show` prints a fingerprint instead.

    {"format": 1, "backend.kiosk_key": "..."}
set_secret(home, name, value) writes it (atomically, 0600); with_secrets(home, config) puts the values
into a configuration read from a document (kiosk.trust.startup and read_active do this).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.home import KioskHome
from kiosk.trust.atomic import atomic_write_bytes, exclusive_lock
from kiosk.trust.errors import TrustError

SECRET_NAMES = ("backend.kiosk_key",)  # dotted config paths a secret fills
MAX_SECRET_CHARS = 256
FORMAT = 1


class SecretError(TrustError):
    """An unknown secret name, a value that cannot be stored, or an unreadable secrets file."""


def secrets_file(home: KioskHome) -> Path:
    return home.config_dir / "secrets.json"


def load_secrets(home: KioskHome) -> dict[str, str]:
    path = secrets_file(home)
    try:
        data = json.loads(path.read_bytes()[: 64 * 1024])
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise SecretError(f"secrets file {path} is unreadable: {type(error).__name__}") from error
    if not isinstance(data, dict):
        raise SecretError(f"secrets file {path} is not an object")
    return {name: value for name, value in data.items() if name in SECRET_NAMES and isinstance(value, str)}


def set_secret(home: KioskHome, name: str, value: str) -> str:
    """Store one secret (an empty value removes it); returns its fingerprint."""
    if name not in SECRET_NAMES:
        raise SecretError(f"unknown secret {name!r}; known: {', '.join(SECRET_NAMES)}")
    if len(value) > MAX_SECRET_CHARS or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise SecretError(f"a secret is at most {MAX_SECRET_CHARS} printable characters")
    home.config_dir.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(home.config_dir / ".secrets.lock"):
        current = load_secrets(home)
        if value:
            current[name] = value
        else:
            current.pop(name, None)
        body = json.dumps({"format": FORMAT, **current}, indent=2, sort_keys=True) + "\n"
        atomic_write_bytes(secrets_file(home), body.encode("utf-8"), mode=0o600)
    return fingerprint(value)


def fingerprint(value: str) -> str:
    """What may be shown of a secret: the first 8 hex digits of its SHA-256 ("-" when unset)."""
    return f"sha256:{hashlib.sha256(value.encode('utf-8')).hexdigest()[:8]}" if value else "-"


def with_secrets(config: KioskConfig, secrets: dict[str, str]) -> KioskConfig:
    key = secrets.get("backend.kiosk_key")
    if not key:
        return config
    return config.model_copy(update={"backend": config.backend.model_copy(update={"kiosk_key": key})})
