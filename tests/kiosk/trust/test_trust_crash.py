"""A failure or a crash at any step of apply leaves the old or the new config whole, never a mix.

The steps are the file-system calls that matter (os.fsync, os.replace). In-process, each one in turn
raises OSError; in a child process, each one in turn is preceded by SIGKILL.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.home import KioskHome
from kiosk.trust import apply_config, provision_trust_root, read_active, read_state

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from kiosk.home import KioskHome
    from kiosk.trust import apply_config

    home, document, kill_at = KioskHome(Path(sys.argv[1])), Path(sys.argv[2]).read_bytes(), int(sys.argv[3])
    steps = 0

    def killing(real):
        def step(*args, **kwargs):
            global steps
            steps += 1
            if steps == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return step

    os.fsync, os.replace = killing(os.fsync), killing(os.replace)
    apply_config(home, document)
    print(steps)
    """
)


def _prepared_home(base: Path, keys, make_doc) -> tuple[KioskHome, bytes, bytes]:
    """A provisioned home running v1; returns it, the v1 file bytes, and the v2 document."""
    home = KioskHome(base).ensure()
    provision_trust_root(home, "kiosk-7", [keys[0].public_key(), keys[1].public_key()], 2)
    apply_config(home, make_doc(version=1))
    return home, home.config_file.read_bytes(), make_doc(version=2)


def _assert_whole_and_recoverable(home: KioskHome, old: bytes, document: bytes) -> None:
    current = home.config_file.read_bytes()
    running = read_active(home)  # parses: never a torn file
    assert running.version in (1, 2)
    assert current == old or running.version == 2
    result = apply_config(home, document)  # the agent's retry converges
    assert result.outcome in ("applied", "noop")
    assert (read_active(home).version, read_state(home).version) == (2, 2)
    assert not list(home.config_dir.glob(".*.tmp"))


class _FailAt:
    def __init__(self, fail_at: int) -> None:
        self.fail_at, self.steps = fail_at, 0

    def wrap(self, real):
        def step(*args, **kwargs):
            self.steps += 1
            if self.steps == self.fail_at:
                raise OSError(5, "injected I/O error")
            return real(*args, **kwargs)

        return step


def _run_with_failure(monkeypatch, home: KioskHome, document: bytes, fail_at: int) -> int:
    injector = _FailAt(fail_at)
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", injector.wrap(os.fsync))
        patch.setattr(os, "replace", injector.wrap(os.replace))
        try:
            apply_config(home, document)
        except OSError as error:
            assert fail_at and "injected" in str(error)
    return injector.steps


def test_io_error_at_every_step(tmp_path, keys, make_doc, monkeypatch):
    home, _, document = _prepared_home(tmp_path / "dry", keys, make_doc)
    total = _run_with_failure(monkeypatch, home, document, fail_at=0)
    assert total >= 9  # previous, active, state: fsync file + replace + fsync dir each
    for fail_at in range(1, total + 1):
        home, old, document = _prepared_home(tmp_path / f"fail{fail_at}", keys, make_doc)
        _run_with_failure(monkeypatch, home, document, fail_at)
        _assert_whole_and_recoverable(home, old, document)


@pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL semantics")
def test_sigkill_before_every_step(tmp_path, keys, make_doc):
    template, old, document = _prepared_home(tmp_path / "template", keys, make_doc)
    doc_path = tmp_path / "v2.json"
    doc_path.write_bytes(document)

    def run_child(home: KioskHome, kill_at: int) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-c", CHILD, str(home.root), str(doc_path), str(kill_at)]
        return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)

    dry = KioskHome(tmp_path / "dry")
    shutil.copytree(template.root, dry.root)
    finished = run_child(dry, kill_at=0)
    assert finished.returncode == 0, finished.stderr
    total = int(finished.stdout)
    for kill_at in range(1, total + 1):
        home = KioskHome(tmp_path / f"kill{kill_at}")
        shutil.copytree(template.root, home.root)
        killed = run_child(home, kill_at)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        _assert_whole_and_recoverable(home, old, document)
