"""The one data directory that holds everything the kiosk writes: config, journal, logs, spool."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_VAR = "KIOSK_HOME"


@dataclass(frozen=True)
class KioskHome:
    root: Path

    @classmethod
    def resolve(cls, explicit: str | os.PathLike[str] | None = None) -> KioskHome:
        """--home beats KIOSK_HOME beats the platform's user data directory."""
        chosen = explicit or os.environ.get(ENV_VAR) or platformdirs.user_data_dir("police-kiosk", appauthor=False)
        return cls(Path(chosen).expanduser().resolve())

    def ensure(self) -> KioskHome:
        for path in (self.root, self.config_dir, self.log_dir, self.spool_dir):
            path.mkdir(parents=True, exist_ok=True)
        return self

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    @property
    def config_file(self) -> Path:
        return self.config_dir / "active.json"

    @property
    def journal_url(self) -> str:
        return f"sqlite:///{self.root / 'journal.sqlite3'}"

    @property
    def audit_file(self) -> Path:
        return self.root / "audit.sqlite3"

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    @property
    def spool_dir(self) -> Path:
        return self.root / "spool"
