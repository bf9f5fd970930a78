"""What a permit read yields: one PermitDocument. Personal data: memory only, wipe() at the end of the visit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from devices.permit.endorsement_file import Endorsement


@dataclass(eq=False)
class PermitDocument:
    """The Mainland travel permit for Hong Kong and Macao as read from its chip (DG1, DG2, DG11, endorsements)."""

    document_number: str
    name_latin: str
    birth_date: dt.date
    expiry_date: dt.date
    sex: str  # M, F or < (unspecified)
    nationality: str
    document_code: str = ""
    name_chinese: str = ""  # DG11 full name, when the chip has DG11
    personal_number: str = ""  # DG11 personal number (the holder's resident ID number), when present
    photo: bytearray = field(default_factory=bytearray, repr=False)
    photo_type: str = "image/jpeg"
    endorsements: list[Endorsement] = field(default_factory=list)
    authenticity: str = "unchecked"  # "trusted": signer chained to a CSCA; "signed": signature valid only

    def __repr__(self) -> str:  # never show personal data in logs or tracebacks
        return f"PermitDocument(document_code={self.document_code!r}, <redacted>)"

    __str__ = __repr__

    def is_expired(self, today: dt.date) -> bool:
        return self.expiry_date < today

    def to_json(self) -> dict[str, Any]:
        """The `kiosk diag read-permit --json` contract (the photo as its length only)."""
        out: dict[str, Any] = {
            "document_number": self.document_number,
            "name_latin": self.name_latin,
            "birth_date": self.birth_date.isoformat(),
            "expiry_date": self.expiry_date.isoformat(),
            "sex": self.sex,
            "nationality": self.nationality,
            "endorsements": [endorsement.to_json() for endorsement in self.endorsements],
            "photo_bytes": len(self.photo),
            "authenticity": self.authenticity,
        }
        if self.name_chinese:
            out["name_chinese"] = self.name_chinese
        return out

    def wipe(self) -> None:
        """Zero the photo buffer and blank every personal field."""
        self.photo[:] = bytes(len(self.photo))
        self.photo.clear()
        for name in ("document_number", "name_latin", "name_chinese", "personal_number", "sex", "nationality"):
            setattr(self, name, "")
        self.birth_date = self.expiry_date = dt.date.min
        self.endorsements = []
