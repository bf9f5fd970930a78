"""Accepted record requests (受理): when they are settled and where a citizen looks the result up.

The lookup says only whether the request is settled, never its outcome: the slip may be found by anyone,
and "settled" means the same for a clean record and for one that the counter has to explain.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts import AcceptanceStatus
from server.sandbox import rules
from server.sandbox.models import RecordRequest

RESULT_PATH = "/a"  # <public base URL>/a/<acceptance number>


def settle_by(accepted_on: dt.date) -> dt.date:
    return rules.add_working_days(accepted_on, rules.RECORD_SETTLE_WORKING_DAYS)


def result_url(base: str, acceptance_number: str) -> str:
    return f"{base}{RESULT_PATH}/{acceptance_number}"


def status(session: Session, acceptance_number: str, today: dt.date) -> AcceptanceStatus:
    number = acceptance_number.strip().upper()
    row = session.scalars(select(RecordRequest).where(RecordRequest.acceptance_number == number)).first()
    if row is None:
        return AcceptanceStatus(acceptance_number=number, status="unknown")
    due = settle_by(row.requested_on)
    return AcceptanceStatus(acceptance_number=number, status="settled" if today > due else "pending", settle_by=due)
