"""Installing into the inactive slot from a real .deb: the tree and its md5sums, the release file, refusals
that leave no slot behind, and the choice of slot."""

from __future__ import annotations

import json
import subprocess

import pytest

from kiosk.update import boot
from kiosk.update.boot import slot_release
from kiosk.update.debpkg import PackageError, control_fields, md5sums
from kiosk.update.slots import inactive_slot, install_package, partial_dir
from tests.kiosk.update.packages import build_package, factory_layout


@pytest.fixture
def layout(tmp_path):
    return factory_layout(tmp_path)


def test_a_package_unpacks_into_the_slot_with_every_file_checked(layout, tmp_path):
    package = build_package(tmp_path, "0.2.0")
    assert control_fields(package.path)["Version"] == "0.2.0"
    assert any(path.endswith("RELEASE.json") for path in md5sums(package.path))
    info = install_package(layout, package.path, "a", "0.2.0")
    assert info.files == 3 and info.release["version"] == "0.2.0"
    assert slot_release(layout, "a")["version"] == "0.2.0"
    assert (layout.slot_dir("a") / "venv" / "bin" / "python").resolve().name.startswith("python3")
    assert not partial_dir(layout, "a").exists()


def test_a_package_for_another_version_is_refused_and_leaves_no_slot(layout, tmp_path):
    package = build_package(tmp_path, "0.3.0")
    with pytest.raises(PackageError, match=r"0\.3\.0"):
        install_package(layout, package.path, "a", "0.2.0")
    assert not layout.slot_dir("a").exists() and not partial_dir(layout, "a").exists()


def test_another_package_name_is_refused(layout, tmp_path):
    package = build_package(tmp_path, "0.2.0", name="not-the-kiosk")
    with pytest.raises(PackageError, match="not-the-kiosk"):
        install_package(layout, package.path, "a", "0.2.0")


def test_a_damaged_package_is_refused(layout, tmp_path):
    package = build_package(tmp_path, "0.2.0")
    data = bytearray(package.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    package.path.write_bytes(bytes(data))
    with pytest.raises(PackageError):
        install_package(layout, package.path, "a", "0.2.0")
    assert not layout.slot_dir("a").exists()


def test_a_file_that_does_not_match_the_md5sums_is_refused(layout, tmp_path):
    package = build_package(tmp_path, "0.2.0")
    staging = tmp_path / "staging-0.2.0"
    (staging / "usr/lib/police-kiosk/app/venv/lib/python3.11/site-packages/kiosk_stub/__init__.py").write_text("x=1\n")
    subprocess.run(["dpkg-deb", "-Zgzip", "--build", str(staging), str(package.path)], check=True, capture_output=True)
    with pytest.raises(PackageError, match="md5sums"):
        install_package(layout, package.path, "a", "0.2.0")


def test_a_leftover_partial_tree_is_replaced(layout, tmp_path):
    partial_dir(layout, "a").mkdir(parents=True)
    (partial_dir(layout, "a") / "junk").write_text("half a power cut")
    install_package(layout, build_package(tmp_path, "0.2.0").path, "a", "0.2.0")
    assert not (layout.slot_dir("a") / "junk").exists()


def test_the_inactive_slot_is_never_the_primary_nor_the_trial_and_the_previous_goes_last(layout, tmp_path):
    assert inactive_slot(layout) == "a"
    install_package(layout, build_package(tmp_path, "0.2.0").path, "a", "0.2.0")
    boot.begin_trial(layout, "a", "0.2.0")
    assert inactive_slot(layout) == "b"
    boot.choose(layout)
    boot.commit_trial(layout, "a")  # primary a, previous factory
    assert inactive_slot(layout) == "b"
    state = boot.read_boot_state(layout)
    state.primary, state.previous = "b", "a"
    boot.write_boot_state(layout, state)
    assert inactive_slot(layout) == "a"  # the only free one, even though it is the previous
    newer = build_package(tmp_path, "0.4.0")
    with pytest.raises(ValueError):
        install_package(layout, newer.path, "b", "0.4.0")  # the primary is never written
    install_package(layout, newer.path, "a", "0.4.0")
    assert boot.read_boot_state(layout).previous is None  # forgotten before its tree was rewritten
    assert json.loads((layout.slot_dir("a") / "RELEASE.json").read_text())["version"] == "0.4.0"
    assert boot.read_boot_state(layout).primary == "b"
