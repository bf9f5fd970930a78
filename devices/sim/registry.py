"""Which simulator answers a sim://KIND URL, and the named instances tests and the demo control.

URL form: sim://KIND?instance=NAME&scenario=NAME&... . The same instance name always reaches the same
simulated device, so a device that reopens after an unplug finds the card or paper it left.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlsplit

from devices.sim.engine import SimulatorEngine

# kind -> "module:Class"; the class has `from_params(params: Mapping[str, str]) -> SimulatorEngine`.
SIMULATOR_CLASSES: dict[str, str] = {
    "idcard": "devices.idcard.sim:IdCardSimulator",
    "receipt": "devices.receipt.sim:ReceiptPrinterSimulator",
    "cardprinter": "devices.cardprinter.sim:CardPrinterSimulator",
    "rewritable": "devices.rewritable.sim:RewritablePrinterSimulator",
}

_instances: dict[str, SimulatorEngine] = {}
_lock = threading.Lock()


def parse_sim_url(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    if parts.scheme != "sim" or not parts.netloc:
        raise ValueError(f"not a simulator URL: {url!r} (expected sim://KIND?...)")
    return parts.netloc.lower(), dict(parse_qsl(parts.query))


def simulator_class(kind: str) -> type[SimulatorEngine]:
    try:
        target = SIMULATOR_CLASSES[kind]
    except KeyError:
        raise ValueError(f"no simulator for device kind {kind!r}; known: {sorted(SIMULATOR_CLASSES)}") from None
    module_name, class_name = target.split(":")
    return getattr(importlib.import_module(module_name), class_name)


def create(kind: str, params: Mapping[str, str]) -> SimulatorEngine:
    return simulator_class(kind).from_params(params)  # type: ignore[attr-defined]


def instance_for_url(url: str) -> SimulatorEngine:
    """The simulator behind a sim:// URL, created on first use and kept under its instance name."""
    kind, params = parse_sim_url(url)
    name = params.get("instance", url)
    with _lock:
        engine = _instances.get(name)
        if engine is None:
            engine = create(kind, params)
            _instances[name] = engine
        return engine


def get_instance(name: str) -> SimulatorEngine | None:
    with _lock:
        return _instances.get(name)


def register_instance(name: str, engine: SimulatorEngine) -> None:
    with _lock:
        _instances[name] = engine


def forget_all() -> None:
    """Drop every instance (tests call this between cases)."""
    with _lock:
        _instances.clear()
