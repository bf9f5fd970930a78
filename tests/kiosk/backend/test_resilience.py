"""Time-outs, connection failures, 5xx and lost answers: retried with the same Idempotency-Key, mapped to
BackendUnavailable when retries run out. Real sockets on loopback, no mocks."""

from __future__ import annotations

import socket
import threading

import pytest

from kiosk.backend import BackendUnavailable
from server.sandbox.models import IdempotencyRecord, PaymentOrderRow
from tests.kiosk.backend.helpers import clear_faults, client_for, set_faults


@pytest.fixture
def server(sandbox_server):
    yield sandbox_server
    clear_faults(sandbox_server.base_url)


def _orders(server, reference: str) -> int:
    with server.state.sessions() as session:
        return session.query(PaymentOrderRow).filter_by(reference=reference).count()


def _requests_seen(server) -> int:
    return server.state.faults.state().requests_seen


def test_lost_answer_is_retried_with_the_same_key_and_takes_effect_once(server):
    set_faults(server.base_url, reset_requests=2, after_handler=True)
    with client_for(server.base_url, retries=3) as client:
        order = client.create_payment(1000, "temp_id", "lost-twice", idempotency_key="same-key-1")
    assert _requests_seen(server) == 3  # two lost answers, then the replay
    assert _orders(server, "lost-twice") == 1
    with server.state.sessions() as session:
        assert session.get(IdempotencyRecord, ("demo-kiosk-001", "same-key-1")) is not None
    assert order.reference == "lost-twice"


def test_5xx_then_success(server):
    set_faults(server.base_url, fail_requests=2, fail_status=503, after_handler=True)
    with client_for(server.base_url, retries=3) as client:
        order = client.create_payment(1000, "temp_id", "5xx-then-ok")
    assert order.status == "pending"
    assert _requests_seen(server) == 3
    assert _orders(server, "5xx-then-ok") == 1


def test_5xx_after_all_retries_is_unavailable(server):
    set_faults(server.base_url, fail_requests=10, fail_status=500)
    with client_for(server.base_url, retries=2) as client, pytest.raises(BackendUnavailable) as raised:
        client.health()
    assert raised.value.status == 500
    assert _requests_seen(server) == 3


def test_a_hanging_server_times_out(server):
    set_faults(server.base_url, delay_s=10, delay_requests=10)
    with client_for(server.base_url, retries=1, read_timeout_s=0.3) as client, pytest.raises(BackendUnavailable):
        client.payment_status("PO-ANY")
    assert _requests_seen(server) == 2  # first try and one retry


def test_connection_reset_every_time_is_unavailable(server):
    set_faults(server.base_url, reset_requests=10)
    with client_for(server.base_url, retries=2) as client, pytest.raises(BackendUnavailable, match="connection"):
        client.health()
    assert _requests_seen(server) == 3


def test_connection_refused_is_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    with client_for(f"http://127.0.0.1:{port}", retries=1) as client, pytest.raises(BackendUnavailable):
        client.health()


def test_a_server_that_accepts_and_never_answers_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept_forever() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        with (
            client_for(url, retries=1, read_timeout_s=0.2) as client,
            pytest.raises(BackendUnavailable, match="time-out"),
        ):
            client.create_payment(1000, "temp_id", "never-answered")
        assert len(accepted) == 2  # the request was sent twice
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()
