"""Build the kiosk's Debian package with dpkg-deb (no debhelper): `./run package` calls this.

    python packaging/build.py [--variant full|core] [--version 0.1.1] [--out build/package] [--compression zstd]

The app goes to /usr/lib/police-kiosk/app: a virtual environment made by Debian's own /usr/bin/python3 (the
kiosk's interpreter) with the project installed non-editable from a wheel, plus RELEASE.json (version and
the schema heads of its migrations). The tree is relocatable on purpose - the updater unpacks it into an A/B
slot under /var/lib/police-kiosk - so nothing runs through the venv's console scripts: the launcher starts
`SLOT/venv/bin/python -m ...`. Wheels come from pip's cache and local indexes, so a rebuild downloads
nothing. Variants: full (the touchscreen app) and core (no PySide6: every `kiosk` command but the GUI; the
CI install test uses it to stay fast).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from cursors import write_blank_theme  # noqa: E402

APP = Path("usr/lib/police-kiosk/app")
SYSTEM_PYTHON = "/usr/bin/python3"
GUI_ONLY = ("PySide6",)  # left out of the core variant
DEPENDS = {
    "core": ["python3 (>= 3.11)", "python3 (<< 3.12)", "libc6 (>= 2.36)", "adduser", "fonts-wqy-zenhei",
             "libgl1", "libglib2.0-0", "pcscd", "libpcsclite1"],
    "full": ["cage", "xwayland", "libegl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3", "libnss3",
             "libasound2", "libwayland-client0", "libwayland-cursor0", "libwayland-egl1", "libpulse0"],
}  # fmt: skip
SYSTEM_FILES = {
    "systemd/police-kiosk.service": "usr/lib/systemd/system/police-kiosk.service",
    "systemd/police-kiosk-revive.service": "usr/lib/systemd/system/police-kiosk-revive.service",
    "systemd/police-kiosk-revive.timer": "usr/lib/systemd/system/police-kiosk-revive.timer",
    "udev/70-police-kiosk.rules": "usr/lib/udev/rules.d/70-police-kiosk.rules",
    "system/journald.conf": "usr/lib/systemd/journald.conf.d/60-police-kiosk.conf",
    "system/logind.conf": "usr/lib/systemd/logind.conf.d/60-police-kiosk.conf",
    "system/sysctl.conf": "usr/lib/sysctl.d/60-police-kiosk.conf",
    "system/pam": "etc/pam.d/police-kiosk",
}
EXECUTABLES = {"system/kiosk-cli": "usr/bin/kiosk", "system/kiosk-admin-cli": "usr/bin/kiosk-admin"}


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, **kwargs)


def project_version() -> str:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def source_tree(work: Path, version: str, checkout: Path = REPO) -> Path:
    """The tracked files (and uncommitted edits) of a checkout, with `version` as the project's version."""
    source = work / "source"
    shutil.rmtree(source, ignore_errors=True)
    command = ["git", "-C", str(checkout), "ls-files", "-co", "--exclude-standard", "-z"]
    listed = run(command, capture_output=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        path = checkout / name
        if path.is_file() and not name.startswith(("tests/", "docs/screenshots/", "benchmarks/")):
            target = source / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    pyproject = source / "pyproject.toml"
    text = re.sub(r'(?m)^version = "[^"]*"', f'version = "{version}"', pyproject.read_text(encoding="utf-8"), count=1)
    pyproject.write_text(text, encoding="utf-8")
    return source


def requirements(variant: str) -> list[str]:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    if variant == "core":
        deps = [d for d in deps if not any(re.match(rf"{name}\b", d) for name in GUI_ONLY)]
    return deps


def build_venv(staging: Path, source: Path, work: Path, variant: str) -> Path:
    venv = staging / APP / "venv"
    run([SYSTEM_PYTHON, "-m", "venv", "--without-pip", str(venv)])
    wheels = work / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    pip = [sys.executable, "-m", "pip"]
    run([*pip, "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)])
    wheel = next(wheels.glob("police_kiosk-*.whl"))
    install = [*pip, "--python", str(venv / "bin" / "python"), "install", "-q", "--no-compile",
               "--no-warn-script-location", "--progress-bar", "off"]  # fmt: skip
    run([*install, *requirements(variant)], stderr=subprocess.DEVNULL)  # pip's cache and the local indexes
    run([*install, "--no-deps", str(wheel)])
    return venv


def tidy_venv(venv: Path) -> None:
    """Only the interpreter links in bin/ (their scripts would name a build path), no byte-code."""
    for path in (venv / "bin").iterdir():
        if not path.name.startswith("python"):
            path.unlink()  # activate scripts and console scripts: the launcher runs `python -m` instead
    config = venv / "pyvenv.cfg"
    kept = [line for line in config.read_text().splitlines() if not line.startswith("command")]
    config.write_text("\n".join(kept) + "\n")
    for cache in list(venv.rglob("__pycache__")):
        shutil.rmtree(cache)


def write_release(staging: Path, version: str, variant: str) -> dict:
    app = staging / APP
    heads = json.loads(run([str(app / "venv" / "bin" / "python"), "-I", "-m", "kiosk.update.schema", "heads"],
                           capture_output=True, text=True).stdout)  # fmt: skip
    for cache in list(app.rglob("__pycache__")):
        shutil.rmtree(cache)
    release = {"version": version, "variant": variant, "schema_heads": heads, "python": "3.11",
               "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}  # fmt: skip
    (app / "RELEASE.json").write_text(json.dumps(release, indent=2, sort_keys=True) + "\n")
    return release


def install_system_files(staging: Path) -> None:
    for source, target in SYSTEM_FILES.items():
        destination = staging / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HERE / source, destination)
    for source, target in EXECUTABLES.items():
        destination = staging / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HERE / source, destination)
        destination.chmod(0o755)
    boot = staging / "usr/lib/police-kiosk/boot.py"
    shutil.copyfile(REPO / "kiosk/update/boot.py", boot)
    write_blank_theme(staging / "usr/share/icons/police-kiosk-blank")
    docs = staging / "usr/share/doc/police-kiosk"
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HERE / "debian/copyright", docs / "copyright")
    if (REPO / "docs/appliance.md").exists():
        shutil.copyfile(REPO / "docs/appliance.md", docs / "appliance.md")
    changelog = (HERE / "debian/changelog").read_bytes()
    (docs / "changelog.gz").write_bytes(gzip.compress(changelog, 9, mtime=0))
    overrides = staging / "usr/share/lintian/overrides/police-kiosk"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HERE / "debian/lintian-overrides", overrides)


def normalise_modes(staging: Path) -> None:
    """Directories 0755, files 0644 or 0755 when executable: what dpkg and lintian expect."""
    for path in staging.rglob("*"):
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        if path.is_dir():
            path.chmod(0o755)
        elif ".so" in path.suffixes or path.suffix == ".so":
            path.chmod(0o644)  # shared libraries are mapped, never executed
        else:
            path.chmod(0o755 if mode & stat.S_IXUSR else 0o644)


def write_control(staging: Path, version: str, variant: str) -> None:
    debian = staging / "DEBIAN"
    debian.mkdir(parents=True, exist_ok=True)
    installed_kib = sum(p.lstat().st_size for p in staging.rglob("*") if p.is_file()) // 1024 + 1
    depends = DEPENDS["core"] + (DEPENDS["full"] if variant == "full" else [])
    control = (HERE / "debian/control.in").read_text()
    control = control.replace("@VERSION@", version).replace("@INSTALLED_SIZE@", str(installed_kib))
    control = control.replace("@DEPENDS@", ", ".join(depends)).replace("@VARIANT@", variant)
    (debian / "control").write_text(control)
    (debian / "conffiles").write_text("/etc/pam.d/police-kiosk\n")
    for script in ("postinst", "prerm", "postrm"):
        shutil.copyfile(HERE / "debian" / script, debian / script)
        (debian / script).chmod(0o755)
    sums = []
    for path in sorted(staging.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.parts[len(staging.parts)] != "DEBIAN":
            sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {path.relative_to(staging)}")
    (debian / "md5sums").write_text("\n".join(sums) + "\n")
    (debian / "md5sums").chmod(0o644)


def build(variant: str, version: str, out: Path, compression: str, checkout: Path = REPO) -> Path:
    work = out / f"work-{variant}"
    staging = work / "root"
    shutil.rmtree(staging, ignore_errors=True)
    source = source_tree(work, version, checkout)
    venv = build_venv(staging, source, work, variant)
    tidy_venv(venv)
    write_release(staging, version, variant)
    install_system_files(staging)
    normalise_modes(staging)
    write_control(staging, version, variant)
    suffix = "" if variant == "full" else f"+{variant}"
    package = out / f"police-kiosk_{version}{suffix}_amd64.deb"
    level = {"zstd": "3", "xz": "1", "gzip": "6"}[compression]
    run(["dpkg-deb", "--root-owner-group", f"-Z{compression}", f"-z{level}", "--build", str(staging), str(package)],
        stdout=subprocess.DEVNULL)  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)
    return package


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="packaging/build.py", description="build the kiosk's .deb")
    parser.add_argument("--variant", choices=("full", "core"), default="full")
    parser.add_argument("--version", default=None, help="package and software version (default: pyproject's)")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "package")
    # lintian accepts gzip and xz only; gzip is several times faster to build and to install.
    parser.add_argument("--compression", choices=("gzip", "xz", "zstd"), default="gzip")
    parser.add_argument("--source", type=Path, default=REPO, help="the git checkout to package (default: this one)")
    args = parser.parse_args(argv)
    if not os.path.exists(SYSTEM_PYTHON):
        parser.error(f"{SYSTEM_PYTHON} is missing: the package is built for Debian's own Python")
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    package = build(args.variant, args.version or project_version(), args.out.resolve(), args.compression,
                    args.source.resolve())  # fmt: skip
    print(f"{package} ({package.stat().st_size / 1e6:.1f} MB, {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
