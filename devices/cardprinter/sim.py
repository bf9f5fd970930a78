"""A simulated card printer speaking the protocol in devices.cardprinter.protocol.

URL: sim://cardprinter?instance=NAME&scenario=ok|hopper_empty|ribbon_low|ribbon_out|card_jam_mid_print|
cover_open|silence (&cards=N&ribbon=N override the scenario). Scenarios are data files in scenarios/*.json.
Printed cards are kept in memory as bitmaps (`printed`); nothing is written to disk. The control methods
(load_cards, set_ribbon, clear_jam, open_cover, close_cover, jam_next_card) serve tests and the demo window.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from devices.cardprinter import protocol
from devices.cardprinter.protocol import Bitmap, Flag, Level
from devices.sim.engine import SimulatorEngine

MAX_COMMAND = 64  # longest command text (download header included) before it is treated as noise
_ERROR_FLAGS = (Flag.CARD_JAM, Flag.COVER_OPEN, Flag.HOPPER_EMPTY, Flag.RIBBON_OUT)


def load_scenario(name: str) -> dict[str, Any]:
    try:
        text = resources.files("devices.cardprinter.scenarios").joinpath(f"{name}.json").read_text("utf-8")
    except FileNotFoundError:
        raise ValueError(f"no card printer scenario {name!r}") from None
    return json.loads(text)


def scenario_names() -> list[str]:
    files = resources.files("devices.cardprinter.scenarios").iterdir()
    return sorted(f.name.removesuffix(".json") for f in files if f.name.endswith(".json"))


@dataclass(frozen=True)
class PrintedCard:
    front: Bitmap
    back: Bitmap | None


def _download_pattern(template: str) -> re.Pattern[bytes]:
    """The download header template as a regex capturing side, width, height and length."""
    pattern = re.escape(template)
    for field, group in (("side", r"(\w+)"), ("width", r"(\d+)"), ("height", r"(\d+)"), ("length", r"(\d+)")):
        pattern = pattern.replace(re.escape("{" + field + "}"), group)
    return re.compile(pattern.encode("ascii"))


class CardPrinterSimulator(SimulatorEngine):
    kind = "cardprinter"

    def __init__(self, scenario: str = "ok", **overrides: Any) -> None:
        super().__init__()
        settings = {**load_scenario(scenario), **overrides}
        self.scenario = scenario
        self.cards = int(settings.get("cards", 100))
        self.ribbon = int(settings.get("ribbon", 1000))
        self.ribbon_low_threshold = int(settings.get("ribbon_low_threshold", 50))
        self.cover_is_open = bool(settings.get("cover_open", False))
        self.silent = bool(settings.get("silent", False))
        self.jam_on_card: int | None = settings.get("jam_on_card")
        self.jammed = False
        self.attempts = 0  # print attempts since power-on (a jam is scheduled against this)
        self.cards_printed = 0
        self.ribbon_used = 0
        self.printed: list[PrintedCard] = []
        self._commands = dict(protocol.DEFAULT_COMMANDS)
        self._download = _download_pattern(self._commands["download"])
        self._in_sequence = False
        self._panels: dict[str, Bitmap] = {}
        self._buffer = bytearray()
        self._state_lock = threading.RLock()

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> CardPrinterSimulator:
        overrides = {key: int(params[key]) for key in ("cards", "ribbon") if key in params}
        return cls(params.get("scenario", "ok"), **overrides)

    # -- status ----------------------------------------------------------------------------------
    def flags(self) -> list[Flag]:
        flags = []
        if self.jammed:
            flags.append(Flag.CARD_JAM)
        if self.cover_is_open:
            flags.append(Flag.COVER_OPEN)
        if self.cards <= 0:
            flags.append(Flag.HOPPER_EMPTY)
        if self.ribbon <= 0:
            flags.append(Flag.RIBBON_OUT)
        elif self.ribbon <= self.ribbon_low_threshold:
            flags.append(Flag.RIBBON_LOW)
        return flags

    def status_line(self) -> str:
        flags = self.flags()
        if any(flag in _ERROR_FLAGS for flag in flags):
            level = Level.ERR
        else:
            level = Level.WARN if flags else Level.OK
        return level.value + (";" + ",".join(flags) if flags else "")

    # -- host bytes ------------------------------------------------------------------------------
    def receive(self, data: bytes) -> None:
        with self._state_lock:
            self._buffer.extend(data)
            while self._take_command():
                pass

    def _take_command(self) -> bool:
        """Consume one complete command from the buffer; False when more bytes are needed."""
        start = self._buffer.find(bytes([protocol.ESC]))
        if start < 0:
            self._buffer.clear()  # line noise without a command start
            return False
        del self._buffer[:start]
        match = self._download.match(self._buffer, 1)
        if match is not None:
            length = int(match.group(4))
            end = match.end() + length
            if len(self._buffer) <= end:
                return False
            fields = [group.decode("ascii") for group in match.groups()]  # before the buffer moves on
            payload, terminator = bytes(self._buffer[match.end() : end]), self._buffer[end]
            del self._buffer[: end + 1]
            ok = terminator == protocol.CR
            self._reply(self._on_download(fields, payload) if ok else "ERR;FRAME")
            return True
        end = self._buffer.find(bytes([protocol.CR]))
        if end < 0:
            if len(self._buffer) > MAX_COMMAND:
                del self._buffer[:1]  # never completes: drop the ESC and resynchronise
                return True
            return False
        text = bytes(self._buffer[1:end]).decode("ascii", errors="replace")
        del self._buffer[: end + 1]
        self._reply(self._on_command(text))
        return True

    def _reply(self, line: str) -> None:
        if not self.silent:
            self.emit(line.encode("ascii") + b"\r")

    def _on_command(self, text: str) -> str:
        names = {value: key for key, value in self._commands.items()}
        name = names.get(text)
        if name == "status":
            return self.status_line()
        if name == "ribbon_remaining":
            return str(max(0, self.ribbon))
        if name == "card_count":
            return str(self.cards_printed)
        if name == "firmware":
            return "SIM-CARD-1.0"
        if name == "reset":
            self._in_sequence, self._panels = False, {}
            return "OK"
        if name == "start":
            return self._on_start()
        if name == "print_eject":
            return self._on_print()
        return "ERR;UNKNOWN_COMMAND"

    def _on_start(self) -> str:
        blocking = [flag for flag in self.flags() if flag in _ERROR_FLAGS]
        if blocking:
            return "ERR;" + ",".join(blocking)
        self._in_sequence, self._panels = True, {}
        return "OK"

    def _on_download(self, fields: list[str], payload: bytes) -> str:
        if not self._in_sequence:
            return "ERR;SEQUENCE"
        side, width, height, _length = fields
        try:
            bitmap = Bitmap(int(width), int(height), payload)
        except ValueError:
            return "ERR;BITMAP"
        if side not in (protocol.FRONT, protocol.BACK):
            return "ERR;SIDE"
        self._panels[side] = bitmap
        return "OK"

    def _on_print(self) -> str:
        if not self._in_sequence or protocol.FRONT not in self._panels:
            return "ERR;SEQUENCE"
        self._in_sequence = False
        blocking = [flag for flag in self.flags() if flag in _ERROR_FLAGS]
        sides = len(self._panels)
        if not blocking and self.ribbon < sides:
            blocking = [Flag.RIBBON_OUT]
        if blocking:
            return "ERR;" + ",".join(blocking)
        self.attempts += 1
        self.cards -= 1  # the card leaves the hopper whether or not it comes out
        if self.jam_on_card is not None and self.attempts == self.jam_on_card:
            self.jammed = True
            self.ribbon -= 1  # the jam happens mid-print: one panel already used
            self.ribbon_used += 1
            return "ERR;" + Flag.CARD_JAM
        self.ribbon -= sides
        self.ribbon_used += sides
        self.cards_printed += 1
        self.printed.append(PrintedCard(self._panels[protocol.FRONT], self._panels.get(protocol.BACK)))
        return "OK"

    # -- control window --------------------------------------------------------------------------
    def load_cards(self, count: int) -> None:
        with self._state_lock:
            self.cards = max(0, self.cards) + count

    def empty_hopper(self) -> None:
        with self._state_lock:
            self.cards = 0

    def set_ribbon(self, level: int) -> None:
        with self._state_lock:
            self.ribbon = level

    def clear_jam(self) -> None:
        with self._state_lock:
            self.jammed = False

    def open_cover(self) -> None:
        with self._state_lock:
            self.cover_is_open = True

    def close_cover(self) -> None:
        with self._state_lock:
            self.cover_is_open = False

    def jam_next_card(self, after: int = 0) -> None:
        """The (after+1)-th print attempt from now jams."""
        with self._state_lock:
            self.jam_on_card = self.attempts + after + 1

    def set_silent(self, silent: bool) -> None:
        with self._state_lock:
            self.silent = silent

    def describe(self) -> dict[str, Any]:
        return {
            **super().describe(),
            "scenario": self.scenario,
            "status": self.status_line(),
            "cards_in_hopper": self.cards,
            "ribbon_remaining": self.ribbon,
            "cards_printed": self.cards_printed,
            "ribbon_used": self.ribbon_used,
        }
