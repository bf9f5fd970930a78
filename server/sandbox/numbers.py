"""Document numbers: random within each documented format, unique, never sequential - a number seen on
one citizen's card or certificate tells nothing about anybody else's.

    temporary ID card   <area code> + 6 random digits
    certificate         <area code> + <year> + 8 random digits
    decision (决定书)    <area code> + 10 random digits (16 digits in all)
    acceptance receipt  SL + <area code> + <YYYYMMDD> + 4 random digits
A drawn number already in use is drawn again (bounded: a nearly full space is an error, not a hang).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.sandbox.models import CertificateRow, RecordRequest, TempIdCardRow, ViolationRow

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
MAX_DRAWS = 50


class NumberSpaceExhausted(RuntimeError):
    """No free number found in MAX_DRAWS draws: the format's space is (nearly) used up."""


def _digits(count: int) -> str:
    return f"{secrets.randbelow(10**count):0{count}d}"


def _unique(draw: Callable[[], str], taken: Callable[[str], bool]) -> str:
    for _ in range(MAX_DRAWS):
        number = draw()
        if not taken(number):
            return number
    raise NumberSpaceExhausted("no free document number found")


def _exists(session: Session, column: Any) -> Callable[[str], bool]:
    def taken(number: str) -> bool:
        session.flush()  # numbers drawn earlier in this transaction count as taken
        return session.execute(select(column).where(column == number).limit(1)).first() is not None

    return taken


def decision_number(session: Session, area_code: str) -> str:
    """决定书编号: 16 digits, the area code then 10 random digits."""
    return _unique(lambda: f"{area_code}{_digits(10)}", _exists(session, ViolationRow.decision_number))


def temp_card_number(session: Session, area_code: str) -> str:
    return _unique(lambda: f"{area_code}{_digits(6)}", _exists(session, TempIdCardRow.card_number))


def certificate_number(session: Session, area_code: str, today: dt.date) -> str:
    draw = lambda: f"{area_code}{today.year}{_digits(8)}"  # noqa: E731
    return _unique(draw, _exists(session, CertificateRow.certificate_number))


def acceptance_number(session: Session, area_code: str, today: dt.date) -> str:
    draw = lambda: f"SL{area_code}{today:%Y%m%d}{_digits(4)}"  # noqa: E731
    return _unique(draw, _exists(session, RecordRequest.acceptance_number))


def verification_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def order_id() -> str:
    return "PO" + secrets.token_hex(10).upper()
