"""Face engine and liveness figures on this machine, and PAD error rates in ISO/IEC 30107-3 terms.

(1) one comparison of a 640x480 capture against a reference template (detect, landmarks, embedding,
    distance): median ms, goal <= 250 ms; (2) liveness analysis alone (LivenessSession.feed), frames/s,
    goal >= 10; (3) the preview quality check, every other frame, frames/s, goal >= 15;
(4) APCER per attack type (photo, screen: share of attack presentations accepted as live) and BPCER on
    live scenarios (live, other_person: share of bona fide presentations refused), on the camera
    simulator with every shipped portrait and several challenge orders.

Run: .venv/bin/python benchmarks/bench_face.py [--quick]     Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

import cv2

from devices.camera import Camera, scenes
from devices.camera import sim as camera_sim
from devices.camera.sim import CameraSimulator
from devices.camera.url import CaptureMode
from devices.operation import Deadline
from faceengine import FaceEngine
from faceengine.liveness import LivenessSession
from kiosk.face import FaceQualityChecker
from server.sandbox.settings import DEFAULT_PHOTO_DIR

FPS = 15.0
GOALS = {"compare_ms": 250.0, "liveness_fps": 10.0, "preview_fps": 15.0}


def compare_ms(runs: int = 25) -> float:
    engine = FaceEngine()
    reference = engine.enroll(cv2.imread(str(DEFAULT_PHOTO_DIR / "110105198503121234.jpg")))
    capture = scenes.compose_shipped("face", "p1", 640, 480)
    engine.compare(reference, capture)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        engine.compare(reference, capture)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def session(scenario: str, portrait: str, seed: int) -> tuple[bool, str | None, int, float]:
    """One liveness session in simulated time: (live, reason, frames, seconds spent in feed())."""
    sim = CameraSimulator("bench", scenario=scenario, portrait=portrait, pace=False, mode=CaptureMode(640, 480, FPS))
    liveness = LivenessSession(random.Random(seed))
    analysis, frames = 0.0, 0
    for _ in range(int(3 * 6.0 * FPS) + 10):
        frame = sim.next_frame(None, Deadline(1.0))
        start = time.perf_counter()
        progress = liveness.feed(frame, sim.scene_time)
        analysis += time.perf_counter() - start
        frames += 1
        if progress.finished:
            break
    liveness.wipe()
    return progress.live, progress.reason, frames, analysis


def preview_fps(frames: int = 60) -> float:
    camera_sim.forget_all()
    checker = FaceQualityChecker()
    camera = Camera.from_settings("camera", "simcam://bench?pace=0&scenario=live")
    camera.open()
    start = time.perf_counter()
    for index, frame in enumerate(camera.frames(limit=frames)):
        if index % 2 == 0:
            checker.check(frame)
    elapsed = time.perf_counter() - start
    camera.close()
    return frames / elapsed


def pad_rates(seeds: int) -> tuple[dict[str, tuple[int, int, dict[str, int]]], float]:
    """{scenario: (accepted as live, presentations, reasons)} and the liveness analysis rate (frames/s)."""
    rates: dict[str, tuple[int, int, dict[str, int]]] = {}
    total_frames, total_time = 0, 0.0
    for scenario in ("live", "other_person", "photo", "screen"):
        accepted, count, reasons = 0, 0, {}
        for portrait in scenes.portrait_ids():
            for seed in range(seeds):
                live, reason, frames, spent = session(scenario, portrait, seed)
                accepted += live
                count += 1
                reasons[reason or "live"] = reasons.get(reason or "live", 0) + 1
                total_frames, total_time = total_frames + frames, total_time + spent
        rates[scenario] = (accepted, count, reasons)
    return rates, total_frames / total_time


def main(argv: list[str]) -> int:
    seeds = 1 if "--quick" in argv else 4
    figures = {"compare_ms": compare_ms()}
    rates, figures["liveness_fps"] = pad_rates(seeds)
    figures["preview_fps"] = preview_fps()
    print(f"comparison, 640x480 capture vs reference template: median {figures['compare_ms']:6.1f} ms (goal <= 250)")
    print(f"liveness analysis:                                  {figures['liveness_fps']:6.1f} frames/s (goal >= 10)")
    print(f"preview, quality check every other frame:           {figures['preview_fps']:6.1f} frames/s (goal >= 15)")
    for scenario, (accepted, count, reasons) in rates.items():
        if scenario in ("photo", "screen"):
            print(f"APCER {scenario:12s} {accepted}/{count} = {accepted / count:.1%}   outcomes {reasons}")
        else:
            refused = count - accepted
            print(f"BPCER {scenario:12s} {refused}/{count} = {refused / count:.1%}   outcomes {reasons}")
    ok = (figures["compare_ms"] <= GOALS["compare_ms"] and figures["liveness_fps"] >= GOALS["liveness_fps"]
          and figures["preview_fps"] >= GOALS["preview_fps"])  # fmt: skip
    print("goals met" if ok else "goal MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
