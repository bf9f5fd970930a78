from __future__ import annotations

import re
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from printing.verification import (
    BadSignatureError,
    ExpiredCertificateError,
    MalformedPayloadError,
    UnknownKeyError,
    VerificationError,
    matches_id_number,
    normalize_verification_code,
    sign_certificate_payload,
    verification_code,
    verify_certificate_payload,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KEYS = {"K1": KEY.public_key()}
SALT = b"issuer salt"
ISSUED, EXPIRES = date(2024, 5, 6), date(2024, 8, 5)


def _payload(**overrides) -> str:
    arguments = dict(
        certificate_number="BJ-2024-000123",
        id_number="11010519491231002X",
        id_salt=SALT,
        issue_date=ISSUED,
        expiry_date=EXPIRES,
    )
    arguments.update(overrides)
    return sign_certificate_payload(KEY, "K1", **arguments)


def test_round_trip_returns_the_signed_fields():
    payload = _payload()
    verified = verify_certificate_payload(payload, KEYS, today=ISSUED)
    assert (verified.key_id, verified.certificate_number) == ("K1", "BJ-2024-000123")
    assert (verified.issue_date, verified.expiry_date) == (ISSUED, EXPIRES)
    assert verified.verification_code == verification_code(payload)


def test_payload_is_compact_and_qr_alphanumeric():
    payload = _payload()
    assert re.fullmatch(r"[0-9A-Z $%*+\-./:]+", payload)
    assert len(payload) <= 180
    assert "11010519491231002X" not in payload


def test_id_hash_binds_the_person_but_needs_the_issuer_salt():
    verified = verify_certificate_payload(_payload(), KEYS, today=ISSUED)
    assert matches_id_number(verified, "11010519491231002x", SALT)
    assert not matches_id_number(verified, "110105194912310038", SALT)
    assert not matches_id_number(verified, "11010519491231002X", b"other salt")


@pytest.mark.parametrize("field_index", [1, 2, 3, 4, 5])
def test_changing_any_signed_field_breaks_the_signature(field_index):
    fields = _payload().split(":")
    replacements = {1: "K1", 2: "BJ-2024-000124", 3: "A" * 16, 4: "20240507", 5: "20251231"}
    fields[field_index] = replacements[field_index]
    if field_index == 1:  # a different key id: must not verify under K1's key either
        keys = {"K1": KEYS["K1"], "K2": Ed25519PrivateKey.generate().public_key()}
        fields[1] = "K2"
        with pytest.raises(BadSignatureError):
            verify_certificate_payload(":".join(fields), keys, today=ISSUED)
        return
    with pytest.raises(BadSignatureError):
        verify_certificate_payload(":".join(fields), KEYS, today=ISSUED)


def test_flipped_signature_character_is_rejected():
    payload = _payload()
    flipped = payload[:-5] + ("A" if payload[-5] != "A" else "B") + payload[-4:]
    with pytest.raises(BadSignatureError):
        verify_certificate_payload(flipped, KEYS, today=ISSUED)


def test_unknown_key_is_named():
    with pytest.raises(UnknownKeyError) as caught:
        verify_certificate_payload(_payload(), {"OTHER": KEYS["K1"]}, today=ISSUED)
    assert caught.value.reason == "unknown_key"


def test_expiry_is_inclusive_of_the_last_day():
    payload = _payload()
    assert verify_certificate_payload(payload, KEYS, today=EXPIRES)
    with pytest.raises(ExpiredCertificateError):
        verify_certificate_payload(payload, KEYS, today=date(2024, 8, 6))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "NCR2:K1:X:AAAA:20240506:20240805:AAAA",
        "NCR1:K1:X:AAAA:20241306:20240805:AAAA",
        "NCR1:K1:X:AAAA:20240506:20240805:not-base32",
        "NCR1:k1:X:AAAA:20240506:20240805:AAAA",
        "NCR1:::::::",
        "NCR1:K1:证书:AAAA:20240506:20240805:AAAA",
    ],
)
def test_malformed_payloads_are_rejected(text):
    with pytest.raises(MalformedPayloadError):
        verify_certificate_payload(text, KEYS, today=ISSUED)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=250) | st.from_regex(r"NCR1(:[0-9A-Z-]{0,20}){5}:[A-Z2-7=]{0,110}", fullmatch=True))
def test_any_text_fails_only_with_verification_errors(text):
    with pytest.raises(VerificationError):
        verify_certificate_payload(text, KEYS, today=ISSUED)


def test_signing_refuses_fields_outside_the_compact_alphabet():
    with pytest.raises(ValueError):
        _payload(certificate_number="bj:2024")
    with pytest.raises(ValueError):
        _payload(expiry_date=date(2024, 1, 1))


def test_verification_code_is_short_unambiguous_and_tolerant_of_typing():
    first, second = verification_code(_payload()), verification_code(_payload(certificate_number="X-2"))
    assert first != second
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{10}", first)
    typed = f" {first[:5].lower()}-{first[5:]} ".replace("0", "o").replace("1", "l")
    assert normalize_verification_code(typed) == first
