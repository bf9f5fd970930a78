"""Installing a release into the inactive A/B slot (never the primary, never a slot on trial).

    slot = inactive_slot(layout)                  # "a" or "b"
    info = install_package(layout, package, slot, expected_version="0.2.0")

The tree is unpacked into slots/.SLOT.partial, checked against the package's md5sums and its RELEASE.json,
byte-compiled, synced, and only then renamed to slots/SLOT (and the directory fsynced): a power cut leaves
either no slot or a whole one, and a leftover .partial is removed by the next install. The old contents of
the target slot go first, after boot.json stops naming it as the previous slot.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.update.boot import FACTORY, RELEASE_FILE, SLOTS, Layout, read_boot_state, slot_release, write_boot_state
from kiosk.update.debpkg import PackageError, control_fields, extract_app, md5sums, verify_tree

log = logging.getLogger(__name__)
PACKAGE_NAME = "police-kiosk"


class NoSpace(OSError):
    """Not enough free disk for the new slot, even after pruning."""


@dataclass(frozen=True)
class SlotInfo:
    slot: str
    version: str
    release: dict[str, Any]
    files: int


def inactive_slot(layout: Layout) -> str:
    """The slot a new release goes to: neither the primary nor a slot on trial; the previous one last."""
    state = read_boot_state(layout)
    busy = {state.primary, (state.trying or {}).get("slot")}
    free = [slot for slot in SLOTS if slot not in busy]
    if not free:
        raise RuntimeError("no inactive slot: both are primary or on trial")
    free.sort(key=lambda slot: slot == state.previous)  # keep the previous slot while another is free
    return free[0]


def partial_dir(layout: Layout, slot: str) -> Path:
    return layout.slots_dir / f".{slot}.partial"


def release_slot(layout: Layout, slot: str) -> None:
    """Forget `slot` as the previous one (durably) and remove its tree, so it can be rewritten."""
    state = read_boot_state(layout)
    if slot in (state.primary, (state.trying or {}).get("slot")) or slot == FACTORY:
        raise ValueError(f"slot {slot!r} is in use")
    if state.previous == slot:
        state.previous = None
        write_boot_state(layout, state)
    for path in (layout.slot_dir(slot), partial_dir(layout, slot)):
        if path.exists() or path.is_symlink():
            shutil.rmtree(path)


def _installed_kib(package: Path, fields: dict[str, str]) -> int:
    size = fields.get("Installed-Size", "")
    return int(size) if size.isdigit() else max(1, package.stat().st_size // 1024 * 3)


def _check_space(layout: Layout, slot: str, needed_kib: int) -> None:
    layout.slots_dir.mkdir(parents=True, exist_ok=True)
    free_kib = shutil.disk_usage(layout.slots_dir).free // 1024
    margin_kib = 200 * 1024  # the journal and the spool must keep working while the slot unpacks
    if free_kib < needed_kib + margin_kib:
        raise NoSpace(f"{needed_kib // 1024} MiB needed for slot {slot}, {free_kib // 1024} MiB free")


def _check_release(tree: Path, expected_version: str) -> dict[str, Any]:
    try:
        release = json.loads((tree / RELEASE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PackageError(f"the app tree has no readable {RELEASE_FILE}: {error}") from error
    if not isinstance(release, dict) or release.get("version") != expected_version:
        found = release.get("version") if isinstance(release, dict) else None
        raise PackageError(f"the package holds software {found!r}, the release names {expected_version!r}")
    if not isinstance(release.get("schema_heads"), dict):
        raise PackageError(f"{RELEASE_FILE} records no schema heads")
    return release


def _compile(tree: Path) -> None:
    """Byte-compile with the slot's own interpreter (failures only cost start-up time, never correctness)."""
    python = tree / "venv" / "bin" / "python"
    if python.exists():
        subprocess.run([str(python), "-m", "compileall", "-q", "-j", "0", str(tree / "venv" / "lib")],
                       capture_output=True, timeout=900, check=False)  # fmt: skip


def install_package(layout: Layout, package: Path, slot: str, expected_version: str) -> SlotInfo:
    """Unpack `package` into `slot` (see the module docstring); raises PackageError, NoSpace or OSError."""
    fields = control_fields(package)
    if fields.get("Package") != PACKAGE_NAME:
        raise PackageError(f"package {fields.get('Package')!r} is not {PACKAGE_NAME}")
    release_slot(layout, slot)
    _check_space(layout, slot, _installed_kib(package, fields))
    partial = partial_dir(layout, slot)
    try:
        files = extract_app(package, partial)
        verify_tree(md5sums(package), partial)
        release = _check_release(partial, expected_version)
        _compile(partial)
        os.sync()  # every unpacked file reaches the disk before the rename makes the slot visible
        os.rename(partial, layout.slot_dir(slot))
        fd = os.open(layout.slots_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if slot_release(layout, slot) is None:
        raise PackageError(f"slot {slot} cannot boot after installing (no venv/bin/python)")
    log.info("installed software %s into slot %s (%d files)", expected_version, slot, files)
    return SlotInfo(slot, expected_version, release, files)


def slot_sizes(layout: Layout) -> dict[str, int]:
    """Bytes used by each written slot (for the disk guard and diagnostics)."""
    sizes = {}
    for slot in SLOTS:
        path = layout.slot_dir(slot)
        if path.is_dir():
            sizes[slot] = sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())
    return sizes
