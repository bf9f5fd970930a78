"""Traffic: lookup by licence or plate, the self-service rules, handling (points, decision) and payment."""

from __future__ import annotations

from server.sandbox.demo_data import LI, LIU, WANG, ZHANG, ZHAO
from tests.server.sandbox.helpers import Api


def _by_licence(api: Api, who: str) -> dict:
    return api.ok(api.post("/traffic/violations/by-licence", {"id_number": who}, key=None))


def _reasons(listing: dict) -> dict[str, str | None]:
    return {item["violation_id"]: item["reason"] for item in listing["violations"]}


def test_every_refusal_rule_is_reported(sandbox_url):
    api = Api(sandbox_url)
    zhang = _reasons(_by_licence(api, ZHANG))
    assert zhang == {
        "V0001": None, "V0002": "scene_violation", "V0003": "code_1603", "V0004": "excluded_authority",
        "V0005": "already_handled", "V0006": "already_paid", "V0007": "already_handled",
    }  # fmt: skip
    assert _reasons(_by_licence(api, LI)) == {"V0101": "commercial_vehicle"}
    assert _reasons(_by_licence(api, WANG)) == {"V0201": "points_limit", "V0202": None}  # 10+3 >= 12, 10+1 < 12
    assert _reasons(_by_licence(api, ZHAO)) == {"V0301": "points_limit"}  # already 12, even for 0 points
    assert set(_reasons(_by_licence(api, LIU)).values()) == {"excluded_authority"}


def test_overdue_fines_carry_a_late_fee_capped_at_the_fine(sandbox_url):
    items = {item["violation_id"]: item for item in _by_licence(Api(sandbox_url), ZHANG)["violations"]}
    assert (items["V0005"]["days_overdue"], items["V0005"]["late_fee_cents"]) == (25, 7500)  # 3% x 25 of 100 yuan
    assert items["V0005"]["amount_due_cents"] == 17500
    assert (items["V0007"]["days_overdue"], items["V0007"]["late_fee_cents"]) == (55, 20000)  # capped at the fine
    assert items["V0001"]["self_service"] is True and items["V0001"]["amount_due_cents"] == 0


def test_lookup_by_plate_needs_the_right_vin_tail(sandbox_url):
    api = Api(sandbox_url)
    found = api.ok(
        api.post(
            "/traffic/violations/by-plate",
            {"plate_number": "京B23456", "plate_type": "01", "vin_last6": "234567"},
            key=None,
        )
    )
    assert [item["reason"] for item in found["violations"]] == ["commercial_vehicle"]
    wrong = api.post(
        "/traffic/violations/by-plate",
        {"plate_number": "京B23456", "plate_type": "01", "vin_last6": "000000"},
        key=None,
    )
    assert api.error_code(wrong, 404) == "vehicle_not_found"
    bad_plate = api.post(
        "/traffic/violations/by-plate",
        {"plate_number": "京I23456", "plate_type": "02", "vin_last6": "234567"},
        key=None,
    )
    assert api.error_code(bad_plate, 422) == "invalid_plate"


def test_handling_records_points_issues_a_decision_and_the_fine_is_paid(sandbox_url):
    api = Api(sandbox_url)
    token = api.token(WANG)
    decision = api.ok(
        api.post("/traffic/violations/V0202/handle", {"driver_id_number": WANG, "verification_token": token}), 201
    )
    assert len(decision["decision_number"]) == 16 and decision["decision_number"].isdigit()
    assert (decision["points_recorded"], decision["driver_points_total"]) == (1, 11)
    assert decision["due_date"] == "2026-03-25"
    listing = _by_licence(api, WANG)
    assert listing["driver_points"] == 11
    assert _reasons(listing) == {"V0201": "points_limit", "V0202": "already_handled"}
    refused = api.post("/traffic/violations/V0201/handle", {"driver_id_number": WANG, "verification_token": token})
    assert refused.json() == {"code": "not_eligible", "message": "points_limit"}
    order = api.paid_order(10000, "traffic_fine")
    paid = api.ok(api.post("/traffic/violations/V0202/payment", {"payment_order_id": order}), 201)
    assert (paid["paid_cents"], paid["late_fee_cents"]) == (10000, 0)
    assert _reasons(_by_licence(api, WANG))["V0202"] == "already_paid"


def test_overdue_payment_must_include_the_late_fee(sandbox_url):
    api = Api(sandbox_url)
    fine_only = api.paid_order(10000, "traffic_fine")
    response = api.post("/traffic/violations/V0005/payment", {"payment_order_id": fine_only})
    assert api.error_code(response, 409) == "payment_mismatch"
    paid = api.ok(
        api.post("/traffic/violations/V0005/payment", {"payment_order_id": api.paid_order(17500, "traffic_fine")}), 201
    )
    assert (paid["fine_cents"], paid["late_fee_cents"], paid["paid_cents"]) == (10000, 7500, 17500)


def test_handling_is_for_the_verified_driver_only(sandbox_url):
    api = Api(sandbox_url)
    body = {"driver_id_number": ZHANG, "verification_token": api.token(LIU)}
    assert api.error_code(api.post("/traffic/violations/V0001/handle", body), 403) == "not_own_record"
    assert api.error_code(api.post("/traffic/violations/V9999/handle", body), 404) == "violation_not_found"
