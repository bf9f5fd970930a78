"""The kiosk side of fleet management: enrolment credentials, the HTTP client and the polling agent.

    client = FleetClient(credentials.server_url, credentials)
    agent = FleetAgent(home, client, healthy=..., open_transactions=journal.open_transaction_count)
    outcome = agent.poll_once()          # or agent.run(stop_event.wait, heartbeat_source)
    agent.heartbeat_once(device_states, availability)
No Qt here; time is injectable (clock, rng, wait) so tests drive the agent step by step.
"""

from kiosk.fleet.agent import AgentSettings, FleetAgent, HeartbeatOutcome, PollOutcome
from kiosk.fleet.client import (
    Desired,
    FleetAuthError,
    FleetClient,
    FleetError,
    FleetRequestError,
    FleetUnavailable,
)
from kiosk.fleet.state import Credentials, NotEnrolled, load_credentials, save_credentials

__all__ = [
    "AgentSettings",
    "Credentials",
    "Desired",
    "FleetAgent",
    "FleetAuthError",
    "FleetClient",
    "FleetError",
    "FleetRequestError",
    "FleetUnavailable",
    "HeartbeatOutcome",
    "NotEnrolled",
    "PollOutcome",
    "load_credentials",
    "save_credentials",
]
