"""The permit reader/writer (往来港澳通行证 chip) on PC/SC: protocol modules, the device and its simulator."""

from __future__ import annotations

from typing import Any


def build_permit_reader(name: str, url: str, **options: Any) -> Any:
    """The registry's factory for kind "permit_reader" (pyscard is imported only when one is built)."""
    from devices.permit.device import PermitReader

    return PermitReader.from_settings(name, url, options)
