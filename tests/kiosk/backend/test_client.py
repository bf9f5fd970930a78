"""BackendClient against a real sandbox on loopback: typed results for every call, rejections by code."""

from __future__ import annotations

import logging

import pytest

from contracts import (
    CertificateOutcome,
    PaymentStatus,
    RecordOutcome,
    TempIdCard,
    TempIdIneligibleReason,
    ViolationStatus,
)
from kiosk.backend import BackendClient, BackendRejected
from kiosk.config import KioskConfig
from server.sandbox.demo_data import LI, LIU, WANG, ZHANG
from tests.kiosk.backend.helpers import capture_of, client_for, pay


@pytest.fixture
def client(sandbox_url):
    with client_for(sandbox_url) as client:
        yield client


def test_construction_from_the_kiosk_config(sandbox_url):
    config = KioskConfig.model_validate({"backend": {"url": sandbox_url, "kiosk_key": "demo-kiosk-001-sandbox-key"}})
    with BackendClient.from_kiosk_config(config) as client:
        assert client.kiosk_id == "demo-kiosk-001"
        assert client.health().status == "ok"


def test_wrong_key_is_rejected_unauthorized(sandbox_url):
    with client_for(sandbox_url, key="wrong") as client, pytest.raises(BackendRejected) as raised:
        client.lookup_person(ZHANG)
    assert (raised.value.status, raised.value.code) == (401, "unauthorized")


def test_temp_id_flow_end_to_end(client, sandbox_url):
    person = client.lookup_person(LIU)
    assert person.card_application_pending and person.name_masked == "刘*"
    assert client.temp_id_eligibility(LIU).eligible
    verified = client.verify_face(LIU, capture_of(LIU))
    assert verified.match and verified.verification_token
    order = client.create_payment(1000, "temp_id", "temp-id-liu")
    assert order.status is PaymentStatus.PENDING
    pay(sandbox_url, order.order_id)
    assert client.payment_status(order.order_id).status is PaymentStatus.PAID
    card = client.issue_temp_id(LIU, verified.verification_token, order.order_id, idempotency_key="card-liu-1")
    assert isinstance(card, TempIdCard) and card.valid_until.month == 6
    again = client.issue_temp_id(LIU, verified.verification_token, order.order_id, idempotency_key="card-liu-1")
    assert again == card  # replayed, not a second card
    assert client.temp_id_eligibility(LIU).reason is TempIdIneligibleReason.ACTIVE_TEMP_ID_EXISTS


def test_face_mismatch_and_no_face(client):
    assert client.verify_face(ZHANG, capture_of(WANG)).match is False
    with pytest.raises(BackendRejected) as raised:
        client.verify_face(ZHANG, b"\xff\xd8 not really a jpeg")
    assert raised.value.code == "invalid_image"


def test_certificate_outcomes_and_public_verification(client):
    token = client.verify_face(ZHANG, capture_of(ZHANG)).verification_token
    assert client.check_record(ZHANG, token).outcome is RecordOutcome.CLEAN
    outcome = client.request_certificate(ZHANG, token, "就业")
    assert isinstance(outcome, CertificateOutcome) and outcome.certificate is not None
    checked = client.verify_certificate(outcome.certificate.certificate_number, outcome.certificate.verification.code)
    assert checked.status == "valid" and checked.name_masked == "张**"
    li_token = client.verify_face(LI, capture_of(LI)).verification_token
    refer = client.request_certificate(LI, li_token, "就业")
    assert refer.outcome is RecordOutcome.REFER_TO_COUNTER and refer.certificate is None


def test_traffic_handle_and_pay(client, sandbox_url):
    listing = client.violations_by_plate("京A12345", "02", "123456")
    eligible = [v for v in listing.violations if v.self_service]
    assert [v.violation_id for v in eligible] == ["V0001"]
    token = client.verify_face(ZHANG, capture_of(ZHANG)).verification_token
    decision = client.handle_violation("V0001", ZHANG, token)
    assert decision.points_recorded == 3 and len(decision.decision_number) == 16
    order = client.create_payment(decision.fine_cents, "traffic_fine", decision.decision_number)
    pay(sandbox_url, order.order_id)
    receipt = client.pay_violation("V0001", order.order_id)
    assert receipt.paid_cents == 20000
    after = {v.violation_id: v for v in client.violations_by_licence(ZHANG).violations}
    assert after["V0001"].status is ViolationStatus.PAID


def test_rejections_carry_the_server_code(client):
    token = client.verify_face(ZHANG, capture_of(ZHANG)).verification_token
    with pytest.raises(BackendRejected) as raised:
        client.handle_violation("V0003", ZHANG, token)  # code 1603
    assert (raised.value.code, raised.value.message) == ("not_eligible", "code_1603")
    order = client.create_payment(1000, "temp_id", "to-cancel")
    assert client.cancel_payment(order.order_id).status is PaymentStatus.CANCELLED


def test_logs_never_carry_id_numbers(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.lookup_person(ZHANG)
    with pytest.raises(BackendRejected):
        client.lookup_person(ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1"))
    assert caplog.records, "the client logs its calls"
    assert ZHANG[:14] not in caplog.text
