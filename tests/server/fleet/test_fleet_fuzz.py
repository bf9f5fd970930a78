"""Property-based hostile input over every route of the fleet server's committed OpenAPI document, against a
real server on loopback: no 5xx, small and quick answers in the one error shape, never the input echoed,
and nothing stored beyond the limits afterwards."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select

from server.fleet import BackgroundServer, FleetSettings
from server.fleet.models import Document, Kiosk, Report, SecurityEvent
from server.fleet.openapi_export import OPENAPI_FILE
from server.guard.ratelimit import Rate
from tests.server.fleet.conftest import ADMIN_TOKEN, Admin
from tests.server.hostile import Operation, bodies, operations, path_value, send

OPENAPI = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
OPERATIONS = operations(OPENAPI)
WIDE = Rate(burst=100_000, per_minute=100_000)  # the fuzzer is one address sending thousands of requests


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory, signing_key) -> Iterator[tuple[BackgroundServer, dict]]:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('fleet-fuzz') / 'fleet.sqlite3'}"
    settings = FleetSettings(db_url=db_url, admin_token=ADMIN_TOKEN, enrol_rate=WIDE, public_rate=WIDE,
                             login_failure_rate=WIDE)  # fmt: skip
    with BackgroundServer(settings) as server:
        admin = Admin(server.url)
        kiosk_id, secret = admin.enrol("fuzz-kiosk", group="g", channels=["all"])
        basic = base64.b64encode(f"{kiosk_id}:{secret}".encode()).decode()
        headers = {"admin": {"Authorization": f"Bearer {ADMIN_TOKEN}"}, "kiosk": {"Authorization": f"Basic {basic}"},
                   "garbage": {"Authorization": "Basic %%%"}, "none": {}}  # fmt: skip
        yield server, {"headers": headers, "db_url": db_url}
        admin.http.close()


def _path(draw: st.DrawFn, operation: Operation) -> str:
    path = operation.path
    for name in operation.path_params:
        valid = {"kiosk_id": "fuzz-kiosk", "action": "pause"}.get(name, "1")
        path = path.replace("{" + name + "}", path_value(draw, valid))
    return path


@pytest.mark.parametrize("operation", OPERATIONS, ids=repr)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_every_route_holds_under_hostile_input(fuzzed, operation: Operation, data: st.DataObject) -> None:
    server, context = fuzzed
    who = data.draw(st.sampled_from(sorted(context["headers"])))
    send(server.url, operation, _path(data.draw, operation), data.draw(bodies(operation)), context["headers"][who])


def test_nothing_stored_beyond_limits_after_the_fuzzing(fuzzed) -> None:
    """Runs after the fuzz test (file order): every stored row stays within the schema's bounds."""
    _server, context = fuzzed
    engine = create_engine(context["db_url"])
    with engine.connect() as connection:
        kiosks = connection.execute(select(Kiosk)).all()
        largest_document = connection.execute(select(func.max(func.length(Document.body)))).scalar() or 0
        reports = connection.execute(select(func.count()).select_from(Report)).scalar_one()
        events = connection.execute(select(func.count()).select_from(SecurityEvent)).scalar_one()
    engine.dispose()
    for kiosk in kiosks:
        stored = json.dumps([kiosk.device_states, kiosk.availability, kiosk.devices, kiosk.reported_channels])
        assert len(stored) <= 512 * 1024
    assert largest_document <= 1024 * 1024 and reports < 10_000 and events < 10_000
