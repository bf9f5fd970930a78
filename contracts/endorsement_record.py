"""The endorsement record written to the permit's chip, as bytes: one definition for the backend that signs it
and the kiosk device that writes, reads back and lists it (devices/permit/endorsement_file.py).

    71 L { 80 type  81 destination  82 entries  83 valid from  84 valid to  85 number  86 authority
           42 signing key id  5F37 signature }

The signature covers the bytes of 80..86 (`signed_payload`). The layout of the real e-permit is not public
[U]: this is the project's, modelled on ICAO 9303 LDS2 records.
"""

from __future__ import annotations

import datetime as dt

TAG_RECORD = 0x71
TAG_TYPE, TAG_DESTINATION, TAG_ENTRIES, TAG_VALID_FROM, TAG_VALID_TO = 0x80, 0x81, 0x82, 0x83, 0x84
TAG_NUMBER, TAG_AUTHORITY, TAG_KEY_ID, TAG_SIGNATURE = 0x85, 0x86, 0x42, 0x5F37
MAX_TLV_LENGTH = 0xFFFF


def tlv(tag: int, value: bytes) -> bytes:
    """BER-TLV with a definite length (short form below 128 bytes)."""
    length = len(value)
    if length > MAX_TLV_LENGTH:
        raise ValueError("TLV value too long")
    if length < 0x80:
        encoded = bytes([length])
    else:
        size = (length.bit_length() + 7) // 8
        encoded = bytes([0x80 | size]) + length.to_bytes(size, "big")
    return tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big") + encoded + value


def signed_payload(kind: str, destination: str, entries: int, valid_from: dt.date, valid_to: dt.date, number: str,
                   authority: str) -> bytes:  # fmt: skip
    """The bytes the issuing backend signs."""
    return b"".join((
        tlv(TAG_TYPE, kind.encode("ascii")), tlv(TAG_DESTINATION, destination.encode("ascii")),
        tlv(TAG_ENTRIES, bytes([entries])), tlv(TAG_VALID_FROM, valid_from.strftime("%Y%m%d").encode("ascii")),
        tlv(TAG_VALID_TO, valid_to.strftime("%Y%m%d").encode("ascii")), tlv(TAG_NUMBER, number.encode("ascii")),
        tlv(TAG_AUTHORITY, authority.encode("utf-8")),
    ))  # fmt: skip


def record(payload: bytes, key_id: str, signature: bytes) -> bytes:
    """The whole record: the signed payload, the key id and the signature."""
    return tlv(TAG_RECORD, payload + tlv(TAG_KEY_ID, key_id.encode("ascii")) + tlv(TAG_SIGNATURE, signature))
