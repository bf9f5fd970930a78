"""Liveness driven frame by frame by the camera simulator in simulated time (no sleeping)."""

from __future__ import annotations

import random

import pytest

from devices.camera.sim import CameraSimulator
from devices.camera.url import CaptureMode
from devices.operation import Deadline
from faceengine import FaceEngine
from faceengine.liveness import ALL_KEYS, CHALLENGES, LivenessProgress, LivenessSession, LivenessSettings, keys

FPS = 15.0


def _run(scenario: str, portrait: str, seed: int, **sim_options: object) -> tuple[LivenessProgress, LivenessSession, list[LivenessProgress]]:
    sim = CameraSimulator("t", scenario=scenario, portrait=portrait, pace=False, mode=CaptureMode(640, 480, FPS), **sim_options)
    session = LivenessSession(random.Random(seed))
    seen = []
    for _ in range(int(3 * 6.0 * FPS) + 10):  # every attempt's budget, bounded
        progress = session.feed(sim.next_frame(None, Deadline(1.0)), sim.scene_time)
        seen.append(progress)
        if progress.finished:
            return progress, session, seen
    raise AssertionError("the session never finished")


@pytest.mark.parametrize("portrait", ["p1", "p4", "p5"])
def test_a_cooperative_person_is_live_within_the_budget(portrait: str) -> None:
    progress, session, seen = _run("live", portrait, seed=7)
    assert progress.live and progress.reason is None and progress.attempt == 1
    assert len(progress.challenges) == 2 and set(progress.challenges) <= set(CHALLENGES)
    assert progress.best is not None and progress.best.frame.any()
    asked = [p.challenge for p in seen if p.challenge]
    assert asked[0] == progress.challenges[0] and progress.challenges[1] in asked
    assert all(p.instruction in ALL_KEYS for p in seen)
    engine = FaceEngine()
    same = engine.compare(engine.enroll(progress.best.frame), progress.best)
    assert same.match
    best = progress.best
    session.wipe()
    assert not best.frame.any() and not best.landmarks.any()


def test_challenges_are_random_two_of_three() -> None:
    orders = {LivenessSession(random.Random(seed)).challenges for seed in range(30)}
    assert len(orders) == 6 and all(len(set(order)) == 2 for order in orders)


def test_a_printed_photo_is_refused_as_planar() -> None:
    progress, _, _ = _run("photo", "p1", seed=3)
    assert progress.state == "refused" and progress.reason == keys.REASON_PLANAR
    assert progress.instruction == keys.REFER_TO_STAFF and progress.best is None


@pytest.mark.parametrize("portrait", ["p1", "p2"])
def test_a_phone_replay_is_refused_as_a_screen(portrait: str) -> None:
    progress, _, _ = _run("screen", portrait, seed=3)
    assert progress.reason == keys.REASON_SCREEN and not progress.live


def test_a_person_who_does_nothing_gets_three_attempts_then_the_counter() -> None:
    progress, _, seen = _run("live", "p4", seed=1, cooperative=False)
    assert progress.reason == keys.REASON_TIMEOUT and progress.attempt == 3
    assert sum(p.instruction == keys.RETRY for p in seen) == 2


def test_on_demand_actions_complete_the_challenges() -> None:
    sim = CameraSimulator("t", scenario="live", portrait="p1", pace=False, mode=CaptureMode(640, 480, FPS), cooperative=False)
    session = LivenessSession(random.Random(11), settings=LivenessSettings(time_budget_s=60))
    progress = None
    for _ in range(300):
        progress = session.feed(sim.next_frame(None, Deadline(1.0)), sim.scene_time)
        if progress.finished:
            break
        if progress.challenge and sim.frames_served % 10 == 0:
            sim.act(progress.challenge)  # the citizen does what the screen says
    assert progress is not None and progress.live


def test_no_face_is_its_own_reason() -> None:
    progress, _, seen = _run("no_face", "p1", seed=2)
    assert progress.reason == keys.REASON_NO_FACE
    assert keys.NO_FACE in {p.instruction for p in seen}


def test_every_key_is_listed_once() -> None:
    assert len(ALL_KEYS) == len(set(ALL_KEYS))
    assert all(key.startswith(("liveness.", "guidance.")) for key in ALL_KEYS)
