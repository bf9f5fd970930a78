"""A SAM_V reader simulator that answers the real frames. Cards and scenarios are data files
(cards.json, scenarios/*.json), so new cases need no code edits.

Scenario keys: card (a card id or null), lift_during_read, corrupt_responses (N responses with a flipped
byte), damaged_reads (N reads with a valid checksum but impossible data), noise_bytes (stray bytes before
each response), chunk_size (dribble), sam_status (SW3 of SAM status/find, e.g. 96 = 0x60), silent.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devices.idcard import codes
from devices.idcard.document import encode_text_block
from devices.idcard.photo import encode_simulated_photo
from devices.idcard.protocol import Command, Frame, FrameParser, encode_read_payload, encode_response
from devices.sim.engine import SimulatorEngine

DATA_DIR = Path(__file__).parent
SCENARIO_DIR = DATA_DIR / "scenarios"
SAM_ID_BYTES = bytes.fromhex("0500 0100 1d2a3401 9a5b0000 2c010000".replace(" ", ""))


def load_cards() -> dict[str, dict[str, Any]]:
    return json.loads((DATA_DIR / "cards.json").read_text(encoding="utf-8"))


def load_scenario(name_or_path: str) -> dict[str, Any]:
    """A scenario by name (scenarios/NAME.json) or by path to a JSON file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SCENARIO_DIR / f"{name_or_path}.json"
    if not path.exists():
        known = sorted(p.stem for p in SCENARIO_DIR.glob("*.json"))
        raise ValueError(f"unknown ID card scenario {name_or_path!r}; known: {', '.join(known)}")
    return json.loads(path.read_text(encoding="utf-8"))


def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.json"))


class IdCardSimulator(SimulatorEngine):
    kind = "idcard"

    def __init__(self, scenario: Mapping[str, Any] | None = None, cards: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        self.cards = dict(cards or load_cards())
        self._parser = FrameParser()
        self._rng = random.Random(20261123)
        self.apply_scenario(scenario or {})

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> IdCardSimulator:
        return cls(load_scenario(params.get("scenario", "no_card")))

    def apply_scenario(self, scenario: Mapping[str, Any]) -> None:
        self.scenario = dict(scenario)
        self.card_id: str | None = scenario.get("card")
        self.needs_lift = False
        self.selected = False
        self.sam_status = int(scenario.get("sam_status", codes.SW3_OK))
        self.silent = bool(scenario.get("silent", False))
        self.corrupt_left = int(scenario.get("corrupt_responses", 0))
        self.damaged_left = int(scenario.get("damaged_reads", 0))
        self.noise_bytes = int(scenario.get("noise_bytes", 0))
        self.chunk_size = scenario.get("chunk_size")
        self.reads = 0

    # -- physical actions (tests, demo control window) ------------------------------------------------
    def place_card(self, card_id: str) -> None:
        if card_id not in self.cards:
            raise KeyError(f"unknown simulated card {card_id!r}")
        self.card_id, self.needs_lift, self.selected = card_id, False, False

    def remove_card(self) -> None:
        self.card_id, self.needs_lift, self.selected = None, False, False

    def lift_and_replace(self) -> None:
        self.needs_lift, self.selected = False, False

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "card": self.card_id, "needs_lift": self.needs_lift, "reads": self.reads}

    # -- protocol ------------------------------------------------------------------------------------
    def receive(self, data: bytes) -> None:
        for item in self._parser.feed(data):
            if self.silent:
                continue
            if isinstance(item, Frame):
                self._answer(item)
            else:
                self._send(encode_response(0x10))

    def _send(self, frame: bytes, corruptible: bool = False) -> None:
        if corruptible and self.corrupt_left > 0:
            self.corrupt_left -= 1
            damaged = bytearray(frame)
            damaged[len(damaged) // 2] ^= 0x40
            frame = bytes(damaged)
        noise = bytes(self._rng.randrange(256) for _ in range(self.noise_bytes))
        self.emit(noise + frame, self.chunk_size)

    def _answer(self, request: Frame) -> None:
        command = request.command
        if command is None:
            self._send(encode_response(0x21))
        elif command is Command.SAM_STATUS:
            self._send(encode_response(self.sam_status))
        elif command is Command.RESET_SAM:
            self._send(encode_response(codes.SW3_OK))
        elif command is Command.READ_SAM_ID:
            self._send(encode_response(codes.SW3_OK, SAM_ID_BYTES))
        elif self.sam_status != codes.SW3_OK:
            self._send(encode_response(self.sam_status))
        elif command is Command.FIND_CARD:
            present = self.card_id is not None and not self.needs_lift
            self._send(encode_response(0x9F, bytes(4)) if present else encode_response(0x80))
        elif command is Command.SELECT_CARD:
            self.selected = self.card_id is not None and not self.needs_lift
            self._send(encode_response(codes.SW3_OK, bytes(8)) if self.selected else encode_response(0x81))
        elif command is Command.READ_APPENDED_ADDRESS:
            self._send(encode_response(codes.SW3_ITEM_EMPTY))
        else:
            self._answer_read(command is Command.READ_WITH_FINGERPRINT)

    def _answer_read(self, with_fingerprint: bool) -> None:
        if self.card_id is None or not self.selected:
            self._send(encode_response(0x41))
            return
        if self.scenario.get("lift_during_read"):
            self.remove_card()
            self._send(encode_response(0x41))
            return
        card = self.cards[self.card_id]
        fields = dict(card["fields"])
        if self.damaged_left > 0:
            self.damaged_left -= 1
            fields["birth_date"] = "19991399"  # an impossible date that still passes the checksum
        text = encode_text_block(card["card_type"], fields)
        photo = encode_simulated_photo(card.get("portrait", "p1"))
        fingerprint = bytes(self._rng.randrange(256) for _ in range(1024)) if card.get("fingerprint") else None
        payload = encode_read_payload(text, photo, fingerprint if with_fingerprint else None, with_fingerprint)
        self.reads += 1
        self.needs_lift = True  # the module answers 'no card' to find until the card is lifted
        self._send(encode_response(codes.SW3_OK, payload), corruptible=True)
