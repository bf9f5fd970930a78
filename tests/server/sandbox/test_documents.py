"""Temporary ID (eligibility, paid issuance) and the no-criminal-record certificate (outcomes, cap, verification)."""

from __future__ import annotations

import datetime as dt

from server.sandbox.demo_data import LI, LIU, SUN, WANG, ZHANG
from server.sandbox.testing import TEST_NOW
from tests.server.sandbox.helpers import Api

TODAY = TEST_NOW.date()


def test_temp_id_eligibility_reason_codes(sandbox_url):
    api = Api(sandbox_url)
    answers = {who: api.ok(api.post("/temp-id/eligibility", {"id_number": who}, key=None)) for who in (LIU, LI, SUN)}
    assert answers[LIU] == {"eligible": True, "fee_cents": 1000, "validity_months": 3}
    assert answers[LI]["reason"] == "no_pending_application" and not answers[LI]["eligible"]
    assert answers[SUN]["reason"] == "active_temp_id_exists"


def test_temp_id_issuance_needs_a_paid_10_yuan_order_and_is_valid_3_months(sandbox_url):
    api = Api(sandbox_url)
    token = api.token(LIU)
    wrong_amount = api.paid_order(500, "temp_id")
    body = {"id_number": LIU, "verification_token": token, "payment_order_id": wrong_amount}
    assert api.error_code(api.post("/temp-id/issue", body), 409) == "payment_mismatch"
    body["payment_order_id"] = order = api.paid_order(1000, "temp_id")
    card = api.ok(api.post("/temp-id/issue", body), 201)
    assert card["valid_from"] == TODAY.isoformat()
    assert card["valid_until"] == dt.date(2026, 6, 10).isoformat()
    assert card["name"] == "刘洋" and card["photo_jpeg_b64"] and len(card["card_number"]) == 12
    again = api.post("/temp-id/issue", body)  # new key, same person: now holds an active card
    assert again.json() == {"code": "not_eligible", "message": "active_temp_id_exists"}
    other = {"id_number": ZHANG, "verification_token": api.token(ZHANG), "payment_order_id": order}
    assert api.error_code(api.post("/temp-id/issue", other), 409) == "payment_already_used"


def test_temp_id_needs_the_verified_person(sandbox_url):
    api = Api(sandbox_url)
    order = api.paid_order(1000, "temp_id")
    body = {"id_number": ZHANG, "verification_token": api.token(LIU), "payment_order_id": order}
    assert api.error_code(api.post("/temp-id/issue", body), 403) == "not_own_record"
    body["verification_token"] = "forged"
    assert api.error_code(api.post("/temp-id/issue", body), 403) == "verification_required"


def test_record_outcomes_clean_refer_and_pending(sandbox_url):
    api = Api(sandbox_url)
    results = {}
    for who in (ZHANG, LI, WANG):
        body = {"id_number": who, "verification_token": api.token(who), "purpose": "就业"}
        results[who] = api.ok(api.post("/records/certificates", body), 201)
    certificate = results[ZHANG]["certificate"]
    assert results[ZHANG]["outcome"] == "clean"
    assert certificate["issue_date"] == certificate["checked_until"] == TODAY.isoformat()
    assert certificate["expiry_date"] == (TODAY + dt.timedelta(days=90)).isoformat()
    assert results[LI] == {"outcome": "refer_to_counter"}  # nothing else revealed
    assert results[WANG]["outcome"] == "pending"
    assert results[WANG]["acceptance_number"].startswith("SL")
    assert results[WANG]["settle_by"] == "2026-03-13"  # Tuesday + 3 working days


def test_record_is_own_only(sandbox_url):
    api = Api(sandbox_url)
    body = {"id_number": ZHANG, "verification_token": api.token(LIU)}
    assert api.error_code(api.post("/records/check", body, key=None), 403) == "not_own_record"


def test_yearly_cap_refuses_the_fourth_request(sandbox_factory):
    with sandbox_factory(record_yearly_cap=3) as server:
        api = Api(server.base_url)
        token = api.token(LIU)
        for _ in range(3):
            api.ok(
                api.post("/records/certificates", {"id_number": LIU, "verification_token": token, "purpose": "其他"}),
                201,
            )
        check = api.ok(api.post("/records/check", {"id_number": LIU, "verification_token": token}, key=None))
        assert check["requests_this_year"] == 3 and check["cap_reached"]
        fourth = api.post("/records/certificates", {"id_number": LIU, "verification_token": token, "purpose": "其他"})
        assert api.error_code(fourth, 429) == "yearly_cap_reached"


def test_public_certificate_verification_and_its_limit(sandbox_factory):
    with sandbox_factory(certificate_verify_limit=2) as server:
        public = Api(server.base_url, {})
        path = "/certificates/110105200000000001/verify"
        first = public.ok(public.get(path, code="DEMO2345"))
        assert first["status"] == "valid" and first["name_masked"] == "张**" and first["verifications_left"] == 1
        assert public.ok(public.get(path, code="WRONG123")) == {"status": "unknown", "reason": "not_found"}
        public.ok(public.get(path, code="DEMO2345"))
        assert public.error_code(public.get(path, code="DEMO2345"), 429) == "verification_limit_reached"
        revoked = public.ok(public.get("/certificates/110105200000000002/verify", code="REVK6789"))
        assert revoked["status"] == "revoked"
        assert public.ok(public.get("/certificates/999/verify", code="X"))["status"] == "unknown"
