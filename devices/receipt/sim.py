"""A simulated ESC/POS printer (80 mm, or 58 mm with `paper=58mm`): answers DLE EOT like the real thing and
prints to text lines.

While it cannot print (paper out, cover open, error, offline) it still parses the stream and answers
status requests, but print data is dropped, as a printer whose buffer is cleared at recovery would. The
part of a receipt printed before an interruption is torn off when the paper is refilled or the cover
closed, and kept in `torn`. Scenarios come from devices/receipt/scenarios/NAME.json.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from devices.receipt.profile import ReceiptProfile
from devices.receipt.render import CUT_SEPARATOR, Receipt, ReceiptRenderer
from devices.receipt.stream import Command, EscPosParser, Event, TextRun
from devices.sim.engine import SimulatorEngine

SCENARIO_DIR = Path(__file__).with_name("scenarios")
PAPER_STATES = ("ok", "near_end", "out")
ERRORS = (None, "cutter", "mechanical", "recoverable", "unrecoverable")
_ERROR_BITS = {"mechanical": 0x04, "cutter": 0x08, "unrecoverable": 0x20, "recoverable": 0x40}


@dataclass
class Scenario:
    description: str = ""
    paper: str = "ok"
    cover_open: bool = False
    error: str | None = None
    online: bool = True
    answers: bool = True
    paper_out_after_bytes: int | None = None
    reply_delay_s: float = 0.0
    reply_chunk_size: int | None = None


def scenario_names() -> list[str]:
    return sorted(path.stem for path in SCENARIO_DIR.glob("*.json"))


def load_scenario(name: str) -> Scenario:
    if name not in scenario_names():
        raise ValueError(f"unknown receipt printer scenario {name!r}; known: {scenario_names()}")
    data = json.loads((SCENARIO_DIR / f"{name}.json").read_text(encoding="utf-8"))
    known = {f.name for f in fields(Scenario)}
    return Scenario(**{key: value for key, value in data.items() if key in known})


def _event_size(event: Event) -> int:
    if isinstance(event, TextRun):
        return len(event.data)
    return len(event.header) + len(event.payload) + event.skipped


class ReceiptPrinterSimulator(SimulatorEngine):
    kind = "receipt"

    def __init__(self, scenario: Scenario | None = None, *, hanzi_default: bool = False, paper: str = "80mm") -> None:
        super().__init__()
        scenario = scenario or Scenario()
        self.scenario = scenario
        self._state = threading.RLock()
        self.paper = scenario.paper
        self.cover_open = scenario.cover_open
        self.error = scenario.error
        self.online = scenario.online
        self.answers = scenario.answers
        self.feed_button = False
        self._paper_left = scenario.paper_out_after_bytes
        self._parser = EscPosParser()
        self.profile = ReceiptProfile(paper, "gb18030")
        self._renderer = ReceiptRenderer(hanzi_default=hanzi_default, columns=self.profile.columns)
        self.torn: list[Receipt] = []
        self.dropped_bytes = 0  # print data that arrived while the printer could not print
        self._delayed: queue.Queue[bytes] | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ReceiptPrinterSimulator:
        scenario = load_scenario(params.get("scenario", "ok"))
        if "paper_out_after" in params:
            scenario.paper_out_after_bytes = int(params["paper_out_after"])
        hanzi = params.get("hanzi_default", "0") in ("1", "true", "yes")
        return cls(scenario, hanzi_default=hanzi, paper=params.get("paper", "80mm"))

    # -- wire side --------------------------------------------------------------------------------
    def receive(self, data: bytes) -> None:
        with self._state:
            if not self.answers:
                return
            while data:
                part = data
                if self._paper_left is not None and self.can_print:
                    part = data[: max(1, self._paper_left)]
                    self._paper_left -= len(part)
                self._consume(part)
                data = data[len(part) :]
                if self._paper_left is not None and self._paper_left <= 0 and self.can_print:
                    self._paper_left = None
                    self.paper = "out"

    def _consume(self, data: bytes) -> None:
        printing: list[Event] = []
        for event in self._parser.feed(data):
            if isinstance(event, Command) and event.name == "status_request":
                self._reply(self.status_byte(event.header[2]))
            elif self.can_print:
                printing.append(event)
            else:
                self.dropped_bytes += _event_size(event)
        self._renderer.apply(printing)

    def _reply(self, byte: int | None) -> None:
        if byte is None:
            return
        if self.scenario.reply_delay_s <= 0:
            self.emit(bytes([byte]), self.scenario.reply_chunk_size)
            return
        if self._delayed is None:
            self._delayed = queue.Queue()
            threading.Thread(target=self._dribble, daemon=True, name="receipt-sim-dribble").start()
        self._delayed.put(bytes([byte]))

    def _dribble(self) -> None:
        """A slow UART: each reply chunk leaves after the scenario's delay."""
        assert self._delayed is not None
        while True:
            reply = self._delayed.get()
            time.sleep(self.scenario.reply_delay_s)
            self.emit(reply, self.scenario.reply_chunk_size)

    def status_byte(self, function: int) -> int | None:
        """The DLE EOT reply a real printer gives in the current state (None: no such function)."""
        with self._state:
            if function == 1:
                return 0x12 | (0x08 if not self.can_print else 0)
            if function == 2:
                stopped = self.paper == "out"
                return (
                    0x12 | self.cover_open * 0x04 | self.feed_button * 0x08 | stopped * 0x20 | bool(self.error) * 0x40
                )
            if function == 3:
                return 0x12 | _ERROR_BITS.get(self.error or "", 0)
            if function == 4:
                return 0x12 | {"ok": 0, "near_end": 0x0C, "out": 0x60}[self.paper]
            return None

    @property
    def can_print(self) -> bool:
        return self.online and self.paper != "out" and not self.cover_open and self.error is None

    # -- physical events (tests, demo control window) ---------------------------------------------
    def set_paper(self, state: str) -> None:
        if state not in PAPER_STATES:
            raise ValueError(f"paper must be one of {PAPER_STATES}")
        with self._state:
            was_out = self.paper == "out"
            self.paper = state
            if state != "out":
                self._paper_left = None
                if was_out:
                    self._tear_off()

    def refill(self) -> None:
        """A fresh roll: paper ok, the uncut paper (an interrupted receipt, if any) torn off."""
        with self._state:
            self.set_paper("ok")
            self._tear_off()

    def open_cover(self) -> None:
        with self._state:
            self.cover_open = True

    def close_cover(self) -> None:
        with self._state:
            if self.cover_open:
                self.cover_open = False
                self._tear_off()

    def set_error(self, error: str | None) -> None:
        if error not in ERRORS:
            raise ValueError(f"error must be one of {ERRORS}")
        with self._state:
            self.error = error

    def set_online(self, online: bool) -> None:
        with self._state:
            self.online = online

    def set_answers(self, answers: bool) -> None:
        with self._state:
            self.answers = answers

    def tear_off(self) -> None:
        """Someone pulls out the uncut paper (kept in `torn`)."""
        with self._state:
            self._tear_off()

    def _tear_off(self) -> None:
        receipt = self._renderer.tear_off()
        if receipt is not None:
            self.torn.append(receipt)

    # -- what came out ----------------------------------------------------------------------------
    @property
    def receipts(self) -> list[Receipt]:
        with self._state:
            return list(self._renderer.receipts)

    @property
    def current_lines(self) -> list[str]:
        with self._state:
            return [line.marked() for line in self._renderer.current_lines]

    def transcript(self) -> list[str]:
        """Every receipt's lines with a separator at each cut, then the uncut paper."""
        out: list[str] = []
        for receipt in self.receipts:
            out += [*receipt.text_lines(), CUT_SEPARATOR]
        return out + self.current_lines

    def render_png(self, index: int, path: str | Path) -> Path:
        from devices.receipt.png import render_png

        return render_png(self.receipts[index], path, dots=self.profile.dots)

    def describe(self) -> dict[str, Any]:
        with self._state:
            return {
                **super().describe(),
                "paper": self.paper,
                "cover_open": self.cover_open,
                "error": self.error,
                "online": self.online,
                "answers": self.answers,
                "receipts": len(self._renderer.receipts),
                "parser_buffered": self._parser.buffered,
            }
