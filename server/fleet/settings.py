"""The fleet server's settings: from the environment by default, overridable in code (tests, `serve-fleet`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

ENV_DB = "KIOSK_FLEET_DB"
ENV_ADMIN_TOKEN = "KIOSK_FLEET_ADMIN_TOKEN"
ENV_POLL_INTERVAL = "KIOSK_FLEET_POLL_INTERVAL"
ENV_PACKAGES = "KIOSK_FLEET_PACKAGES"
DEFAULT_DB = "sqlite:///fleet.sqlite3"


@dataclass(frozen=True)
class FleetSettings:
    db_url: str = DEFAULT_DB
    admin_token: str = ""  # bearer token of the administrators; empty = admin API refused
    poll_interval_s: int = 30  # suggested to kiosks in X-Poll-Interval
    silent_after_intervals: int = 3  # no heartbeat for N x interval -> "silent" alert
    token_ttl_s: int = 7 * 24 * 3600  # default life of an enrolment token
    page_limit_max: int = 500
    consumables: tuple[str, ...] = field(default=("paper", "ribbon", "cards", "toner"))
    package_dir: str | None = None  # software packages (server.fleet.packages); default: beside the SQLite file
    package_chunk_bytes: int = 1024 * 1024  # the largest upload chunk of a package

    @classmethod
    def from_env(cls, **overrides: object) -> FleetSettings:
        values: dict[str, object] = {
            "db_url": os.environ.get(ENV_DB, DEFAULT_DB),
            "admin_token": os.environ.get(ENV_ADMIN_TOKEN, ""),
            "poll_interval_s": int(os.environ.get(ENV_POLL_INTERVAL, "30")),
            "package_dir": os.environ.get(ENV_PACKAGES) or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
