"""Kiosk authentication (401), admin enrolment, and Idempotency-Key replay / 409 / 400."""

from __future__ import annotations

from server.sandbox.demo_data import ZHANG
from server.sandbox.models import PaymentOrderRow
from server.sandbox.settings import DEMO_KIOSK_ID
from server.sandbox.testing import ADMIN_HEADERS
from tests.server.sandbox.helpers import Api

ORDER = {"amount_cents": 1000, "purpose": "temp_id", "reference": "ref-1"}


def test_missing_unknown_and_wrong_credentials_are_401(sandbox_url):
    body = {"id_number": ZHANG}
    for headers in (
        {},
        {"X-Kiosk-Id": "nope-kiosk", "X-Kiosk-Key": "x"},
        {"X-Kiosk-Id": DEMO_KIOSK_ID, "X-Kiosk-Key": "bad"},
    ):
        api = Api(sandbox_url, headers)
        assert api.error_code(api.post("/persons/lookup", body, key=None), 401) == "unauthorized"
    assert Api(sandbox_url).post("/persons/lookup", body, key=None).status_code == 200


def test_admin_enrols_a_kiosk_whose_key_then_works(sandbox_url):
    anonymous = Api(sandbox_url, {})
    assert (
        anonymous.error_code(anonymous.post("/admin/kiosks", {"kiosk_id": "kiosk-new-01"}, key=None), 401)
        == "unauthorized"
    )
    admin = Api(sandbox_url, ADMIN_HEADERS)
    credential = admin.ok(admin.post("/admin/kiosks", {"kiosk_id": "kiosk-new-01"}, key=None), 201)
    kiosk = Api(sandbox_url, {"X-Kiosk-Id": "kiosk-new-01", "X-Kiosk-Key": credential["kiosk_key"]})
    assert kiosk.ok(kiosk.post("/persons/lookup", {"id_number": ZHANG}, key=None))["card_application_pending"]


def test_side_effecting_post_without_key_is_400(sandbox_url):
    api = Api(sandbox_url)
    assert api.error_code(api.post("/payments", ORDER, key=None), 400) == "idempotency_key_missing"


def test_same_key_replays_the_first_answer_and_takes_effect_once(sandbox_server):
    api = Api(sandbox_server.base_url)
    first = api.post("/payments", {**ORDER, "reference": "replay"}, key="key-replay-1")
    second = api.post("/payments", {**ORDER, "reference": "replay"}, key="key-replay-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    with sandbox_server.state.sessions() as session:
        rows = session.query(PaymentOrderRow).filter_by(reference="replay").count()
    assert rows == 1


def test_same_key_with_other_parameters_is_409(sandbox_url):
    api = Api(sandbox_url)
    api.ok(api.post("/payments", ORDER, key="key-conflict-1"), 201)
    changed = api.post("/payments", {**ORDER, "amount_cents": 2000}, key="key-conflict-1")
    assert api.error_code(changed, 409) == "idempotency_key_reused"


def test_keys_are_scoped_per_kiosk(sandbox_url):
    admin = Api(sandbox_url, ADMIN_HEADERS)
    key = admin.ok(admin.post("/admin/kiosks", {"kiosk_id": "kiosk-other"}, key=None), 201)["kiosk_key"]
    other = Api(sandbox_url, {"X-Kiosk-Id": "kiosk-other", "X-Kiosk-Key": key})
    mine = Api(sandbox_url)
    a = mine.ok(mine.post("/payments", ORDER, key="shared-key"), 201)
    b = other.ok(other.post("/payments", ORDER, key="shared-key"), 201)
    assert a["order_id"] != b["order_id"]
    # and one kiosk cannot see the other's order
    assert mine.error_code(mine.get(f"/payments/{b['order_id']}"), 404) == "not_found"


def test_a_rejected_call_is_not_stored_so_the_key_can_be_retried(sandbox_url):
    api = Api(sandbox_url)
    order = api.ok(api.post("/payments", ORDER), 201)["order_id"]
    body = {"id_number": ZHANG, "verification_token": api.token(ZHANG), "payment_order_id": order}
    assert api.error_code(api.post("/temp-id/issue", body, key="issue-after-pay"), 409) == "payment_not_paid"
    api.ok(api.post(f"/sandbox/payments/{order}/pay", key=None))
    card = api.ok(api.post("/temp-id/issue", body, key="issue-after-pay"), 201)
    assert card["id_number"] == ZHANG
