"""Liveness limits, in one typed place (kiosk.config.FaceConfig carries the ones a deployment may tune)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class LivenessSettings:
    """Times in seconds; sizes as shares of the frame width; landmark measures as documented in docs/face.md."""

    challenges_per_attempt: int = 2
    time_budget_s: float = 6.0  # per attempt, for all its challenges
    max_attempts: int = 3
    baseline_frames: int = 3  # frontal frames that set the citizen's own open-eye and straight-ahead values
    detect_every: int = 2  # full detection every n-th frame; landmarks track the face in between
    min_face_fraction: float = 0.12
    max_face_fraction: float = 0.6
    min_brightness: float = 40.0
    blink_closed_ratio: float = 0.75  # eyes closed: aspect ratio below this share of the open-eye baseline
    blink_open_ratio: float = 0.88  # and open again above this share
    turn_delta: float = 0.2  # nose position between the cheeks (-1..1) moved this far from the baseline
    # Residuals of the rigid landmarks against the frontal baseline, in inter-ocular distances.
    parallax_min: float = 0.045  # homography residual beyond landmark noise: the face showed depth (3-D)
    planar_min_deformation: float = 0.04  # a similarity cannot explain the motion: turned in depth...
    planar_max_residual: float = 0.032  # ...yet a homography can: a flat sheet
    planar_frames: int = 4
    moire_chroma_ratio: float = 0.15  # high- to low-frequency energy of the face's colour channels
    glare_fraction: float = 0.06  # share of the face box blown out to white
    screen_frames: int = 3

    @classmethod
    def from_config(cls, config: Any) -> LivenessSettings:
        """Settings from any object with some of these names as attributes (e.g. FaceConfig's liveness_* fields)."""
        values = {}
        for item in fields(cls):
            name = f"liveness_{item.name}"
            if hasattr(config, name):
                values[item.name] = getattr(config, name)
        return cls(**values)
