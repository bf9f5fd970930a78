"""The fleet server's settings: from the environment by default, overridable in code (tests, `serve-fleet`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from server.guard.ratelimit import Rate

ENV_DB = "KIOSK_FLEET_DB"
ENV_ADMIN_TOKEN = "KIOSK_FLEET_ADMIN_TOKEN"
ENV_POLL_INTERVAL = "KIOSK_FLEET_POLL_INTERVAL"
ENV_PACKAGES = "KIOSK_FLEET_PACKAGES"
ENV_FILE_GROUP = "KIOSK_FLEET_FILE_GROUP"
DEFAULT_DB = "sqlite:///fleet.sqlite3"
ENROL_RATE = Rate(burst=20, per_minute=10)  # unauthenticated: per source address
PUBLIC_RATE = Rate(burst=120, per_minute=120)  # /healthz and unknown paths, per source address
LOGIN_FAILURE_RATE = Rate(burst=10, per_minute=2)  # failed logins/enrolments a source may make


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
    file_group: str | None = None  # database file 0640 and directory 0750 for this group (else 0600/0700)
    # Hostile input:
    kiosk_body_limit: int = 64 * 1024  # bytes, kiosk routes and enrolment
    admin_body_limit: int = 2 * 1024 * 1024  # bytes, admin routes (a document upload is at most 1 MiB)
    body_read_timeout_s: float = 30.0
    document_horizon_days: int = 400  # a document may expire at most this far ahead
    enrol_rate: Rate = ENROL_RATE
    public_rate: Rate = PUBLIC_RATE
    login_failure_rate: Rate = LOGIN_FAILURE_RATE
    alert_after_failures: int = 5  # failed logins or enrolments from one source in an hour -> alert

    @classmethod
    def from_env(cls, **overrides: object) -> FleetSettings:
        values: dict[str, object] = {
            "db_url": os.environ.get(ENV_DB, DEFAULT_DB),
            "admin_token": os.environ.get(ENV_ADMIN_TOKEN, ""),
            "poll_interval_s": int(os.environ.get(ENV_POLL_INTERVAL, "30")),
            "package_dir": os.environ.get(ENV_PACKAGES) or None,
            "file_group": os.environ.get(ENV_FILE_GROUP) or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
