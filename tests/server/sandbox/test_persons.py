"""Person lookup (masked) and face verification against the registry photo."""

from __future__ import annotations

import base64

import numpy as np

from server.sandbox.demo_data import LI, WANG, ZHANG, ZHAO
from server.sandbox.portraits import encode_jpeg
from tests.server.sandbox.helpers import Api


def test_lookup_returns_masked_fields_and_pending_application(sandbox_url):
    api = Api(sandbox_url)
    zhang = api.ok(api.post("/persons/lookup", {"id_number": ZHANG}, key=None))
    assert zhang == {
        "id_number_masked": ZHANG[:3] + "*" * 11 + ZHANG[-4:], "name_masked": "张**", "sex": "男",
        "birth_year": 1985, "has_registry_photo": True, "card_application_pending": True,
    }  # fmt: skip
    assert api.ok(api.post("/persons/lookup", {"id_number": LI}, key=None))["card_application_pending"] is False


def test_lookup_rejects_a_bad_check_digit_and_unknown_people(sandbox_url):
    api = Api(sandbox_url)
    wrong_check = ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1")
    response = api.post("/persons/lookup", {"id_number": wrong_check}, key=None)
    assert api.error_code(response, 422) == "invalid_id_number"
    assert ZHANG[:10] not in response.text  # the value is never echoed
    unknown = "11010519900101003" + "X"  # valid shape, check digit computed below
    from contracts import check_character

    unknown = unknown[:17] + check_character(unknown[:17])
    assert api.error_code(api.post("/persons/lookup", {"id_number": unknown}, key=None), 404) == "person_not_found"


def test_face_of_the_same_person_matches_and_yields_a_token(sandbox_url):
    result = Api(sandbox_url).verify(ZHANG)
    assert result["match"] is True
    assert result["verification_token"]
    assert "score" not in result and "threshold" not in result  # match or no match, nothing to climb by


def test_face_of_another_person_does_not_match(sandbox_url):
    result = Api(sandbox_url).verify(ZHANG, capture_of=WANG)
    assert result == {"match": False}


def test_capture_without_a_face_is_no_face(sandbox_url):
    api = Api(sandbox_url)
    blank = encode_jpeg(np.full((240, 320), 128, np.uint8))
    body = {"id_number": ZHANG, "image_jpeg_b64": base64.b64encode(blank).decode()}
    assert api.error_code(api.post("/persons/face-verify", body, key=None), 422) == "no_face"
    garbage = {"id_number": ZHANG, "image_jpeg_b64": base64.b64encode(b"not an image").decode()}
    assert api.error_code(api.post("/persons/face-verify", garbage, key=None), 422) == "invalid_image"


def test_person_without_registry_photo_is_referred(sandbox_url):
    api = Api(sandbox_url)
    assert api.ok(api.post("/persons/lookup", {"id_number": ZHAO}, key=None))["has_registry_photo"] is False
    jpeg_of_someone = base64.b64encode(encode_jpeg(np.zeros((10, 10), np.uint8))).decode()
    body = {"id_number": ZHAO, "image_jpeg_b64": jpeg_of_someone}
    assert api.error_code(api.post("/persons/face-verify", body, key=None), 409) == "no_registry_photo"
