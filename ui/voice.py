"""Spoken prompts through QtTextToSpeech when an engine exists; silent otherwise, never an error.

Every spoken text is also on screen (the prompt label), so a kiosk without speech loses nothing essential.

The engine runs in its own process (ui/speech_server.py, see there why): Voice starts it in the background,
sends it commands through a writer thread and reads its events on a reader thread, so the touchscreen never
waits for speech, and a wedged engine is simply killed at shutdown. Qt's "mock" engine (a test plugin) does
not count as an engine.
"""

from __future__ import annotations

import json
import logging
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

_NOT_ENGINES = ("mock",)
_ROOT = Path(__file__).resolve().parents[1]


def available_engines() -> list[str]:
    """Real text-to-speech engines Qt can load here ([] when the module or its libraries are missing)."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except (ImportError, OSError) as error:  # module missing or its audio libraries absent
        log.info("speech output unavailable: %s", type(error).__name__)
        return []
    return [name for name in QTextToSpeech.availableEngines() if name not in _NOT_ENGINES]


class Voice:
    def __init__(self, enabled: bool, *, engine: str | None = None, start: bool = True) -> None:
        """start=False: the engine is looked for and its process started by `start()` (after the first
        paint: looking for engines loads Qt's speech plugins)."""
        self.enabled = enabled
        self._engine = engine
        self.last_text = ""  # what was (or would have been) said; the screen shows the same text
        self.spoken: list[tuple[str, str]] = []  # (language, voice name) per prompt the engine took
        self.finished = 0  # prompts the engine has finished speaking
        self._ready = threading.Event()
        self._available = False
        self._commands: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self._process: subprocess.Popen[str] | None = None
        self._started = False
        if start:
            self.start()

    def start(self) -> None:
        """Find the engine and start the speech process (once); prompts said before are dropped."""
        if self._started:
            return
        self._started = True
        if self.enabled:
            names = [self._engine] if self._engine else available_engines()
            if names:
                self._start(names[0])
            else:
                log.info("speech output unavailable: no text-to-speech engine installed")
        if self._process is None:
            self._ready.set()

    @property
    def available(self) -> bool:
        """True once the engine has connected and works (it connects in the background)."""
        return self._available

    def wait_ready(self, timeout_s: float) -> bool:
        """For tests and tools: wait until the engine has connected (or failed to)."""
        return self._ready.wait(timeout_s) and self._available

    def say(self, text: str, language: str) -> None:
        self.last_text = text
        if text:
            self._send({"cmd": "say", "text": text, "language": language})

    def stop(self) -> None:
        self._send({"cmd": "stop"})

    def reset(self) -> None:
        """Silence and back to the default volume at the end of each session."""
        self.last_text = ""
        self._send({"cmd": "reset"})

    def shutdown(self, timeout_s: float = 0.5) -> None:
        """End the speech process: politely (end of input), then by force if the engine is wedged."""
        process, self._process = self._process, None
        if process is None:
            return
        self._commands.put(None)
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)

    # -- the speech process -----------------------------------------------------------------------------
    def _start(self, engine: str) -> None:
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "ui.speech_server", engine],
                cwd=_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, encoding="utf-8",
            )  # fmt: skip
        except OSError as error:
            log.info("speech output unavailable: %s", type(error).__name__)
            return
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        threading.Thread(target=self._write, args=(stdin,), name="speech-writer", daemon=True).start()
        threading.Thread(target=self._read, args=(stdout,), name="speech-reader", daemon=True).start()

    def _send(self, command: dict[str, Any]) -> None:
        if self._process is not None:
            self._commands.put(command)

    def _write(self, stdin: IO[str]) -> None:
        """Blocks here, never on the GUI thread, when the speech process stops reading."""
        try:
            while (command := self._commands.get()) is not None:
                stdin.write(json.dumps(command, ensure_ascii=False) + "\n")
                stdin.flush()
            stdin.close()
        except (OSError, ValueError):  # the process has gone
            return

    def _read(self, stdout: IO[str]) -> None:
        try:
            for line in stdout:
                self._on_event(json.loads(line))
        except (OSError, ValueError) as error:
            log.info("speech process output ended: %s", type(error).__name__)
        finally:
            self._available = False
            self._ready.set()

    def _on_event(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "ready":
            self._available = True
            self._ready.set()
        elif kind == "unavailable":
            log.info("speech output unavailable: the engine reports an error")
            self._ready.set()
        elif kind == "spoken":
            self.spoken.append((str(event.get("language")), str(event.get("voice"))))
        elif kind == "finished":
            self.finished += 1
