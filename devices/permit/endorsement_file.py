"""The endorsement file on the permit's chip: this project's layout, swappable for a vendor's.

The real e-permit's endorsement layout is not public [U]. This one is modelled on ICAO 9303 (and the visa
records of LDS2): a transparent EF in the LDS application, FID 0121 [U], of fixed size (its FCP tells), with
records back to back from offset 0 and zeros after the last one:

    71 L {  80 type ("G" | "L")          81 destination ("HK" | "MO")   82 entries (one byte: 1 | 2)
            83 valid from (YYYYMMDD)     84 valid to (YYYYMMDD)         85 endorsement number (ASCII)
            86 issuing authority (UTF-8) 42 signing key id (ASCII)      5F37 signature (the backend's) }

The backend signs the bytes of the elements 80..86 (`signed_payload`); the kiosk never signs, it writes the
record bytes it is given and reads them back. A layout is anything with the `EndorsementLayout` methods,
so a vendor's format is one new class and a device option.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from contracts import endorsement_record
from contracts.endorsement_record import (
    TAG_AUTHORITY,
    TAG_DESTINATION,
    TAG_ENTRIES,
    TAG_KEY_ID,
    TAG_NUMBER,
    TAG_RECORD,
    TAG_SIGNATURE,
    TAG_TYPE,
    TAG_VALID_FROM,
    TAG_VALID_TO,
)
from devices.permit import tlv
from devices.permit.tlv import TlvError

FID_ENDORSEMENTS = 0x0121
FILE_SIZE = 1024

TYPES = ("G", "L")
DESTINATIONS = ("HK", "MO")
MAX_RECORD = 512


class EndorsementFormatError(TlvError):
    """An endorsement record that is not in the layout's format."""

    code = "endorsement_invalid"


@dataclass(frozen=True)
class Endorsement:
    type: str  # G individual, L group
    destination: str  # HK, MO
    entries: int  # 1 or 2
    valid_from: dt.date
    valid_to: dt.date
    number: str
    authority: str
    key_id: str = ""
    signature: bytes = field(default=b"", repr=False)

    def __post_init__(self) -> None:
        if self.type not in TYPES or self.destination not in DESTINATIONS or self.entries not in (1, 2):
            raise EndorsementFormatError("type must be G/L, destination HK/MO, entries 1 or 2")
        if self.valid_to < self.valid_from:
            raise EndorsementFormatError("an endorsement cannot end before it starts")
        if not self.number or not self.number.isascii() or len(self.number) > 32:
            raise EndorsementFormatError("endorsement number must be 1-32 ASCII characters")

    def to_json(self) -> dict[str, object]:
        return {
            "type": self.type,
            "destination": self.destination,
            "entries": self.entries,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "number": self.number,
            "authority": self.authority,
            "key_id": self.key_id,
        }


@dataclass(frozen=True)
class WritePlan:
    """Where to write and what: the record, plus zeros over any broken tail a removed card left."""

    offset: int
    data: bytes
    record_length: int


class EndorsementLayout(Protocol):
    fid: int

    def parse(self, content: bytes) -> list[Endorsement]: ...

    def plan_write(self, content: bytes, record: bytes) -> WritePlan: ...

    def check_record(self, record: bytes) -> Endorsement: ...


def signed_payload(endorsement: Endorsement) -> bytes:
    """The bytes the backend signs: the elements 80..86 in order (contracts.endorsement_record)."""
    return endorsement_record.signed_payload(endorsement.type, endorsement.destination, endorsement.entries,
                                             endorsement.valid_from, endorsement.valid_to, endorsement.number,
                                             endorsement.authority)  # fmt: skip


def encode_record(endorsement: Endorsement) -> bytes:
    """A whole record (as the backend issues it; the simulator's demo files use it too)."""
    return endorsement_record.record(signed_payload(endorsement), endorsement.key_id, endorsement.signature)


def _date(value: bytes) -> dt.date:
    try:
        return dt.datetime.strptime(value.decode("ascii"), "%Y%m%d").date()
    except (UnicodeDecodeError, ValueError):
        raise EndorsementFormatError("endorsement date must be YYYYMMDD") from None


def decode_record(item: tlv.Tlv) -> Endorsement:
    if item.tag != TAG_RECORD:
        raise EndorsementFormatError(f"endorsement record must have tag 71, found {item.tag:X}")
    fields = {child.tag: child.value for child in item.children()}
    required = (TAG_TYPE, TAG_DESTINATION, TAG_ENTRIES, TAG_VALID_FROM, TAG_VALID_TO, TAG_NUMBER)
    if any(tag not in fields for tag in required) or len(fields[TAG_ENTRIES]) != 1:
        raise EndorsementFormatError("endorsement record lacks a required element")
    try:
        text = {tag: fields.get(tag, b"").decode("utf-8") for tag in (TAG_TYPE, TAG_DESTINATION, TAG_NUMBER,
                                                                      TAG_AUTHORITY, TAG_KEY_ID)}  # fmt: skip
    except UnicodeDecodeError:
        raise EndorsementFormatError("endorsement text is not UTF-8") from None
    return Endorsement(
        type=text[TAG_TYPE],
        destination=text[TAG_DESTINATION],
        entries=fields[TAG_ENTRIES][0],
        valid_from=_date(fields[TAG_VALID_FROM]),
        valid_to=_date(fields[TAG_VALID_TO]),
        number=text[TAG_NUMBER],
        authority=text[TAG_AUTHORITY],
        key_id=text[TAG_KEY_ID],
        signature=fields.get(TAG_SIGNATURE, b""),
    )


class IcaoStyleLayout:
    """Records back to back from offset 0, zeros after the last one (the layout described above)."""

    def __init__(self, fid: int = FID_ENDORSEMENTS) -> None:
        self.fid = fid

    def _scan(self, content: bytes) -> tuple[list[Endorsement], int]:
        """The complete, valid records and the offset just after the last of them."""
        records, offset = [], 0
        while offset < len(content) and content[offset] == TAG_RECORD:
            try:
                item = tlv.parse_one(content, offset)
                records.append(decode_record(item))
            except TlvError:
                break  # a record cut short (card removed mid-write) or damaged: the tail is free space
            offset = item.end
        return records, offset

    def parse(self, content: bytes) -> list[Endorsement]:
        return self._scan(content)[0]

    def check_record(self, record: bytes) -> Endorsement:
        if len(record) > MAX_RECORD:
            raise EndorsementFormatError(f"endorsement record longer than {MAX_RECORD} bytes")
        try:
            item = tlv.parse_one(record)
        except TlvError as error:
            raise EndorsementFormatError(f"endorsement record: {error}") from error
        if item.end != len(record):
            raise EndorsementFormatError("endorsement record has bytes after its end")
        return decode_record(item)

    def plan_write(self, content: bytes, record: bytes) -> WritePlan:
        self.check_record(record)
        _, free = self._scan(content)
        if free + len(record) > len(content):
            raise EndorsementFormatError(f"the endorsement file has {len(content) - free} bytes free, need {len(record)}")
        dirty_end = len(content.rstrip(b"\x00"))
        clear = max(0, dirty_end - (free + len(record)))
        return WritePlan(free, record + bytes(clear), len(record))
