"""The catalogue of every text a flow can put on the screen (and speak), Chinese first, English complete.

    text("prompt.pay", "en")            # the text, or None: there is no made-up fallback for a missing key
    missing_keys("zh")                  # declared keys without a text (empty, or the tests fail)

Declared keys come from the flows' own definitions (ServiceFlow.declared_keys: kiosk/flows/keys.py and each
service's keys) and from service availability; face guidance texts come with kiosk.face's instructions.
Overrides pushed by the fleet (config ui.texts: "KEY" for zh, "en:KEY" for en) win over the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.face.instructions import ALL as FACE_INSTRUCTIONS
from kiosk.flows.keys import DEVICE_KINDS
from kiosk.services import SERVICES
from kiosk.texts.flow_texts import FLOW_TEXTS

LANGUAGES = ("zh", "en")
AVAILABILITY_KEYS = frozenset({"reason.starting", "reason.out_of_service", "reason.not_offered",
                               "reason.backend_down", *(f"reason.device.{kind}" for kind in DEVICE_KINDS)})  # fmt: skip


def catalogue() -> dict[str, dict[str, str]]:
    face = {f"guidance.{key}": {"zh": item.zh, "en": item.en} for key, item in FACE_INSTRUCTIONS.items()}
    services = {key: value for spec in SERVICES for key, value in spec.load_texts().items()}
    return {**face, **FLOW_TEXTS, **services}  # the catalogue's wording wins over the face instructions' own


def declared_keys() -> frozenset[str]:
    """Every key a flow of a registered service, or the availability on the home screen, can show."""
    keys: set[str] = set(AVAILABILITY_KEYS)
    for spec in SERVICES:
        keys.update(spec.load_flow().declared_keys())
    return frozenset(keys)


def text(key: str, language: str, overrides: Mapping[str, str] | None = None) -> str | None:
    if overrides:
        override = overrides.get(key if language == "zh" else f"{language}:{key}")
        if override:
            return override
    entry = catalogue().get(key)
    return entry.get(language) if entry else None


def missing_keys(language: str, keys: frozenset[str] | None = None) -> list[str]:
    entries = catalogue()
    return sorted(key for key in (keys if keys is not None else declared_keys())
                  if not entries.get(key, {}).get(language))  # fmt: skip
