"""Fixtures for the fleet server tests: a real uvicorn server on loopback over a temp SQLite file (or
PostgreSQL from KIOSK_TEST_PG_URL for the postgres-marked variant), an admin HTTP session, signed
documents made with the real kiosk.trust signing code.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine

from kiosk.config import default_config
from kiosk.trust import CONFIG_TYPE, make_signed, sign
from kiosk.trust.envelope import envelope_file_bytes
from server.fleet import BackgroundServer, FleetSettings
from server.fleet.db import normalise_url
from server.fleet.models import Base

ADMIN_TOKEN = "test-admin-token-0123456789"


def _pg_url() -> str:
    url = os.environ.get("KIOSK_TEST_PG_URL")
    if not url:
        pytest.skip("KIOSK_TEST_PG_URL is not set: PostgreSQL tests skipped")
    engine = create_engine(normalise_url(url))
    Base.metadata.drop_all(engine)  # a clean database for every test
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'fleet.sqlite3'}" if request.param == "sqlite" else _pg_url()


@pytest.fixture
def fleet_server(db_url: str) -> Iterator[BackgroundServer]:
    settings = FleetSettings(db_url=db_url, admin_token=ADMIN_TOKEN, poll_interval_s=30)
    with BackgroundServer(settings) as server:
        yield server


class Admin:
    """The admin API through requests, raising on unexpected status codes."""

    def __init__(self, url: str) -> None:
        self.url = url + "/api/v1"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        response = self.http.request(method, self.url + path, timeout=10, **kwargs)
        assert response.status_code == expect, response.text
        return response.json() if response.content else None

    def token(self, **body: Any) -> str:
        return self.call("POST", "/enrolment-tokens", 201, json=body)["token"]

    def enrol(self, kiosk_id: str, group: str | None = None, channels: Sequence[str] = ()) -> tuple[str, str]:
        token = self.token(group=group, channels=list(channels))  # channels are the admin's to give
        response = requests.post(self.url + "/enrol", json={"token": token, "kiosk_id": kiosk_id,
                                                             "channels": list(channels)}, timeout=10)  # fmt: skip
        assert response.status_code == 201, response.text
        return kiosk_id, response.json()["secret"]

    def push(self, document: bytes) -> dict[str, Any]:
        return self.call("POST", "/documents", 201, data=document, headers={"Content-Type": "application/json"})


@pytest.fixture
def admin(fleet_server: BackgroundServer) -> Iterator[Admin]:
    client = Admin(fleet_server.url)
    yield client
    client.http.close()


@pytest.fixture(scope="session")
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def make_document(signing_key: Ed25519PrivateKey) -> Callable[..., bytes]:
    def _make(version: int = 1, kiosk_ids: Sequence[str] = (), channels: Sequence[str] = ("all",)) -> bytes:
        payload = default_config().model_copy(update={"site_name": f"site v{version}"}).model_dump(mode="json")
        signed = make_signed(CONFIG_TYPE, payload, version=version, expires=datetime.now(UTC) + timedelta(days=7),
                             kiosk_ids=kiosk_ids, channels=channels)  # fmt: skip
        return envelope_file_bytes(sign(signed, [signing_key]))

    return _make
