"""The certificate's signed payload (NCR2) and offline verification against a published key set."""

from __future__ import annotations

import base64
import dataclasses
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.certificate_payload import (
    BadSignature,
    CertificateClaims,
    ForeignUrl,
    KeyNotValid,
    MalformedPayload,
    NonCanonicalPayload,
    PayloadError,
    UnknownKey,
    decode_base32_canonical,
    encode_base32,
    parse_payload,
    sign_certificate,
    split_qr_text,
    verify_url,
)
from contracts.issuer_keys import IssuerKey, IssuerKeySet, encode_public_key, verify_offline

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
BASE = "https://zwfw.example.gov.cn"
CLAIMS = CertificateClaims(
    certificate_number="110105202400000123", name="欧阳娜娜", masked_id_number="110***********002X", sex="女",
    purpose="出国（境）", issuing_unit="北京市公安局朝阳分局", checked_until=date(2024, 5, 6),
    issue_date=date(2024, 5, 6), valid_until=date(2024, 8, 4),
)  # fmt: skip
TODAY = date(2024, 6, 1)


def key_set(*keys: IssuerKey, base: str = BASE) -> IssuerKeySet:
    default = IssuerKey(kid="K1", x=encode_public_key(KEY.public_key()), valid_from=date(2024, 1, 1))
    return IssuerKeySet(issuer="北京市公安局", verify_base_url=base, keys=list(keys) or [default])


def qr_text(claims: CertificateClaims = CLAIMS, kid: str = "K1") -> str:
    return verify_url(BASE, sign_certificate(KEY, kid, claims))


def test_round_trip_returns_every_signed_field():
    result = verify_offline(qr_text(), key_set(), today=TODAY)
    assert result.claims == CLAIMS and result.key_id == "K1" and result.status == "valid"
    assert result.url == qr_text()


def test_the_qr_text_is_an_https_url_whose_payload_stays_in_alphanumeric_mode():
    text = qr_text()
    base, payload = split_qr_text(text)
    assert base == BASE and text.startswith(f"{BASE}/v/")
    assert set(payload) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert len(payload) < 400
    assert "11010519491231002X" not in base64.b32decode(payload + "=" * (-len(payload) % 8)).decode("utf-8", "replace")


REPLACEMENTS = {
    "certificate_number": "110105202400000124", "name": "欧阳娜", "masked_id_number": "110***********0038",
    "sex": "男", "purpose": "就业", "issuing_unit": "北京市公安局海淀分局", "checked_until": date(2024, 5, 5),
    "issue_date": date(2024, 5, 7), "valid_until": date(2024, 8, 5),
}  # fmt: skip


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(CertificateClaims)])
def test_every_printed_field_is_covered_by_the_signature(field):
    """The genuine signature on a body with one field changed: the issuer's key refuses it."""
    forged_claims = dataclasses.replace(CLAIMS, **{field: REPLACEMENTS[field]})
    genuine = parse_payload(split_qr_text(qr_text())[1])
    forged = parse_payload(split_qr_text(qr_text(forged_claims))[1])
    assert forged.body != genuine.body
    spliced = encode_base32(forged.body + genuine.signature)
    with pytest.raises(BadSignature):
        verify_offline(verify_url(BASE, spliced), key_set(), today=TODAY)


def test_every_other_spelling_of_the_same_bytes_is_refused():
    texts = (qr_text(dataclasses.replace(CLAIMS, name=name)) for name in ("欧阳娜娜", "张三", "李四光", "王五"))
    text = next(t for t in texts if len(decode_base32_canonical(split_qr_text(t)[1])) % 5)  # has unused bits
    _base, payload = split_qr_text(text)
    raw = decode_base32_canonical(payload)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    last = alphabet.index(payload[-1])
    unused = {1: 2, 2: 4, 3: 1, 4: 3}[len(raw) % 5]  # bits of the last character beyond the data
    variants = [payload[:-1] + alphabet[last | bit] for bit in range(1, 2**unused)]
    assert variants and all(base64.b32decode(v + "=" * (-len(v) % 8)) == raw for v in variants)
    for variant in variants:
        with pytest.raises(NonCanonicalPayload):
            verify_offline(verify_url(BASE, variant), key_set(), today=TODAY)
    for spelling in (payload.lower(), payload + "=" * (-len(payload) % 8), f" {payload[:10]} {payload[10:]}"):
        with pytest.raises(MalformedPayload):
            verify_offline(verify_url(BASE, spelling), key_set(), today=TODAY)


def test_bodies_other_than_the_canonical_serialisation_are_refused():
    genuine = parse_payload(split_qr_text(qr_text())[1]).body
    bodies = [
        genuine + b"|",  # an extra field
        genuine.replace(b"|20240804", b"|2024-8-4"),  # another date form
        genuine.replace("|女|".encode(), "|女 |".encode()),  # untrimmed
        genuine.replace("出国".encode(), "出国e\u0301".encode()),  # é decomposed: not NFC
        genuine.replace(b"NCR2", b"NCR1"),
        genuine[:-1] + b"\xff",  # not UTF-8
    ]
    for body in bodies:
        with pytest.raises(PayloadError):
            parse_payload(encode_base32(body + KEY.sign(body)))


def test_signature_of_another_key_and_unknown_key_ids():
    other = Ed25519PrivateKey.generate()
    forged = verify_url(BASE, sign_certificate(other, "K1", CLAIMS))
    with pytest.raises(BadSignature):
        verify_offline(forged, key_set(), today=TODAY)
    with pytest.raises(UnknownKey):
        verify_offline(qr_text(kid="K9"), key_set(), today=TODAY)


def test_rotation_keeps_old_certificates_valid_and_revocation_ends_them():
    old = IssuerKey(kid="K1", x=encode_public_key(KEY.public_key()), valid_from=date(2024, 1, 1),
                    valid_until=date(2024, 5, 31), status="retired")  # fmt: skip
    new_private = Ed25519PrivateKey.generate()
    new = IssuerKey(kid="K2", x=encode_public_key(new_private.public_key()), valid_from=date(2024, 5, 31))
    assert verify_offline(qr_text(), key_set(old, new), today=TODAY).status == "valid"
    late = dataclasses.replace(CLAIMS, checked_until=date(2024, 6, 1), issue_date=date(2024, 6, 1))
    with pytest.raises(KeyNotValid):  # the retired key signed after its period ended
        verify_offline(qr_text(late), key_set(old, new), today=TODAY)
    assert verify_offline(verify_url(BASE, sign_certificate(new_private, "K2", late)), key_set(old, new),
                          today=TODAY).status == "valid"  # fmt: skip
    revoked = old.model_copy(update={"status": "revoked"})
    with pytest.raises(KeyNotValid):
        verify_offline(qr_text(), key_set(revoked, new), today=TODAY)


def test_expiry_is_inclusive_of_the_last_day():
    assert verify_offline(qr_text(), key_set(), today=CLAIMS.valid_until).status == "valid"
    assert verify_offline(qr_text(), key_set(), today=date(2024, 8, 5)).status == "expired"


def test_a_genuine_payload_behind_a_foreign_url_is_refused():
    payload = split_qr_text(qr_text())[1]
    with pytest.raises(ForeignUrl):
        verify_offline(verify_url("https://zwfw-verify.example.com", payload), key_set(), today=TODAY)
    assert verify_offline(payload, key_set(), today=TODAY).url is None  # a bare payload checks too


@pytest.mark.parametrize("text", ["", "hello", "ftp://x/v/AAAA", f"{BASE}/x/AAAA", f"{BASE}/v/AAAA?x=1",
                                  f"{BASE}/v/AAAA#f", "证明", f"{BASE}/v/" + "A" * 2000])  # fmt: skip
def test_malformed_qr_texts_are_refused(text):
    with pytest.raises(MalformedPayload):
        verify_offline(text, key_set(), today=TODAY)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300) | st.from_regex(r"https://zwfw\.example\.gov\.cn/v/[A-Z2-7]{0,400}", fullmatch=True))
def test_any_text_fails_only_with_payload_errors(text):
    with pytest.raises(PayloadError):
        verify_offline(text, key_set(), today=TODAY)


def test_signing_refuses_fields_that_cannot_be_signed_unambiguously():
    for bad in ({"name": "张|三"}, {"name": " 张三"}, {"purpose": ""}, {"masked_id_number": "110105"},
                {"certificate_number": "bj-1"}, {"valid_until": date(2024, 5, 1)}, {"name": "e\u0301"}):  # fmt: skip
        with pytest.raises(MalformedPayload):
            dataclasses.replace(CLAIMS, **bad)
    with pytest.raises(MalformedPayload):
        sign_certificate(KEY, "k1", CLAIMS)
