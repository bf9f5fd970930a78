"""The package download: in the background, resumable, and checked before anything else touches it.

downloads/SHA.part grows by appending what the server sends (a Range request resumes it after a dropped
connection or a restart); it never grows beyond the size the signed release names. Once it has exactly that
size its SHA-256 is compared with the release's, and only then is it renamed to downloads/SHA.deb. A part
that turns out wrong is deleted, so the next try starts clean.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from kiosk.fleet.client import FleetUnavailable
from kiosk.update.channel import ReleaseChannel
from kiosk.update.release import PackageRef

log = logging.getLogger(__name__)
SYNC_EVERY = 8 * 1024 * 1024  # fsync the part this often, so a power cut loses little


class PackageMismatch(ValueError):
    """The downloaded bytes are not the package the signed release names (size or SHA-256)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # package_size_mismatch | package_hash_mismatch (reported to the fleet)


class DownloadStopped(Exception):
    """The kiosk is shutting down; the part is kept for the next start."""


@dataclass(frozen=True)
class Downloaded:
    path: Path
    resumed_from: int
    fetched: int


def downloads_dir(update_dir: Path) -> Path:
    return update_dir / "downloads"


def part_path(update_dir: Path, package: PackageRef) -> Path:
    return downloads_dir(update_dir) / f"{package.sha256}.part"


def final_path(update_dir: Path, package: PackageRef) -> Path:
    return downloads_dir(update_dir) / f"{package.sha256}.deb"


def file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            hasher.update(chunk)
    return hasher.hexdigest()


def remove_other_downloads(update_dir: Path, keep: PackageRef | None) -> int:
    """Downloads of other releases (superseded, or done with): removed; returns how many."""
    removed = 0
    directory = downloads_dir(update_dir)
    if not directory.is_dir():
        return 0
    for path in directory.iterdir():
        if keep is None or not path.name.startswith(keep.sha256):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _append(part: Path, channel: ReleaseChannel, package: PackageRef, stop: threading.Event) -> int:
    offset = part.stat().st_size if part.exists() else 0
    with channel.package(package.sha256, offset) as stream:
        if stream.total is not None and stream.total != package.size:
            raise PackageMismatch("package_size_mismatch", f"the server's file has {stream.total} bytes, "
                                  f"the release names {package.size}")  # fmt: skip
        if stream.start != offset:  # the server sent the whole file: start over
            log.info("package server ignored the range; downloading from the start")
            offset = 0
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if offset == 0 else 0), 0o600)
        try:
            os.lseek(fd, offset, os.SEEK_SET)
            unsynced = 0
            for chunk in stream.chunks:
                if stop.is_set():
                    raise DownloadStopped("shutting down")
                if offset + len(chunk) > package.size:
                    raise PackageMismatch("package_size_mismatch", f"the server sends more than {package.size} bytes")
                os.write(fd, chunk)
                offset += len(chunk)
                unsynced += len(chunk)
                if unsynced >= SYNC_EVERY:
                    os.fsync(fd)
                    unsynced = 0
            os.fsync(fd)
        finally:
            os.close(fd)
    return offset


def download_package(
    update_dir: Path, channel: ReleaseChannel, package: PackageRef, stop: threading.Event | None = None
) -> Downloaded:
    """Fetch (or finish fetching) the package; raises FleetUnavailable (part kept), PackageMismatch (part
    deleted) or DownloadStopped (part kept)."""
    final = final_path(update_dir, package)
    if final.exists() and final.stat().st_size == package.size:
        return Downloaded(final, package.size, 0)
    downloads_dir(update_dir).mkdir(parents=True, exist_ok=True)
    part = part_path(update_dir, package)
    before = part.stat().st_size if part.exists() else 0
    if before > package.size:
        part.unlink()
        before = 0
    try:
        size = before if before == package.size else _append(part, channel, package, stop or threading.Event())
        if size < package.size:  # the stream ended early: keep the part, resume at the next try
            raise FleetUnavailable(f"download incomplete: {size} of {package.size} bytes")
        digest = file_sha256(part)
        if digest != package.sha256:
            raise PackageMismatch("package_hash_mismatch", f"SHA-256 {digest[:16]}... is not the release's")
    except PackageMismatch:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, final)
    return Downloaded(final, before, package.size - before)
