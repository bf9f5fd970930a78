"""Sandbox fault injection as seen on the wire: delay, 5xx, reset, and effect-then-lost-answer."""

from __future__ import annotations

import pytest
import requests

from server.sandbox.models import PaymentOrderRow
from tests.server.sandbox.helpers import Api

ORDER = {"amount_cents": 1000, "purpose": "temp_id", "reference": "fault"}


@pytest.fixture
def api(sandbox_server):
    api = Api(sandbox_server.base_url)
    yield api
    api.ok(requests.delete(api.base + "/sandbox/faults", timeout=5))


def _faults(api: Api, **settings) -> None:
    api.ok(requests.put(api.base + "/sandbox/faults", json=settings, timeout=5))


def test_injected_5xx_for_the_next_n_requests(api):
    _faults(api, fail_requests=2, fail_status=502)
    assert [api.get("/health").status_code for _ in range(3)] == [502, 502, 200]
    assert api.ok(api.get("/sandbox/faults"))["requests_seen"] == 3


def test_injected_delay_exceeds_a_read_timeout(api):
    _faults(api, delay_s=5, delay_requests=1)
    with pytest.raises(requests.ReadTimeout):
        requests.get(api.base + "/health", timeout=(2, 0.3))


def test_injected_reset_is_a_connection_error(api):
    _faults(api, reset_requests=1)
    with pytest.raises(requests.ConnectionError):
        requests.get(api.base + "/health", timeout=5)
    assert api.get("/health").status_code == 200


def test_after_handler_fault_takes_effect_but_loses_the_answer(api, sandbox_server):
    _faults(api, fail_requests=1, after_handler=True)
    assert api.post("/payments", {**ORDER, "reference": "lost-answer"}, key="lost-1").status_code == 503
    replay = api.post("/payments", {**ORDER, "reference": "lost-answer"}, key="lost-1")
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    with sandbox_server.state.sessions() as session:
        assert session.query(PaymentOrderRow).filter_by(reference="lost-answer").count() == 1


def test_fault_and_clock_controls_are_absent_outside_sandbox_mode(sandbox_factory):
    with sandbox_factory(sandbox_mode=False) as server:
        assert requests.get(server.base_url + "/api/v1/sandbox/faults", timeout=5).status_code == 404
        assert requests.put(server.base_url + "/api/v1/sandbox/clock", json={}, timeout=5).status_code == 404
