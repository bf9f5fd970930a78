"""The permit's machine-readable zone (ICAO Doc 9303 Part 5, TD1: three lines of 30), as pure functions.

    line 1  CS CHN C12345678 7 <optional data, 15>            document code, state, number, check digit
    line 2  YYMMDD c S YYMMDD c CHN <optional, 11> composite  birth, sex, expiry, nationality
    line 3  SURNAME<<GIVEN<NAMES<<<<<<<<<<<<<<<<               the holder's name

Check digits use weights 7, 3, 1; the composite covers line 1 positions 6-30 and line 2 positions 1-7,
9-15 and 19-29. The document code `CS` and a 9-character number are what this permit is believed to carry
[U]; both are parameters. The BAC access key (`AccessKey`) is built from the whole MRZ or from the three
fields a person can type (document number, birth date, expiry date).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from devices.errors import ProtocolError

LINE_LENGTH = 30
FILLER = "<"
_WEIGHTS = (7, 3, 1)
_MRZ_CHARS = re.compile(r"[0-9A-Z<]*")
_DATE = re.compile(r"[0-9]{6}")


class MrzError(ProtocolError):
    """An MRZ (or a typed access key) that is malformed or fails a check digit."""

    code = "mrz_invalid"


def char_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == FILLER:
        return 0
    raise MrzError(f"character {char!r} is not allowed in an MRZ")


def check_digit(field: str) -> str:
    """The ICAO 9303 check digit of a field, as one character."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def _require_mrz_text(text: str, what: str) -> None:
    if not _MRZ_CHARS.fullmatch(text):
        raise MrzError(f"{what} may hold only 0-9, A-Z and '<'")


def _require_date(text: str, what: str) -> None:
    if not _DATE.fullmatch(text):
        raise MrzError(f"{what} must be 6 digits YYMMDD")
    try:
        dt.date(2000 + int(text[0:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise MrzError(f"{what} {text} is not a calendar date") from None


@dataclass(frozen=True)
class AccessKey:
    """What BAC needs: document number, birth date and expiry date (YYMMDD), as on the MRZ."""

    document_number: str
    birth_date: str
    expiry_date: str

    def __post_init__(self) -> None:
        number = self.document_number.strip().upper()
        object.__setattr__(self, "document_number", number)
        if not 1 <= len(number) <= 9:
            raise MrzError("document number must be 1 to 9 characters")  # longer numbers use line 1 optional data
        _require_mrz_text(number, "document number")
        _require_date(self.birth_date, "birth date")
        _require_date(self.expiry_date, "expiry date")

    def __repr__(self) -> str:  # the key opens the chip: never show it
        return "AccessKey(<redacted>)"

    @classmethod
    def from_mrz(cls, mrz: str) -> AccessKey:
        parsed = parse_td1(mrz)
        return cls(parsed.document_number, parsed.birth_date, parsed.expiry_date)

    def mrz_information(self) -> bytes:
        """Document number (padded to 9) + check digit + birth + check + expiry + check, as ASCII."""
        number = self.document_number.ljust(9, FILLER)
        parts = (number, check_digit(number), self.birth_date, check_digit(self.birth_date))
        return ("".join(parts) + self.expiry_date + check_digit(self.expiry_date)).encode("ascii")


@dataclass(frozen=True)
class Td1:
    """The fields of a TD1 MRZ, check digits verified."""

    document_code: str
    issuing_state: str
    document_number: str
    optional_1: str
    birth_date: str  # YYMMDD
    sex: str  # M, F or <
    expiry_date: str  # YYMMDD
    nationality: str
    optional_2: str
    surname: str
    given_names: str

    def __repr__(self) -> str:
        return f"Td1(document_code={self.document_code!r}, <redacted>)"

    @property
    def name_latin(self) -> str:
        return f"{self.surname} {self.given_names}".strip()


def _field(text: str, width: int, what: str) -> str:
    value = text.upper().replace(" ", FILLER)
    _require_mrz_text(value, what)
    if len(value) > width:
        raise MrzError(f"{what} is longer than {width} characters")
    return value.ljust(width, FILLER)


def _name_field(surname: str, given_names: str) -> str:
    parts = [_field(surname, LINE_LENGTH, "surname").rstrip(FILLER)]
    given = _field(given_names, LINE_LENGTH, "given names").rstrip(FILLER)
    text = parts[0] + FILLER * 2 + given if given else parts[0]
    return text[:LINE_LENGTH].ljust(LINE_LENGTH, FILLER)  # ICAO truncates long names


def compose_td1(
    *,
    document_number: str,
    birth_date: str,
    sex: str,
    expiry_date: str,
    surname: str,
    given_names: str,
    document_code: str = "CS",
    issuing_state: str = "CHN",
    nationality: str = "CHN",
    optional_1: str = "",
    optional_2: str = "",
) -> str:
    """The three MRZ lines joined by newlines, with every check digit computed."""
    if len(document_number) > 9:
        raise MrzError("document numbers longer than 9 characters are not supported")
    if sex not in ("M", "F", FILLER):
        raise MrzError("sex must be M, F or <")
    _require_date(birth_date, "birth date")
    _require_date(expiry_date, "expiry date")
    number = _field(document_number, 9, "document number")
    line1 = _field(document_code, 2, "document code") + _field(issuing_state, 3, "issuing state") + number
    line1 += check_digit(number) + _field(optional_1, 15, "optional data")
    line2 = birth_date + check_digit(birth_date) + sex + expiry_date + check_digit(expiry_date)
    line2 += _field(nationality, 3, "nationality") + _field(optional_2, 11, "optional data")
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return "\n".join((line1, line2, _name_field(surname, given_names)))


def _lines(mrz: str) -> tuple[str, str, str]:
    text = mrz.strip().replace("\r", "")
    lines = text.split("\n") if "\n" in text else [text[i : i + LINE_LENGTH] for i in range(0, len(text), 30)]
    if len(lines) != 3 or any(len(line) != LINE_LENGTH for line in lines):
        raise MrzError("a TD1 MRZ is three lines of 30 characters")
    for line in lines:
        _require_mrz_text(line, "MRZ")
    return lines[0], lines[1], lines[2]


def _verify(field: str, digit: str, what: str) -> None:
    if check_digit(field) != digit:
        raise MrzError(f"check digit of the {what} does not match")


def parse_td1(mrz: str) -> Td1:
    """Parse and verify a TD1 MRZ (three lines, or 90 characters without newlines)."""
    line1, line2, line3 = _lines(mrz)
    if line1[14] == FILLER:
        raise MrzError("document numbers longer than 9 characters are not supported")
    _verify(line1[5:14], line1[14], "document number")
    _verify(line2[0:6], line2[6], "birth date")
    _verify(line2[8:14], line2[14], "expiry date")
    _verify(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29], line2[29], "composite")
    _require_date(line2[0:6], "birth date")
    _require_date(line2[8:14], "expiry date")
    if line2[7] not in ("M", "F", FILLER):
        raise MrzError("sex must be M, F or <")
    surname, _, given = line3.partition(FILLER * 2)
    return Td1(
        document_code=line1[0:2].rstrip(FILLER),
        issuing_state=line1[2:5].rstrip(FILLER),
        document_number=line1[5:14].rstrip(FILLER),
        optional_1=line1[15:30].rstrip(FILLER),
        birth_date=line2[0:6],
        sex=line2[7],
        expiry_date=line2[8:14],
        nationality=line2[15:18].rstrip(FILLER),
        optional_2=line2[18:29].rstrip(FILLER),
        surname=surname.rstrip(FILLER).replace(FILLER, " "),
        given_names=given.rstrip(FILLER).replace(FILLER, " ").strip(),
    )


def birth_date_from_yymmdd(text: str, today: dt.date) -> dt.date:
    """A birth date: the century that does not put it in the future."""
    year = 2000 + int(text[0:2])
    if year > today.year:
        year -= 100
    return dt.date(year, int(text[2:4]), int(text[4:6]))


def expiry_date_from_yymmdd(text: str) -> dt.date:
    """An expiry date: always this century (permits are valid for 10 years at most)."""
    return dt.date(2000 + int(text[0:2]), int(text[2:4]), int(text[4:6]))
