"""A real sandbox on loopback, kiosk runtimes with simulated devices, and counts of what the backend did."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

import pytest
import requests
from sqlalchemy import select

from kiosk.backend import transport
from kiosk.config import BackendConfig
from kiosk.home import KioskHome
from kiosk.runtime import KioskRuntime
from server.sandbox.models import CertificateRow, PaymentOrderRow, TempIdCardRow
from tests.kiosk.flows.conftest import kiosk_config, sandbox  # noqa: F401 - the sandbox fixture


@pytest.fixture(autouse=True)
def _short_backoff(monkeypatch):
    """Retries keep their order and keys; only the waits between them shrink."""
    monkeypatch.setattr(transport, "MAX_BACKOFF_S", 0.01)


@pytest.fixture
def make_runtime(tmp_path, sandbox):  # noqa: F811
    opened: list[KioskRuntime] = []

    def make(home: str = "home", url: str | None = None, **backend: object) -> KioskRuntime:
        config = kiosk_config(sandbox.base_url)
        options = {"url": url or sandbox.base_url, "kiosk_key": config.backend.kiosk_key, "retries": 1,
                   "read_timeout_s": 5.0, **backend}  # fmt: skip
        config = config.model_copy(update={"backend": BackendConfig(**options)})
        runtime = KioskRuntime(KioskHome(tmp_path / home), config).open()
        opened.append(runtime)
        return runtime

    yield make
    for runtime in opened:
        runtime.close()


def set_faults(server, **settings: object) -> None:
    requests.put(f"{server.base_url}/api/v1/sandbox/faults", json=settings, timeout=10).raise_for_status()


def clear_faults(server) -> None:
    requests.delete(f"{server.base_url}/api/v1/sandbox/faults", timeout=10).raise_for_status()


def pay_order(server, payment_order_id: str) -> None:
    url = f"{server.base_url}/api/v1/sandbox/payments/{payment_order_id}/pay"
    requests.post(url, timeout=10).raise_for_status()


@dataclass(frozen=True)
class BackendEffects:
    payments: dict[str, str]  # payment order id -> status, for one kiosk order reference
    cards: int  # temporary ID cards issued against those payment orders
    refunds: dict[str, str] = field(default_factory=dict)  # payment order id -> refund state, where refunded

    @property
    def refunded_cents(self) -> int:
        return self._refunded

    _refunded: int = 0

    @property
    def charged(self) -> int:
        return sum(status == "paid" for status in self.payments.values())


def effects(server, order_ref: str) -> BackendEffects:
    """What the backend holds for one kiosk order: its payment orders and the cards they paid for."""
    with server.state.sessions() as session:
        rows = session.scalars(select(PaymentOrderRow).where(PaymentOrderRow.reference == order_ref)).all()
        ids = [row.order_id for row in rows]
        cards = session.scalars(select(TempIdCardRow).where(TempIdCardRow.payment_order_id.in_(ids))).all()
        refunds = {row.order_id: row.refund_state for row in rows if row.refund_state}
        refunded = sum(row.refund_cents for row in rows if row.refund_state == "refunded")
        return BackendEffects({row.order_id: row.status for row in rows}, len(cards), refunds, refunded)


def certificates_issued(server) -> int:
    with server.state.sessions() as session:
        return len(session.scalars(select(CertificateRow)).all())


def call_with_faults(monkeypatch, server, backend, method: str, **settings: object) -> list[object]:
    """Arm the sandbox's faults just before the kiosk's first `method` call (only that call meets them)."""
    calls: list[object] = []
    original = getattr(backend, method)

    def armed(*args, **kwargs):
        calls.append(kwargs.get("idempotency_key"))
        if len(calls) > 1:  # later calls (a replay to settle the order) meet a healthy backend
            return original(*args, **kwargs)
        set_faults(server, **settings)
        try:
            return original(*args, **kwargs)
        finally:
            clear_faults(server)

    monkeypatch.setattr(backend, method, armed)
    return calls


class HangingServer:
    """Accepts TCP connections and never answers (a backend whose process is stuck)."""

    def __init__(self) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self.listener.getsockname()
        return f"http://{host}:{port}"

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def hanging_server():
    server = HangingServer()
    yield server
    server.close()


class Crash(BaseException):
    """Stands in for a power cut inside the process: no `except Exception` in a flow catches it."""


def crash_after(monkeypatch, target: object, method: str, when=lambda _result: True) -> None:
    """Raise Crash right after target.method returns (and `when` holds for its result)."""
    original = getattr(target, method)

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        if when(result):
            raise Crash(method)
        return result

    monkeypatch.setattr(target, method, wrapper)


def abandon(runtime: KioskRuntime) -> None:
    """Release a crashed runtime's resources without the clean shutdown's cancel of an open payment."""
    runtime._flow = None
    runtime.close()
