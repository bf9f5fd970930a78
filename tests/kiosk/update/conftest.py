"""Fixtures of the update tests: a real fleet server on loopback (SQLite, its package directory), the
release signing key, small real packages of the kiosk, and simulated appliance kiosks."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from server.fleet import BackgroundServer, FleetSettings
from server.guard.ratelimit import Rate
from tests.kiosk.update.fleet_harness import ADMIN_TOKEN, AdminApi, FakeClock, SimulatedKiosk
from tests.kiosk.update.packages import BuiltPackage, build_package


@pytest.fixture
def fleet(tmp_path) -> Iterator[BackgroundServer]:
    settings = FleetSettings(db_url=f"sqlite:///{tmp_path / 'fleet.sqlite3'}", admin_token=ADMIN_TOKEN,
                             poll_interval_s=30, package_dir=str(tmp_path / "packages"),
                             enrol_rate=Rate(burst=200, per_minute=600))  # one address enrols a whole fleet here  # fmt: skip
    with BackgroundServer(settings) as server:
        yield server


@pytest.fixture
def admin(fleet) -> Iterator[AdminApi]:
    api = AdminApi(fleet.url)
    yield api
    api.http.close()


@pytest.fixture(scope="session")
def release_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def releases(tmp_path_factory) -> dict[str, BuiltPackage]:
    """0.2.0 (good), 0.3.0 (fails its health window), 0.0.9 (older than the factory's 0.1.0)."""
    root = tmp_path_factory.mktemp("releases")
    return {version: build_package(root, version, payload_kib=512) for version in ("0.2.0", "0.3.0", "0.0.9")}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_kiosk(tmp_path, fleet, admin, release_key, clock) -> Iterator[Callable[..., SimulatedKiosk]]:
    made: list[SimulatedKiosk] = []

    def _make(kiosk_id: str = "K-001", **kwargs) -> SimulatedKiosk:
        kiosk = SimulatedKiosk.make(tmp_path / "kiosks", kiosk_id, fleet.url, admin, release_key, clock, **kwargs)
        made.append(kiosk)
        return kiosk

    yield _make
    for kiosk in made:
        kiosk.close()
