"""Spoken prompts through QtTextToSpeech when an engine exists; silent otherwise, never an error.

Every spoken text is also on screen (the prompt label), so a kiosk without speech loses nothing essential.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_VOLUME = 0.8
_LOCALES = {"zh": "zh_CN", "en": "en_US"}


def _make_engine() -> Any | None:
    try:
        from PySide6.QtCore import QLocale
        from PySide6.QtTextToSpeech import QTextToSpeech
    except (ImportError, OSError) as error:  # module missing or its audio libraries absent
        log.info("speech output unavailable: %s", type(error).__name__)
        return None
    try:
        if not QTextToSpeech.availableEngines():
            log.info("speech output unavailable: no text-to-speech engine installed")
            return None
        engine = QTextToSpeech()
        if engine.state() == QTextToSpeech.State.Error:
            log.info("speech output unavailable: the engine reports an error")
            return None
        engine._locale_class = QLocale  # type: ignore[attr-defined]
        return engine
    except Exception as error:  # a broken engine must not stop the kiosk
        log.info("speech output unavailable: %s", type(error).__name__)
        return None


class Voice:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._engine = _make_engine() if enabled else None
        self.last_text = ""  # what was (or would have been) said; the screen shows the same text
        self.reset()

    @property
    def available(self) -> bool:
        return self._engine is not None

    def say(self, text: str, language: str) -> None:
        self.last_text = text
        if self._engine is None or not text:
            return
        try:
            self._engine.stop()
            self._engine.setLocale(self._engine._locale_class(_LOCALES.get(language, "zh_CN")))
            self._engine.say(text)
        except Exception as error:
            log.warning("speech failed: %s", type(error).__name__)

    def stop(self) -> None:
        if self._engine is not None:
            try:
                self._engine.stop()
            except Exception as error:
                log.warning("speech stop failed: %s", type(error).__name__)

    def reset(self) -> None:
        """Back to the default volume at the end of each session."""
        self.last_text = ""
        if self._engine is not None:
            try:
                self._engine.stop()
                self._engine.setVolume(DEFAULT_VOLUME)
            except Exception as error:
                log.warning("speech reset failed: %s", type(error).__name__)
