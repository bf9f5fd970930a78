"""Building clients and captures for the backend-client tests."""

from __future__ import annotations

import requests

from devices.camera.scenes import compose_shipped
from kiosk.backend import BackendClient
from kiosk.config import BackendConfig
from server.sandbox.portraits import LIVE_PORTRAITS, encode_jpeg
from server.sandbox.settings import DEMO_KIOSK_ID, DEMO_KIOSK_KEY


def client_for(url: str, *, retries: int = 3, read_timeout_s: float = 10.0, key: str = DEMO_KIOSK_KEY,
               kiosk_id: str = DEMO_KIOSK_ID) -> BackendClient:  # fmt: skip
    config = BackendConfig(
        url=url, kiosk_key=key, connect_timeout_s=2.0, read_timeout_s=read_timeout_s, retries=retries
    )
    return BackendClient(config, kiosk_id, backoff_s=0.01)


def capture_of(id_number: str) -> bytes:
    """The camera simulator's picture of this demo citizen (a real photograph of the same person), as JPEG."""
    return encode_jpeg(compose_shipped("face", LIVE_PORTRAITS[id_number]))


def set_faults(base_url: str, **settings: object) -> None:
    requests.put(f"{base_url}/api/v1/sandbox/faults", json=settings, timeout=5).raise_for_status()


def clear_faults(base_url: str) -> None:
    requests.delete(f"{base_url}/api/v1/sandbox/faults", timeout=5).raise_for_status()


def pay(base_url: str, order_id: str) -> None:
    requests.post(f"{base_url}/api/v1/sandbox/payments/{order_id}/pay", timeout=5).raise_for_status()
