"""Screenshot test: every screen in Chinese and English, portrait and landscape, saved as PNG (the same
renderer as scripts/screenshots.py), and checked to be real pictures of the right size that differ by language."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtWidgets import QApplication

import ui.window
from ui.voice import Voice

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"


def load_script():
    spec = importlib.util.spec_from_file_location("kiosk_screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_screen_in_both_languages_and_orientations(qapp, tmp_path, monkeypatch):
    shots = load_script()
    monkeypatch.setattr(ui.window, "Voice", lambda _enabled: Voice(False))
    (tmp_path / "png").mkdir()
    written = shots.render_citizen_screens(QApplication.instance(), tmp_path / "png", tmp_path / "work")
    assert written and all(path.stat().st_size > 10_000 for path in written)
    names = {path.name for path in written}
    scenes = {name.split("-", 2)[2] for name in names if name.startswith("portrait-zh-") and "large" not in name}
    assert {"attract.png", "home.png", "enter_id_number.png", "capture_face.png", "pay.png", "done.png"} <= scenes
    for orientation, size in (("portrait", (1080, 1920)), ("landscape", (1920, 1080))):
        for scene in scenes:
            zh = cv2.imread(str(tmp_path / "png" / f"{orientation}-zh-{scene}"))
            en = cv2.imread(str(tmp_path / "png" / f"{orientation}-en-{scene}"))
            assert zh is not None and en is not None, f"{orientation} {scene} missing"
            assert (zh.shape[1], zh.shape[0]) == size and (en.shape[1], en.shape[0]) == size
            assert zh.std() > 5, f"{orientation}-zh-{scene} is blank"
            if not scene.startswith("technician"):  # staff screens are bilingual on purpose
                assert np.any(zh != en), f"{orientation} {scene}: the English screen shows the Chinese texts"
