"""The language on screen and its text table: the screens render it (Tr.qml), the voice speaks from it."""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QObject, Signal

from ui.catalog import LANGUAGES, notices, table

log = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Translator(QObject):
    changed = Signal()  # the language or the site's texts changed: re-render everything

    def __init__(self, default_language: str = "zh", overrides: dict[str, str] | None = None) -> None:
        super().__init__()
        self.default_language = default_language if default_language in LANGUAGES else "zh"
        self.language = self.default_language
        self._overrides = dict(overrides or {})
        self.strings = table(self.language, self._overrides)
        self.missing: set[str] = set()  # keys asked for that have no text (tests require none)

    def set_language(self, language: str) -> None:
        if language in LANGUAGES and language != self.language:
            self.language = language
            self._rebuild()

    def toggle(self) -> None:
        self.set_language("en" if self.language == "zh" else "zh")

    def reload(self) -> None:
        """The catalogue grew (the core's texts were loaded after the first frame)."""
        self._rebuild()

    def reset(self) -> None:
        self.set_language(self.default_language)

    def set_overrides(self, overrides: dict[str, str]) -> None:
        """New site texts (a signed configuration applied live) show at once."""
        if dict(overrides) != self._overrides:
            self._overrides = dict(overrides)
            self._rebuild()

    def notices(self) -> list[str]:
        return notices(self.language, self._overrides)

    def has(self, key: str) -> bool:
        return key in self.strings

    def text(self, key: str, **values: object) -> str:
        """The text for `key` with "{name}" filled in; "" (and recorded) when the key has none."""
        text = self.strings.get(key)
        if text is None:
            self.report_missing(key)
            return ""
        if not values:
            return text
        return _PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)

    def report_missing(self, key: str) -> None:
        if key not in self.missing:
            self.missing.add(key)
            log.warning("no text for key %r", key)  # a key, never a value

    def _rebuild(self) -> None:
        self.strings = table(self.language, self._overrides)
        self.changed.emit()
