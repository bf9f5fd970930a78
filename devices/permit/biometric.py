"""DG2, the encoded face (ICAO Doc 9303 Part 10; CBEFF wrapper of ISO/IEC 19794-5), parsed as far as the
image: the kiosk needs the JPEG (or JPEG 2000) bytes, their size and type, nothing of the feature points.

    75 { 7F61 { 02 <instances>  7F60 { A1 <biometric header>  5F2E <19794-5 record> } } }

    19794-5 record: "FAC\\0" "010\\0" <record length 4> <faces 2>
      facial record: <block length 4> <feature points 2> <gender 1> <eyes 1> <hair 1> <mask 3> <expression 2>
                     <pose 3> <pose uncertainty 3> <feature points 8 each>
      image info:    <face image type 1> <image data type 1: 0 JPEG, 1 JPEG 2000> <width 2> <height 2>
                     <colour space 1> <source 1> <device 2> <quality 2>, then the image bytes
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.permit import tlv
from devices.permit.lds import TAG_DG2, DataGroupError
from devices.permit.tlv import TlvError

TAG_GROUP, TAG_INSTANCE, TAG_HEADER, TAG_DATA, TAG_DATA_ALT = 0x7F61, 0x7F60, 0xA1, 0x5F2E, 0x7F2E
TAG_COUNT = 0x02
FACE_MAGIC = b"FAC\x00"
FACE_VERSION = b"010\x00"
GENERAL_HEADER = 14
FACIAL_HEADER = 20
IMAGE_INFO = 12
FEATURE_POINT = 8
IMAGE_TYPES = {0: "image/jpeg", 1: "image/jp2"}
GENDER = {"M": 1, "F": 2}
# The CBEFF biometric header: ICAO header version 0101, type face (02), format owner 0101 (ISO/IEC JTC 1
# SC 37), format type 0008 (19794-5 face image).
DEFAULT_HEADER = bytes.fromhex("800201018101028702010188020008")


@dataclass(frozen=True)
class FaceImage:
    """The portrait stored on the chip."""

    data: bytes
    mime_type: str
    width: int
    height: int

    def __repr__(self) -> str:
        return f"FaceImage({self.mime_type}, {self.width}x{self.height}, {len(self.data)} bytes)"


def _children(item: tlv.Tlv, what: str) -> list[tlv.Tlv]:
    try:
        return item.children()
    except TlvError as error:
        raise DataGroupError(f"DG2 {what}: {error}") from error


def parse_dg2(raw: bytes) -> FaceImage:
    """The first face image in DG2."""
    try:
        outer = tlv.parse_one(raw)
    except TlvError as error:
        raise DataGroupError(f"DG2: {error}") from error
    if outer.tag != TAG_DG2 or outer.end != len(raw):
        raise DataGroupError("DG2 must be one TLV with tag 75")
    group = next((item for item in _children(outer, "outer") if item.tag == TAG_GROUP), None)
    if group is None:
        raise DataGroupError("DG2 has no biometric information group template (7F61)")
    instance = next((item for item in _children(group, "group") if item.tag == TAG_INSTANCE), None)
    if instance is None:
        raise DataGroupError("DG2 has no biometric information template (7F60)")
    block = next((item for item in _children(instance, "template") if item.tag in (TAG_DATA, TAG_DATA_ALT)), None)
    if block is None:
        raise DataGroupError("DG2 has no biometric data block (5F2E)")
    return parse_face_record(block.value)


def parse_face_record(record: bytes) -> FaceImage:
    if len(record) < GENERAL_HEADER + FACIAL_HEADER + IMAGE_INFO:
        raise DataGroupError("face record shorter than its headers")
    if record[0:4] != FACE_MAGIC:
        raise DataGroupError("face record does not start with 'FAC'")
    if int.from_bytes(record[8:12], "big") != len(record):
        raise DataGroupError("face record length field does not match the data")
    if int.from_bytes(record[12:14], "big") < 1:
        raise DataGroupError("face record holds no face")
    facial = record[GENERAL_HEADER:]
    block_length = int.from_bytes(facial[0:4], "big")
    points = int.from_bytes(facial[4:6], "big")
    info_at = FACIAL_HEADER + points * FEATURE_POINT
    if block_length > len(facial) or info_at + IMAGE_INFO > block_length:
        raise DataGroupError("facial record block length is inconsistent")
    info = facial[info_at : info_at + IMAGE_INFO]
    data_type = info[1]
    if data_type not in IMAGE_TYPES:
        raise DataGroupError(f"unknown face image data type {data_type}")
    image = bytes(facial[info_at + IMAGE_INFO : block_length])
    if not image:
        raise DataGroupError("face record holds no image bytes")
    width, height = int.from_bytes(info[2:4], "big"), int.from_bytes(info[4:6], "big")
    return FaceImage(image, IMAGE_TYPES[data_type], width, height)


def build_face_record(image: bytes, width: int, height: int, *, sex: str = "", jpeg2000: bool = False) -> bytes:
    """A 19794-5 record with one full-frontal face and no feature points."""
    facial_header = (FACIAL_HEADER + IMAGE_INFO + len(image)).to_bytes(4, "big") + bytes(2)
    facial_header += bytes([GENDER.get(sex, 0), 0, 0]) + bytes(3 + 2 + 3 + 3)
    info = bytes([1, 1 if jpeg2000 else 0]) + width.to_bytes(2, "big") + height.to_bytes(2, "big")
    info += bytes([1, 2]) + bytes(2) + bytes(2)  # sRGB colour space, digital camera, unknown device/quality
    body = facial_header + info + image
    total = GENERAL_HEADER + len(body)
    return FACE_MAGIC + FACE_VERSION + total.to_bytes(4, "big") + (1).to_bytes(2, "big") + body


def build_dg2(image: bytes, width: int, height: int, *, sex: str = "") -> bytes:
    record = build_face_record(image, width, height, sex=sex)
    template = tlv.encode(TAG_HEADER, DEFAULT_HEADER) + tlv.encode(TAG_DATA, record)
    group = tlv.encode(TAG_COUNT, b"\x01") + tlv.encode(TAG_INSTANCE, template)
    return tlv.encode(TAG_DG2, tlv.encode(TAG_GROUP, group))
