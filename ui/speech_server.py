"""The speech process: `python -m ui.speech_server ENGINE` speaks what ui.voice.Voice sends it.

It runs apart from the kiosk because Qt's speechd engine blocks inside its constructor and in say() while
speech-dispatcher is wedged (no audio device, a stuck output module), and PySide keeps the interpreter lock
during those calls: in the kiosk's own process that would freeze the touchscreen.

Protocol, one JSON object per line. In on stdin: {"cmd": "say", "text", "language"}, {"cmd": "stop"},
{"cmd": "reset"}; end of input ends the process. Out on stdout: {"event": "ready"} or {"event":
"unavailable"}, {"event": "spoken", "language", "voice"} when a prompt is handed to the engine, {"event":
"finished"} when the engine has finished speaking one. Prompts are screen texts, never personal data.

espeak-ng's Mandarin voice carries the language code "cmn", which Qt does not map to zh_CN, so a voice is
chosen by name when the locale alone gives none in the wanted language.
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Signal
from PySide6.QtTextToSpeech import QTextToSpeech

DEFAULT_VOLUME = 0.8
LOCALES = {"zh": "zh_CN", "en": "en_US"}
VOICE_NAMES = {"zh": ("Mandarin", "Chinese", "普通话", "中文"), "en": ("America", "English")}


def emit(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, **fields}, ensure_ascii=False), flush=True)


class Speaker(QObject):
    command = Signal(object)  # a parsed line, queued from the stdin thread to the main thread

    def __init__(self, engine_name: str) -> None:
        super().__init__()
        self.engine = QTextToSpeech(engine_name)
        self.voices: dict[str, Any] = {}
        self.speaking = False
        self.engine.stateChanged.connect(self._on_state)
        self.command.connect(self._execute)

    @property
    def ok(self) -> bool:
        return self.engine.state() != QTextToSpeech.State.Error

    def _on_state(self, state: QTextToSpeech.State) -> None:
        if state == QTextToSpeech.State.Speaking:
            self.speaking = True
        elif state == QTextToSpeech.State.Ready and self.speaking:
            self.speaking = False
            emit("finished")

    def voice_for(self, language: str) -> Any:
        if language not in self.voices:
            self.voices[language] = self._find_voice(language)
        return self.voices[language]

    def _find_voice(self, language: str) -> Any:
        target = QLocale(LOCALES.get(language, "zh_CN"))
        self.engine.setLocale(target)
        matched = self.engine.locale().language() == target.language()
        candidates = list(self.engine.availableVoices()) if matched else []
        if not candidates:  # the language is known to the engine under a code Qt does not map
            self.engine.setLocale(QLocale.c())
            candidates = list(self.engine.availableVoices())
        for word in VOICE_NAMES.get(language, ()):
            named = [voice for voice in candidates if word.lower() in voice.name().lower()]
            if named:
                return min(named, key=lambda voice: ("+" in voice.name(), len(voice.name())))  # no variant
        return candidates[0] if matched and candidates else None

    def _execute(self, message: dict[str, Any]) -> None:
        command = message.get("cmd")
        if command == "say":
            self.engine.stop()
            voice = self.voice_for(str(message.get("language", "zh")))
            if voice is not None:
                self.engine.setVoice(voice)
            self.engine.say(str(message.get("text", "")))
            emit("spoken", language=message.get("language"), voice=voice.name() if voice is not None else "")
        elif command == "stop":
            self.engine.stop()
        elif command == "reset":
            self.engine.stop()
            self.engine.setVolume(DEFAULT_VOLUME)


def read_commands(speaker: Speaker, app: QCoreApplication) -> None:
    for line in sys.stdin:
        try:
            speaker.command.emit(json.loads(line))
        except ValueError:
            continue
    app.quit()  # the kiosk closed the pipe (thread-safe: quit posts an event)


def main(argv: list[str]) -> int:
    app = QCoreApplication(argv[:1])
    speaker = Speaker(argv[1] if len(argv) > 1 else "")
    if not speaker.ok:
        emit("unavailable")
        return 1
    emit("ready")
    threading.Thread(target=read_commands, args=(speaker, app), name="commands", daemon=True).start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
