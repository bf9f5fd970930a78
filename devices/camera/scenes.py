"""Pictures the camera simulator shows, composed at run time from the shipped portraits.

Only the portraits (real photographs, see portraits/README.md) and their precomputed landmarks ship as
files; every scenario image (a blink, a turned head, a print or phone held up, dark, blurred, small, two
people) is derived here, so the package stays small and each scenario is reproducible.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import cv2
import numpy as np

from devices.camera import attacks
from devices.camera.behaviour import PlaneMotion
from devices.camera.warp import PortraitRig, Pose

PORTRAIT_DIR = Path(__file__).with_name("portraits")

# Portrait heights as a share of the frame height; a portrait's face is ~45 % of its width.
_NEAR_HEIGHT = 0.9  # a citizen at the kiosk: face ~23 % of a 4:3 frame's width
_FAR_HEIGHT = 0.34  # a citizen standing back: face ~9 % of the width, below the 12 % minimum
_PAIR_HEIGHT = 0.75
_DARK_GAIN = 0.12
_MOTION_BLUR_PX = 31


def portrait_ids() -> list[str]:
    """Ids of the shipped portraits ("p1", "p2", ...), in order."""
    return sorted((path.stem for path in PORTRAIT_DIR.glob("p*.jpg")), key=lambda s: (len(s), s))


@functools.lru_cache(maxsize=16)
def _portrait(portrait_id: str) -> np.ndarray:
    if portrait_id not in portrait_ids():
        raise KeyError(f"unknown portrait {portrait_id!r}; shipped: {portrait_ids()}")
    image = cv2.imread(str(PORTRAIT_DIR / f"{portrait_id}.jpg"), cv2.IMREAD_COLOR)
    if image is None:
        raise OSError(f"cannot decode portrait {portrait_id!r}")
    image.flags.writeable = False
    return image


def load_portrait(portrait_id: str) -> np.ndarray:
    """A shipped portrait as a BGR array (a copy the caller may change)."""
    return _portrait(portrait_id).copy()


def load_landmarks(portrait_id: str) -> np.ndarray | None:
    """The 68 precomputed landmarks of a shipped portrait (scripts/prepare_portraits.py), or None."""
    path = PORTRAIT_DIR / f"{portrait_id}.json"
    if not path.is_file():
        return None
    return np.array(json.loads(path.read_text())["landmarks"], dtype=np.float32)


@functools.lru_cache(maxsize=16)
def portrait_rig(portrait_id: str) -> PortraitRig | None:
    """A shipped portrait ready to blink and turn, or None when it has no landmarks."""
    landmarks = load_landmarks(portrait_id)
    return None if landmarks is None else PortraitRig(_portrait(portrait_id), landmarks)


@functools.lru_cache(maxsize=4)
def _background(width: int, height: int) -> np.ndarray:
    """A lit wall with tiles: textured, so an empty frame is still sharp (no person is not 'blurred')."""
    rows = np.linspace(150, 205, height, dtype=np.float32)[:, None]
    cols = np.linspace(0, 25, width, dtype=np.float32)[None, :]
    grey = (rows + cols).astype(np.uint8)
    image = cv2.merge([grey, grey, np.clip(grey.astype(np.int16) + 8, 0, 255).astype(np.uint8)])
    tile = max(16, width // 16)
    for x in range(0, width, tile):
        cv2.line(image, (x, 0), (x, height - 1), (120, 120, 128), 1)
    for y in range(0, height, tile):
        cv2.line(image, (0, y), (width - 1, y), (120, 120, 128), 1)
    image.flags.writeable = False
    return image


def background(width: int, height: int) -> np.ndarray:
    return _background(width, height).copy()


def _paste(frame: np.ndarray, portrait: np.ndarray, height_share: float, centre_x: float) -> None:
    """Scale a portrait to a share of the frame height and stand it on the frame's bottom edge."""
    frame_h, frame_w = frame.shape[:2]
    new_h = max(8, int(frame_h * height_share))
    new_w = max(8, int(portrait.shape[1] * new_h / portrait.shape[0]))
    scaled = cv2.resize(portrait, (new_w, new_h), interpolation=cv2.INTER_AREA)
    x0 = int(frame_w * centre_x - new_w / 2)
    y0 = frame_h - new_h
    # Clip to the frame so a portrait near an edge is cut off like a person half out of view.
    left, right = max(0, x0), min(frame_w, x0 + new_w)
    frame[y0 : y0 + new_h, left:right] = scaled[:, left - x0 : right - x0]


def compose(
    scenario: str, portrait: np.ndarray, width: int, height: int, second: np.ndarray | None = None
) -> np.ndarray:
    """The frame a scenario shows with the given portrait(s). Unknown scenarios raise ValueError."""
    frame = background(width, height)
    if scenario in ("face", "too_dark", "blurred", "lost", "stalled"):
        _paste(frame, portrait, _NEAR_HEIGHT, 0.5)
    elif scenario == "face_too_small":
        _paste(frame, portrait, _FAR_HEIGHT, 0.5)
    elif scenario == "two_faces":
        _paste(frame, portrait, _PAIR_HEIGHT, 0.27)
        _paste(frame, portrait if second is None else second, _PAIR_HEIGHT, 0.73)
    elif scenario != "no_face":
        raise ValueError(f"unknown camera scenario {scenario!r}")
    return apply_condition(frame, scenario)


def compose_posed(portrait: np.ndarray | PortraitRig, pose: Pose, width: int, height: int) -> np.ndarray:
    """A live person at the kiosk in a pose (a rig warps; a plain picture can only be shown as it is)."""
    frame = background(width, height)
    picture = portrait.render(pose) if isinstance(portrait, PortraitRig) else portrait
    _paste(frame, picture, _NEAR_HEIGHT, 0.5)
    return frame


def compose_print(portrait: np.ndarray, t: float, width: int, height: int, motion: PlaneMotion = PlaneMotion()) -> np.ndarray:
    """A printed photo of the portrait held up and turned like a head would be, at time t."""
    yaw, pitch, dx, dy = motion.at(t)
    sheet = attacks.printed(portrait)
    return attacks.hold_up(background(width, height), sheet, height_share=0.95, yaw=yaw, pitch=pitch, dx=dx, dy=dy)


def compose_screen(content: np.ndarray, t: float, width: int, height: int) -> np.ndarray:
    """A phone replaying `content` (a frame of a recorded live person) held up to the camera, at time t."""
    yaw, pitch, dx, dy = PlaneMotion(yaw_degrees=6.0, period_s=3.1).at(t)
    phone = attacks.on_screen(content)
    return attacks.hold_up(background(width, height), phone, height_share=0.9, yaw=yaw, pitch=pitch, dx=dx, dy=dy)


def compose_shipped(scenario: str, portrait_id: str, width: int = 640, height: int = 480) -> np.ndarray:
    """A scenario frame with a shipped portrait (two_faces adds the next shipped portrait)."""
    others = [p for p in portrait_ids() if p != portrait_id]
    second = _portrait(others[0]) if others else None
    return compose(scenario, _portrait(portrait_id), width, height, second)


def apply_condition(frame: np.ndarray, scenario: str) -> np.ndarray:
    """Lighting and motion conditions on top of a scene (also used on image sequences)."""
    if scenario == "too_dark":
        return cv2.convertScaleAbs(frame, alpha=_DARK_GAIN, beta=0)
    if scenario == "blurred":
        kernel = np.full((1, _MOTION_BLUR_PX), 1.0 / _MOTION_BLUR_PX, dtype=np.float32)  # sideways sway
        return cv2.filter2D(cv2.GaussianBlur(frame, (0, 0), 2.0), -1, kernel)
    return frame


def fit_to_frame(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """An arbitrary picture (from a sequence folder) letterboxed onto a frame of the capture size."""
    frame = background(width, height)
    scale = min(width / image.shape[1], height / image.shape[0])
    new_w, new_h = max(1, int(image.shape[1] * scale)), max(1, int(image.shape[0] * scale))
    scaled = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_AREA)
    x0, y0 = (width - new_w) // 2, (height - new_h) // 2
    frame[y0 : y0 + new_h, x0 : x0 + new_w] = scaled
    return frame
