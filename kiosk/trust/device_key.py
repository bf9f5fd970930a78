"""The kiosk's own Ed25519 key: it signs the audit log's head, so a cut-off tail is caught by the kiosk
and by the fleet server (which learns the public key from the kiosk's inventory).

    device/device.key   PKCS#8 PEM, mode 0600, created once (O_EXCL) at `kiosk config init` or the
                        first enrolment, never overwritten
    device/device.pub   base64 of the raw public key (what the inventory sends)
The key never leaves the data home and signs nothing but audit heads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.home import KioskHome
from kiosk.trust.atomic import atomic_write_bytes, exclusive_lock, fsync_directory
from kiosk.trust.keys import generate_private_key, keyid, load_private_key, private_key_pem, public_key_b64


@dataclass(frozen=True)
class DeviceKey:
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        return keyid(self.public_key)

    @property
    def public_b64(self) -> str:
        return public_key_b64(self.public_key)


def device_dir(home: KioskHome) -> Path:
    return home.root / "device"


def device_key_file(home: KioskHome) -> Path:
    return device_dir(home) / "device.key"


def load_device_key(home: KioskHome) -> DeviceKey | None:
    """The device key, or None before it was created. Raises ValueError when the file is damaged."""
    path = device_key_file(home)
    if not path.exists():
        return None
    return DeviceKey(load_private_key(path))


def ensure_device_key(home: KioskHome) -> tuple[DeviceKey, bool]:
    """The device key, created on first call (returns it and whether it was created now)."""
    directory = device_dir(home)
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    with exclusive_lock(directory / ".key.lock"):
        existing = load_device_key(home)
        if existing is not None:
            return existing, False
        key = generate_private_key()
        fd = os.open(device_key_file(home), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(private_key_pem(key))
            handle.flush()
            os.fsync(handle.fileno())
        fsync_directory(directory)
        atomic_write_bytes(directory / "device.pub", (public_key_b64(key.public_key()) + "\n").encode("ascii"))
    return DeviceKey(key), True
