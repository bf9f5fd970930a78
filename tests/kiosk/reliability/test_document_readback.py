"""GET /api/v1/documents/...: a kiosk reads back only what it was issued itself, only for a while, and never
makes a new document by asking."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from contracts import ADMIN_TOKEN_HEADER
from kiosk.backend.client import BackendClient
from kiosk.backend.errors import BackendRejected
from kiosk.config import BackendConfig
from server.sandbox.settings import DEFAULT_ADMIN_TOKEN
from tests.kiosk.reliability.conftest import certificates_issued
from tests.kiosk.reliability.test_reconcile_services import certificate_to_confirm


@pytest.fixture
def issued(sandbox, make_runtime):
    runtime = make_runtime()
    flow = certificate_to_confirm(runtime)
    assert flow.handle("confirm").step == "done"
    return runtime, runtime.journal.get(flow.order.order_id)


def other_kiosk(sandbox) -> BackendClient:
    response = requests.post(f"{sandbox.base_url}/api/v1/admin/kiosks", json={"kiosk_id": "other-kiosk-002"},
                             headers={ADMIN_TOKEN_HEADER: DEFAULT_ADMIN_TOKEN}, timeout=10)  # fmt: skip
    response.raise_for_status()
    config = BackendConfig(url=sandbox.base_url, kiosk_key=response.json()["kiosk_key"], retries=0)
    return BackendClient(config, "other-kiosk-002")


def test_the_issuing_kiosk_reads_back_the_same_certificate_by_key_and_by_number(sandbox, issued):
    runtime, order = issued
    before = certificates_issued(sandbox)
    by_key = runtime.backend.issued_document(order.issue_key)
    by_number = runtime.backend.fetch_document("certificate", order.document_number)
    assert by_key == by_number
    assert by_key.kind == "certificate" and by_key.certificate.certificate_number == order.document_number
    assert certificates_issued(sandbox) == before  # reading back issues nothing


def test_another_kiosk_a_wrong_kind_or_an_unknown_key_finds_nothing(sandbox, issued):
    runtime, order = issued
    with other_kiosk(sandbox) as stranger:
        for call in (lambda: stranger.issued_document(order.issue_key),
                     lambda: stranger.fetch_document("certificate", order.document_number)):  # fmt: skip
            with pytest.raises(BackendRejected) as rejected:
                call()
            assert (rejected.value.status, rejected.value.code) == (404, "not_found")
    for call in (lambda: runtime.backend.fetch_document("temp_id", order.document_number),
                 lambda: runtime.backend.issued_document(order.payment_key)):  # fmt: skip
        with pytest.raises(BackendRejected):
            call()


def test_a_document_older_than_the_window_is_not_served(sandbox, issued):
    runtime, order = issued
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)
    requests.put(f"{sandbox.base_url}/api/v1/sandbox/clock", json={"now": later.isoformat()}, timeout=10)
    try:
        with pytest.raises(BackendRejected):
            runtime.backend.fetch_document("certificate", order.document_number)
    finally:
        requests.put(f"{sandbox.base_url}/api/v1/sandbox/clock", json={"now": None}, timeout=10)
