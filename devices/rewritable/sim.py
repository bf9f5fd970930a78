"""A simulated rewritable card printer speaking devices.rewritable.protocol, with the permit's back kept as
a 1016 x 648 bitmap that `back_png()` renders (tests and people look at it).

URL: sim://rewritable?instance=NAME&scenario=ok|no_card|card_jam|erase_incomplete|head_hot|cover_open.
Scenarios are data files in scenarios/*.json (keys: card, cover_open, head_temperature, jam_on_print,
erase_incomplete, pace). Pacing (off unless the scenario or `pace` says so): one erase and one print pass
each take card length / speed (85.6 mm at an assumed 50 mm/s [U], see DEFAULT_SPEED_MM_S).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from importlib import resources
from typing import Any

from devices.rewritable import protocol
from devices.rewritable.layout import BLOCK_HEIGHT, BLOCK_WIDTH, BLOCK_X, BLOCK_Y, CARD_HEIGHT, CARD_WIDTH
from devices.rewritable.protocol import ACK, NAK, Block, BlockParser, Status
from devices.sim.engine import SimulatorEngine

HEAD_LIMIT_C = 60
CARD_LENGTH_MM = 85.6
DEFAULT_SPEED_MM_S = 50.0  # [U] assumed transport speed of one erase or print pass


def load_scenario(name: str) -> dict[str, Any]:
    try:
        text = resources.files("devices.rewritable.scenarios").joinpath(f"{name}.json").read_text("utf-8")
    except FileNotFoundError:
        raise ValueError(f"no rewritable printer scenario {name!r}") from None
    return json.loads(text)


def scenario_names() -> list[str]:
    files = resources.files("devices.rewritable.scenarios").iterdir()
    return sorted(f.name.removesuffix(".json") for f in files if f.name.endswith(".json"))


class RewritablePrinterSimulator(SimulatorEngine):
    kind = "rewritable"

    def __init__(self, scenario: str = "ok", **overrides: Any) -> None:
        super().__init__()
        settings = {**load_scenario(scenario), **overrides}
        self.scenario = scenario
        self.card_present = bool(settings.get("card", True))
        self.cover_is_open = bool(settings.get("cover_open", False))
        self.head_temperature = int(settings.get("head_temperature", 35))
        self.jam_on_print = bool(settings.get("jam_on_print", False))
        self.erase_incomplete = bool(settings.get("erase_incomplete", False))
        self.speed_mm_s = float(settings.get("speed_mm_s", DEFAULT_SPEED_MM_S))
        self.pace = bool(settings.get("pace", False))
        self.jammed = False
        self.back = bytearray(CARD_WIDTH * CARD_HEIGHT)  # one byte per dot: 1 = dark
        self._raster: dict[int, bytes] = {}
        self._row_bytes = 0
        self._parser = BlockParser()
        self._codes = {code: name for name, code in protocol.DEFAULT_COMMANDS.items()}
        self._lock = threading.RLock()
        self.prints = 0
        self._old_endorsement()

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> RewritablePrinterSimulator:
        overrides: dict[str, Any] = {"pace": params["pace"] == "1"} if "pace" in params else {}
        return cls(params.get("scenario", "ok"), **overrides)

    def _old_endorsement(self) -> None:
        """A previous block (bars of 'text') in the block area, so an erase shows."""
        for y in range(BLOCK_Y + 20, BLOCK_Y + BLOCK_HEIGHT - 20, 40):
            for row in range(y, y + 18):
                start = row * CARD_WIDTH + BLOCK_X + 20
                self.back[start : start + BLOCK_WIDTH - 200] = b"\x01" * (BLOCK_WIDTH - 200)

    # -- status ----------------------------------------------------------------------------------
    def _blocking(self) -> Status | None:
        if self.jammed:
            return Status.CARD_JAM
        if self.cover_is_open:
            return Status.COVER_OPEN
        if self.head_temperature > HEAD_LIMIT_C:
            return Status.HEAD_HOT
        if not self.card_present:
            return Status.NO_CARD
        return None

    def _sensors(self) -> bytes:
        return f"C{int(self.card_present)}V{int(self.cover_is_open)}T{self.head_temperature:03d}".encode("ascii")

    # -- host bytes ------------------------------------------------------------------------------
    def receive(self, data: bytes) -> None:
        with self._lock:
            for item in self._parser.feed(data):
                if isinstance(item, Block):
                    self.emit(bytes([ACK]))
                    status, payload = self._answer(item)
                    self.emit(protocol.encode_response(item.command, status, payload))
                elif not isinstance(item, int):
                    self.emit(bytes([NAK]))  # a damaged block: ask for it again

    def _answer(self, block: Block) -> tuple[Status, bytes]:
        name = self._codes.get(block.command)
        if name == "status":
            return self._blocking() or Status.OK, self._sensors()
        if name == "reset":
            self._raster.clear()
            return Status.OK, b""
        if name == "clear_buffer":
            self._raster.clear()
            return Status.OK, b""
        if name == "raster":
            return self._on_raster(block.data), b""
        blocking = self._blocking()
        if blocking is not None:
            return blocking, b""
        if name == "erase":
            return self._on_erase(block.data), b""
        if name == "print":
            return self._on_print(block.data), b""
        if name == "eject":
            self.card_present = False
            return Status.OK, b""
        return Status.DATA_ERROR, b""

    def _on_raster(self, data: bytes) -> Status:
        if len(data) < 4:
            return Status.DATA_ERROR
        first, row_bytes = int.from_bytes(data[:2], "big"), int.from_bytes(data[2:4], "big")
        rows = data[4:]
        if not row_bytes or len(rows) % row_bytes or first + len(rows) // row_bytes > CARD_HEIGHT:
            return Status.DATA_ERROR
        self._row_bytes = row_bytes
        for index in range(len(rows) // row_bytes):
            self._raster[first + index] = rows[index * row_bytes : (index + 1) * row_bytes]
        return Status.OK

    def _area(self, data: bytes, fields: int) -> list[int] | None:
        try:
            values = [int(part) for part in data.decode("ascii").split(",")[:fields]]
        except (UnicodeDecodeError, ValueError):
            return None
        return values if len(values) == fields else None

    def _pass(self) -> None:
        if self.pace:
            time.sleep(CARD_LENGTH_MM / self.speed_mm_s)  # the mechanism moves the card past the head

    def _on_erase(self, data: bytes) -> Status:
        area = self._area(data, 4)
        if area is None:
            return Status.DATA_ERROR
        x, y, width, height = area
        self._pass()
        for row in range(max(0, y), min(CARD_HEIGHT, y + height)):
            start = row * CARD_WIDTH + max(0, x)
            end = row * CARD_WIDTH + min(CARD_WIDTH, x + width)
            ghost = self.erase_incomplete and row % 3 == 0  # every third line stays faintly dark
            self.back[start:end] = (b"\x01" if ghost else b"\x00") * (end - start)
        return Status.ERASE_INCOMPLETE if self.erase_incomplete else Status.OK

    def _on_print(self, data: bytes) -> Status:
        position = self._area(data, 2)
        if position is None or not self._raster:
            return Status.DATA_ERROR
        self._pass()
        if self.jam_on_print:
            self.jammed = True
            return Status.CARD_JAM
        x, y = position
        for row, bits in self._raster.items():
            if 0 <= y + row < CARD_HEIGHT:
                self._draw_row(x, y + row, bits)
        self.prints += 1
        if data.decode("ascii", "replace").endswith("eject"):
            self.card_present = False
        return Status.OK

    def _draw_row(self, x: int, y: int, bits: bytes) -> None:
        base = y * CARD_WIDTH
        for index in range(len(bits) * 8):
            if bits[index // 8] & (0x80 >> (index % 8)) and 0 <= x + index < CARD_WIDTH:
                self.back[base + x + index] = 1

    # -- control window --------------------------------------------------------------------------
    def insert_card(self) -> None:
        with self._lock:
            self.card_present = True

    def remove_card(self) -> None:
        with self._lock:
            self.card_present = False

    def open_cover(self) -> None:
        with self._lock:
            self.cover_is_open = True

    def close_cover(self) -> None:
        with self._lock:
            self.cover_is_open = False

    def clear_jam(self) -> None:
        with self._lock:
            self.jammed = self.jam_on_print = False

    def set_head_temperature(self, celsius: int) -> None:
        with self._lock:
            self.head_temperature = celsius

    def back_png(self) -> bytes:
        """The permit's back as a PNG (dark dots on a light card)."""
        import io

        from PIL import Image

        with self._lock:
            image = Image.frombytes("L", (CARD_WIDTH, CARD_HEIGHT), bytes(self.back)).point(lambda v: 30 if v else 235)
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return buffer.getvalue()

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "scenario": self.scenario, "card": self.card_present,
                "cover_open": self.cover_is_open, "head_temperature": self.head_temperature, "prints": self.prints}  # fmt: skip
