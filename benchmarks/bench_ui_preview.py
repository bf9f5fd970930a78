"""GUI-thread cost of one face-preview frame (copy to QImage + paint at screen size) against the 66 ms budget
of a 15 fps preview, and the cost of drawing a payment QR code.

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
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication

from ui.screens.face import FacePreview, frame_to_image
from ui.screens.pay import QrWidget
from ui.theme import Theme

FRAMES = 60


def per_frame_ms(width: int, height: int) -> float:
    preview = FacePreview(Theme(dpi=96))
    preview.resize(1000, 1100)  # the preview's size on the portrait screen
    target = QPixmap(preview.size())
    frame = np.random.default_rng(1).integers(0, 255, (height, width, 3), dtype=np.uint8)
    start = time.perf_counter()
    for _ in range(FRAMES):
        preview.image = frame_to_image(frame)
        preview.face = (width // 3, height // 4, width // 3, height // 2)
        preview.render(target)
    return (time.perf_counter() - start) / FRAMES * 1000


def qr_ms() -> float:
    qr = QrWidget(Theme(dpi=96))
    qr.resize(700, 700)
    target = QPixmap(qr.size())
    start = time.perf_counter()
    for _ in range(20):
        qr.set_text("https://pay.example.cn/o/JT20240077?amount=33000&sign=0123456789abcdef")
        qr.render(target)
    return (time.perf_counter() - start) / 20 * 1000


def main() -> None:
    app = QApplication.instance() or QApplication([])
    for width, height in ((640, 480), (1280, 720), (1920, 1080)):
        print(f"preview {width}x{height}: {per_frame_ms(width, height):.1f} ms per frame (budget 66 ms at 15 fps)")
    print(f"payment QR (make + paint): {qr_ms():.1f} ms")
    app.processEvents()
    app.shutdown()  # delete Qt objects before the interpreter finalises


if __name__ == "__main__":
    main()
