"""Reading the kiosk's Debian package without installing it: its control fields, its md5sums and the app tree
(usr/lib/police-kiosk/app/) streamed out of the data archive into a slot. dpkg-deb does the unpacking (any
compression dpkg knows); Python checks every member before it touches the disk."""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

APP_PREFIX = PurePosixPath("usr/lib/police-kiosk/app")
DPKG_DEB = "dpkg-deb"
SYSTEM_PYTHON = "/usr/bin/python3"  # the venv's interpreter links


class PackageError(ValueError):
    """The package is not the kiosk's, is damaged, or would write outside its slot."""


def control_fields(package: Path) -> dict[str, str]:
    result = subprocess.run([DPKG_DEB, "--field", str(package)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PackageError(f"not a Debian package: {result.stderr.strip()[:200]}")
    fields: dict[str, str] = {}
    for line in result.stdout.splitlines():
        if line and not line[0].isspace() and ":" in line:
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    return fields


def md5sums(package: Path) -> dict[str, str]:
    """path inside the package (no leading ./) -> md5 hex, from the control archive's md5sums."""
    sums: dict[str, str] = {}
    with _archive(package, "--ctrl-tarfile") as archive:
        for member in archive:
            if PurePosixPath(member.name).name == "md5sums" and member.isfile():
                stream = archive.extractfile(member)
                assert stream is not None
                for line in stream.read().decode("utf-8", "replace").splitlines():
                    digest, _, path = line.partition("  ")
                    sums[path.strip()] = digest
    if not sums:
        raise PackageError("the package has no md5sums")
    return sums


def _relative(member: tarfile.TarInfo) -> PurePosixPath | None:
    """The member's path under the app tree, or None when it lies elsewhere in the package."""
    path = PurePosixPath(member.name.removeprefix("./"))
    try:
        relative = path.relative_to(APP_PREFIX)
    except ValueError:
        return None
    if path.is_absolute() or ".." in path.parts:
        raise PackageError(f"member {member.name!r} escapes the app tree")
    return relative


def _check_member(member: tarfile.TarInfo, relative: PurePosixPath) -> None:
    """Files, directories and symlinks that stay in the tree (or point at the system Python) only."""
    if not (member.isfile() or member.isdir() or member.issym()):
        raise PackageError(f"member {member.name!r} is neither a file, a directory nor a symlink")
    if not member.issym():
        return
    if member.linkname.startswith("/"):
        if not member.linkname.startswith(SYSTEM_PYTHON):
            raise PackageError(f"symlink {member.name!r} points outside the app tree")
        return
    resolved = posixpath.normpath(posixpath.join(str(relative.parent), member.linkname))
    if resolved == ".." or resolved.startswith("../"):
        raise PackageError(f"symlink {member.name!r} escapes the app tree")


def _write_file(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    stream = archive.extractfile(member)
    assert stream is not None
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o755 if member.mode & 0o111 else 0o644)
    with os.fdopen(fd, "wb") as sink:
        while chunk := stream.read(1024 * 1024):
            sink.write(chunk)
    os.utime(target, (member.mtime, member.mtime))  # pyc files check the source's mtime


@contextlib.contextmanager
def _archive(package: Path, what: str) -> Iterator[tarfile.TarFile]:
    """One of the package's tar archives, streamed out of dpkg-deb; any damage is a PackageError."""
    command = [DPKG_DEB, what, str(package)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                yield archive
            while process.stdout.read(1024 * 1024):  # the archive's end padding: let dpkg-deb finish writing
                pass
        except tarfile.TarError as error:
            process.kill()
            message = process.stderr.read().decode("utf-8", "replace").strip().splitlines()[-1:] or [str(error)]
            raise PackageError(f"the package is damaged: {message[0][:200]}") from error
        finally:
            process.stdout.close()
        error_text = process.stderr.read().decode("utf-8", "replace").strip()
    if process.returncode != 0:
        raise PackageError(f"dpkg-deb could not read the package: {error_text[-200:]}")


def _members(package: Path) -> Iterator[tuple[tarfile.TarFile, tarfile.TarInfo]]:
    with _archive(package, "--fsys-tarfile") as archive:
        for member in archive:
            yield archive, member


def extract_app(package: Path, destination: Path) -> int:
    """Unpack the app tree into `destination` (must not exist); returns the number of files written."""
    destination.mkdir(parents=True)
    files = 0
    for archive, member in _members(package):
        relative = _relative(member)
        if relative is None or not relative.parts:
            continue
        _check_member(member, relative)
        target = destination.joinpath(*relative.parts)
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
        elif member.issym():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(member.linkname, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_file(archive, member, target)
            files += 1
    if files == 0:
        raise PackageError(f"the package holds no {APP_PREFIX}/ tree")
    return files


def verify_tree(package_sums: dict[str, str], destination: Path) -> int:
    """Every app file the package lists is in `destination` with its md5; returns the count checked."""
    checked = 0
    prefix = f"{APP_PREFIX}/"
    for path, digest in package_sums.items():
        if not path.startswith(prefix):
            continue
        target = destination / path.removeprefix(prefix)
        hasher = hashlib.md5(usedforsecurity=False)
        try:
            with target.open("rb") as stream:
                while chunk := stream.read(1024 * 1024):
                    hasher.update(chunk)
        except OSError as error:
            raise PackageError(f"{path} missing after unpacking: {error}") from error
        if hasher.hexdigest() != digest:
            raise PackageError(f"{path} does not match the package's md5sums")
        checked += 1
    return checked
