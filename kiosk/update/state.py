"""What the update agent keeps on disk (ROOT/update/state.json, replaced durably at every change):

  phase        idle | downloading | installing | installed | switching | trial | rolling_back | refused
  release      the release being worked on: its envelope, identity and package
  slot         the slot it goes into
  etag         of the last desired-release answer fully handled
  floor        the highest release document version accepted (the rollback floor, as for configurations)
  committed    the software this kiosk committed last, and the release document that brought it
  health_deadline, baseline_usable   the trial's health window and what worked before the switch
  outbox       reports not yet acknowledged by the fleet server, each with its Idempotency-Key

A power cut between two writes leaves the older state; every phase is written so that redoing it from the
older state is safe (see kiosk.update.agent).
"""

from __future__ import annotations

import enum
import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kiosk.update.boot import write_json_atomic

log = logging.getLogger(__name__)
MAX_OUTBOX = 50


class Phase(enum.StrEnum):
    IDLE = "idle"
    DOWNLOADING = "downloading"
    INSTALLING = "installing"
    INSTALLED = "installed"  # waiting for a quiet moment
    SWITCHING = "switching"  # boot.json puts the slot on trial; the app restarts into it
    TRIAL = "trial"  # the new slot runs its health window
    ROLLING_BACK = "rolling_back"  # the trial was aborted; the app restarts into the old slot
    REFUSED = "refused"  # the new slot failed but the databases cannot go back: a technician decides


@dataclass
class UpdateState:
    phase: str = Phase.IDLE
    release: dict[str, Any] | None = None  # {"envelope", "version", "sha256", "software_version", "package"}
    slot: str | None = None
    etag: str | None = None
    floor_version: int = 0
    floor_sha256: str | None = None
    committed_version: str | None = None  # software version; None = what the running slot says
    committed_sha256: str | None = None  # the release document that brought it
    health_deadline: float | None = None
    baseline_usable: list[str] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    last_error: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UpdateState:
        known = {name for name in cls.__dataclass_fields__}
        state = cls(**{key: value for key, value in data.items() if key in known})
        Phase(state.phase)  # raises ValueError on an unknown phase
        return state


def state_file(update_dir: Path) -> Path:
    return update_dir / "state.json"


def load_state(update_dir: Path) -> UpdateState:
    path = state_file(update_dir)
    try:
        return UpdateState.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return UpdateState()
    except (OSError, ValueError, TypeError) as error:
        # Written atomically, so this is outside interference: start afresh; the release is re-judged.
        log.error("update state %s unreadable (%s); starting afresh", path, type(error).__name__)
        return UpdateState()


def save_state(update_dir: Path, state: UpdateState) -> None:
    state.outbox = state.outbox[-MAX_OUTBOX:]
    write_json_atomic(state_file(update_dir), asdict(state))
