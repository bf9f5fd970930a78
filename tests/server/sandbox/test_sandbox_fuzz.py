"""Property-based hostile input over every route of the sandbox's committed OpenAPI document (the model of
the police backend), against a real server on loopback: no 5xx, small and quick answers in the one error
shape, never the input echoed, and the stored answers stay within bounds."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from server.guard.ratelimit import Rate
from server.sandbox.models import FaceAttempt, IdempotencyRecord
from server.sandbox.openapi_export import OPENAPI_FILE
from server.sandbox.runner import RunningSandbox
from server.sandbox.testing import ADMIN_HEADERS, KIOSK_HEADERS, fresh_sandbox
from tests.server.hostile import Operation, bodies, operations, path_value, send

OPENAPI = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
# Faults and the clock steer the sandbox itself (a fault answers 5xx on purpose): not fuzzed.
OPERATIONS = operations(OPENAPI, skip=("/api/v1/sandbox/faults", "/api/v1/sandbox/clock"))
WIDE = Rate(burst=100_000, per_minute=100_000)
HEADERS = {"kiosk": KIOSK_HEADERS, "admin": ADMIN_HEADERS, "none": {},
           "wrong": {"X-Kiosk-Id": "demo-kiosk-001", "X-Kiosk-Key": "guess"}}  # fmt: skip


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with fresh_sandbox("sqlite", tmp_path_factory.mktemp("sandbox-fuzz"), public_rate=WIDE, sandbox_rate=WIDE,
                       login_failure_rate=WIDE, face_failures_per_kiosk=100_000) as server:  # fmt: skip
        yield server


def _path(draw: st.DrawFn, operation: Operation) -> str:
    path = operation.path
    for name in operation.path_params:
        valid = {"kind": "temp_id", "issue_key": "0123456789abcdef"}.get(name, "110105199003074578")
        path = path.replace("{" + name + "}", path_value(draw, valid))
    return path


@pytest.mark.parametrize("operation", OPERATIONS, ids=repr)
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_every_route_holds_under_hostile_input(fuzzed, operation: Operation, data: st.DataObject) -> None:
    headers = dict(HEADERS[data.draw(st.sampled_from(sorted(HEADERS)))])
    if data.draw(st.booleans()):
        headers["Idempotency-Key"] = data.draw(st.sampled_from(["k" * 32, "x" * 129, "fuzz-key-1"]))
    send(fuzzed.base_url, operation, _path(data.draw, operation), data.draw(bodies(operation)), headers)


def test_stored_answers_stay_small_after_the_fuzzing(fuzzed) -> None:
    with fuzzed.state.sessions() as session:
        largest = session.execute(select(func.max(func.length(IdempotencyRecord.response_body)))).scalar() or 0
        attempts = session.execute(select(func.count()).select_from(FaceAttempt)).scalar_one()
    assert largest <= 64 * 1024 and attempts < 10_000
