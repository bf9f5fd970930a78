"""Fixtures for the journal tests: a real SQLite journal on a temp file, a settable clock, the fakes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.journal import Journal
from tests.kiosk.journal.journal_fakes import FileBackend, SettableClock


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
def journal(tmp_path: Path, clock: SettableClock) -> Iterator[Journal]:
    with Journal.open(f"sqlite:///{tmp_path / 'journal.sqlite3'}", kiosk_id="test-kiosk",
                      secret_path=tmp_path / "journal.secret", clock=clock) as opened:  # fmt: skip
        yield opened


@pytest.fixture
def backend(tmp_path: Path) -> FileBackend:
    return FileBackend(tmp_path / "backend.json")
