"""Enrolment: exchange a one-time token for this kiosk's fleet credentials.

The kiosk id and channels come from the kiosk's trust root (`kiosk config init`), because signed
documents are addressed to exactly that id: the fleet server must know the kiosk by the same name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import metadata
from typing import Any

from kiosk.fleet.client import FleetClient
from kiosk.fleet.state import Credentials, save_credentials
from kiosk.home import KioskHome
from kiosk.trust import load_trust_root


def software_version() -> str:
    try:
        return metadata.version("police-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown"


def enrol(home: KioskHome, server_url: str, token: str, *, ca_file: str | None = None, retries: int = 1) -> Credentials:
    """Raises TrustRootMissing (provision first), FleetAuthError/FleetRequestError (bad or used token),
    FleetUnavailable. On success the credentials are stored under home/fleet/ (mode 0600)."""
    root = load_trust_root(home)
    client = FleetClient(server_url, ca_file=ca_file, retries=retries)
    try:
        credentials = client.enrol(token, root.kiosk_id, root.channels, software_version())
    finally:
        client.close()
    save_credentials(home.ensure(), credentials)
    return credentials


def send_inventory(
    home: KioskHome, client: FleetClient, devices: Sequence[Mapping[str, Any]], version: str | None = None
) -> None:
    """Tell the server the software version, the device list and the trust root's channels."""
    root = load_trust_root(home)
    client.inventory(version or software_version(), devices, root.channels)
