"""EF.SOD, the document security object (ICAO Doc 9303 Part 10 section 4.6.2 and Part 12): a CMS
SignedData whose content is the LDSSecurityObject, the list of data-group hashes.

    77 { ContentInfo { signedData, [0] SignedData { version, digestAlgorithms, encapContentInfo
         { id-icao-ldsSecurityObject, [0] OCTET STRING <LDSSecurityObject> }, [0] certificates,
         signerInfos { SignerInfo { version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm,
         signature } } } } }

What the reader checks (passive authentication): every data group read hashes to the value in the list
(else DamagedData); the signed attributes carry the hash of the LDSSecurityObject; the signature over the
signed attributes verifies with the document signer certificate inside the SOD; and, when trust anchors
(CSCA certificates) are configured, that certificate was issued by one of them. Revocation lists are not
checked here.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.utils import CryptographyDeprecationWarning

from devices.permit import der, tlv
from devices.permit.lds import TAG_SOD, DataGroupError
from devices.permit.tlv import TlvError

OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_LDS_SECURITY_OBJECT = "2.23.136.1.1.1"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
HASHES = {
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.4": "sha224",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}
HASH_OIDS = {name: oid for oid, name in HASHES.items()}
# signature algorithm -> (kind, hash name)
SIGNATURES = {
    "1.2.840.10045.4.3.2": ("ecdsa", "sha256"),
    "1.2.840.10045.4.3.3": ("ecdsa", "sha384"),
    "1.2.840.10045.4.3.4": ("ecdsa", "sha512"),
    "1.2.840.113549.1.1.11": ("rsa", "sha256"),
    "1.2.840.113549.1.1.12": ("rsa", "sha384"),
    "1.2.840.113549.1.1.13": ("rsa", "sha512"),
}
_CRYPTO_HASHES = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
                  "sha512": hashes.SHA512}  # fmt: skip


class SodError(DataGroupError):
    """EF.SOD is malformed, or its signature or hashes do not verify."""

    code = "sod_invalid"


@dataclass(frozen=True)
class SecurityObject:
    hash_algorithm: str
    hashes: dict[int, bytes]  # data group number -> hash
    signed_content: bytes  # the LDSSecurityObject DER
    signed_attributes: bytes  # DER with the SET tag, as signed
    signature_algorithm: str
    signature: bytes
    certificate: x509.Certificate | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return f"SecurityObject({self.hash_algorithm}, data groups {sorted(self.hashes)})"

    def digest(self, data: bytes) -> bytes:
        return hashlib.new(self.hash_algorithm, data).digest()

    def check_data_group(self, number: int, raw: bytes) -> None:
        expected = self.hashes.get(number)
        if expected is None:
            raise SodError(f"DG{number} is not listed in EF.SOD")
        if self.digest(raw) != expected:
            raise SodError(f"DG{number} does not match its hash in EF.SOD")


def parse_sod(raw: bytes) -> SecurityObject:
    try:
        return _parse(raw)
    except TlvError as error:
        raise SodError(f"EF.SOD: {error}") from error


def _parse(raw: bytes) -> SecurityObject:
    outer = tlv.parse_one(raw)
    if outer.tag != TAG_SOD or outer.end != len(raw):
        raise SodError("EF.SOD must be one TLV with tag 77")
    content_info = der.children(der.expect(tlv.parse_one(outer.value), der.SEQUENCE, "ContentInfo"), 2, "ContentInfo")
    if der.oid_of(content_info[0], "contentType") != OID_SIGNED_DATA:
        raise SodError("EF.SOD does not hold CMS SignedData")
    signed_data = der.expect(der.children(content_info[1], 1, "[0]")[0], der.SEQUENCE, "SignedData")
    parts = der.children(signed_data, 4, "SignedData")
    encap = der.children(der.expect(parts[2], der.SEQUENCE, "encapContentInfo"), 2, "encapContentInfo")
    if der.oid_of(encap[0], "eContentType") != OID_LDS_SECURITY_OBJECT:
        raise SodError("EF.SOD content is not an LDS security object")
    content = der.expect(der.children(encap[1], 1, "eContent")[0], der.OCTET_STRING, "eContent").value
    certificate = _certificate(parts[3]) if parts[3].tag == der.CONTEXT_0 else None
    signer_infos = der.expect(parts[-1], der.SET, "signerInfos")
    signer = der.children(der.expect(der.children(signer_infos, 1, "signerInfos")[0], der.SEQUENCE, "SignerInfo"),
                          6, "SignerInfo")  # fmt: skip
    attributes = der.expect(signer[3], der.CONTEXT_0, "signedAttrs")
    signature_oid = der.oid_of(der.children(signer[4], 1, "signatureAlgorithm")[0], "signatureAlgorithm")
    signature = der.expect(signer[5], der.OCTET_STRING, "signature").value
    hash_algorithm, dg_hashes = _security_object(content)
    digest_oid = der.oid_of(der.children(signer[2], 1, "digestAlgorithm")[0], "digestAlgorithm")
    if digest_oid not in HASHES:
        raise SodError(f"unsupported digest algorithm {digest_oid}")
    _check_attributes(attributes, content, HASHES[digest_oid])
    signed_attributes = tlv.encode(der.SET, attributes.value)
    return SecurityObject(hash_algorithm, dg_hashes, content, signed_attributes, signature_oid, signature, certificate)


def _certificate(item: tlv.Tlv) -> x509.Certificate:
    first = der.children(item, 1, "certificates")[0]
    try:
        with warnings.catch_warnings():  # a damaged certificate may only warn (e.g. a negative serial)
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            return x509.load_der_x509_certificate(tlv.encode(first.tag, first.value))
    except (ValueError, x509.InvalidVersion) as error:
        raise SodError(f"document signer certificate does not parse: {error}") from error


def _security_object(content: bytes) -> tuple[str, dict[int, bytes]]:
    parts = der.children(der.expect(tlv.parse_one(content), der.SEQUENCE, "LDSSecurityObject"), 3, "LDSSecurityObject")
    hash_oid = der.oid_of(der.children(parts[1], 1, "hashAlgorithm")[0], "hashAlgorithm")
    if hash_oid not in HASHES:
        raise SodError(f"unsupported hash algorithm {hash_oid}")
    dg_hashes: dict[int, bytes] = {}
    for entry in der.expect(parts[2], der.SEQUENCE, "dataGroupHashValues").children():
        number, value = der.children(der.expect(entry, der.SEQUENCE, "DataGroupHash"), 2, "DataGroupHash")[:2]
        dg_hashes[der.decode_integer(der.expect(number, der.INTEGER, "dataGroupNumber").value)] = der.expect(
            value, der.OCTET_STRING, "dataGroupHashValue"
        ).value
    return HASHES[hash_oid], dg_hashes


def _check_attributes(attributes: tlv.Tlv, content: bytes, digest_algorithm: str) -> None:
    digest = None
    for attribute in attributes.children():
        oid_item, values = der.children(attribute, 2, "Attribute")[:2]
        if der.oid_of(oid_item, "attrType") == OID_MESSAGE_DIGEST:
            digest = der.expect(der.children(values, 1, "messageDigest")[0], der.OCTET_STRING, "digest").value
    if digest is None:
        raise SodError("signed attributes carry no message digest")
    if hashlib.new(digest_algorithm, content).digest() != digest:
        raise SodError("signed attributes do not match the LDS security object")


def verify_signature(sod: SecurityObject) -> None:
    """The signature over the signed attributes, with the document signer certificate in the SOD."""
    if sod.certificate is None:
        raise SodError("EF.SOD carries no document signer certificate")
    if sod.signature_algorithm not in SIGNATURES:
        raise SodError(f"unsupported signature algorithm {sod.signature_algorithm}")
    kind, hash_name = SIGNATURES[sod.signature_algorithm]
    try:
        key = sod.certificate.public_key()
    except (ValueError, UnsupportedAlgorithm) as error:
        raise SodError(f"the document signer's key is unusable: {error}") from error
    algorithm = _CRYPTO_HASHES[hash_name]()
    try:
        if kind == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(sod.signature, sod.signed_attributes, ec.ECDSA(algorithm))
        elif kind == "rsa" and isinstance(key, rsa.RSAPublicKey):
            key.verify(sod.signature, sod.signed_attributes, padding.PKCS1v15(), algorithm)
        else:
            raise SodError("the signer's key does not fit the signature algorithm")
    except InvalidSignature:
        raise SodError("the EF.SOD signature does not verify") from None


def signer_is_trusted(sod: SecurityObject, anchors: list[x509.Certificate]) -> bool:
    """True when one of the CSCA certificates issued the document signer certificate."""
    if sod.certificate is None:
        return False
    for anchor in anchors:
        try:
            sod.certificate.verify_directly_issued_by(anchor)
            return True
        except (ValueError, TypeError, InvalidSignature):
            continue
    return False
