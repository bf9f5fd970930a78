"""The current language and text lookup, with a signal so every screen re-renders when it changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.texts import CATALOG, LANGUAGES, format_text, lookup

# A value in a text may depend on the language (e.g. a list of item names): give a callable(translator).
TextValue = Any | Callable[["Translator"], str]


class Translator(QObject):
    changed = Signal(str)

    def __init__(self, default_language: str = "zh", overrides: dict[str, str] | None = None) -> None:
        super().__init__()
        self.default_language = default_language if default_language in LANGUAGES else "zh"
        self.language = self.default_language
        self._overrides = dict(overrides or {})

    def set_language(self, language: str) -> None:
        if language in LANGUAGES and language != self.language:
            self.language = language
            self.changed.emit(language)

    def set_overrides(self, overrides: dict[str, str]) -> None:
        """New site texts (a signed configuration applied live): every bound widget shows them at once."""
        if dict(overrides) != self._overrides:
            self._overrides = dict(overrides)
            self.changed.emit(self.language)

    def toggle(self) -> None:
        self.set_language("en" if self.language == "zh" else "zh")

    def reset(self) -> None:
        self.set_language(self.default_language)

    def has(self, key: str) -> bool:
        return key in CATALOG

    def text(self, key: str, **values: TextValue) -> str:
        if not values:
            return lookup(key, self.language, self._overrides)
        resolved = {name: value(self) if callable(value) else value for name, value in values.items()}
        return format_text(key, self.language, self._overrides, **resolved)

    def text_or(self, key: str, literal: str) -> str:
        """A flow-supplied value that may be a key (purpose.就业) or plain text: the text, else the literal."""
        return self.text(key) if self.has(key) else literal


def yuan(cents: int) -> str:
    return f"{cents / 100:.2f}"
