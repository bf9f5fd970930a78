"""QR payment orders: create, status, cancel; the simulated payer (pay / fail) is idempotent."""

from __future__ import annotations

from tests.server.sandbox.helpers import Api

ORDER = {"amount_cents": 1000, "purpose": "temp_id", "reference": "order-ref"}


def test_create_poll_and_pay(sandbox_url):
    api = Api(sandbox_url)
    order = api.ok(api.post("/payments", ORDER), 201)
    assert order["status"] == "pending" and order["qr_url"].endswith(order["order_id"])
    assert api.ok(api.get(f"/payments/{order['order_id']}"))["status"] == "pending"
    first = api.ok(api.post(f"/sandbox/payments/{order['order_id']}/pay", key=None))
    second = api.ok(api.post(f"/sandbox/payments/{order['order_id']}/pay", key=None))
    assert first == second and first["status"] == "paid" and first["settled_at"]
    assert api.ok(api.get(f"/payments/{order['order_id']}"))["status"] == "paid"
    assert api.error_code(api.post(f"/payments/{order['order_id']}/cancel"), 409) == "order_not_pending"
    assert api.error_code(api.post(f"/sandbox/payments/{order['order_id']}/fail", key=None), 409) == "order_not_pending"


def test_failed_and_cancelled_orders(sandbox_url):
    api = Api(sandbox_url)
    failed = api.ok(api.post("/payments", ORDER), 201)["order_id"]
    assert api.ok(api.post(f"/sandbox/payments/{failed}/fail", key=None))["status"] == "failed"
    cancelled = api.ok(api.post("/payments", ORDER), 201)["order_id"]
    assert api.ok(api.post(f"/payments/{cancelled}/cancel"))["status"] == "cancelled"
    assert api.error_code(api.post(f"/sandbox/payments/{cancelled}/pay", key=None), 409) == "order_not_pending"


def test_invalid_orders_are_refused(sandbox_url):
    api = Api(sandbox_url)
    assert api.error_code(api.post("/payments", {**ORDER, "amount_cents": 0}), 422) == "invalid_request"
    assert api.error_code(api.post("/payments", {**ORDER, "purpose": "coffee"}), 422) == "invalid_request"
    assert api.error_code(api.get("/payments/PO-NOPE"), 404) == "not_found"
