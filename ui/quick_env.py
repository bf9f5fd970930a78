"""What Qt Quick needs before the QApplication exists: the in-window virtual keyboard as input method, and the
software scene graph where there is no GPU (offscreen tests, screenshots, a headless demo)."""

from __future__ import annotations

import os


def prepare_environment() -> None:
    """Call before the QApplication is made (later calls change nothing Qt has already read)."""
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")  # no separate keyboard window
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        os.environ.setdefault("QT_QUICK_BACKEND", "software")
