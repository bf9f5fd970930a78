"""Passive evidence gathered over one attempt: is this a flat picture or a screen?"""

from __future__ import annotations

import numpy as np

from faceengine.detect import FaceBox
from faceengine.liveness import cues, keys
from faceengine.liveness.settings import LivenessSettings


class Evidence:
    def __init__(self, settings: LivenessSettings) -> None:
        self.settings = settings
        self.saw_face = False
        self.parallax_frames = 0
        self.planar_frames = 0
        self.screen_frames = 0
        self.attack: str | None = None

    def add(self, frame: np.ndarray, box: FaceBox, planarity: cues.Planarity) -> bool:
        """One analysed frame; returns whether it showed parallax (depth)."""
        parallax = planarity.homography_residual >= self.settings.parallax_min
        self.parallax_frames += parallax
        if (planarity.deformation >= self.settings.planar_min_deformation
                and planarity.homography_residual <= self.settings.planar_max_residual):  # fmt: skip
            self.planar_frames += 1
        # Glare alone is too common on pale skin and white backgrounds: it only backs up a weaker moire.
        moire = cues.moire_ratio(frame, box) / self.settings.moire_chroma_ratio
        glare = cues.glare_fraction(frame, box) >= self.settings.glare_fraction
        self.screen_frames += moire >= 1.0 or (glare and moire >= 0.5)
        if self.screen_frames >= self.settings.screen_frames:
            self.attack = keys.REASON_SCREEN
        return parallax

    @property
    def planar_suspected(self) -> bool:
        """The face was turned as a sheet (foreshortened) many times but never showed depth."""
        return self.planar_frames >= self.settings.planar_frames and self.parallax_frames == 0
