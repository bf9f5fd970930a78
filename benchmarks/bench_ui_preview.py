"""GUI-thread cost of one live face-preview frame on the QML screen (copy to QImage + paint the mirrored picture,
the oval mask and the face frame at the preview's size) against the 66 ms budget of a 15 fps preview, and of
drawing a payment QR code.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ui_preview.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage, QPainter

from ui.app import application
from ui.camera import frame_to_image
from ui.quick_items import CameraView, QrCode

FRAMES = 60
PREVIEW = (1000, 1060)  # the preview's size on the portrait screen


class Feed(QObject):
    frameChanged = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.image: QImage | None = None
        self.face_box: tuple[int, int, int, int] | None = None


def per_frame_ms(width: int, height: int) -> float:
    view, feed = CameraView(), Feed()
    view.setWidth(PREVIEW[0])
    view.setHeight(PREVIEW[1])
    view.feed = feed
    target = QImage(*PREVIEW, QImage.Format.Format_ARGB32_Premultiplied)
    frame = np.random.default_rng(1).integers(0, 255, (height, width, 3), dtype=np.uint8)
    start = time.perf_counter()
    for _ in range(FRAMES):
        feed.image = frame_to_image(frame)
        feed.face_box = (width // 3, height // 4, width // 3, height // 2)
        painter = QPainter(target)
        view.paint(painter)
        painter.end()
    return (time.perf_counter() - start) / FRAMES * 1000


def qr_ms() -> float:
    qr = QrCode()
    qr.setWidth(700)
    qr.setHeight(700)
    target = QImage(700, 700, QImage.Format.Format_ARGB32_Premultiplied)
    start = time.perf_counter()
    for index in range(20):
        qr.text = f"https://pay.example.cn/o/JT20240077?amount=33000&sign=0123456789abcdef{index}"
        painter = QPainter(target)
        qr.paint(painter)
        painter.end()
    return (time.perf_counter() - start) / 20 * 1000


def main() -> None:
    app = application(sys.argv[:1])
    for width, height in ((640, 480), (1280, 720), (1920, 1080)):
        print(f"preview {width}x{height}: {per_frame_ms(width, height):.1f} ms per frame (budget 66 ms at 15 fps)")
    print(f"payment QR (make + paint): {qr_ms():.1f} ms")
    app.processEvents()


if __name__ == "__main__":
    main()
