"""A minimal IPP/1.1 codec (RFC 8010) and one-shot HTTP exchange, enough to talk to a CUPS queue.

Why not `lp`/`lpstat`: lpstat lists cancelled and aborted jobs under "completed" with the same text as a
printed one, so a kiosk could not tell a printed certificate from a lost one. IPP's job-state (7 canceled,
8 aborted, 9 completed) says it exactly, needs no locale-dependent parsing and honours our time-outs.

Only what the kiosk uses is encoded: scalar values of the common tags. Decoding accepts every tag (unknown
ones are kept as raw bytes, collections are skipped) and raises ProtocolError on truncated or malformed input.
"""

from __future__ import annotations

import http.client
import struct
from dataclasses import dataclass, field
from typing import Any

from devices.errors import DeviceTimeout, DeviceUnavailable, ProtocolError

# Operation ids (RFC 8011 §5.4.15).
PRINT_JOB = 0x0002
CANCEL_JOB = 0x0008
GET_JOB_ATTRIBUTES = 0x0009
GET_PRINTER_ATTRIBUTES = 0x000B

# Delimiter tags.
OPERATION_GROUP = 0x01
JOB_GROUP = 0x02
END_OF_ATTRIBUTES = 0x03
PRINTER_GROUP = 0x04
UNSUPPORTED_GROUP = 0x05

# Value tags.
INTEGER = 0x21
BOOLEAN = 0x22
ENUM = 0x23
BEG_COLLECTION = 0x34
END_COLLECTION = 0x37
TEXT = 0x41
NAME = 0x42
KEYWORD = 0x44
URI = 0x45
CHARSET = 0x47
NATURAL_LANGUAGE = 0x48
MIME_MEDIA_TYPE = 0x49

_STRING_TAGS = {0x41, 0x42, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A}
_OUT_OF_BAND_TAGS = {0x10, 0x12, 0x13, 0x15, 0x16, 0x17}  # unsupported, unknown, no-value, ...
MAX_MESSAGE = 4 * 1024 * 1024  # a status answer is a few kB; refuse anything absurd


@dataclass
class IppMessage:
    """A request or response: header plus attribute groups as (group tag, {name: [values]})."""

    code: int  # operation id (request) or status code (response)
    request_id: int
    groups: list[tuple[int, dict[str, list[Any]]]] = field(default_factory=list)
    version: tuple[int, int] = (1, 1)
    data: bytes = b""

    @property
    def ok(self) -> bool:
        return self.code < 0x0100  # successful-ok and its variants

    def group(self, tag: int) -> dict[str, list[Any]]:
        """All attributes of every group with this tag, merged (CUPS sends one group per object)."""
        merged: dict[str, list[Any]] = {}
        for group_tag, attributes in self.groups:
            if group_tag == tag:
                merged.update(attributes)
        return merged

    def first(self, tag: int, name: str, default: Any = None) -> Any:
        values = self.group(tag).get(name)
        return values[0] if values else default


def _encode_value(tag: int, value: Any) -> bytes:
    if tag in (INTEGER, ENUM):
        return struct.pack(">i", int(value))
    if tag == BOOLEAN:
        return b"\x01" if value else b"\x00"
    if tag in _STRING_TAGS:
        return str(value).encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise ValueError(f"cannot encode IPP value tag 0x{tag:02x}")


def encode(message: IppMessage, value_tags: dict[str, int]) -> bytes:
    """Serialise a request; `value_tags` names the tag of each attribute (default keyword)."""
    out = bytearray(struct.pack(">BBHI", *message.version, message.code, message.request_id))
    for group_tag, attributes in message.groups:
        out.append(group_tag)
        for name, values in attributes.items():
            tag = value_tags.get(name, KEYWORD)
            for index, value in enumerate(values):
                raw_name = name.encode("ascii") if index == 0 else b""
                raw_value = _encode_value(tag, value)
                out += struct.pack(">BH", tag, len(raw_name)) + raw_name
                out += struct.pack(">H", len(raw_value)) + raw_value
    out.append(END_OF_ATTRIBUTES)
    return bytes(out) + message.data


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, count: int) -> bytes:
        end = self.pos + count
        if end > len(self.data):
            raise ProtocolError("IPP message truncated")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return struct.unpack(">H", self.take(2))[0]


def _decode_value(tag: int, raw: bytes) -> Any:
    if tag in (INTEGER, ENUM):
        if len(raw) != 4:
            raise ProtocolError(f"IPP integer of {len(raw)} bytes")
        return struct.unpack(">i", raw)[0]
    if tag == BOOLEAN:
        if len(raw) != 1:
            raise ProtocolError("IPP boolean must be one byte")
        return raw != b"\x00"
    if tag in _STRING_TAGS:
        return raw.decode("utf-8", errors="replace")
    if tag in _OUT_OF_BAND_TAGS:
        return None
    return raw  # dateTime, resolution, range, textWithLanguage...: kept raw, the kiosk does not need them


def _skip_collection(reader: _Reader) -> None:
    depth = 1
    while depth:
        tag = reader.u8()
        reader.take(reader.u16())  # name
        reader.take(reader.u16())  # value
        if tag == BEG_COLLECTION:
            depth += 1
        elif tag == END_COLLECTION:
            depth -= 1


def decode(data: bytes) -> IppMessage:
    """Parse a response (or request); raises ProtocolError on malformed input, never anything else."""
    if len(data) > MAX_MESSAGE:
        raise ProtocolError("IPP message too long")
    reader = _Reader(data)
    major, minor, code, request_id = struct.unpack(">BBHI", reader.take(8))
    message = IppMessage(code=code, request_id=request_id, version=(major, minor))
    current: dict[str, list[Any]] | None = None
    last_name: str | None = None
    while True:
        tag = reader.u8()
        if tag == END_OF_ATTRIBUTES:
            break
        if tag < 0x10:  # a new attribute group
            current, last_name = {}, None
            message.groups.append((tag, current))
            continue
        if current is None:
            raise ProtocolError("IPP attribute outside any group")
        name = reader.take(reader.u16()).decode("utf-8", errors="replace")
        raw = reader.take(reader.u16())
        if tag == BEG_COLLECTION:
            _skip_collection(reader)
            value: Any = None
        else:
            value = _decode_value(tag, raw)
        if name:
            last_name = name
            current[name] = [value]
        elif last_name is None:
            raise ProtocolError("IPP additional value without an attribute")
        else:
            current[last_name].append(value)
    message.data = data[reader.pos :]
    return message


def exchange(host: str, port: int, path: str, body: bytes, timeout: float) -> IppMessage:
    """POST one IPP request and decode the answer; an unreachable server is DeviceUnavailable."""
    connection = http.client.HTTPConnection(host, port, timeout=max(0.05, timeout))
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": "application/ipp"})
        response = connection.getresponse()
        payload = response.read(MAX_MESSAGE + 1)
    except TimeoutError as error:
        raise DeviceTimeout(f"IPP server {host}:{port} did not answer in {timeout:.1f} s") from error
    except (OSError, http.client.HTTPException) as error:
        raise DeviceUnavailable(f"IPP server {host}:{port} unreachable: {error}") from error
    finally:
        connection.close()
    if response.status != 200:
        raise ProtocolError(f"IPP server answered HTTP {response.status}")
    return decode(payload)
