"""The logical data structure (ICAO Doc 9303 Part 10): EF.COM, DG1 and DG11, parsed and built.

    EF.COM  60 { 5F01 "0107"  5F36 "040000"  5C <tags of the data groups present> }
    DG1     61 { 5F1F <the MRZ, 90 characters for TD1> }
    DG11    6B { 5C <tag list>  5F0E <full name, national characters>  5F10 <personal number>  5F2B ... }

DG2 (the face) is in devices.permit.biometric and EF.SOD in devices.permit.sod. Text in DG11 is UTF-8
(the 8th edition of Doc 9303 allows it for names in national characters).
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.permit import tlv
from devices.permit.tlv import TlvError

TAG_COM, TAG_DG1, TAG_DG2, TAG_DG11, TAG_SOD = 0x60, 0x61, 0x75, 0x6B, 0x77
TAG_LDS_VERSION, TAG_UNICODE_VERSION, TAG_TAG_LIST = 0x5F01, 0x5F36, 0x5C
TAG_MRZ = 0x5F1F
TAG_FULL_NAME, TAG_OTHER_NAMES, TAG_PERSONAL_NUMBER = 0x5F0E, 0x5F0F, 0x5F10
TAG_FULL_BIRTH_DATE, TAG_PLACE_OF_BIRTH = 0x5F2B, 0x5F11

# File identifiers in the LDS1 application, and data group numbers by the tag of their file.
FID_COM, FID_SOD = 0x011E, 0x011D
FID_BY_DG = {1: 0x0101, 2: 0x0102, 11: 0x010B}
DG_BY_TAG = {TAG_DG1: 1, TAG_DG2: 2, TAG_DG11: 11}
TAG_BY_DG = {number: tag for tag, number in DG_BY_TAG.items()}


class DataGroupError(TlvError):
    """A data group that is not well-formed or lacks a required element."""

    code = "data_group_invalid"


def _outer(raw: bytes, tag: int, what: str) -> tlv.Tlv:
    try:
        item = tlv.parse_one(raw)
    except TlvError as error:
        raise DataGroupError(f"{what}: {error}") from error
    if item.tag != tag:
        raise DataGroupError(f"{what} must start with tag {tag:X}, found {item.tag:X}")
    if item.end != len(raw):
        raise DataGroupError(f"{what} has bytes after its end")
    return item


def _children(item: tlv.Tlv, what: str) -> dict[int, tlv.Tlv]:
    try:
        return {child.tag: child for child in item.children()}
    except TlvError as error:
        raise DataGroupError(f"{what}: {error}") from error


@dataclass(frozen=True)
class Com:
    lds_version: str
    unicode_version: str
    data_groups: tuple[int, ...]  # data group numbers present, e.g. (1, 2, 11)


def parse_com(raw: bytes) -> Com:
    children = _children(_outer(raw, TAG_COM, "EF.COM"), "EF.COM")
    if TAG_TAG_LIST not in children:
        raise DataGroupError("EF.COM has no tag list")
    groups = tuple(sorted(DG_BY_TAG[t] for t in children[TAG_TAG_LIST].value if t in DG_BY_TAG))
    text = {tag: children[tag].value.decode("ascii", "replace") for tag in (TAG_LDS_VERSION, TAG_UNICODE_VERSION)
            if tag in children}  # fmt: skip
    return Com(text.get(TAG_LDS_VERSION, ""), text.get(TAG_UNICODE_VERSION, ""), groups)


def build_com(data_groups: tuple[int, ...], lds_version: str = "0107", unicode_version: str = "040000") -> bytes:
    tags = bytes(TAG_BY_DG[number] for number in data_groups)
    body = tlv.encode(TAG_LDS_VERSION, lds_version.encode()) + tlv.encode(TAG_UNICODE_VERSION, unicode_version.encode())
    return tlv.encode(TAG_COM, body + tlv.encode(TAG_TAG_LIST, tags))


def parse_dg1(raw: bytes) -> str:
    """The MRZ text from DG1 (validated by devices.permit.mrz afterwards)."""
    children = _children(_outer(raw, TAG_DG1, "DG1"), "DG1")
    if TAG_MRZ not in children:
        raise DataGroupError("DG1 has no MRZ (5F1F)")
    value = children[TAG_MRZ].value
    if len(value) != 90:
        raise DataGroupError(f"DG1 MRZ must be 90 characters for TD1, got {len(value)}")
    try:
        text = value.decode("ascii")
    except UnicodeDecodeError:
        raise DataGroupError("DG1 MRZ is not ASCII") from None
    return "\n".join(text[i : i + 30] for i in (0, 30, 60))


def build_dg1(mrz: str) -> bytes:
    return tlv.encode(TAG_DG1, tlv.encode(TAG_MRZ, mrz.replace("\n", "").encode("ascii")))


@dataclass(frozen=True)
class AdditionalDetails:
    """What DG11 holds that a kiosk uses: the name in Chinese characters and the personal (ID) number."""

    full_name: str = ""
    personal_number: str = ""
    full_birth_date: str = ""  # YYYYMMDD
    place_of_birth: str = ""

    def __repr__(self) -> str:
        return "AdditionalDetails(<redacted>)"


def _text(children: dict[int, tlv.Tlv], tag: int) -> str:
    if tag not in children:
        return ""
    try:
        return children[tag].value.decode("utf-8")
    except UnicodeDecodeError:
        raise DataGroupError(f"DG11 element {tag:X} is not UTF-8") from None


def parse_dg11(raw: bytes) -> AdditionalDetails:
    children = _children(_outer(raw, TAG_DG11, "DG11"), "DG11")
    full_name = _text(children, TAG_FULL_NAME).replace("<", " ").strip()
    return AdditionalDetails(
        full_name=full_name,
        personal_number=_text(children, TAG_PERSONAL_NUMBER),
        full_birth_date=_text(children, TAG_FULL_BIRTH_DATE),
        place_of_birth=_text(children, TAG_PLACE_OF_BIRTH),
    )


def build_dg11(details: AdditionalDetails) -> bytes:
    elements = [
        (TAG_FULL_NAME, details.full_name),
        (TAG_PERSONAL_NUMBER, details.personal_number),
        (TAG_FULL_BIRTH_DATE, details.full_birth_date),
        (TAG_PLACE_OF_BIRTH, details.place_of_birth),
    ]
    present = [(tag, text) for tag, text in elements if text]
    tag_list = b"".join(tag.to_bytes(2, "big") for tag, _ in present)
    body = tlv.encode(TAG_TAG_LIST, tag_list) + b"".join(tlv.encode(tag, text.encode("utf-8")) for tag, text in present)
    return tlv.encode(TAG_DG11, body)
