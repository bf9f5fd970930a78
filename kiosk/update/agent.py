"""The A/B software update state machine (Mender's download / install / reboot / commit / rollback, RAUC's
slots), one `step()` at a time on the appliance thread, every transition written before its side effect:

  idle         poll the desired release; a valid new one -> downloading (report pending)
  downloading  resumable download, size and SHA-256 checked -> installing (mismatch: rejected)
  installing   unpack into the inactive slot, checked against the package's md5sums -> installed
  installed    wait for a quiet moment (no visit, quiet hours); put the slot on trial in boot.json, restart
  switching    (new software) the launcher booted the trial slot -> trial
  trial        health window: READY, devices, self-tests, no crash loop -> commit (applied), or abort
  rolling_back (old software) the trial was aborted or crashed; the launcher took the databases back -> idle
               (rolled_back + reason)
The primary slot is never written, so a power cut at any point leaves a bootable kiosk, and redoing a step
from the state on disk is always safe. A trial that crashes before it can decide is ended by the launcher
(kiosk.update.boot) when its attempts run out; the old software then reports it rolled back.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.fleet.client import FleetAuthError, FleetRequestError, FleetUnavailable
from kiosk.home import KioskHome
from kiosk.trust.errors import ConfigRejected, TrustError
from kiosk.trust.policy import Floor
from kiosk.update import boot
from kiosk.update.boot import Layout
from kiosk.update.channel import ReleaseChannel
from kiosk.update.debpkg import PackageError
from kiosk.update.download import DownloadStopped, PackageMismatch, download_package, final_path, remove_other_downloads
from kiosk.update.health import HealthVerdict
from kiosk.update.release import PackageRef, Release, accept_release
from kiosk.update.schema import DowngradeRefused, plan_downgrade
from kiosk.update.slots import NoSpace, inactive_slot, install_package
from kiosk.update.state import Phase, UpdateState, load_state, save_state

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateSettings:
    health_window_s: float = 120.0
    poll_interval_s: float = 300.0
    retry_s: float = 60.0
    quiet_retry_s: float = 60.0


@dataclass(frozen=True)
class UpdatePorts:
    """What the agent needs of the running kiosk (kiosk.appliance.service binds them)."""

    layout: Layout
    home: KioskHome
    running_slot: str
    channel: ReleaseChannel | None  # None: not enrolled in a fleet
    config_schema: Callable[[], int]
    quiet_moment: Callable[[], bool]  # no visit in progress and inside the quiet hours
    health: Callable[[list[str]], HealthVerdict]  # the trial's verdict, given what worked before the switch
    usable_kinds: Callable[[], list[str]]
    request_exit: Callable[[str], None]
    clock: Callable[[], float] = time.time
    stop: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class StepOutcome:
    kind: str
    next_in: float
    detail: str = ""


class UpdateAgent:
    def __init__(self, ports: UpdatePorts, settings: UpdateSettings | None = None) -> None:
        self.ports = ports
        self.settings = settings or UpdateSettings()
        self.dir: Path = ports.layout.update_dir
        self.state: UpdateState = load_state(self.dir)

    # -- bookkeeping ---------------------------------------------------------------------------------
    def _save(self) -> None:
        save_state(self.dir, self.state)

    def running_version(self) -> str:
        release = boot.slot_release(self.ports.layout, self.ports.running_slot) or {}
        return str(release.get("version", "0.0.0"))

    def committed_version(self) -> str:
        return self.state.committed_version or self.running_version()

    def _queue(self, status: str, reason: str | None = None, message: str = "", release: dict | None = None) -> None:
        release = release or self.state.release or {}
        report = {"status": status, "version": release.get("version"), "sha256": release.get("sha256"),
                  "reason": reason[:32] if reason else None, "message": message[:500]}  # fmt: skip
        self.state.outbox.append({"key": uuid.uuid4().hex, "report": report})
        log.info("software update: %s %s %s", status, release.get("software_version"), reason or "")

    def flush_reports(self) -> None:
        channel = self.ports.channel
        while channel is not None and self.state.outbox:
            entry = self.state.outbox[0]
            try:
                channel.report(entry["report"], entry["key"])
            except (FleetUnavailable, FleetAuthError):
                return  # kept for the next step
            except FleetRequestError as error:  # refused for good: it would block the queue for ever
                log.warning("fleet server refused an update report: %s", error)
            self.state.outbox.pop(0)
            self._save()

    def _to_idle(self) -> None:
        self.state.phase, self.state.release, self.state.slot = Phase.IDLE, None, None
        self.state.health_deadline, self.state.baseline_usable = None, []

    # -- one step ------------------------------------------------------------------------------------
    def step(self) -> StepOutcome:
        """Advance by one transition; never raises for network or package trouble."""
        try:
            outcome = self._step()
        except (FleetUnavailable, FleetAuthError, FleetRequestError) as error:
            outcome = StepOutcome("offline", self.settings.retry_s, str(error)[:200])
        self.flush_reports()
        return outcome

    def _step(self) -> StepOutcome:
        phase = Phase(self.state.phase)
        if phase in (Phase.INSTALLED, Phase.SWITCHING) and self._in_trial():
            return self._begin_health_window()  # also after a power cut between boot.json and state.json
        handlers: dict[Phase, Callable[[], StepOutcome]] = {
            Phase.IDLE: self._poll, Phase.DOWNLOADING: self._download, Phase.INSTALLING: self._install,
            Phase.INSTALLED: self._switch_when_quiet, Phase.SWITCHING: self._after_switch,
            Phase.TRIAL: self._trial, Phase.ROLLING_BACK: self._after_abort, Phase.REFUSED: self._refused,
        }  # fmt: skip
        return handlers[phase]()

    def _in_trial(self) -> bool:
        trying = boot.read_boot_state(self.ports.layout).trying
        return trying is not None and trying["slot"] == self.state.slot == self.ports.running_slot

    # -- idle: the desired release -------------------------------------------------------------------
    def _poll(self) -> StepOutcome:
        channel = self.ports.channel
        if channel is None:
            return StepOutcome("not_enrolled", 3600.0)
        desired = channel.desired_release(self.state.etag)
        if desired.status == "unchanged":
            return StepOutcome("unchanged", self.settings.poll_interval_s)
        if desired.status == "none":
            self.state.etag = desired.etag
            self._save()
            return StepOutcome("no_release", self.settings.poll_interval_s)
        return self._judge(desired.body, desired.etag)

    def _judge(self, body: bytes, etag: str | None) -> StepOutcome:
        floor = Floor(self.state.floor_version, self.state.floor_sha256, self.state.committed_sha256)
        try:
            release = accept_release(self.ports.home, body, floor=floor, committed_version=self.committed_version(),
                                     config_schema=self.ports.config_schema(),
                                     now=datetime.fromtimestamp(self.ports.clock(), UTC))  # fmt: skip
        except ConfigRejected as rejected:
            self.state.etag = etag
            identity = _identity(body)
            self._queue("rejected", rejected.reason.value, rejected.message, identity)
            self._save()
            return StepOutcome("rejected", self.settings.poll_interval_s, rejected.reason.value)
        except (TrustError, OSError) as error:  # no trust root yet, unreadable files: judge it again later
            return StepOutcome("error", self.settings.retry_s, f"{type(error).__name__}: {error}")
        self.state.etag = etag
        if release.noop:
            self._save()
            return StepOutcome("noop", self.settings.poll_interval_s)
        return self._accept(release)

    def _accept(self, release: Release) -> StepOutcome:
        self.state.floor_version, self.state.floor_sha256 = release.version, release.sha256
        self.state.release = {"envelope": release.doc.envelope(), "version": release.version,
                              "sha256": release.sha256, "software_version": release.software_version,
                              "package": release.payload.package.model_dump()}  # fmt: skip
        if release.software_version == self.running_version():  # already runs it: nothing to install
            self._commit_record()
            self._queue("applied")
            self._to_idle()
            self._save()
            return StepOutcome("applied", self.settings.poll_interval_s)
        self.state.phase = Phase.DOWNLOADING
        self._queue("pending")
        self._save()
        return StepOutcome("accepted", 0.0, release.software_version)

    def _commit_record(self) -> None:
        release = self.state.release or {}
        self.state.committed_version = release.get("software_version")
        self.state.committed_sha256 = release.get("sha256")

    def _package(self) -> PackageRef:
        return PackageRef.model_validate((self.state.release or {})["package"])

    def _fail(self, reason: str, message: str) -> StepOutcome:
        self._queue("rejected", reason, message)
        remove_other_downloads(self.dir, None)
        self._to_idle()
        self._save()
        return StepOutcome("rejected", self.settings.retry_s, reason)

    # -- download and install ------------------------------------------------------------------------
    def _download(self) -> StepOutcome:
        package = self._package()
        remove_other_downloads(self.dir, package)
        try:
            download_package(self.dir, self.ports.channel, package, self.ports.stop)  # type: ignore[arg-type]
        except PackageMismatch as mismatch:
            return self._fail(mismatch.reason, str(mismatch))
        except DownloadStopped:
            return StepOutcome("stopped", self.settings.retry_s)
        self.state.phase = Phase.INSTALLING
        self._save()
        return StepOutcome("downloaded", 0.0)

    def _install(self) -> StepOutcome:
        package = self._package()
        if not final_path(self.dir, package).exists():  # removed meanwhile (disk guard): fetch again
            self.state.phase = Phase.DOWNLOADING
            self._save()
            return StepOutcome("download_again", 0.0)
        if self.state.slot is None:
            self.state.slot = inactive_slot(self.ports.layout)
            self._save()
        version = (self.state.release or {})["software_version"]
        try:
            install_package(self.ports.layout, final_path(self.dir, package), self.state.slot, version)
        except PackageError as error:
            return self._fail("package_invalid", str(error))
        except NoSpace as error:
            return StepOutcome("no_space", self.settings.retry_s * 10, str(error))
        self.state.phase = Phase.INSTALLED
        self._save()
        return StepOutcome("installed", 0.0, self.state.slot)

    # -- the switch ----------------------------------------------------------------------------------
    def _switch_when_quiet(self) -> StepOutcome:
        slot = self.state.slot or ""
        release = boot.slot_release(self.ports.layout, slot) if slot else None
        if release is None or release.get("version") != (self.state.release or {}).get("software_version"):
            self.state.phase = Phase.INSTALLING  # the slot went missing (pruned, damaged): install again
            self._save()
            return StepOutcome("reinstall", 0.0)
        if not self.ports.quiet_moment():
            return StepOutcome("waiting_for_quiet", self.settings.quiet_retry_s)
        self.state.baseline_usable = sorted(self.ports.usable_kinds())
        self._save()
        boot.begin_trial(self.ports.layout, slot, release["version"])
        self.state.phase = Phase.SWITCHING
        self._save()
        self.ports.request_exit(f"switching to software {release['version']} in slot {slot}")
        return StepOutcome("switching", self.settings.quiet_retry_s)

    def _after_switch(self) -> StepOutcome:
        state = boot.read_boot_state(self.ports.layout)
        if state.trying is not None and state.trying["slot"] == self.state.slot:
            self.ports.request_exit("switching to the new software")  # still the old process: exit pending
            return StepOutcome("switching", self.settings.quiet_retry_s)
        return self._trial_over(state)

    def _begin_health_window(self) -> StepOutcome:
        self.state.phase = Phase.TRIAL
        if self.state.health_deadline is None:
            self.state.health_deadline = self.ports.clock() + self.settings.health_window_s
        self._save()
        return StepOutcome("trial", self.settings.health_window_s)

    # -- the trial -----------------------------------------------------------------------------------
    def _trial(self) -> StepOutcome:
        state = boot.read_boot_state(self.ports.layout)
        if self.ports.running_slot != self.state.slot:
            return self._trial_over(state)  # the old software runs again: the trial ended without a commit
        if state.trying is None:  # committed in boot.json before a power cut, or reset by a reinstall
            return self._finish_commit() if state.primary == self.state.slot else self._trial_over(state)
        remaining = (self.state.health_deadline or 0.0) - self.ports.clock()
        if remaining > 0:
            return StepOutcome("health_pending", min(remaining, 15.0))
        verdict = self.ports.health(self.state.baseline_usable)
        if verdict.ok:
            boot.commit_trial(self.ports.layout, self.state.slot or "")
            return self._finish_commit()
        return self._abort(verdict.reason or "health_failed")

    def _finish_commit(self) -> StepOutcome:
        self._commit_record()
        self._queue("applied")
        remove_other_downloads(self.dir, None)
        self._to_idle()
        self._save()
        return StepOutcome("committed", self.settings.poll_interval_s)

    def _abort(self, reason: str) -> StepOutcome:
        previous = boot.read_boot_state(self.ports.layout).primary
        heads = (boot.slot_release(self.ports.layout, previous) or {}).get("schema_heads") or {}
        try:
            plan_downgrade(self.ports.home.root, heads)
        except DowngradeRefused as refused:  # going back would leave databases the old software cannot read
            self.state.phase, self.state.last_error = Phase.REFUSED, f"{reason}; {refused}"[:300]
            self._queue("rejected", "rollback_refused", self.state.last_error)
            self._save()
            return StepOutcome("refused", self.settings.poll_interval_s, str(refused))
        boot.abort_trial(self.ports.layout, self.state.slot or "", reason)
        self.state.phase, self.state.last_error = Phase.ROLLING_BACK, reason
        self._save()
        self.ports.request_exit(f"software trial failed ({reason}): back to the previous software")
        return StepOutcome("rolling_back", self.settings.quiet_retry_s, reason)

    def _after_abort(self) -> StepOutcome:
        if self.ports.running_slot == self.state.slot:
            self.ports.request_exit("back to the previous software")
            return StepOutcome("rolling_back", self.settings.quiet_retry_s)
        return self._trial_over(boot.read_boot_state(self.ports.layout))

    def _trial_over(self, state: boot.BootState) -> StepOutcome:
        """The old software runs again: report the trial rolled back, with the launcher's reason."""
        failed = state.failed_trial or {}
        if state.primary == self.state.slot:
            return self._finish_commit()
        reason = str(failed.get("reason") or self.state.last_error or "trial_ended")
        downgrade = str(failed.get("downgrade", ""))
        self._queue("rolled_back", reason, f"databases: {downgrade}" if downgrade else "")
        self._to_idle()
        self._save()
        return StepOutcome("rolled_back", self.settings.poll_interval_s, reason)

    def _refused(self) -> StepOutcome:
        return StepOutcome("refused", self.settings.poll_interval_s, self.state.last_error)


def _identity(body: bytes) -> dict[str, Any]:
    from kiosk.trust.envelope import parse_envelope

    try:
        doc = parse_envelope(body)
    except ConfigRejected:
        return {}
    return {"version": doc.version, "sha256": doc.sha256, "software_version": doc.payload.get("software_version")}
