"""Synthetic portraits of fictional people, for registry photos and simulated live captures.

No real person's photo is ever needed: a portrait is drawn from a seed (the fictional person's ID
number), with per-person proportions and a per-person low-frequency skin texture, so two people score
apart while two captures of one person score together. The frontal-face cascade finds these faces.

    python -m server.sandbox.portraits OUT_DIR   # writes <id_number>.jpg for every demo citizen
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import cv2
import numpy as np


def _rng(seed: str) -> np.random.Generator:
    return np.random.default_rng(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big"))


def _texture(rng: np.random.Generator, size: int) -> np.ndarray:
    coarse = rng.normal(0.0, 1.0, (5, 5))
    return cv2.resize(coarse, (size, size), interpolation=cv2.INTER_CUBIC)


def draw_portrait(seed: str, size: int = 240) -> np.ndarray:
    """An 8-bit grayscale frontal portrait, the same for the same seed."""
    rng = _rng(seed)
    img = np.full((size, size), int(rng.integers(185, 225)), np.uint8)
    cx, cy = size // 2, size // 2 + int(rng.integers(-4, 5))
    fw, fh = int(size * rng.uniform(0.26, 0.33)), int(size * rng.uniform(0.37, 0.43))
    skin = int(rng.integers(140, 185))
    cv2.ellipse(img, (cx, cy), (fw, fh), 0, 0, 360, skin, -1)
    face_mask = img == skin
    shaded = img.astype(np.float64) + face_mask * _texture(rng, size) * rng.uniform(5, 8)
    img = np.clip(shaded, 0, 255).astype(np.uint8)
    _draw_hair(img, rng, (cx, cy), (fw, fh))
    eye_y = cy - int(fh * rng.uniform(0.08, 0.24))
    eye_dx = int(fw * rng.uniform(0.3, 0.55))
    brow_tilt = int(fh * rng.uniform(-0.04, 0.04))
    for side in (-1, 1):
        ex = cx + side * eye_dx
        cv2.ellipse(img, (ex, eye_y), (int(fw * rng.uniform(0.18, 0.24)), int(fh * 0.08)), 0, 0, 360, 70, -1)
        cv2.circle(img, (ex, eye_y), int(fh * 0.05), 20, -1)
        brow_y = eye_y - int(fh * rng.uniform(0.15, 0.22))
        cv2.line(img, (ex - int(fw * 0.25), brow_y + side * brow_tilt), (ex + int(fw * 0.25), brow_y), 50, 3)
    nose_tip = (cx + int(fw * rng.uniform(-0.1, 0.1)), cy + int(fh * rng.uniform(0.18, 0.3)))
    cv2.line(img, (cx, eye_y + int(fh * 0.1)), nose_tip, max(0, skin - 50), 3)
    mouth_y = cy + int(fh * rng.uniform(0.4, 0.62))
    mouth = (int(fw * rng.uniform(0.25, 0.45)), int(fh * rng.uniform(0.05, 0.1)))
    cv2.ellipse(img, (cx, mouth_y), mouth, 0, 0, 360, int(rng.integers(70, 110)), -1)
    if rng.random() < 0.4:  # glasses: dark frames joined by a bridge
        rim = (int(fw * 0.3), int(fh * 0.13))
        for side in (-1, 1):
            cv2.ellipse(img, (cx + side * eye_dx, eye_y), rim, 0, 0, 360, 25, max(2, size // 80))
        cv2.line(img, (cx - eye_dx + rim[0], eye_y), (cx + eye_dx - rim[0], eye_y), 25, max(2, size // 80))
    if rng.random() < 0.3:  # beard along the jaw
        cv2.ellipse(img, (cx, cy + int(fh * 0.35)), (int(fw * 0.85), int(fh * 0.6)), 0, 20, 160, 45, int(fh * 0.12))
    if rng.random() < 0.5:  # moustache
        cv2.ellipse(img, (cx, mouth_y - int(fh * 0.1)), (int(fw * 0.3), int(fh * 0.04)), 0, 0, 360, 45, -1)
    if rng.random() < 0.5:  # a mole somewhere on the cheeks
        side = 1 if rng.random() < 0.5 else -1
        mole = (cx + side * int(fw * rng.uniform(0.3, 0.6)), cy + int(fh * rng.uniform(0.1, 0.4)))
        cv2.circle(img, mole, max(2, size // 60), 30, -1)
    return cv2.GaussianBlur(img, (0, 0), size / 100)


def _draw_hair(img: np.ndarray, rng: np.random.Generator, centre: tuple[int, int], face: tuple[int, int]) -> None:
    """One of a few hair styles: the largest per-person difference in a frontal portrait."""
    (cx, cy), (fw, fh) = centre, face
    depth = rng.uniform(0.35, 0.55)
    cv2.ellipse(img, (cx, cy - int(fh * 0.55)), (int(fw * 1.05), int(fh * depth)), 0, 180, 360, 40, -1)
    style = int(rng.integers(0, 4))
    if style == 1:  # side locks down to the cheeks
        for side in (-1, 1):
            top = (cx + side * int(fw * 0.95), cy - int(fh * 0.55))
            cv2.rectangle(img, (top[0] - int(fw * 0.12), top[1]), (top[0] + int(fw * 0.12), cy + int(fh * 0.2)), 40, -1)
    elif style == 2:  # a fringe to one side
        side = 1 if rng.random() < 0.5 else -1
        points = np.array(
            [
                [cx - side * int(fw * 0.9), cy - int(fh * 0.6)],
                [cx + side * int(fw * 0.6), cy - int(fh * 0.6)],
                [cx - side * int(fw * 0.5), cy - int(fh * 0.4)],
            ],
            np.int32,
        )
        cv2.fillPoly(img, [points], 40)
    elif style == 3:  # long hair around the face
        cv2.ellipse(img, (cx, cy + int(fh * 0.1)), (int(fw * 1.25), int(fh * 1.0)), 0, 180, 360, 40, int(fw * 0.15))


def simulated_capture(portrait: np.ndarray, seed: int = 0, frame: tuple[int, int] = (320, 240)) -> np.ndarray:
    """The portrait as a camera would see it: shifted, rescaled, other lighting, sensor noise."""
    rng = np.random.default_rng(seed)
    width, height = frame
    side = int(min(frame) * rng.uniform(0.7, 0.8))
    face = cv2.resize(portrait, (side, side), interpolation=cv2.INTER_AREA).astype(np.float64)
    face = face * rng.uniform(0.8, 1.1) + rng.uniform(-15, 15)
    canvas = np.full((height, width), float(rng.integers(90, 160)))
    x = (width - side) // 2 + int(rng.integers(-10, 11))
    y = (height - side) // 2 + int(rng.integers(-4, 5))
    x, y = max(0, min(x, width - side)), max(0, min(y, height - side))
    canvas[y : y + side, x : x + side] = face
    canvas += rng.normal(0, 4, canvas.shape)
    return np.clip(canvas, 0, 255).astype(np.uint8)


def encode_jpeg(image: np.ndarray, quality: int = 90) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return data.tobytes()


def main(argv: list[str]) -> int:
    from server.sandbox.demo_data import CITIZENS  # late import: the data module is large

    if len(argv) != 1:
        print("usage: python -m server.sandbox.portraits OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for citizen in CITIZENS:
        if citizen.has_photo:
            (out / f"{citizen.id_number}.jpg").write_bytes(encode_jpeg(draw_portrait(citizen.id_number)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
