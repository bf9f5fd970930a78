"""The boot chooser: trial attempts, fall-back with the failed slot's reason, commit, unreadable state, and
the start records the crash-loop detector reads."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from kiosk.update import boot
from kiosk.update.boot import FACTORY, TRIAL_ATTEMPTS, choose, read_boot_state
from tests.kiosk.update.packages import app_tree, factory_layout


@pytest.fixture
def layout(tmp_path):
    layout = factory_layout(tmp_path)
    app_tree(layout.slot_dir("a"), "0.2.0")
    return layout


def test_a_fresh_install_boots_the_factory_slot(tmp_path):
    layout = factory_layout(tmp_path)
    assert choose(layout).slot == FACTORY
    assert not layout.boot_file.exists()  # nothing to remember yet


def test_a_trial_gets_its_attempts_then_falls_back_with_crash_loop(layout):
    boot.begin_trial(layout, "a", "0.2.0")
    choices = [choose(layout, now=100.0 + i) for i in range(TRIAL_ATTEMPTS + 1)]
    assert [c.slot for c in choices] == ["a"] * TRIAL_ATTEMPTS + [FACTORY]
    assert [c.trial for c in choices] == [True] * TRIAL_ATTEMPTS + [False]
    state = read_boot_state(layout)
    assert state.trying is None and state.primary == FACTORY
    assert state.failed_trial == {"slot": "a", "version": "0.2.0", "reason": "crash_loop", "at": 103.0,
                                  "downgrade": "pending"}  # fmt: skip
    assert choose(layout).slot == FACTORY  # and stays there


def test_an_aborted_trial_falls_back_at_the_next_start_with_its_reason(layout):
    boot.begin_trial(layout, "a", "0.2.0")
    assert choose(layout).slot == "a"
    boot.abort_trial(layout, "a", "device:idcard")
    choice = choose(layout)
    assert choice.slot == FACTORY and choice.fell_back_from["reason"] == "device:idcard"


def test_a_commit_makes_the_trial_primary_and_keeps_the_old_one_as_previous(layout):
    boot.begin_trial(layout, "a", "0.2.0")
    choose(layout)
    boot.commit_trial(layout, "a")
    state = read_boot_state(layout)
    assert (state.primary, state.previous, state.trying) == ("a", FACTORY, None)
    assert choose(layout).slot == "a"
    assert boot.current_slot(layout) == "a"


def test_a_slot_that_cannot_boot_is_never_chosen(layout):
    boot.begin_trial(layout, "a", "0.2.0")
    (layout.slot_dir("a") / "venv" / "bin" / "python").unlink()  # damaged after the switch was decided
    choice = choose(layout)
    assert choice.slot == FACTORY and choice.fell_back_from["reason"] == "not_bootable"


def test_a_primary_that_lost_its_tree_falls_back_to_previous_then_factory(layout):
    boot.begin_trial(layout, "a", "0.2.0")
    choose(layout)
    boot.commit_trial(layout, "a")
    (layout.slot_dir("a") / "RELEASE.json").unlink()
    assert choose(layout).slot == FACTORY


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"primary": "z"}', b"[1, 2]",
                                     b'{"primary": "a", "trying": {"slot": "a"}}'])  # fmt: skip
def test_an_unreadable_boot_state_boots_the_factory_slot(layout, content):
    layout.boot_file.write_bytes(content)
    assert choose(layout).slot == FACTORY


def test_the_primary_cannot_go_on_trial_and_only_the_trial_can_commit(layout):
    with pytest.raises(ValueError):
        boot.begin_trial(layout, FACTORY, "0.1.0")
    with pytest.raises(ValueError):
        boot.commit_trial(layout, "a")
    boot.begin_trial(layout, "a", "0.2.0")
    with pytest.raises(ValueError):
        boot.abort_trial(layout, "b", "x")


def test_start_records_are_bounded_and_a_planned_exit_is_marked_clean(layout):
    for i in range(boot.MAX_STARTS + 5):
        boot.record_start(layout, FACTORY, now=float(i))
    starts = boot.read_starts(layout)
    assert len(starts) == boot.MAX_STARTS and starts[-1]["at"] == boot.MAX_STARTS + 4.0
    assert boot.mark_clean_exit(layout) is True
    assert boot.read_starts(layout)[-1]["clean"] is True
    assert boot.mark_clean_exit(layout, pid=os.getpid() + 100000) is False


def test_the_launcher_script_runs_on_the_system_python_without_the_project(layout, tmp_path):
    """boot.py is installed alone and run by /usr/bin/python3 -I: it must import nothing of the project."""
    script = tmp_path / "boot.py"
    script.write_bytes(open(boot.__file__, "rb").read())
    env = {"KIOSK_APPLIANCE_ROOT": str(layout.root), "KIOSK_FACTORY_SLOT": str(layout.factory), "PATH": "/usr/bin"}
    result = subprocess.run(["/usr/bin/python3", "-I", str(script), "status"], env=env, capture_output=True,
                            text=True, check=True)  # fmt: skip
    assert json.loads(result.stdout)["current"] == FACTORY
    bad = subprocess.run(["/usr/bin/python3", "-I", str(script), "bogus"], env=env, capture_output=True, check=False)
    assert bad.returncode == 2
