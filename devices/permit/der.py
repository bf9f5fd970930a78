"""The few DER pieces EF.SOD needs (object identifiers, integers, sequences), on top of devices.permit.tlv."""

from __future__ import annotations

from devices.permit import tlv
from devices.permit.tlv import TlvError

SEQUENCE, SET, INTEGER, OCTET_STRING, OID, NULL = 0x30, 0x31, 0x02, 0x04, 0x06, 0x05
CONTEXT_0, CONTEXT_0_PRIMITIVE = 0xA0, 0x80
MAX_OID_ARCS = 20


def encode_oid(dotted: str) -> bytes:
    arcs = [int(part) for part in dotted.split(".")]
    body = bytearray([arcs[0] * 40 + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return tlv.encode(OID, bytes(body))


def decode_oid(value: bytes) -> str:
    if not value or value[-1] & 0x80:
        raise TlvError("malformed object identifier")
    arcs, current = [], 0
    for byte in value:
        current = (current << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(current)
            current = 0
        if len(arcs) > MAX_OID_ARCS:
            raise TlvError("object identifier too long")
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in (first, arcs[0] - first * 40, *arcs[1:]))


def encode_integer(number: int) -> bytes:
    size = max(1, (number.bit_length() + 8) // 8)  # room for a sign bit
    return tlv.encode(INTEGER, number.to_bytes(size, "big", signed=True))


def decode_integer(value: bytes) -> int:
    if not value or len(value) > 32:
        raise TlvError("malformed or oversized integer")
    return int.from_bytes(value, "big", signed=True)


def sequence(*parts: bytes) -> bytes:
    return tlv.encode(SEQUENCE, b"".join(parts))


def der_set(*parts: bytes) -> bytes:
    """A SET OF with its elements in DER order (sorted by encoding)."""
    return tlv.encode(SET, b"".join(sorted(parts)))


def algorithm(dotted: str, null_parameters: bool = False) -> bytes:
    return sequence(encode_oid(dotted), tlv.encode(NULL, b"") if null_parameters else b"")


def expect(item: tlv.Tlv, tag: int, what: str) -> tlv.Tlv:
    if item.tag != tag:
        raise TlvError(f"{what}: expected tag {tag:02X}, found {item.tag:X}")
    return item


def children(item: tlv.Tlv, count_at_least: int, what: str) -> list[tlv.Tlv]:
    items = item.children()
    if len(items) < count_at_least:
        raise TlvError(f"{what}: expected at least {count_at_least} elements, found {len(items)}")
    return items


def oid_of(item: tlv.Tlv, what: str) -> str:
    return decode_oid(expect(item, OID, what).value)
