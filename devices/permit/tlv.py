"""BER-TLV (ISO/IEC 8825-1 as used by ICAO 9303 and ISO 7816-4) as pure functions.

Tags are kept as integers of their encoded bytes (0x5F1F, 0x7F61), the way ICAO writes them. Lengths use
the short form or 81/82/83 long forms; anything longer, indefinite, or running past the buffer is a
TlvError. Nesting is bounded, so hostile bytes cannot recurse deeply or allocate much.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.errors import ProtocolError

MAX_DEPTH = 12
MAX_LENGTH = 0xFFFFFF


class TlvError(ProtocolError):
    """Bytes that are not well-formed BER-TLV."""

    code = "tlv_invalid"


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes
    start: int = 0  # offset of the tag in the parsed buffer
    end: int = 0  # offset just past the value

    def __repr__(self) -> str:
        return f"Tlv({self.tag:X}, {len(self.value)} bytes)"

    @property
    def constructed(self) -> bool:
        return bool(_first_tag_byte(self.tag) & 0x20)

    def children(self, depth: int = 0) -> list[Tlv]:
        if not self.constructed:
            raise TlvError(f"tag {self.tag:X} is primitive and has no children")
        return parse_all(self.value, depth + 1)

    def child(self, tag: int) -> Tlv:
        for item in self.children():
            if item.tag == tag:
                return item
        raise TlvError(f"tag {tag:X} missing inside {self.tag:X}")

    def find(self, tag: int) -> Tlv | None:
        return next((item for item in self.children() if item.tag == tag), None)


def _first_tag_byte(tag: int) -> int:
    return tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")[0]


def read_tag(data: bytes, offset: int) -> tuple[int, int]:
    """(tag, offset after the tag)."""
    if offset >= len(data):
        raise TlvError("tag expected but the data ended")
    first = data[offset]
    if first in (0x00, 0xFF):
        raise TlvError(f"0x{first:02X} is padding, not a tag")
    tag, offset = first, offset + 1
    if first & 0x1F == 0x1F:
        for _ in range(3):
            if offset >= len(data):
                raise TlvError("multi-byte tag runs past the data")
            byte = data[offset]
            tag, offset = (tag << 8) | byte, offset + 1
            if not byte & 0x80:
                break
        else:
            raise TlvError("tag longer than 4 bytes")
    return tag, offset


def read_length(data: bytes, offset: int) -> tuple[int, int]:
    """(length, offset after the length field)."""
    if offset >= len(data):
        raise TlvError("length expected but the data ended")
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    count = first & 0x7F
    if count == 0 or count > 3:
        raise TlvError(f"unsupported length form 0x{first:02X}")
    if offset + 1 + count > len(data):
        raise TlvError("length field runs past the data")
    return int.from_bytes(data[offset + 1 : offset + 1 + count], "big"), offset + 1 + count


def header_length(data: bytes) -> tuple[int, int]:
    """(tag + length field size, value length) of the TLV at the start of `data` (for reading files)."""
    _, offset = read_tag(data, 0)
    length, offset = read_length(data, offset)
    return offset, length


def parse_one(data: bytes, offset: int = 0) -> Tlv:
    tag, position = read_tag(data, offset)
    length, position = read_length(data, position)
    end = position + length
    if end > len(data):
        raise TlvError(f"value of tag {tag:X} runs past the data ({length} bytes announced)")
    return Tlv(tag, bytes(data[position:end]), offset, end)


def parse_all(data: bytes, depth: int = 0) -> list[Tlv]:
    """Every TLV in `data`, back to back; trailing bytes that are not a whole TLV are an error."""
    if depth > MAX_DEPTH:
        raise TlvError("TLV nested too deeply")
    items, offset = [], 0
    while offset < len(data):
        item = parse_one(data, offset)
        items.append(item)
        offset = item.end
    return items


def walk(data: bytes, depth: int = 0) -> int:
    """Parse every constructed TLV recursively (validating the whole tree); returns the number of nodes."""
    count = 0
    for item in parse_all(data, depth):
        count += 1
        if item.constructed:
            count += walk(item.value, depth + 1)
    return count


def encode_length(length: int) -> bytes:
    if length < 0 or length > MAX_LENGTH:
        raise ValueError("TLV length out of range")
    if length < 0x80:
        return bytes([length])
    size = (length.bit_length() + 7) // 8
    return bytes([0x80 | size]) + length.to_bytes(size, "big")


def encode(tag: int, value: bytes) -> bytes:
    tag_bytes = tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")
    return tag_bytes + encode_length(len(value)) + value
