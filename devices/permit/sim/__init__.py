"""The simulated permit: a virtual card behind a real pcscd (vsmartcard-vpcd), with demo permits and scenarios."""

from __future__ import annotations

import threading

from devices.permit.sim.control import PermitSimulator

_simulators: dict[str, PermitSimulator] = {}
_lock = threading.Lock()


def get_simulator(name: str = "permit", **settings: object) -> PermitSimulator:
    """The named simulator (created on first use), shared by the demo, its control window and tests."""
    with _lock:
        if name not in _simulators:
            _simulators[name] = PermitSimulator(**settings)  # type: ignore[arg-type]
        return _simulators[name]


def forget_all() -> None:
    with _lock:
        simulators = list(_simulators.values())
        _simulators.clear()
    for simulator in simulators:
        simulator.close()
