"""Whose face is whose: the demo citizens' registry photos (data/photos/<id_number>.jpg) are real
photographs, and the camera simulator's portrait of the same person (devices/camera/portraits) is, where
a licence-compatible second photo exists, a different photograph (see that folder's README.md).

ZHAO and ZHOU have no registry photo (a citizen the kiosk must refer to the counter).
"""

from __future__ import annotations

import cv2
import numpy as np

from server.sandbox.demo_data import LI, LIU, SUN, WANG, ZHANG

# Demo citizen -> the camera simulator's portrait id showing the same person.
LIVE_PORTRAITS: dict[str, str] = {ZHANG: "p1", LI: "p2", WANG: "p3", SUN: "p4", LIU: "p5"}
# Registry photo and live portrait are two different photographs of the same person only here.
DIFFERENT_PHOTOS: frozenset[str] = frozenset({ZHANG})


def encode_jpeg(image: np.ndarray, quality: int = 90) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return data.tobytes()
