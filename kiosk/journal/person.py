"""A keyed hash of the ID number, so the same person can be counted without storing the number.

HMAC-SHA256 under a random per-kiosk secret kept in the data directory: without the secret the 18-digit
number cannot be recovered by brute force over the (small) space of valid ID numbers.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_BYTES = 32
SECRET_FILE_NAME = "journal.secret"


class PersonHasher:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the person-hash secret must be at least 16 bytes")
        self._secret = bytes(secret)

    def __repr__(self) -> str:  # never show the secret
        return "PersonHasher(<secret>)"

    def hash_id_number(self, id_number: str) -> str:
        normalised = id_number.strip().upper().encode("ascii")
        return hmac.new(self._secret, normalised, hashlib.sha256).hexdigest()


def load_or_create_secret(path: Path) -> bytes:
    """The kiosk's secret at `path`, created once (0600, complete or absent) when missing."""
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        secret = b""
    if len(secret) >= SECRET_BYTES:
        return secret[:SECRET_BYTES]
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(SECRET_BYTES)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, secret)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temp, path)  # fails if another process created the secret first: theirs wins
    except FileExistsError:
        secret = path.read_bytes()[:SECRET_BYTES]
    finally:
        os.unlink(temp)
    _fsync_directory(path.parent)
    return secret


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets a directory be opened
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
