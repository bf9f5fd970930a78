"""A power cut at every step of an update: after each durable write of the agent and the launcher (boot.json,
the start records, the agent's state), after a download is complete but before it is renamed, and after a
slot is unpacked but before it is renamed, the machine dies. Each time the launcher must find a bootable
slot, and after the restart the update must reach the same end as without the cut: a good release
committed, a bad one rolled back - reported to the fleet exactly so."""

from __future__ import annotations

import pytest

from kiosk.update import boot, download, slots, state
from kiosk.update.state import Phase
from tests.kiosk.update.fleet_harness import WINDOW_S
from tests.kiosk.update.test_update_agent import publish, statuses


class PowerCut(BaseException):
    """The machine loses power: nothing after this point runs (not even `except Exception` handlers)."""


class Injector:
    """Counts durable operations; the armed one completes, then the power goes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count, self.cut_at = 0, 0
        self.names: list[str] = []
        original = boot.write_json_atomic

        def write(path, data):
            original(path, data)
            self._tick(f"write {path.name}")

        for module in (boot, state):
            monkeypatch.setattr(module, "write_json_atomic", write)
        for module, name in ((download, "file_sha256"), (slots, "_compile")):
            monkeypatch.setattr(module, name, self._before(getattr(module, name), f"{module.__name__}.{name}"))

    def _before(self, function, name: str):
        def wrapped(*args, **kwargs):
            self._tick(name)
            return function(*args, **kwargs)

        return wrapped

    def _tick(self, name: str) -> None:
        self.count += 1
        self.names.append(name)
        if self.count == self.cut_at:
            raise PowerCut(name)

    def arm(self, at: int) -> None:
        self.count, self.cut_at, self.names = 0, at, []


def settle(kiosk, clock, injector: Injector | None = None, rounds: int = 6) -> bool:
    """Drive the kiosk to the end of the update (restarting it after a cut); True when a cut happened."""
    cut = False
    for _ in range(rounds):
        try:
            kiosk.run()
            clock.advance(WINDOW_S + 1)
            kiosk.run()
        except PowerCut:
            cut = True
            if injector is not None:
                injector.arm(0)
            chosen = boot.current_slot(kiosk.layout)
            assert boot.slot_release(kiosk.layout, chosen) is not None, "no bootable slot after the cut"
            kiosk.boot()  # the machine comes back: no clean exit was recorded
            continue
        if kiosk.agent.state.phase == Phase.IDLE and kiosk.agent.state.outbox == []:
            return cut
    raise AssertionError(f"no end reached; phase {kiosk.agent.state.phase}")


def count_operations(make_kiosk, admin, release_key, package, clock, monkeypatch, bad: bool) -> list[str]:
    injector = Injector(monkeypatch)
    kiosk = make_kiosk("K-COUNT", bad_versions={package.version} if bad else set())
    publish(admin, release_key, package, 1, kiosk_ids=(kiosk.kiosk_id,), channels=())
    injector.arm(10**9)
    assert settle(kiosk, clock) is False
    return injector.names


@pytest.mark.parametrize("bad", [False, True], ids=["good-release", "bad-release"])
def test_a_power_cut_at_every_step_leaves_a_bootable_kiosk_and_the_same_end(
    make_kiosk, admin, release_key, releases, clock, monkeypatch, bad
):
    package = releases["0.3.0" if bad else "0.2.0"]
    operations = count_operations(make_kiosk, admin, release_key, package, clock, monkeypatch, bad)
    assert {"write boot.json", "write state.json", "write starts.json", "kiosk.update.slots._compile",
            "kiosk.update.download.file_sha256"} <= set(operations)  # fmt: skip
    injector = Injector(monkeypatch)
    for at in range(1, len(operations) + 1):
        kiosk = make_kiosk(f"K-{at:02d}", bad_versions={package.version} if bad else set())
        publish(admin, release_key, package, 1, kiosk_ids=(kiosk.kiosk_id,), channels=())
        injector.arm(at)
        assert settle(kiosk, clock, injector), f"no cut at operation {at} ({operations[at - 1]})"
        final = [s for s, _ in statuses(admin, kiosk.kiosk_id)][-1]
        state_now = boot.read_boot_state(kiosk.layout)
        if bad:
            assert (final, kiosk.version, state_now.primary) == ("rolled_back", "0.1.0", boot.FACTORY), at
        else:
            assert (final, kiosk.version, state_now.primary) == ("applied", "0.2.0", kiosk.slot), at
        assert state_now.trying is None
