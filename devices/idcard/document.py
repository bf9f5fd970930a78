"""The 256-byte text block of an ID card, decoded into one IdentityDocument type (and encoded, for the
simulator). Field layouts per card type follow GA 467 / the public SDKs (see shared/reference)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from contracts.idnumber import has_valid_check_character, is_ascii_digits
from devices.errors import ProtocolError
from devices.idcard import codes
from devices.idcard.protocol import TEXT_LEN

CARD_TYPE_OFFSET = 248
LONG_TERM = "长期"

# (field, offset, length in bytes) per card type; strings are UCS-2 LE padded with spaces.
LAYOUTS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "resident": (
        ("name", 0, 30),
        ("sex", 30, 2),
        ("nation", 32, 4),
        ("birth_date", 36, 16),
        ("address", 52, 70),
        ("id_number", 122, 36),
        ("authority", 158, 30),
        ("valid_from", 188, 16),
        ("valid_to", 204, 16),
    ),
    "permit_j": (
        ("name", 0, 30),
        ("sex", 30, 2),
        ("birth_date", 36, 16),
        ("address", 52, 70),
        ("id_number", 122, 36),
        ("authority", 158, 30),
        ("valid_from", 188, 16),
        ("valid_to", 204, 16),
        ("pass_number", 220, 18),
        ("issue_count", 238, 4),
    ),
    "foreign_i": (
        ("english_name", 0, 120),
        ("sex", 120, 2),
        ("id_number", 122, 30),
        ("nationality", 152, 6),
        ("name", 158, 30),
        ("valid_from", 188, 16),
        ("valid_to", 204, 16),
        ("birth_date", 220, 16),
        ("card_version", 236, 4),
        ("authority", 240, 8),
    ),
    "foreign_y": (
        ("name", 0, 30),
        ("sex", 30, 2),
        ("issue_count", 32, 4),
        ("birth_date", 36, 16),
        ("english_name", 52, 70),
        ("id_number", 122, 36),
        ("valid_from", 188, 16),
        ("valid_to", 204, 16),
        ("english_name_2", 220, 22),
        ("nationality", 242, 6),
    ),
}
TYPE_MARKS = {"resident": " ", "permit_j": "J", "foreign_i": "I", "foreign_y": "Y"}
TYPES_BY_MARK = {mark: card_type for card_type, mark in TYPE_MARKS.items()}
DATE_FIELDS = ("birth_date", "valid_from", "valid_to")


class CardDataError(ProtocolError):
    """The card's text block does not hold sensible data (damaged read or unknown layout)."""

    code = "card_data_invalid"


@dataclass(eq=False)
class IdentityDocument:
    """One identity document read from a card. Personal data: keep in memory only, call wipe() when done."""

    card_type: str
    name: str
    sex: str
    birth_date: dt.date
    id_number: str
    valid_from: dt.date
    valid_to: dt.date | None  # None = 长期 (no expiry)
    nation: str = ""
    address: str = ""
    authority: str = ""
    english_name: str = ""
    nationality: str = ""
    pass_number: str = ""
    issue_count: str = ""
    card_version: str = ""
    photo_wlt: bytearray = field(default_factory=bytearray, repr=False)
    fingerprint: bytearray | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # never show personal data in logs or tracebacks
        return f"IdentityDocument(card_type={self.card_type!r}, <redacted>)"

    __str__ = __repr__

    def is_expired(self, today: dt.date) -> bool:
        return self.valid_to is not None and self.valid_to < today

    def to_json(self) -> dict[str, Any]:
        """The `kiosk diag read-id --json` contract: common keys plus the type-specific ones."""
        out: dict[str, Any] = {
            "card_type": self.card_type,
            "name": self.name,
            "sex": self.sex,
            "nation": self.nation,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address,
            "id_number": self.id_number,
            "authority": self.authority,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }
        extra = {
            "permit_j": ("pass_number", "issue_count"),
            "foreign_i": ("english_name", "nationality", "card_version"),
            "foreign_y": ("english_name", "nationality", "issue_count"),
        }.get(self.card_type, ())
        out.update({key: getattr(self, key) for key in extra})
        return out

    def wipe(self) -> None:
        """Zero the photo and fingerprint buffers and blank every text field."""
        for buffer in (self.photo_wlt, self.fingerprint):
            if buffer is not None:
                buffer[:] = bytes(len(buffer))
        for name in _TEXT_FIELDS:
            setattr(self, name, "")


_TEXT_FIELDS = (
    "name",
    "sex",
    "nation",
    "id_number",
    "address",
    "authority",
    "english_name",
    "nationality",
    "pass_number",
    "issue_count",
    "card_version",
)


_ID_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _field_text(block: bytes, offset: int, length: int) -> str:
    try:
        text = block[offset : offset + length].decode("utf-16-le")
    except UnicodeDecodeError as error:
        raise CardDataError(f"text at offset {offset} is not valid UCS-2") from error
    if "\x00" in text.rstrip("\x00") or any(ch < " " for ch in text.rstrip("\x00")):
        raise CardDataError(f"control characters in the text at offset {offset}")
    return text.rstrip(" \x00")


def _parse_date(text: str, what: str, allow_long_term: bool = False) -> dt.date | None:
    if allow_long_term and text == LONG_TERM:
        return None
    if len(text) != 8 or not is_ascii_digits(text):
        raise CardDataError(f"{what} is not YYYYMMDD")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as error:
        raise CardDataError(f"{what} is not a real date") from error


def card_type_of(block: bytes) -> str:
    if len(block) != TEXT_LEN:
        raise CardDataError(f"text block must be {TEXT_LEN} bytes, got {len(block)}")
    mark = _field_text(block, CARD_TYPE_OFFSET, 2) or " "
    try:
        return TYPES_BY_MARK[mark]
    except KeyError:
        raise CardDataError(f"unknown card type mark {mark!r}") from None


def decode_text_block(block: bytes) -> dict[str, str]:
    card_type = card_type_of(block)
    raw = {name: _field_text(block, offset, length) for name, offset, length in LAYOUTS[card_type]}
    raw["card_type"] = card_type
    return raw


def parse_identity(block: bytes, photo: bytes = b"", fingerprint: bytes | None = None) -> IdentityDocument:
    """Decode and sanity-check a text block; a damaged read raises CardDataError, never a wrong document."""
    raw = decode_text_block(block)
    card_type = raw["card_type"]
    sex = codes.SEX.get(raw["sex"])
    if sex is None:
        raise CardDataError("unknown sex code")
    nation = ""
    if card_type == "resident":
        nation = codes.NATION.get(raw.get("nation", ""), "")
        if not nation:
            raise CardDataError("unknown nation code")
    english = raw.get("english_name", "") + raw.pop("english_name_2", "")
    doc = IdentityDocument(
        card_type=card_type,
        name=raw["name"],
        sex=sex,
        nation=nation,
        birth_date=_parse_date(raw["birth_date"], "birth date"),  # type: ignore[arg-type]
        address=raw.get("address", ""),
        id_number=raw["id_number"],
        authority=raw.get("authority", ""),
        valid_from=_parse_date(raw["valid_from"], "valid-from date"),  # type: ignore[arg-type]
        valid_to=_parse_date(raw["valid_to"], "valid-to date", allow_long_term=True),
        english_name=english.strip(),
        nationality=raw.get("nationality", ""),
        pass_number=raw.get("pass_number", ""),
        issue_count=raw.get("issue_count", ""),
        card_version=raw.get("card_version", ""),
        photo_wlt=bytearray(photo),
        fingerprint=bytearray(fingerprint) if fingerprint else None,
    )
    _check_consistency(doc)
    return doc


def _check_consistency(doc: IdentityDocument) -> None:
    """Cross-checks that catch a frame damaged in a way the XOR checksum cannot see."""
    if not doc.name:
        raise CardDataError("the name is empty")
    if doc.valid_to is not None and doc.valid_to < doc.valid_from:
        raise CardDataError("valid-to precedes valid-from")
    if not doc.id_number or not all(ch in _ID_CHARS for ch in doc.id_number):
        raise CardDataError("the ID number holds characters other than ASCII letters and digits")
    if doc.card_type in ("resident", "permit_j"):
        from_number = doc.id_number
        if not has_valid_check_character(from_number):
            raise CardDataError("the ID number fails its check digit")
        if from_number[6:14] != doc.birth_date.strftime("%Y%m%d"):
            raise CardDataError("the ID number does not match the birth date")


def encode_text_block(card_type: str, values: dict[str, str]) -> bytes:
    """Build a 256-byte text block from raw field strings (codes, YYYYMMDD dates), for the simulator."""
    block = bytearray(" ".encode("utf-16-le") * (TEXT_LEN // 2))
    for name, offset, length in LAYOUTS[card_type]:
        text = values.get(name, "")
        encoded = text.encode("utf-16-le")[:length]
        block[offset : offset + len(encoded)] = encoded
    block[CARD_TYPE_OFFSET : CARD_TYPE_OFFSET + 2] = TYPE_MARKS[card_type].encode("utf-16-le")
    return bytes(block)
