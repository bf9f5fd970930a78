"""Presentation attacks as a camera sees them: a printed photo and a phone screen held up to the kiosk.

Both are flat, so they are drawn as a sheet turned in 3D and projected (a homography): every point of the
face moves as one plane, with none of the parallax of a real head. The print gets a paper margin and an
ink look; the phone gets a bezel, its pixel grid (red, green and blue sub-pixel stripes, which the camera
samples at a rate that does not divide the grid: moire) and a glare streak from the room's light.
"""

from __future__ import annotations

import functools
import math

import cv2
import numpy as np

_FOCAL = 1.1  # focal length in frame widths: a wide-angle kiosk camera


def printed(portrait: np.ndarray) -> np.ndarray:
    """The portrait as a photo print: white margin, less contrast, a warm paper tint."""
    ink = cv2.convertScaleAbs(portrait, alpha=0.82, beta=28)
    ink = cv2.GaussianBlur(ink, (0, 0), 0.8)
    tinted = np.clip(ink.astype(np.int16) + np.array([-10, 0, 6], np.int16), 0, 255).astype(np.uint8)
    margin = max(6, portrait.shape[1] // 16)
    return cv2.copyMakeBorder(tinted, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=(236, 240, 242))


def on_screen(content: np.ndarray, pixels_high: int = 300) -> np.ndarray:
    """`content` shown on a phone: a bezel around a screen of `pixels_high` rows of RGB-striped pixels."""
    height = pixels_high
    width = max(8, round(content.shape[1] * height / content.shape[0]))
    shown = cv2.resize(content, (width, height), interpolation=cv2.INTER_AREA)
    # Each screen pixel is three sub-pixel columns (B, G, R order in BGR) and a dark gap row: 3x3 cells.
    cells = cv2.resize(shown, (width * 3, height * 3), interpolation=cv2.INTER_NEAREST)
    lit = cv2.multiply(cells, _pixel_grid(height, width), dtype=cv2.CV_8U, scale=1 / 255)
    lit = cv2.GaussianBlur(lit, (0, 0), 0.7)  # the camera's lens softens the grid; what is left aliases
    bezel = max(4, lit.shape[1] // 14)
    phone = cv2.copyMakeBorder(lit, bezel * 2, bezel * 2, bezel, bezel, cv2.BORDER_CONSTANT, value=(18, 18, 20))
    return _glare(phone)


@functools.lru_cache(maxsize=4)
def _pixel_grid(height: int, width: int) -> np.ndarray:
    """Gain (x255) of each sub-pixel: seen through the glass from half a metre the stripes are faint."""
    stripes = np.zeros((3, 3, 3), np.float32)
    for column, channel in enumerate((2, 1, 0)):
        stripes[:, column, channel] = 1.0
    stripes[2] *= 0.5
    grid = (0.85 + 0.45 * np.tile(stripes, (height, width, 1))) * 255
    return np.clip(grid, 0, 65535).astype(np.uint16)


def _glare(phone: np.ndarray) -> np.ndarray:
    """A diagonal band of reflected ceiling light across the glass."""
    return cv2.add(phone, _glare_band(*phone.shape[:2]))


@functools.lru_cache(maxsize=4)
def _glare_band(height: int, width: int) -> np.ndarray:
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    distance = (xs * 0.8 - ys * 0.6 + 0.15 * width) / max(width, height)
    band = (np.exp(-((distance - 0.05) ** 2) / (2 * 0.05**2)) * 90).astype(np.uint8)
    return cv2.merge([band, band, band])


def hold_up(
    frame: np.ndarray, sheet: np.ndarray, *, height_share: float, yaw: float, pitch: float, dx: float, dy: float
) -> np.ndarray:
    """Composite a flat sheet onto the frame, turned by yaw/pitch degrees and shifted by dx/dy frame shares."""
    frame_h, frame_w = frame.shape[:2]
    sheet_h, sheet_w = sheet.shape[:2]
    half_h = frame_h * height_share / 2
    half_w = half_h * sheet_w / sheet_h
    corners = np.array([[-half_w, -half_h, 0], [half_w, -half_h, 0], [half_w, half_h, 0], [-half_w, half_h, 0]])
    a, b = math.radians(yaw), math.radians(pitch)
    turn = np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])
    tilt = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    rotated = corners @ (tilt @ turn).T
    focal = _FOCAL * frame_w
    centre = np.array([frame_w * (0.5 + dx), frame_h * (0.5 + dy)])
    projected = centre + focal * rotated[:, :2] / (focal + rotated[:, 2:3])
    source = np.array([[0, 0], [sheet_w, 0], [sheet_w, sheet_h], [0, sheet_h]], dtype=np.float32)
    homography = cv2.getPerspectiveTransform(source, projected.astype(np.float32))
    # Linear sampling of the sheet, as a lens with no anti-alias filter: the screen grid aliases into moire.
    warped = cv2.warpPerspective(sheet, homography, (frame_w, frame_h), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((sheet_h, sheet_w), 255, np.uint8), homography, (frame_w, frame_h))
    out = frame.copy()
    out[mask > 127] = warped[mask > 127]
    return out
