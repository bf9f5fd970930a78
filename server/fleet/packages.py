"""Software packages the fleet server serves to kiosks (the file a signed "kiosk-software" release names).

The server never trusts a package: kiosks check its size and SHA-256 against the signed release before they
touch it. The server only refuses what can never be right: a chunk at the wrong offset, more bytes than
declared, a finished file whose SHA-256 is not the one it was declared under (the upload starts over).
Files live in settings.package_dir (default: a "packages" directory beside the SQLite database) as
SHA256.deb, written by appending; the table has its own Alembic history (release_migrations/, version table
alembic_version_releases), so it migrates independently of the rest of the fleet schema.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import BigInteger, Engine, MetaData, String
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from contracts.sqltypes import UtcDateTime, utc_now
from server.fleet.models import NAMING

VERSION_TABLE = "alembic_version_releases"
MIGRATIONS = Path(__file__).parent / "release_migrations"
RELEASE_TYPE = "kiosk-software"


class ReleaseBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Package(ReleaseBase):
    __tablename__ = "packages"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ChunkRefused(ValueError):
    """A chunk that cannot be appended; `status` is the HTTP answer (409 offset, 413 too long, 422 hash)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def upgrade_release_tables(engine: Engine) -> None:
    """Bring the release tables to the newest migration (idempotent; run at start-up)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def default_package_dir(db_url: str) -> Path | None:
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database:
        return Path(url.database).resolve().parent / "packages"
    return None  # PostgreSQL: settings.package_dir must say where files go


def package_file(directory: Path, sha256: str) -> Path:
    return directory / f"{sha256}.deb"


def _file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            hasher.update(chunk)
    return hasher.hexdigest()


def append_chunk(session: Session, directory: Path, package: Package, offset: int, data: bytes) -> bool:
    """Append `data` at `offset` (must be what was received so far). Raises ChunkRefused, changing nothing;
    returns False when the last byte arrived and the file is not the declared SHA-256: the upload is reset to
    offset 0 (the caller commits that, then answers 422)."""
    if package.complete:
        raise ChunkRefused(409, "conflict", "the package is complete")
    if offset != package.received:
        raise ChunkRefused(409, "conflict", f"expected offset {package.received}")
    if offset + len(data) > package.size:
        raise ChunkRefused(413, "payload_too_large", f"the package is {package.size} bytes")
    directory.mkdir(parents=True, exist_ok=True)
    path = package_file(directory, package.sha256)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o640)
    try:
        os.ftruncate(fd, offset)  # bytes of a chunk that was never acknowledged are written again
        os.lseek(fd, offset, os.SEEK_SET)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    package.received = offset + len(data)
    if package.received == package.size:
        if _file_sha256(path) != package.sha256:
            package.received = 0
            path.unlink(missing_ok=True)
            return False
        package.complete, package.completed_at = True, utc_now()
    session.flush()
    return True


def package_json(package: Package) -> dict[str, object]:
    return {"sha256": package.sha256, "filename": package.filename, "size": package.size,
            "received": package.received, "complete": package.complete,
            "created_at": package.created_at.isoformat(timespec="seconds")}  # fmt: skip
