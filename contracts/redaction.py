"""What counts as personal data, and the one masking rule for text that may hold it (log lines, exception
messages, exported logs, refusal reasons), used by the kiosk and the servers alike.

Names are never logged by design; as a second line of defence anything shaped like an ID number (18 digits,
the last may be X, or an old 15-digit one) keeps only its first 3 and last 4 characters, and mobile numbers
(11 digits starting 13-19, optionally +86 and separators) keep first 3 / last 4. `\\d` matches any Unicode
digit on purpose: a number typed in other digits is masked as well.
"""

from __future__ import annotations

import re

# Keys whose values are personal data wherever they appear in a structured record (audit details, events).
PERSONAL_DATA_KEYS = frozenset(
    {"name", "full_name", "id_number", "id_no", "idcard", "address", "photo", "face", "portrait",
     "birth", "birthdate", "date_of_birth", "phone", "mobile", "email", "fingerprint"}
)  # fmt: skip

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})([ -]?)(\d{8})([ -]?)(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_OLD_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z+])((?:\+|00)?86[ -]?)?(1[3-9]\d)([ -]?)(\d{4})([ -]?)(\d{4})(?![0-9A-Za-z])")


def _mask_keep(text: str, head: int = 3, tail: int = 4) -> str:
    """Mask every digit/X between the first `head` and last `tail` of them, keeping separators."""
    positions = [i for i, ch in enumerate(text) if ch.isdigit() or ch in "Xx"]
    hidden = set(positions[head : len(positions) - tail])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def _mask_mobile(match: re.Match[str]) -> str:
    prefix = match.group(1) or ""
    return prefix + _mask_keep(match.group(0)[len(prefix) :])


def redact(text: str) -> str:
    """The text with ID numbers and mobile numbers masked (first 3 / last 4 kept)."""
    text = _ID_NUMBER.sub(lambda m: _mask_keep(m.group(0)), text)
    text = _OLD_ID_NUMBER.sub(lambda m: _mask_keep(m.group(0)), text)
    return _MOBILE.sub(_mask_mobile, text)
