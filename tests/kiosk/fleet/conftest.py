"""Fixtures for the fleet agent tests: a real fleet server on loopback (temp SQLite), simulated kiosks
each with its own data dir and trust root, enrolled through the real HTTP API, and a fake clock."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import default_config, document_payload
from kiosk.fleet import AgentSettings, FleetAgent, FleetClient
from kiosk.fleet.enrol import enrol
from kiosk.home import KioskHome
from kiosk.trust import CONFIG_TYPE, make_signed, provision_trust_root, sign
from kiosk.trust.envelope import envelope_file_bytes
from server.fleet import BackgroundServer, FleetSettings
from server.guard.ratelimit import Rate

ADMIN_TOKEN = "agent-test-admin-token"
CHANNEL = "province"


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class SimKiosk:
    kiosk_id: str
    home: KioskHome
    agent: FleetAgent
    client: FleetClient


class AdminApi:
    def __init__(self, url: str) -> None:
        self.url = url + "/api/v1"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        response = self.http.request(method, self.url + path, timeout=10, **kwargs)
        assert response.status_code == expect, response.text
        return response.json() if response.content else None

    def push(self, document: bytes) -> dict[str, Any]:
        return self.call("POST", "/documents", 201, data=document, headers={"Content-Type": "application/json"})

    def assign(self, document_id: int, kind: str, target: str) -> None:
        self.call("POST", "/assignments", 201, json={"document_id": document_id, "target_kind": kind, "target": target})

    def history(self, kiosk_id: str) -> list[dict[str, Any]]:
        return self.call("GET", f"/kiosks/{kiosk_id}/reports")["items"]


@pytest.fixture
def fleet(tmp_path) -> Iterator[BackgroundServer]:
    settings = FleetSettings(  # one address enrols a whole simulated fleet here: a wider enrolment rate
        db_url=f"sqlite:///{tmp_path / 'fleet.sqlite3'}", admin_token=ADMIN_TOKEN, poll_interval_s=30,
        enrol_rate=Rate(burst=200, per_minute=600),
    )  # fmt: skip
    with BackgroundServer(settings) as server:
        yield server


@pytest.fixture
def admin(fleet: BackgroundServer) -> Iterator[AdminApi]:
    api = AdminApi(fleet.url)
    yield api
    api.http.close()


@pytest.fixture(scope="session")
def fleet_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_document(fleet_key: Ed25519PrivateKey) -> Callable[..., bytes]:
    def _make(version: int = 1, kiosk_ids: Sequence[str] = (), channels: Sequence[str] = (CHANNEL,)) -> bytes:
        payload = document_payload(default_config().model_copy(update={"site_name": f"site v{version}"}))
        signed = make_signed(CONFIG_TYPE, payload, version=version, expires=datetime.now(UTC) + timedelta(days=7),
                             kiosk_ids=kiosk_ids, channels=channels)  # fmt: skip
        return envelope_file_bytes(sign(signed, [fleet_key]))

    return _make


@pytest.fixture
def make_kiosk(tmp_path, fleet, admin, fleet_key, clock) -> Iterator[Callable[..., SimKiosk]]:
    made: list[SimKiosk] = []

    def _make(kiosk_id: str, *, group: str | None = None, trusted: Ed25519PrivateKey | None = None,
              healthy: Callable[[], bool] = lambda: True, open_transactions: Callable[[], int] | None = None,
              health_window_s: float = 60.0) -> SimKiosk:  # fmt: skip
        home = KioskHome(tmp_path / "kiosks" / kiosk_id).ensure()
        provision_trust_root(home, kiosk_id, [(trusted or fleet_key).public_key()], 1, [CHANNEL])
        body = {"group": group, "channels": [CHANNEL]}  # the channels a kiosk may fetch are the admin's to give
        token = admin.call("POST", "/enrolment-tokens", 201, json=body)["token"]
        credentials = enrol(home, fleet.url, token, retries=0)
        client = FleetClient(credentials.server_url, credentials, retries=0)
        agent = FleetAgent(
            home, client, healthy=healthy, open_transactions=open_transactions, clock=clock,
            rng=random.Random(kiosk_id), settings=AgentSettings(health_window_s=health_window_s),
        )  # fmt: skip
        made.append(SimKiosk(kiosk_id, home, agent, client))
        return made[-1]

    yield _make
    for kiosk in made:
        kiosk.client.close()
