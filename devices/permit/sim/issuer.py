"""The demo issuing authority: builds a permit's chip files (EF.COM, DG1, DG2, DG11, EF.SOD, the endorsement
file) and signs EF.SOD with a demo document signer under a demo CSCA.

The demo keys are derived from fixed labels (P-256 private values from SHA-256 of the label), so no key
file ships and every run has the same CSCA; `demo_csca_pem()` is the trust anchor tests and the demo give
the reader. They are demo keys: worthless outside this simulator.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from devices.permit import der, tlv
from devices.permit.lds import TAG_SOD
from devices.permit.sod import HASH_OIDS, OID_CONTENT_TYPE, OID_LDS_SECURITY_OBJECT, OID_MESSAGE_DIGEST, OID_SIGNED_DATA

OID_ECDSA_SHA256 = "1.2.840.10045.4.3.2"
_VALID_FROM = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
_VALID_TO = dt.datetime(2044, 1, 1, tzinfo=dt.UTC)


def _demo_key(label: str) -> ec.EllipticCurvePrivateKey:
    value = int.from_bytes(hashlib.sha256(label.encode()).digest(), "big") % (2**255)
    return ec.derive_private_key(value or 1, ec.SECP256R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kiosk demo (not a real authority)"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])  # fmt: skip


def _certificate(subject: str, key: ec.EllipticCurvePrivateKey, issuer: str, issuer_key: ec.EllipticCurvePrivateKey,
                 serial: int, ca: bool) -> x509.Certificate:  # fmt: skip
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(_VALID_FROM)
        .not_valid_after(_VALID_TO)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
    )
    return builder.sign(issuer_key, hashes.SHA256())


@functools.lru_cache(maxsize=1)
def demo_authority() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate]:
    """(CSCA certificate, document signer key, document signer certificate)."""
    csca_key, signer_key = _demo_key("kiosk demo CSCA"), _demo_key("kiosk demo document signer")
    csca = _certificate("Demo CSCA", csca_key, "Demo CSCA", csca_key, 1, True)
    signer = _certificate("Demo document signer", signer_key, "Demo CSCA", csca_key, 2, False)
    return csca, signer_key, signer


def demo_csca_pem() -> bytes:
    return demo_authority()[0].public_bytes(serialization.Encoding.PEM)


def _security_object(groups: dict[int, bytes], hash_name: str) -> bytes:
    entries = [der.sequence(der.encode_integer(number), tlv.encode(der.OCTET_STRING, hashlib.new(hash_name, raw).digest()))
               for number, raw in sorted(groups.items())]  # fmt: skip
    return der.sequence(der.encode_integer(0), der.algorithm(HASH_OIDS[hash_name]), der.sequence(*entries))


def build_sod(groups: dict[int, bytes], hash_name: str = "sha256") -> bytes:
    """EF.SOD over the given data groups (number -> the whole DG file), signed by the demo signer."""
    _, signer_key, signer = demo_authority()
    content = _security_object(groups, hash_name)
    attributes = (
        der.sequence(der.encode_oid(OID_CONTENT_TYPE), der.der_set(der.encode_oid(OID_LDS_SECURITY_OBJECT))),
        der.sequence(der.encode_oid(OID_MESSAGE_DIGEST),
                     der.der_set(tlv.encode(der.OCTET_STRING, hashlib.new(hash_name, content).digest()))),
    )  # fmt: skip
    signed_attributes = der.der_set(*attributes)
    signature = signer_key.sign(signed_attributes, ec.ECDSA(hashes.SHA256()))
    issuer_and_serial = der.sequence(signer.issuer.public_bytes(), der.encode_integer(signer.serial_number))
    signer_info = der.sequence(
        der.encode_integer(1),
        issuer_and_serial,
        der.algorithm(HASH_OIDS[hash_name]),
        tlv.encode(der.CONTEXT_0, tlv.parse_one(signed_attributes).value),  # [0] IMPLICIT; signed as a SET
        der.algorithm(OID_ECDSA_SHA256),
        tlv.encode(der.OCTET_STRING, signature),
    )
    certificate = signer.public_bytes(serialization.Encoding.DER)
    signed_data = der.sequence(
        der.encode_integer(3),
        der.der_set(der.algorithm(HASH_OIDS[hash_name])),
        der.sequence(der.encode_oid(OID_LDS_SECURITY_OBJECT), tlv.encode(der.CONTEXT_0, tlv.encode(der.OCTET_STRING, content))),
        tlv.encode(der.CONTEXT_0, certificate),
        der.der_set(signer_info),
    )
    content_info = der.sequence(der.encode_oid(OID_SIGNED_DATA), tlv.encode(der.CONTEXT_0, signed_data))
    return tlv.encode(TAG_SOD, content_info)
