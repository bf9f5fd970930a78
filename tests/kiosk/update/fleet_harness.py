"""Simulated appliance kiosks against the real fleet server on loopback: each has its own appliance root
(factory slot, A/B slots, boot.json), data home, trust root and fleet enrolment; its "process" is the update
agent, started the way systemd and the launcher start the app (kiosk.update.boot.choose, the start record,
the launcher's database downgrade after a failed trial), so a restart or a crash is a new `boot()`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.fleet.enrol import enrol
from kiosk.fleet.state import load_credentials
from kiosk.home import KioskHome
from kiosk.trust import make_signed, provision_trust_root, sign
from kiosk.trust.envelope import envelope_file_bytes
from kiosk.update import boot
from kiosk.update.agent import StepOutcome, UpdateAgent, UpdatePorts, UpdateSettings
from kiosk.update.boot import Layout
from kiosk.update.channel import ReleaseChannel
from kiosk.update.health import OK, HealthVerdict
from kiosk.update.release import RELEASE_TYPE
from tests.kiosk.update.packages import BuiltPackage, app_tree

CHANNEL = "county"
ADMIN_TOKEN = "update-test-admin-token"
WINDOW_S = 60.0
WAITING = {"unchanged", "no_release", "health_pending", "waiting_for_quiet", "rejected", "offline", "noop",
           "committed", "rolled_back", "applied", "refused", "not_enrolled", "error", "no_space"}  # fmt: skip


@dataclass(frozen=True)
class InterpreterLayout(Layout):
    """Slots whose interpreter is this test's (it has the project installed), so the launcher's real
    `python -m kiosk.update.schema downgrade` runs; the unpacked trees still link the system Python."""

    def python(self, slot: str) -> Path:
        tree = self.slot_dir(slot) / "venv" / "bin" / "python"
        return Path(sys.executable) if tree.is_symlink() or tree.exists() else tree


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class AdminApi:
    def __init__(self, url: str) -> None:
        self.url = url + "/api/v1"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"

    def call(self, method: str, path: str, expect: int | tuple[int, ...] = 200, **kwargs: Any) -> Any:
        response = self.http.request(method, self.url + path, timeout=30, **kwargs)
        wanted = (expect,) if isinstance(expect, int) else expect
        assert response.status_code in wanted, f"{method} {path}: {response.status_code} {response.text[:300]}"
        return response.json() if response.content else None

    def upload_package(self, package: BuiltPackage, chunk: int = 64 * 1024) -> None:
        state = self.call("POST", "/packages", (200, 201), json={"sha256": package.sha256, "size": package.size,
                                                                  "filename": package.path.name})  # fmt: skip
        data = package.path.read_bytes()
        while not state["complete"]:
            offset = state["received"]
            state = self.call("PUT", f"/packages/{package.sha256}/content", params={"offset": offset},
                              data=data[offset : offset + chunk])  # fmt: skip

    def push(self, document: bytes) -> dict[str, Any]:
        return self.call("POST", "/documents", (200, 201), data=document, headers={"Content-Type": "application/json"})

    def history(self, kiosk_id: str) -> list[dict[str, Any]]:
        return self.call("GET", f"/kiosks/{kiosk_id}/reports")["items"]


def release_document(key: Ed25519PrivateKey, version: int, package: BuiltPackage, *, channels=(CHANNEL,),
                     kiosk_ids=(), allow_downgrade: bool = False, min_config_schema: int = 1) -> bytes:  # fmt: skip
    payload = {"software_version": package.version, "min_config_schema": min_config_schema,
               "allow_downgrade": allow_downgrade,
               "package": {"filename": package.path.name, "sha256": package.sha256, "size": package.size}}  # fmt: skip
    signed = make_signed(RELEASE_TYPE, payload, version=version, expires=datetime.now(UTC) + timedelta(days=7),
                         kiosk_ids=kiosk_ids, channels=channels)  # fmt: skip
    return envelope_file_bytes(sign(signed, [key]))


@dataclass
class SimulatedKiosk:
    kiosk_id: str
    layout: Layout
    home: KioskHome
    clock: FakeClock
    bad_versions: set[str]
    on_start: Callable[[SimulatedKiosk], None] = lambda kiosk: None  # what the software does when it starts
    quiet: bool = True
    exits: list[str] = field(default_factory=list)
    agent: UpdateAgent | None = None
    slot: str = boot.FACTORY
    _channel: ReleaseChannel | None = None

    @classmethod
    def make(cls, root: Path, kiosk_id: str, server_url: str, admin: AdminApi, key: Ed25519PrivateKey,
             clock: FakeClock, *, heads: dict[str, str] | None = None, group: str | None = None,
             bad_versions: set[str] | None = None) -> SimulatedKiosk:  # fmt: skip
        layout = InterpreterLayout(root / kiosk_id / "var-lib", root / kiosk_id / "usr-lib" / "app")
        app_tree(layout.factory, "0.1.0", heads)
        home = KioskHome(layout.home).ensure()
        provision_trust_root(home, kiosk_id, [key.public_key()], 1, [CHANNEL])
        token = admin.call("POST", "/enrolment-tokens", 201, json={"group": group, "channels": [CHANNEL]})["token"]
        enrol(home, server_url, token, retries=0)
        kiosk = cls(kiosk_id, layout, home, clock, bad_versions or set())
        kiosk.boot()
        return kiosk

    # -- what systemd and the launcher do -------------------------------------------------------------
    def boot(self) -> str:
        """A start: the launcher's choice (and its downgrade after a failed trial), then the app."""
        choice = boot.choose(self.layout, now=self.clock())
        state = boot.read_boot_state(self.layout)
        if not choice.trial and state.failed_trial and state.failed_trial.get("downgrade") == "pending":
            state.failed_trial["downgrade"] = boot.downgrade_after_failed_trial(self.layout, state, choice.slot)
            boot.write_boot_state(self.layout, state)
        boot.record_start(self.layout, choice.slot, now=self.clock())
        self.slot = choice.slot
        if self._channel is not None:
            self._channel.close()
        self._channel = ReleaseChannel(load_credentials(self.home))
        self.agent = UpdateAgent(UpdatePorts(
            layout=self.layout, home=self.home, running_slot=self.slot, channel=self._channel,
            config_schema=lambda: 1, quiet_moment=lambda: self.quiet, health=self._health,
            usable_kinds=lambda: ["idcard"], request_exit=self.exits.append, clock=self.clock,
        ), UpdateSettings(health_window_s=WINDOW_S, poll_interval_s=30, retry_s=5))  # fmt: skip
        self.on_start(self)
        return self.slot

    def _health(self, baseline: list[str]) -> HealthVerdict:
        assert baseline == ["idcard"]  # what worked before the switch reaches the verdict
        return HealthVerdict(False, "self_test:idcard") if self.version in self.bad_versions else OK

    @property
    def version(self) -> str:
        return (boot.slot_release(self.layout, self.slot) or {}).get("version", "?")

    def run(self, max_steps: int = 40) -> StepOutcome:
        """Step the agent until it waits; an exit it asks for is a planned restart."""
        assert self.agent is not None
        for _ in range(max_steps):
            exits = len(self.exits)
            outcome = self.agent.step()
            if len(self.exits) > exits:
                boot.mark_clean_exit(self.layout)
                self.boot()
                continue
            if outcome.kind in WAITING:
                return outcome
        raise AssertionError(f"the agent did not settle in {max_steps} steps: last {outcome}")

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()
