"""Small real Debian packages of the kiosk for the update tests: the app tree the real package has
(usr/lib/police-kiosk/app with venv/bin/python -> the system Python, RELEASE.json) and a few files, built with
dpkg-deb in a fraction of a second."""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kiosk.update.boot import FACTORY, Layout
from kiosk.update.schema import schema_heads

SYSTEM_PYTHON = "/usr/bin/python3"


@dataclass(frozen=True)
class BuiltPackage:
    path: Path
    version: str
    sha256: str
    size: int


def app_tree(root: Path, version: str, heads: dict[str, str] | None = None, payload_kib: int = 64) -> Path:
    """An app tree like the package's: RELEASE.json, venv/bin/python and some code."""
    (root / "venv" / "bin").mkdir(parents=True, exist_ok=True)
    (root / "venv" / "bin" / "python").symlink_to(SYSTEM_PYTHON)
    code = root / "venv" / "lib" / "python3.11" / "site-packages" / "kiosk_stub"
    code.mkdir(parents=True, exist_ok=True)
    (code / "__init__.py").write_text(f'VERSION = "{version}"\n')
    (code / "blob.bin").write_bytes(hashlib.sha256(version.encode()).digest() * (payload_kib * 32))
    release = {"version": version, "schema_heads": heads or schema_heads(), "python": "3.11"}
    (root / "RELEASE.json").write_text(json.dumps(release))
    return root


def build_package(workdir: Path, version: str, *, heads: dict[str, str] | None = None, name: str = "police-kiosk",
                  payload_kib: int = 64) -> BuiltPackage:  # fmt: skip
    staging = workdir / f"staging-{version}"
    app_tree(staging / "usr" / "lib" / "police-kiosk" / "app", version, heads, payload_kib)
    (staging / "DEBIAN").mkdir(parents=True)
    (staging / "DEBIAN" / "control").write_text(
        f"Package: {name}\nVersion: {version}\nArchitecture: all\nMaintainer: Test <test@example.org>\n"
        f"Installed-Size: {payload_kib + 8}\nDescription: test build of the kiosk\n"
    )
    sums = []
    for path in sorted(staging.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.parts:
            sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {path.relative_to(staging)}")
    (staging / "DEBIAN" / "md5sums").write_text("\n".join(sums) + "\n")
    out = workdir / f"{name}_{version}_all.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "--build", str(staging), str(out)],
                   check=True, capture_output=True)  # fmt: skip
    data = out.read_bytes()
    return BuiltPackage(out, version, hashlib.sha256(data).hexdigest(), len(data))


def factory_layout(tmp_path: Path, version: str = "0.1.0", heads: dict[str, str] | None = None) -> Layout:
    """An appliance root with a factory slot, as the package installs it."""
    layout = Layout(tmp_path / "var-lib-police-kiosk", tmp_path / "usr-lib-police-kiosk" / "app")
    app_tree(layout.factory, version, heads)
    layout.home.mkdir(parents=True)
    assert layout.slot_dir(FACTORY) == layout.factory
    return layout
