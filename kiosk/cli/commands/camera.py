"""`kiosk diag camera`: grab one frame, run the face quality check, optionally save a snapshot.

Saving the snapshot is a technician's explicit action (--snapshot), the only way a camera picture reaches
disk; the face box is drawn on it so framing and detection can be judged at a glance.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

from devices.camera import Camera, parse_camera_url
from devices.errors import DeviceError
from devices.status import DeviceState
from kiosk.cli import exitcodes
from kiosk.config import ConfigError, FaceConfig, KioskConfig, load_config
from kiosk.face import FaceDetectorUnavailable, FaceQualityChecker, FaceThresholds, QualityReport, wipe_array
from kiosk.home import KioskHome

BOX_COLOUR = (0, 255, 0)  # BGR green
_SNAPSHOT_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    parser = groups["diag"].add_parser("camera", help="capture one frame and check the face picture quality")
    parser.add_argument("--device", metavar="URL", help="camera URL (default: the configured camera)")
    parser.add_argument("--snapshot", metavar="FILE.png", help="save the frame with the detected face box")
    parser.add_argument("--width", type=int, help="requested frame width")
    parser.add_argument("--height", type=int, help="requested frame height")
    parser.add_argument("--fps", type=float, help="requested frame rate")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for a frame (default 5)")
    parser.set_defaults(handler=run_diag_camera)


def _usage(message: str) -> int:
    print(f"kiosk diag camera: {message}", file=sys.stderr)
    return exitcodes.USAGE


def _configured_camera(config: KioskConfig | None) -> tuple[str, dict[str, object]]:
    for device in config.devices.values() if config is not None else ():
        if device.kind == "camera":
            return device.url, dict(device.options)
    raise ConfigError("no camera is configured; pass --device URL")


def _load_config(args: argparse.Namespace) -> KioskConfig | None:
    try:
        return load_config(KioskHome.resolve(args.home).config_file)
    except ConfigError:
        if not args.device:
            raise
        return None  # an explicit --device works even with a broken configuration


def run_diag_camera(args: argparse.Namespace) -> int:
    if args.snapshot and Path(args.snapshot).suffix.lower() not in _SNAPSHOT_SUFFIXES:
        return _usage(f"--snapshot must end in one of {', '.join(_SNAPSHOT_SUFFIXES)}")
    try:
        config = _load_config(args)
        url, options = (args.device, {}) if args.device else _configured_camera(config)
        options.update({k: v for k in ("width", "height", "fps") if (v := getattr(args, k)) is not None})
        options.setdefault("probe_timeout_s", args.timeout)
        parse_camera_url(url, options)
    except (ValueError, ConfigError) as error:
        return _usage(str(error))
    thresholds = FaceThresholds.from_config(config.face if config is not None else FaceConfig())
    camera = Camera.from_settings("camera", url, options)
    try:
        return _capture_and_check(camera, args, thresholds)
    finally:
        camera.close()


def _capture_and_check(camera: Camera, args: argparse.Namespace, thresholds: FaceThresholds) -> int:
    camera.open()
    if camera.status.state is not DeviceState.ONLINE:
        status = camera.status
        print(f"kiosk diag camera: camera {status.state.value} ({status.last_error})", file=sys.stderr)
        return exitcodes.DEVICE_ERROR
    try:
        frame = camera.capture(timeout=args.timeout)
    except DeviceError as error:
        print(f"kiosk diag camera: capture failed: {error.code}: {error}", file=sys.stderr)
        return exitcodes.DEVICE_ERROR
    try:
        report = FaceQualityChecker(thresholds).check(frame)
        _print_report(camera, frame, report)
        if args.snapshot:
            return _save_snapshot(frame, report, Path(args.snapshot))
        return exitcodes.OK
    except FaceDetectorUnavailable as error:
        print(f"kiosk diag camera: {error}", file=sys.stderr)
        return exitcodes.FAILURE
    finally:
        wipe_array(frame)
        camera.wipe()


def _print_report(camera: Camera, frame: np.ndarray, report: QualityReport) -> None:
    height, width = frame.shape[:2]
    print(f"camera: {camera.source.settings.url} {width}x{height}")
    print(f"faces: {len(report.faces)}", end="")
    if report.face is not None:
        box = report.face
        print(f" largest at x={box.x} y={box.y} w={box.width} h={box.height}", end="")
    print()
    sharpness = "-" if report.sharpness is None else f"{report.sharpness:.0f}"
    print(f"brightness: {report.brightness:.0f}  sharpness: {sharpness}")
    print(f"quality: {report.instruction.key} ({report.instruction.zh} / {report.instruction.en})")


def _save_snapshot(frame: np.ndarray, report: QualityReport, path: Path) -> int:
    annotated = frame.copy()
    thickness = max(2, frame.shape[1] // 200)
    for box in report.faces:
        cv2.rectangle(annotated, (box.x, box.y), (box.x + box.width, box.y + box.height), BOX_COLOUR, thickness)
    try:
        written = cv2.imwrite(str(path), annotated)
    except cv2.error as error:
        written = False
        print(f"kiosk diag camera: {error}", file=sys.stderr)
    finally:
        wipe_array(annotated)
    if not written:
        print(f"kiosk diag camera: cannot write {path}", file=sys.stderr)
        return exitcodes.FAILURE
    print(f"snapshot: {path}")
    return exitcodes.OK
