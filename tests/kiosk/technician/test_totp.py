"""HOTP/TOTP against the RFC 4226 and RFC 6238 test vectors."""

from __future__ import annotations

import pytest

from kiosk.technician import totp

SHA1_KEY = b"12345678901234567890"
SHA256_KEY = b"12345678901234567890123456789012"
SHA512_KEY = b"1234567890123456789012345678901234567890123456789012345678901234"

# RFC 6238 appendix B: time -> (SHA1, SHA256, SHA512), 8 digits, 30 s step.
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
RFC4226 = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]


@pytest.mark.parametrize(("at", "sha1", "sha256", "sha512"), RFC6238)
def test_rfc6238_vectors(at: int, sha1: str, sha256: str, sha512: str) -> None:
    assert totp.totp(SHA1_KEY, at, digits=8, algorithm="sha1") == sha1
    assert totp.totp(SHA256_KEY, at, digits=8, algorithm="sha256") == sha256
    assert totp.totp(SHA512_KEY, at, digits=8, algorithm="sha512") == sha512


def test_rfc4226_hotp_vectors() -> None:
    assert [totp.hotp(SHA1_KEY, counter) for counter in range(10)] == RFC4226


def test_match_accepts_one_step_of_drift_and_no_more() -> None:
    code = totp.totp(SHA1_KEY, 1111111109)
    step = totp.time_step(1111111109)
    assert totp.match_totp(SHA1_KEY, code, 1111111109) == step
    assert totp.match_totp(SHA1_KEY, code, 1111111109 + 30) == step
    assert totp.match_totp(SHA1_KEY, code, 1111111109 - 30) == step
    assert totp.match_totp(SHA1_KEY, code, 1111111109 + 90) is None


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "12 345"])
def test_malformed_codes_never_match(bad: str) -> None:
    assert totp.match_totp(SHA1_KEY, bad, 59) is None


def test_base32_round_trip_and_uri() -> None:
    secret = totp.new_secret()
    text = totp.secret_to_base32(secret)
    assert "=" not in text
    assert totp.secret_from_base32(text.lower()) == secret
    uri = totp.provisioning_uri(secret, "technician@k1")
    assert uri.startswith("otpauth://totp/") and f"secret={text}" in uri
