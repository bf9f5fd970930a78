"""The kiosk's boot chooser: which software slot the service starts, the way a bootloader with a boot counter
does it for A/B root filesystems (RAUC's slots, barebox's bootchooser). Standard library only: the package
installs a copy as /usr/lib/police-kiosk/boot.py, run by the system Python, so it works whatever state the
slots are in.

Slots: "factory" (the tree dpkg installed, /usr/lib/police-kiosk/app, never written by the updater) and "a"
and "b" under ROOT/slots (written only by kiosk.update). Each holds venv/ and RELEASE.json (version, schema
heads). ROOT/boot.json says which one runs:
  primary        the committed slot, always bootable: the updater never writes into it
  previous       the slot that was primary before the last commit (kept for a switch back)
  trying         {slot, version, attempts_left}: a new slot on trial; each start spends one attempt
  failed_trial   {slot, version, reason, downgrade}: the last trial that ended without a commit
A start with attempts left boots the trial; a start with none left (the new slot kept crashing or hanging
before it could commit) records failed_trial, takes the databases back with the failed slot's code (it knows
the newer migrations) to the revisions the primary slot knows, and boots the primary. boot.json is replaced
atomically (temp, fsync, rename, fsync dir), so a power cut at any instant leaves the old or the new state.

    python3 boot.py session        the service's command under cage: choose, record the start, exec the app
    python3 boot.py cli ARGS...    `kiosk ARGS` with the software that owns the databases now
    python3 boot.py admin ARGS...  `kiosk-admin ARGS`
    python3 boot.py status         the boot state as JSON
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FACTORY = "factory"
SLOTS = ("a", "b")
TRIAL_ATTEMPTS = 3
MAX_STARTS = 50
DEFAULT_ROOT = "/var/lib/police-kiosk"
DEFAULT_FACTORY = "/usr/lib/police-kiosk/app"
RELEASE_FILE = "RELEASE.json"


@dataclass(frozen=True)
class Layout:
    root: Path  # the appliance's writable state: slots, boot state, update work, the data home
    factory: Path  # the dpkg-installed app tree

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Layout:
        env = os.environ if environ is None else environ
        root = env.get("KIOSK_APPLIANCE_ROOT", DEFAULT_ROOT)
        return cls(Path(root), Path(env.get("KIOSK_FACTORY_SLOT", DEFAULT_FACTORY)))

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def slots_dir(self) -> Path:
        return self.root / "slots"

    @property
    def boot_file(self) -> Path:
        return self.root / "boot.json"

    @property
    def starts_file(self) -> Path:
        return self.root / "starts.json"

    @property
    def update_dir(self) -> Path:
        return self.root / "update"

    def slot_dir(self, name: str) -> Path:
        if name == FACTORY:
            return self.factory
        if name not in SLOTS:
            raise ValueError(f"unknown slot {name!r}")
        return self.slots_dir / name

    def python(self, slot: str) -> Path:
        return self.slot_dir(slot) / "venv" / "bin" / "python"


@dataclass
class BootState:
    primary: str = FACTORY
    previous: str | None = None
    trying: dict[str, Any] | None = None  # {"slot", "version", "attempts_left", "since"}
    failed_trial: dict[str, Any] | None = None  # {"slot", "version", "reason", "at", "downgrade"}
    format: int = 1

    @classmethod
    def from_json(cls, data: Any) -> BootState:
        if not isinstance(data, dict):
            raise ValueError("boot state is not an object")
        state = cls(str(data.get("primary", FACTORY)), data.get("previous"), data.get("trying"),
                    data.get("failed_trial"))  # fmt: skip
        if state.primary not in (FACTORY, *SLOTS) or state.previous not in (None, FACTORY, *SLOTS):
            raise ValueError("boot state names an unknown slot")
        trial = state.trying
        if trial is not None and (trial.get("slot") not in SLOTS or not isinstance(trial.get("attempts_left"), int)):
            raise ValueError("boot state has a malformed trial")
        return state


# -- durable files --------------------------------------------------------------------------------------
def write_json_atomic(path: Path, data: Any) -> None:
    """temp in the same directory -> fsync -> rename -> fsync the directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    payload = (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read_boot_state(layout: Layout) -> BootState:
    """The boot state; a missing or unreadable file boots the factory slot (it is always there)."""
    try:
        return BootState.from_json(json.loads(layout.boot_file.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return BootState()
    except (OSError, ValueError) as error:
        print(f"boot: {layout.boot_file} unreadable ({error}); booting the factory slot", file=sys.stderr)
        return BootState()


def write_boot_state(layout: Layout, state: BootState) -> None:
    write_json_atomic(layout.boot_file, asdict(state))


def slot_release(layout: Layout, slot: str) -> dict[str, Any] | None:
    """RELEASE.json of a slot that can boot (its interpreter is there), else None."""
    try:
        if not layout.python(slot).exists():
            return None
        data = json.loads((layout.slot_dir(slot) / RELEASE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("version"), str) else None


# -- choosing -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    slot: str
    trial: bool = False
    fell_back_from: dict[str, Any] | None = None  # the trial that ran out of attempts at this start


def _bootable_primary(layout: Layout, state: BootState) -> str:
    for candidate in (state.primary, state.previous, FACTORY):
        if candidate is not None and slot_release(layout, candidate) is not None:
            return candidate
    return FACTORY  # nothing else can run; the factory slot is dpkg's to repair


def choose(layout: Layout, now: float | None = None) -> Choice:
    """Decide this start's slot and spend a trial attempt (written before the app runs)."""
    state = read_boot_state(layout)
    trial = state.trying
    if trial is not None:
        if trial["attempts_left"] > 0 and slot_release(layout, trial["slot"]) is not None:
            trial["attempts_left"] -= 1
            write_boot_state(layout, state)
            return Choice(trial["slot"], trial=True)
        reason = trial.get("abort_reason") or (
            "crash_loop" if slot_release(layout, trial["slot"]) is not None else "not_bootable"
        )
        state.failed_trial = {"slot": trial["slot"], "version": trial.get("version"), "reason": reason,
                              "at": time.time() if now is None else now, "downgrade": "pending"}  # fmt: skip
        state.trying = None
        write_boot_state(layout, state)
        return Choice(_bootable_primary(layout, state), fell_back_from=state.failed_trial)
    return Choice(_bootable_primary(layout, state))


# -- what the running software changes (kiosk.update) -------------------------------------------------------
def begin_trial(layout: Layout, slot: str, version: str, attempts: int = TRIAL_ATTEMPTS) -> BootState:
    """The next start boots `slot` on trial (the primary stays as it is until a commit)."""
    state = read_boot_state(layout)
    if slot == state.primary or slot not in SLOTS:
        raise ValueError(f"slot {slot!r} cannot go on trial (primary is {state.primary!r})")
    state.trying = {"slot": slot, "version": version, "attempts_left": attempts, "since": time.time()}
    state.failed_trial = None
    write_boot_state(layout, state)
    return state


def commit_trial(layout: Layout, slot: str) -> BootState:
    """The slot on trial passed its health window: it becomes the primary, the old primary the previous."""
    state = read_boot_state(layout)
    if state.trying is None or state.trying["slot"] != slot:
        raise ValueError(f"slot {slot!r} is not on trial")
    state.primary, state.previous, state.trying = slot, state.primary, None
    write_boot_state(layout, state)
    return state


def abort_trial(layout: Layout, slot: str, reason: str) -> BootState:
    """The slot on trial failed its health window: the next start falls back (and takes the databases back)."""
    state = read_boot_state(layout)
    if state.trying is None or state.trying["slot"] != slot:
        raise ValueError(f"slot {slot!r} is not on trial")
    state.trying["attempts_left"] = 0
    state.trying["abort_reason"] = reason[:100]
    write_boot_state(layout, state)
    return state


def current_slot(layout: Layout) -> str:
    """The software that owns the databases now: a slot on trial (it may have migrated them), else the primary."""
    state = read_boot_state(layout)
    if state.trying is not None and slot_release(layout, state.trying["slot"]) is not None:
        return state.trying["slot"]
    return _bootable_primary(layout, state)


# -- start records (crash-loop detection reads them) ----------------------------------------------------
def read_starts(layout: Layout) -> list[dict[str, Any]]:
    try:
        data = json.loads(layout.starts_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [entry for entry in data if isinstance(entry, dict)] if isinstance(data, list) else []


def record_start(layout: Layout, slot: str, now: float | None = None) -> None:
    starts = read_starts(layout)[-(MAX_STARTS - 1) :]
    starts.append({"at": time.time() if now is None else now, "slot": slot, "pid": os.getpid(), "clean": False})
    write_json_atomic(layout.starts_file, starts)


def mark_clean_exit(layout: Layout, pid: int | None = None) -> bool:
    """The app is leaving on purpose (nightly restart, switch): its start does not count as a crash."""
    starts = read_starts(layout)
    for entry in reversed(starts):
        if entry.get("pid") == (os.getpid() if pid is None else pid):
            entry["clean"] = True
            write_json_atomic(layout.starts_file, starts)
            return True
    return False


# -- the databases across a fall-back -------------------------------------------------------------------
def downgrade_after_failed_trial(layout: Layout, state: BootState, primary: str) -> str:
    """Run the failed slot's own `kiosk.update.schema downgrade` to the primary slot's schema heads."""
    failed = state.failed_trial or {}
    slot = failed.get("slot")
    target = slot_release(layout, primary)
    if slot not in SLOTS or slot_release(layout, slot) is None or target is None:
        return "impossible: the failed slot or the primary's release file is missing"
    _notify({"EXTEND_TIMEOUT_USEC": str(300 * 1_000_000), "STATUS": "taking the databases back for the old software"})
    command = [str(layout.python(slot)), "-I", "-m", "kiosk.update.schema", "downgrade",
               "--home", str(layout.home), "--release-file", str(layout.slot_dir(primary) / RELEASE_FILE)]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=280, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"failed: {type(error).__name__}"
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        return f"failed: exit {result.returncode}"
    return "done"


def _notify(fields: Mapping[str, str]) -> None:
    address = os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return
    import socket

    target = b"\0" + address[1:].encode() if address.startswith("@") else address
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect(target)
        sock.sendall("".join(f"{k}={v}\n" for k, v in fields.items()).encode())


# -- commands -------------------------------------------------------------------------------------------
QUIET_WARNINGS = "ignore::UserWarning:face_recognition_models"  # its pkg_resources notice, at every start


def app_environment(layout: Layout, choice: Choice, environ: Mapping[str, str]) -> dict[str, str]:
    env = dict(environ)
    env.setdefault("PYTHONWARNINGS", QUIET_WARNINGS)
    env.update({"KIOSK_HOME": str(layout.home), "KIOSK_APPLIANCE_ROOT": str(layout.root),
                "KIOSK_FACTORY_SLOT": str(layout.factory), "KIOSK_SLOT": choice.slot,
                "KIOSK_SLOT_TRIAL": "1" if choice.trial else "0", "WATCHDOG_PID": str(os.getpid())})  # fmt: skip
    return env


def session(layout: Layout) -> Sequence[str]:
    """Choose and record; returns the argv to exec (the caller execs, so the PID systemd watches stays)."""
    choice = choose(layout)
    state = read_boot_state(layout)
    failed = state.failed_trial
    if choice.trial is False and failed is not None and failed.get("downgrade") == "pending":
        # Also after a power cut between recording the failed trial and finishing its downgrade.
        failed["downgrade"] = downgrade_after_failed_trial(layout, state, choice.slot)
        write_boot_state(layout, state)
        print(f"boot: trial of slot {failed['slot']} ended ({failed['reason']}); databases: {failed['downgrade']}; "
              f"booting {choice.slot}", file=sys.stderr)  # fmt: skip
    record_start(layout, choice.slot)
    os.environ.update(app_environment(layout, choice, os.environ))
    return [str(layout.python(choice.slot)), "-m", "ui", "--home", str(layout.home)]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    layout = Layout.from_environment()
    command = args.pop(0) if args else ""
    if command == "status":
        print(json.dumps({**asdict(read_boot_state(layout)), "current": current_slot(layout)}, indent=2))
        return 0
    if command == "session":
        target = session(layout)
    elif command in ("cli", "admin"):
        slot = current_slot(layout)
        os.environ.setdefault("KIOSK_HOME", str(layout.home))
        os.environ.update({"KIOSK_APPLIANCE_ROOT": str(layout.root), "KIOSK_SLOT": slot})
        os.environ.setdefault("PYTHONWARNINGS", QUIET_WARNINGS)
        module = "kiosk.cli.main" if command == "cli" else "kiosk.admin.cli"
        target = [str(layout.python(slot)), "-m", module, *args]
    else:
        print("usage: boot.py session | cli ARGS... | admin ARGS... | status", file=sys.stderr)
        return 2
    os.chdir(layout.root if layout.root.is_dir() else "/")
    os.execv(target[0], target)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
