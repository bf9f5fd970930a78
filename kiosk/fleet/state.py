"""What the fleet agent keeps on disk under KioskHome.root/fleet/:

  credentials.json  server URL, kiosk id and secret from enrolment (mode 0600)
  agent.json        the ETag of the last desired document handled, the server's poll interval, the
                    open health window, and the outbox of reports not yet acknowledged by the server
credentials.json is written durably (kiosk.trust.atomic: temp + fsync + rename + fsync dir). agent.json
changes several times per applied document, so it is only replaced atomically (temp + rename) without
fsync: a power cut may lose its last change, and an unreadable file counts as empty. Either way the ETag
is lost together with the reports it stood for, so the agent re-fetches and re-judges the document and
reports again - nothing is silently dropped. An unsent report survives a restart and is re-sent with the
same Idempotency-Key.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kiosk.home import KioskHome
from kiosk.trust.atomic import atomic_write_bytes

log = logging.getLogger(__name__)


class NotEnrolled(Exception):
    """No fleet credentials on this kiosk: run `kiosk fleet enrol` first."""


@dataclass(frozen=True)
class Credentials:
    server_url: str
    kiosk_id: str
    secret: str
    ca_file: str | None = None


@dataclass
class HealthWindow:
    version: int
    sha256: str
    deadline: float  # epoch seconds (the agent's clock)


@dataclass
class AgentState:
    etag: str | None = None  # of the last desired document fully handled (applied, no-op or rejected)
    poll_interval_s: float = 30.0
    health: HealthWindow | None = None
    outbox: list[dict[str, Any]] = field(default_factory=list)  # reports with their idempotency keys
    reported: dict[str, str] = field(default_factory=dict)  # sha256 -> last status the server acknowledged

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AgentState:
        health = data.get("health")
        return cls(
            etag=data.get("etag"),
            poll_interval_s=float(data.get("poll_interval_s", 30.0)),
            health=HealthWindow(**health) if health else None,
            outbox=list(data.get("outbox", [])),
            reported=dict(data.get("reported", {})),
        )


def fleet_dir(home: KioskHome) -> Path:
    return home.root / "fleet"


def credentials_file(home: KioskHome) -> Path:
    return fleet_dir(home) / "credentials.json"


def agent_state_file(home: KioskHome) -> Path:
    return fleet_dir(home) / "agent.json"


def save_credentials(home: KioskHome, credentials: Credentials) -> Path:
    path = credentials_file(home)
    atomic_write_bytes(path, (json.dumps(asdict(credentials), indent=2) + "\n").encode("utf-8"), mode=0o600)
    return path


def load_credentials(home: KioskHome) -> Credentials:
    path = credentials_file(home)
    if not path.exists():
        raise NotEnrolled(f"no fleet credentials at {path}; run `kiosk fleet enrol --server URL --token T`")
    return Credentials(**json.loads(path.read_text(encoding="utf-8")))


def load_agent_state(home: KioskHome) -> AgentState:
    path = agent_state_file(home)
    try:
        return AgentState.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return AgentState()
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        log.warning("fleet agent state %s is unreadable; starting afresh (the document will be re-judged)", path)
        return AgentState()


def save_agent_state(home: KioskHome, state: AgentState) -> None:
    path = agent_state_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(asdict(state), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temp, path)
