"""Document numbers from per-kind counters kept in the database (portable, no native sequences)."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.sandbox.models import Sequence

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand


def next_value(session: Session, name: str) -> int:
    row = session.execute(select(Sequence).where(Sequence.name == name).with_for_update()).scalar_one_or_none()
    if row is None:
        row = Sequence(name=name, value=0)
        session.add(row)
    row.value += 1
    session.flush()
    return row.value


def decision_number(session: Session, area_code: str) -> str:
    """决定书编号: 16 digits, the area code then a 10-digit serial."""
    return f"{area_code}{next_value(session, 'decision'):010d}"


def temp_card_number(session: Session, area_code: str) -> str:
    return f"{area_code}{next_value(session, 'temp_card'):06d}"


def certificate_number(session: Session, area_code: str, today: dt.date) -> str:
    return f"{area_code}{today.year}{next_value(session, 'certificate'):08d}"


def acceptance_number(session: Session, area_code: str, today: dt.date) -> str:
    return f"SL{area_code}{today:%Y%m%d}{next_value(session, 'acceptance'):04d}"


def verification_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def order_id() -> str:
    return "PO" + secrets.token_hex(10).upper()
