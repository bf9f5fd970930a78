"""Serving a simulator on TCP from the command line (`kiosk sim KIND --listen HOST:PORT`)."""

from __future__ import annotations

import sys

from devices.sim.engine import SimulatorEngine
from devices.sim.hosts import TcpSimulator
from kiosk.cli import exitcodes


def serve_tcp(engine: SimulatorEngine, listen: tuple[str, int], label: str) -> int:
    """Serve until interrupted; a port that cannot be bound is a usage error."""
    try:
        server = TcpSimulator(engine, *listen)
    except OSError as error:
        print(f"kiosk sim: cannot listen on {listen[0]}:{listen[1]}: {error}", file=sys.stderr)
        return exitcodes.USAGE
    print(f"{label} listening on {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return exitcodes.OK
