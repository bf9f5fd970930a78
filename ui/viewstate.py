"""FlowView -> what QML renders: plain data (lists, dicts, str, numbers), the step indicator, the speech."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.flows.base import FlowView, StepKind
from ui.language import Translator

# The step indicator's labels until every FlowView carries `steps` (the core's contract change).
DEFAULT_STEPS: dict[str, tuple[str, ...]] = {
    "temp_id": ("step.id_number", "step.face", "step.confirm", "step.pay", "step.print"),
    "certificate": ("step.read_card", "step.face", "step.purpose", "step.confirm", "step.print"),
    "traffic": ("step.identify", "step.select", "step.confirm", "step.pay", "step.print"),
    "endorsement": ("step.read_permit", "step.face", "step.choose", "step.pay", "step.print"),
}
OWN_BUSY_STEPS = {StepKind.READ_CARD, StepKind.PAY, StepKind.WORKING, StepKind.CAPTURE_FACE}
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
    steps = list(getattr(view, "steps", None) or DEFAULT_STEPS.get(view.service, ()))
    number, _total = view.progress
    if not steps or number <= 0:
        return steps, -1
    return steps, min(number, len(steps)) - 1


def view_payload(view: FlowView) -> dict[str, Any]:
    steps, index = step_labels(view)
    return {
        "service": view.service,
        "step": str(view.step),
        "prompt": view.prompt_key,
        "data": plain(view.data),
        "intents": list(view.intents),
        "steps": steps,
        "stepIndex": index,
    }


def take_list(tr: Translator, keys: Sequence[str]) -> str:
    return tr.text("take.separator").join(tr.text(key) for key in keys)


def speech_for(view: FlowView, tr: Translator) -> str:
    """What is said for a view: the prompt, then what the screen asks or explains (all of it shown too)."""
    data = view.data
    parts = [tr.text(view.prompt_key)]
    if view.step is StepKind.CAPTURE_FACE:
        challenge = data.get("challenge")
        parts.append(tr.text(f"face.challenge.{challenge}") if challenge else "")
        parts.append(tr.text(data["guidance_key"]) if data.get("guidance_key") else "")
    elif view.step is StepKind.FAILED:
        parts.append(tr.text(f"error.{data.get('error_code', 'internal')}"))
        parts.append(tr.text(data.get("next_key") or "next.call_staff"))
    elif view.step is StepKind.DONE and data.get("take_items"):
        parts.append(tr.text("done.take", items=take_list(tr, data["take_items"])))
    elif data.get("error_key"):
        parts.append(tr.text(data["error_key"]))
    return "。".join(part for part in parts if part) if tr.language == "zh" else ". ".join(p for p in parts if p)


def speech_key(view: FlowView, language: str) -> tuple[Any, ...]:
    """Said again only when this changes (a payment poll repeats the same view)."""
    data = view.data
    return (view.service, view.step, view.prompt_key, data.get("guidance_key"), data.get("challenge"),
            data.get("error_key"), language)  # fmt: skip
