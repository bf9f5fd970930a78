"""Constants and payload builders shared by the trust tests (a unique module name, imported by path)."""

from __future__ import annotations

from typing import Any

from kiosk.config import default_config, document_payload

KIOSK_ID = "kiosk-7"
CHANNEL = "district-3"


def config_payload(site_name: str = "派出所 A") -> dict[str, Any]:
    return document_payload(default_config().model_copy(update={"site_name": site_name}))
