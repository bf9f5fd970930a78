"""Prepares the shipped face pictures from their public-domain sources (see devices/camera/portraits/README.md).

    python scripts/prepare_portraits.py live SOURCE OUT.jpg        # 360x450 head-and-shoulders camera portrait
    python scripts/prepare_portraits.py registry SOURCE OUT.jpg    # 358x441 ID-photo framing (registry photo)
    python scripts/prepare_portraits.py landmarks [PORTRAIT_DIR]   # writes pN.json (68 points) next to each pN.jpg

The camera simulator reads the landmark JSON instead of running dlib (devices/ never imports faceengine).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2
import numpy as np

from faceengine import FaceEngine

PORTRAIT_DIR = Path(__file__).resolve().parent.parent / "devices" / "camera" / "portraits"
# (output size, face-box width as a share of the output width, face-box top as a share of the height)
FRAMINGS = {"live": ((360, 450), 0.433, 0.26), "registry": ((358, 441), 0.50, 0.27)}


def crop(source: Path, framing: str) -> np.ndarray:
    image = cv2.imread(str(source), cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit(f"cannot read {source}")
    (out_w, out_h), face_share, top_share = FRAMINGS[framing]
    box = FaceEngine().observe(image).box
    crop_w = box.width / face_share
    scale = out_w / crop_w
    centre_x = box.x + box.width / 2
    x0 = centre_x - crop_w / 2
    y0 = box.y - top_share * out_h / scale
    # An affine map straight to the output size; pixels beyond the source repeat its edge.
    matrix = np.array([[scale, 0, -x0 * scale], [0, scale, -y0 * scale]], dtype=np.float64)
    return cv2.warpAffine(image, matrix, (out_w, out_h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)


def write_landmarks(folder: Path) -> None:
    engine = FaceEngine()
    for path in sorted(folder.glob("p*.jpg")):
        observation = engine.observe(cv2.imread(str(path), cv2.IMREAD_COLOR))
        record = {"size": [observation.frame.shape[1], observation.frame.shape[0]],
                  "box": [observation.box.x, observation.box.y, observation.box.width, observation.box.height],
                  "landmarks": [[round(float(x), 1), round(float(y), 1)] for x, y in observation.landmarks]}  # fmt: skip
        path.with_suffix(".json").write_text(json.dumps(record, separators=(",", ":")) + "\n")
        print(f"{path.with_suffix('.json')}: 68 points")


def main(argv: list[str]) -> int:
    if argv[:1] == ["landmarks"] and len(argv) <= 2:
        write_landmarks(Path(argv[1]) if len(argv) == 2 else PORTRAIT_DIR)
        return 0
    if len(argv) == 3 and argv[0] in FRAMINGS:
        picture = crop(Path(argv[1]), argv[0])
        cv2.imwrite(argv[2], picture, [cv2.IMWRITE_JPEG_QUALITY, 85])
        print(f"{argv[2]}: {picture.shape[1]}x{picture.shape[0]}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
