from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera import parse_camera_url, scenes
from devices.camera.sim import SCENARIOS, CameraSimulator, SimFrameSource, SimulatedUnplug, get_simulator
from devices.camera.url import CaptureMode
from devices.errors import DeviceUnavailable
from devices.operation import Deadline


def _frame(sim: CameraSimulator) -> np.ndarray:
    frame = sim.next_frame(None, Deadline(1.0))
    assert frame is not None
    return frame


def test_shipped_portraits_are_small_distinct_jpegs_with_a_licence_note() -> None:
    ids = scenes.portrait_ids()
    assert ids[:3] == ["p1", "p2", "p3"]
    for portrait_id in ids:
        path = scenes.PORTRAIT_DIR / f"{portrait_id}.jpg"
        assert path.stat().st_size < 100_000
        assert scenes.load_portrait(portrait_id).shape[2] == 3
    assert not np.array_equal(scenes.load_portrait("p1"), scenes.load_portrait("p2"))
    note = (scenes.PORTRAIT_DIR / "README.md").read_text(encoding="utf-8")
    assert all(portrait_id in note for portrait_id in ids) and "Public domain" in note


def test_frames_have_the_requested_mode_and_scenarios_differ() -> None:
    sim = CameraSimulator("s", pace=False, mode=CaptureMode(320, 240, 30.0))
    frames = {}
    for scenario in SCENARIOS:
        if scenario in ("lost", "stalled"):
            continue
        sim.set_scenario(scenario)
        frames[scenario] = _frame(sim)
        assert frames[scenario].shape == (240, 320, 3) and frames[scenario].dtype == np.uint8
    assert frames["too_dark"].mean() < frames["face"].mean() / 4
    assert cv2.Laplacian(frames["blurred"], cv2.CV_64F).var() < cv2.Laplacian(frames["face"], cv2.CV_64F).var() / 10
    assert not np.array_equal(frames["face"], frames["no_face"])


def test_present_and_remove_change_what_the_camera_sees() -> None:
    sim = CameraSimulator("s", scenario="no_face", pace=False)
    empty = _frame(sim).copy()
    sim.present("p2")
    assert (sim.scenario, sim.portrait) == ("live", "p2")
    with_p2 = _frame(sim).copy()
    sim.present("p3")
    assert not np.array_equal(with_p2, _frame(sim))
    sim.remove()
    assert np.array_equal(empty, _frame(sim))


def test_unknown_scenario_or_portrait_is_refused_and_keeps_the_scene() -> None:
    sim = CameraSimulator("s", pace=False)
    with pytest.raises(ValueError):
        sim.set_scenario("smoke")
    with pytest.raises(KeyError):
        sim.present("nobody")
    assert (sim.scenario, sim.portrait) == ("face", "p1")


def test_added_portrait_can_be_presented() -> None:
    sim = CameraSimulator("s", pace=False)
    grey = cv2.cvtColor(scenes.load_portrait("p3"), cv2.COLOR_BGR2GRAY)
    sim.add_portrait("registry-7", grey)
    sim.present("registry-7")
    assert "registry-7" in sim.portrait_ids()
    assert _frame(sim).shape == (480, 640, 3)


def test_lost_scenario_unplugs_after_some_frames_and_replug_recovers() -> None:
    sim = CameraSimulator("s", scenario="lost", lose_after=2, pace=False)
    _frame(sim)
    _frame(sim)
    with pytest.raises(SimulatedUnplug):
        sim.next_frame(None, Deadline(1.0))
    assert not sim.plugged
    sim.replug()
    assert sim.plugged and sim.scenario == "face"
    assert _frame(sim) is not None


def test_stalled_camera_gives_no_frame_before_the_deadline() -> None:
    sim = CameraSimulator("s", scenario="stalled", pace=False)
    assert sim.next_frame(None, Deadline(0.0)) is None


def test_sequence_folder_is_played_in_order(tmp_path: Path) -> None:
    for index, value in enumerate((40, 200)):
        cv2.imwrite(str(tmp_path / f"{index:02d}.png"), np.full((60, 80, 3), value, np.uint8))
    sim = CameraSimulator("s", pace=False, sequence_dir=tmp_path)
    first, second, third = (_frame(sim).copy() for _ in range(3))
    centre = (240, 320)
    assert (first[centre][0], second[centre][0], third[centre][0]) == (40, 200, 40)


def test_empty_sequence_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        CameraSimulator("s", sequence_dir=tmp_path)


def test_source_reaches_the_named_instance_and_maps_unplug() -> None:
    source = SimFrameSource(parse_camera_url("simcam://named?pace=0&scenario=no_face"))
    source.open()
    sim = get_simulator("named")
    assert sim is not None and sim.scenario == "no_face"
    assert source.read(Deadline(1.0)) is not None
    sim.unplug()
    with pytest.raises(DeviceUnavailable):
        source.read(Deadline(1.0))
    assert not source.is_open
    with pytest.raises(DeviceUnavailable):
        source.open()


def test_wipe_zeroes_the_reused_buffer() -> None:
    source = SimFrameSource(parse_camera_url("simcam://w?pace=0"))
    source.open()
    frame = source.read(Deadline(1.0))
    assert frame is not None and frame.any()
    source.wipe()
    assert not frame.any()
