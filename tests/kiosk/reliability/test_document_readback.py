"""GET /api/v1/documents/by-key/...: a kiosk reads back only what it was issued itself, only by the visit's
issue key (never by a document number printed on paper), only for a while, and never makes a new document
by asking."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from kiosk.backend.client import BackendClient
from kiosk.backend.errors import BackendRejected
from kiosk.config import BackendConfig
from server.sandbox.testing import ADMIN_HEADERS, KIOSK_HEADERS
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
                             headers=ADMIN_HEADERS, timeout=10)  # fmt: skip
    response.raise_for_status()
    config = BackendConfig(url=sandbox.base_url, kiosk_key=response.json()["kiosk_key"], retries=0)
    return BackendClient(config, "other-kiosk-002")


def test_the_issuing_kiosk_reads_back_the_same_certificate_by_key_only(sandbox, issued):
    runtime, order = issued
    before = certificates_issued(sandbox)
    by_key = runtime.backend.issued_document(order.issue_key)
    assert by_key.kind == "certificate" and by_key.certificate.certificate_number == order.document_number
    assert certificates_issued(sandbox) == before  # reading back issues nothing
    by_number = requests.get(f"{sandbox.base_url}/api/v1/documents/certificate/{order.document_number}",
                             headers=KIOSK_HEADERS, timeout=10)  # fmt: skip
    assert by_number.status_code == 404 and order.document_number not in by_number.text  # no such route


def test_another_kiosk_a_wrong_kind_or_an_unknown_key_finds_nothing(sandbox, issued):
    runtime, order = issued
    with other_kiosk(sandbox) as stranger:
        with pytest.raises(BackendRejected) as rejected:
            stranger.issued_document(order.issue_key)
        assert (rejected.value.status, rejected.value.code) == (404, "not_found")
    with pytest.raises(BackendRejected):
        runtime.backend.issued_document(order.payment_key)


def test_a_document_older_than_the_window_is_not_served(sandbox, issued):
    runtime, order = issued
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)
    requests.put(f"{sandbox.base_url}/api/v1/sandbox/clock", json={"now": later.isoformat()}, timeout=10)
    try:
        with pytest.raises(BackendRejected):
            runtime.backend.issued_document(order.issue_key)
    finally:
        requests.put(f"{sandbox.base_url}/api/v1/sandbox/clock", json={"now": None}, timeout=10)
