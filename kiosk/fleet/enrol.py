"""Enrolment: exchange a one-time token for this kiosk's fleet credentials.

The kiosk id and channels come from the kiosk's trust root (`kiosk config init`), because signed
documents are addressed to exactly that id: the fleet server must know the kiosk by the same name.
Enrolment also makes the kiosk's device key if `kiosk config init` did not (kiosk.trust.device_key); the
inventory tells the server its public key, which verifies the audit heads of every heartbeat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import metadata
from typing import Any

from kiosk.audit import provision_device_key
from kiosk.fleet.client import FleetClient
from kiosk.fleet.state import Credentials, save_credentials
from kiosk.home import KioskHome
from kiosk.trust import load_trust_root
from kiosk.trust.device_key import load_device_key


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
    provision_device_key(home)
    return credentials


def send_inventory(
    home: KioskHome, client: FleetClient, devices: Sequence[Mapping[str, Any]], version: str | None = None
) -> None:
    """Tell the server the software version, the device list, the trust root's channels and the device
    key's public half."""
    root = load_trust_root(home)
    key = load_device_key(home)
    public = key.public_b64 if key is not None else None
    client.inventory(version or software_version(), devices, root.channels, device_public_key=public)
