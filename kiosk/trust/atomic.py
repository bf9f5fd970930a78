"""Crash-safe file replacement: a reader sees the old file or the new one, never a mix.

write temp in the same directory -> fsync it -> os.replace over the target -> fsync the directory (so the
rename itself survives power loss). A failure at any step removes the temp file and leaves the target as it
was.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


def fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data` (owner-only by default: configuration and state are nobody else's)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_directory(path.parent)


def remove_stale_temps(directory: Path) -> None:
    """Temp files left by a writer that died mid-write (call under exclusive_lock only)."""
    for stale in directory.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def atomic_unlink(path: Path) -> None:
    """Remove a file (if present) durably."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    fsync_directory(path.parent)


@contextlib.contextmanager
def exclusive_lock(lock_path: Path) -> Iterator[None]:
    """Serialise appliers (the agent and a technician's CLI) on one data dir; released on process death."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock
