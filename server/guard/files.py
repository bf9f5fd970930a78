"""Private files for the servers' data: a SQLite database (and the -wal/-shm files SQLite derives from
it, which copy its mode) is created 0600, or 0640 when a group is to read it, and a data directory
that has to be made is made 0700 (0750 with a group). An existing file that is readable by others is
tightened, never loosened.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy.engine import make_url


def _modes(group: str | None) -> tuple[int, int]:
    return (0o640, 0o750) if group else (0o600, 0o700)


def make_private_dir(path: Path, group: str | None = None) -> None:
    _, dir_mode = _modes(group)
    missing = [parent for parent in (path, *path.parents) if not parent.exists()]
    for directory in reversed(missing):
        directory.mkdir(mode=dir_mode)
        os.chmod(directory, dir_mode)  # mkdir's mode is filtered by the umask
        if group:
            shutil.chown(directory, group=group)


def make_private_file(path: Path, group: str | None = None) -> None:
    """Create `path` (empty) with the private mode, or tighten an existing one's mode."""
    file_mode, _ = _modes(group)
    make_private_dir(path.parent, group)
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW, file_mode)
    try:
        current = os.fstat(descriptor).st_mode & 0o777
        os.fchmod(descriptor, file_mode & current if current & ~file_mode == 0 else file_mode)
        if group:
            shutil.chown(path, group=group)
    finally:
        os.close(descriptor)
    for suffix in ("-wal", "-shm", "-journal"):  # created by an earlier run with a looser mode
        derived = path.with_name(path.name + suffix)
        if derived.exists():
            os.chmod(derived, file_mode)


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:"):
        return None  # URI filenames: the caller manages the file
    return Path(parsed.database)


def secure_database_file(url: str, group: str | None = None) -> None:
    path = sqlite_file(url)
    if path is not None:
        make_private_file(path, group)
