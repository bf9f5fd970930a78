"""Ed25519 keys: generation, the on-disk forms, and key ids.

A public key travels as the base64 of its 32 raw bytes (a one-line .pub file or the string itself); the
key id is the hex of the first 16 bytes of SHA-256 over those raw bytes. Private keys are unencrypted
PKCS#8 PEM files readable by their owner only (mode 0600): they live on the admins' signing machines,
never on a kiosk.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

RAW_KEY_BYTES = 32
KEYID_BYTES = 16


def raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def keyid(public_key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public_bytes(public_key)).digest()[:KEYID_BYTES].hex()


def public_key_b64(public_key: Ed25519PublicKey) -> str:
    return base64.b64encode(raw_public_bytes(public_key)).decode("ascii")


def public_key_from_b64(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"not base64: {error}") from error
    if len(raw) != RAW_KEY_BYTES:
        raise ValueError(f"an Ed25519 public key has {RAW_KEY_BYTES} bytes, got {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def parse_public_key(value: str) -> Ed25519PublicKey:
    """A key given on a command line: a path to a .pub (base64) or PEM file, or the base64 string itself."""
    path = Path(value).expanduser()
    if path.is_file():
        data = path.read_bytes()
        if data.lstrip().startswith(b"-----BEGIN"):
            try:
                key = serialization.load_pem_public_key(data)
            except (ValueError, UnsupportedAlgorithm) as error:
                raise ValueError(f"{path}: not a PEM public key: {error}") from error
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError(f"{path}: not an Ed25519 public key")
            return key
        try:
            return public_key_from_b64(data.decode("ascii", errors="replace"))
        except ValueError as error:
            raise ValueError(f"{path}: {error}") from error
    return public_key_from_b64(value)


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise ValueError(f"{path}: not an unencrypted PEM private key: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 private key")
    return key


def write_key_pair(out_dir: Path, name: str = "admin") -> tuple[Path, Path]:
    """Write NAME.key (PEM, 0600, never overwritten) and NAME.pub (base64 raw key) into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    private_path, public_path = out_dir / f"{name}.key", out_dir / f"{name}.pub"
    for path in (private_path, public_path):
        if path.exists():
            raise FileExistsError(f"{path} already exists; refusing to overwrite a key")
    private_key = generate_private_key()
    # Created with 0600 from the first byte (O_EXCL, explicit mode), not chmod-ed afterwards.
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_key_pem(private_key))
    os.chmod(private_path, 0o600)  # the umask can only remove bits; make the mode exact regardless
    public_path.write_text(public_key_b64(private_key.public_key()) + "\n", encoding="ascii")
    return private_path, public_path
