"""How many face comparisons a person and a kiosk may fail: a careful backend stops a stranger trying face
after face (or photo after photo) against one citizen, and a kiosk from being used to do so at scale.

Failed comparisons count within `face_attempt_window_s`: per person since their last match, and per
kiosk. At the limit further checks answer 429 face_attempts_exceeded (refer the citizen to the counter)
until the window has moved on. Rows older than the window are deleted as new attempts come in.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from contracts import ErrorCode
from server.sandbox.errors import ApiError
from server.sandbox.models import FaceAttempt
from server.sandbox.settings import SandboxSettings


def _window_start(settings: SandboxSettings) -> dt.datetime:
    return settings.clock.utc_naive() - dt.timedelta(seconds=settings.face_attempt_window_s)


def _failures(session: Session, since: dt.datetime, *criteria: object) -> int:
    query = select(func.count()).where(FaceAttempt.at >= since, FaceAttempt.matched.is_(False), *criteria)
    return session.execute(query).scalar_one()


def refuse_if_exhausted(session: Session, settings: SandboxSettings, kiosk_id: str, id_number: str) -> None:
    since = _window_start(settings)
    last_match = session.execute(
        select(func.max(FaceAttempt.at)).where(FaceAttempt.id_number == id_number, FaceAttempt.matched.is_(True))
    ).scalar_one()
    person_since = max(since, last_match) if last_match is not None else since
    if _failures(session, person_since, FaceAttempt.id_number == id_number) >= settings.face_failures_per_person:
        raise ApiError(429, ErrorCode.FACE_ATTEMPTS_EXCEEDED, "too many failed face checks for this person")
    if _failures(session, since, FaceAttempt.kiosk_id == kiosk_id) >= settings.face_failures_per_kiosk:
        raise ApiError(429, ErrorCode.FACE_ATTEMPTS_EXCEEDED, "too many failed face checks at this kiosk")


def record_attempt(session: Session, settings: SandboxSettings, kiosk_id: str, id_number: str, matched: bool) -> None:
    now = settings.clock.utc_naive()
    session.execute(delete(FaceAttempt).where(FaceAttempt.at < _window_start(settings)))
    session.add(FaceAttempt(kiosk_id=kiosk_id, id_number=id_number, at=now, matched=matched))
