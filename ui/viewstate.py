"""FlowView -> what QML renders: plain data (lists, dicts, str, numbers), the step indicator, the speech."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.flows.base import FlowView, StepKind
from ui.language import Translator

# Where the camera, the card reader and the exits are on the kiosk's front (x, y as fractions of the front), for
# the guidance drawings; config ui.device_positions overrides them per cabinet model.
DEFAULT_POSITIONS: dict[str, list[float]] = {
    "camera": [0.5, 0.045], "receipt": [0.3, 0.5], "reader": [0.3, 0.62], "card": [0.3, 0.78],
    "permit": [0.72, 0.62], "a4": [0.5, 0.9],
}  # fmt: skip
# Where each thing a visit hands out comes out (the permit goes back out of the permit reader/printer).
TAKE_SLOTS = {"take.temp_id_card": "card", "take.certificate": "a4", "take.receipt": "receipt",
              "take.refund_receipt": "receipt", "take.acceptance_receipt": "receipt",
              "take.decision_receipt": "receipt", "take.permit": "permit"}  # fmt: skip
OWN_BUSY_STEPS = {StepKind.READ_CARD, StepKind.READ_PERMIT, StepKind.PAY, StepKind.WORKING, StepKind.CAPTURE_FACE}
NO_IDLE_STEPS = {StepKind.PAY, StepKind.WORKING}  # paying on the phone, or the kiosk is working


def plain(value: Any) -> Any:
    """A value QML can hold: tuples become lists, enums their value, mappings dicts."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [plain(item) for item in value]
    return value


def step_labels(view: FlowView) -> tuple[list[str], int]:
    """The named steps of the service and the index of the current one (-1 when none)."""
    steps = list(view.steps)
    number, _total = view.progress
    if not steps or number <= 0:
        return steps, -1
    return steps, min(number, len(steps)) - 1


def device_positions(ui_config: Any) -> dict[str, list[float]]:
    configured = getattr(ui_config, "device_positions", None) or {}
    return {**DEFAULT_POSITIONS, **{name: [float(x), float(y)] for name, (x, y) in dict(configured).items()}}


def view_payload(view: FlowView) -> dict[str, Any]:
    steps, index = step_labels(view)
    take = [str(key) for key in view.data.get("take_items", [])] if view.step is StepKind.DONE else []
    data = plain(view.data)
    if view.step is StepKind.CAPTURE_FACE:
        data["challenge_key"] = challenge_key(view.data)
    elif view.step is StepKind.FAILED:
        data["error_key"] = error_key(view.data)
    return {
        "slots": sorted({TAKE_SLOTS[key] for key in take if key in TAKE_SLOTS}),
        "service": view.service,
        "step": str(view.step),
        "prompt": view.prompt_key,
        "data": data,
        "intents": list(view.intents),
        "steps": steps,
        "stepIndex": index,
    }


def take_list(tr: Translator, keys: Sequence[str]) -> str:
    """"A、B和C" / "A, B and C" (the same as the done page shows)."""
    names = [tr.text(key) for key in keys]
    if len(names) < 2:
        return "".join(names)
    return tr.text("take.separator").join(names[:-1]) + tr.text("take.last") + names[-1]


def speech_for(view: FlowView, tr: Translator) -> str:
    """What is said for a view: the prompt, then what the screen asks or explains (all of it shown too)."""
    data = view.data
    parts = [tr.text(view.prompt_key)]
    if view.step is StepKind.CAPTURE_FACE:
        parts.append(tr.text(challenge_key(data)) if challenge_key(data) else "")
        parts.append(tr.text(data["guidance_key"]) if data.get("guidance_key") else "")
    elif view.step is StepKind.FAILED:
        parts.append(tr.text(error_key(data)))
        parts.append(tr.text(data.get("next_key") or "next.call_staff"))
    elif view.step is StepKind.DONE and data.get("take_items"):
        parts.append(tr.text("done.take", items=take_list(tr, data["take_items"])))
    elif data.get("error_key"):
        parts.append(tr.text(data["error_key"]))
    return "。".join(part for part in parts if part) if tr.language == "zh" else ". ".join(p for p in parts if p)


def challenge_key(data: Mapping[str, Any]) -> str:
    """The liveness action's text key ("liveness.blink"), or "" when none is asked."""
    if data.get("challenge_key"):
        return str(data["challenge_key"])
    return f"liveness.{data['challenge']}" if data.get("challenge") else ""


def error_key(data: Mapping[str, Any]) -> str:
    return str(data.get("error_key") or f"error.{data.get('error_code', 'internal')}")


def speech_key(view: FlowView, language: str) -> tuple[Any, ...]:
    """Said again only when this changes (a payment poll repeats the same view)."""
    data = view.data
    return (view.service, view.step, view.prompt_key, language,
            *(str(data.get(key)) for key in ("guidance_key", "challenge", "error_key", "error_code", "next_key",
                                             "take_items")))  # fmt: skip
