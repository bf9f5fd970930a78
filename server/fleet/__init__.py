"""The fleet server: enrolment, inventory and heartbeat, signed configuration documents, assignments
and staged rollouts for the kiosks of a county or province. Kiosks poll it (pull, never push).

    from server.fleet import FleetSettings, create_app, BackgroundServer
"""

from server.fleet.app import create_app
from server.fleet.serve import BackgroundServer, serve_forever
from server.fleet.settings import FleetSettings

__all__ = ["BackgroundServer", "FleetSettings", "create_app", "serve_forever"]
