"""The certificate issuer's signing keys: one active Ed25519 key, older ones kept published until the
certificates they signed have expired, rotation and revocation by the admin, and the published key set.

A key signs certificates issued within its period (valid_from .. valid_until, both inclusive); rotating
ends the active key's period today and starts a new key today, so certificates of both keys verify.
"""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.issuer_keys import IssuerKey, IssuerKeySet, encode_public_key
from server.sandbox.models import IssuerKeyRow
from server.sandbox.settings import SandboxSettings


class NoSuchKey(LookupError):
    pass


def _new_kid(session: Session, today: dt.date) -> str:
    taken = set(session.scalars(select(IssuerKeyRow.kid)))
    serial = 1
    while f"K{today:%Y%m%d}-{serial}" in taken:
        serial += 1
    return f"K{today:%Y%m%d}-{serial}"


def _create(session: Session, today: dt.date) -> IssuerKeyRow:
    private = Ed25519PrivateKey.generate()
    row = IssuerKeyRow(
        kid=_new_kid(session, today),
        private_key=private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
        public_x=encode_public_key(private.public_key()), valid_from=today, valid_until=None, status="active",
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _active_row(session: Session) -> IssuerKeyRow | None:
    return session.scalars(select(IssuerKeyRow).where(IssuerKeyRow.status == "active")).first()


def ensure_active_key(session: Session, today: dt.date) -> IssuerKeyRow:
    """The key that signs today's certificates (created on first use: a fresh database has none)."""
    return _active_row(session) or _create(session, today)


def signing_key(session: Session, today: dt.date) -> tuple[str, Ed25519PrivateKey]:
    row = ensure_active_key(session, today)
    return row.kid, Ed25519PrivateKey.from_private_bytes(row.private_key)


def rotate(session: Session, today: dt.date) -> IssuerKeyRow:
    """A new active key from today; the previous one signs no more but stays published."""
    old = _active_row(session)
    if old is not None:
        old.status, old.valid_until = "retired", today
    return _create(session, today)


def revoke(session: Session, kid: str, today: dt.date) -> IssuerKeyRow:
    """A compromised key: nothing it signed verifies any more; a revoked active key is replaced at once."""
    row = session.get(IssuerKeyRow, kid)
    if row is None:
        raise NoSuchKey(kid)
    was_active = row.status == "active"
    row.status, row.valid_until = "revoked", row.valid_until or today
    if was_active:
        _create(session, today)
    return row


def published(row: IssuerKeyRow) -> IssuerKey:
    return IssuerKey(kid=row.kid, x=row.public_x, valid_from=row.valid_from, valid_until=row.valid_until,
                     status=row.status)  # type: ignore[arg-type]  # fmt: skip


def key_set(session: Session, settings: SandboxSettings, verify_base_url: str) -> IssuerKeySet:
    """Every key a current certificate may carry: retired keys until the last certificate they could have
    signed has expired, revoked keys for as long (so verifiers learn the revocation)."""
    horizon = settings.clock.today() - dt.timedelta(days=settings.certificate_validity_days)
    rows = session.scalars(select(IssuerKeyRow).order_by(IssuerKeyRow.valid_from, IssuerKeyRow.kid))
    keys = [published(row) for row in rows if row.valid_until is None or row.valid_until >= horizon]
    return IssuerKeySet(issuer=settings.issuing_unit, verify_base_url=verify_base_url, keys=keys)
