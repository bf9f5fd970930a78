"""`kiosk diag face-compare` and `kiosk diag liveness`: the face engine and liveness from a shell.

    kiosk diag face-compare A.jpg B.jpg [--json]    exit 0 same person, 3 different people,
                                                     4 an image without a usable face, 2 unreadable file
    kiosk diag liveness --device URL [--json]       exit 0 live, 3 refused (attack or challenges not done),
                                                     4 no face or camera error

Only the verdict, score and threshold are printed: never a picture, a landmark or an embedding.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable

from devices.camera import Camera
from devices.camera.sim import SimFrameSource
from devices.errors import DeviceError
from devices.status import DeviceState
from faceengine import DEFAULT_THRESHOLD, FaceEngine, FaceEngineError, UnreadableImage, read_image_file, wipe
from faceengine.liveness import LivenessSession, LivenessSettings, keys
from kiosk.cli import exitcodes

DIFFERENT = 3
NO_USABLE_FACE = 4
LIVENESS_REFUSED = 3


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    compare = groups["diag"].add_parser("face-compare", help="compare the largest faces of two image files")
    compare.add_argument("image_a")
    compare.add_argument("image_b")
    compare.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="match threshold (0..1)")
    compare.add_argument("--json", action="store_true")
    compare.set_defaults(handler=run_face_compare)
    live = groups["diag"].add_parser("liveness", help="run the liveness challenge against a camera")
    live.add_argument("--device", metavar="URL", required=True, help="camera URL, e.g. /dev/video0 or simcam://live")
    live.add_argument("--seed", type=int, help="fix the challenge order (default: random)")
    live.add_argument("--json", action="store_true")
    live.set_defaults(handler=run_liveness)


def _fail(command: str, message: str, code: int) -> int:
    print(f"kiosk diag {command}: {message}", file=sys.stderr)
    return code


def run_face_compare(args: argparse.Namespace) -> int:
    if not 0.0 <= args.threshold <= 1.0:
        return _fail("face-compare", "--threshold must be within 0..1", exitcodes.USAGE)
    images = []
    try:
        for path in (args.image_a, args.image_b):
            try:
                images.append(read_image_file(path))
            except (OSError, UnreadableImage) as error:
                return _fail("face-compare", f"{path}: cannot read the image ({error})", exitcodes.USAGE)
        engine = FaceEngine(args.threshold)
        try:
            reference = engine.enroll(images[0])
        except FaceEngineError as error:
            return _fail("face-compare", f"{args.image_a}: {error} ({error.code})", NO_USABLE_FACE)
        try:
            result = engine.compare(reference, images[1])
        except FaceEngineError as error:
            return _fail("face-compare", f"{args.image_b}: {error} ({error.code})", NO_USABLE_FACE)
        finally:
            reference.wipe()
    finally:
        wipe(*images)
    report = {"match": result.match, "score": round(result.score, 4), "threshold": result.threshold}
    if args.json:
        print(json.dumps(report))
    else:
        verdict = "same person" if result.match else "different people"
        print(f"{verdict}: score {report['score']:.3f} (threshold {result.threshold:.2f}, {result.engine_version})")
    return exitcodes.OK if result.match else DIFFERENT


def run_liveness(args: argparse.Namespace) -> int:
    try:
        camera = Camera.from_settings("camera", args.device)
    except ValueError as error:
        return _fail("liveness", str(error), exitcodes.USAGE)
    session = LivenessSession(random.Random(args.seed) if args.seed is not None else None)
    try:
        camera.open()
        if camera.status.state is not DeviceState.ONLINE:
            return _report(args, {"live": False, "challenges": [], "reason": f"camera.{camera.status.state.value}"})
        clock = _frame_clock(camera)
        progress = None
        for frame in camera.frames(limit=_frame_limit(session.settings)):
            progress = session.feed(frame, clock())
            wipe(frame)
            if progress.finished:
                break
    except DeviceError as error:
        return _report(args, {"live": False, "challenges": [], "reason": f"camera.{error.code}"})
    finally:
        session.wipe()
        camera.close()
    if progress is None:
        return _report(args, {"live": False, "challenges": [], "reason": keys.REASON_NO_FACE})
    reason = progress.reason or ("" if progress.live else keys.REASON_TIMEOUT)
    return _report(args, {"live": progress.live, "challenges": list(progress.challenges), "reason": reason})


def _frame_clock(camera: Camera) -> Callable[[], float]:
    """Scene time for an unpaced simulator (it runs faster than the wall clock), else the monotonic clock."""
    source = camera.source
    if isinstance(source, SimFrameSource) and not source.simulator.pace:
        return lambda: source.simulator.scene_time
    return time.monotonic


def _frame_limit(settings: LivenessSettings) -> int:
    """A bound on the loop: every attempt at a generous 60 frames/s."""
    return int(settings.max_attempts * settings.time_budget_s * 60) + 60


def _report(args: argparse.Namespace, report: dict[str, object]) -> int:
    if args.json:
        print(json.dumps(report))
    else:
        state = "live" if report["live"] else f"refused ({report['reason']})"
        print(f"liveness: {state}; challenges: {', '.join(report['challenges']) or '-'}")  # type: ignore[arg-type]
    if report["live"]:
        return exitcodes.OK
    reason = str(report["reason"])
    if reason.startswith("camera.") or reason == keys.REASON_NO_FACE:
        return NO_USABLE_FACE
    return LIVENESS_REFUSED
