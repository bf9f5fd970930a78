"""Which document a kiosk should run: the newest assignment to the kiosk itself, else to its group,
else to one of its channels - configurations and software releases each on their own. Read-only and
index-backed: this runs on every poll, so the statements are built once (with bind parameters) and
executed on a Core connection, not rebuilt per request.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Select, and_, bindparam, case, or_, select

from server.fleet.models import Assignment, Document, Kiosk

POLL_IDENTITY = select(Kiosk.secret_hash, Kiosk.group_name, Kiosk.channels).where(Kiosk.id == bindparam("kiosk_id"))

_PRECEDENCE = case((Assignment.target_kind == "kiosk", 0), (Assignment.target_kind == "group", 1), else_=2)
SOFTWARE = "kiosk-software"  # releases are assigned like documents but polled apart (server.fleet.routes_release)


def _desired(software: bool) -> Select:
    kind = Document.doc_type == SOFTWARE if software else Document.doc_type != SOFTWARE
    return (
        select(Document.id, Document.etag)
        .join(Assignment, Assignment.document_id == Document.id)
        .where(
            kind,
            or_(
                and_(Assignment.target_kind == "kiosk", Assignment.target == bindparam("kiosk_id")),
                and_(Assignment.target_kind == "group", Assignment.target == bindparam("group")),
                and_(Assignment.target_kind == "channel", Assignment.target.in_(bindparam("channels", expanding=True))),
            ),
        )
        .order_by(_PRECEDENCE, Assignment.id.desc())
        .limit(1)
    )


DESIRED = _desired(software=False)  # configuration and trust-root documents
DESIRED_RELEASE = _desired(software=True)
DOCUMENT_BODY = select(Document.body).where(Document.id == bindparam("document_id"))


def desired_ref(
    connection: Connection, kiosk_id: str, group: str | None, channels: Sequence[str], *, software: bool = False
) -> tuple[int, str] | None:
    """(document id, etag) of the desired document (or, with software=True, release), None when unassigned."""
    # "" never matches: group and channel names are non-empty by the API's schema.
    params = {"kiosk_id": kiosk_id, "group": group or "", "channels": list(channels) or [""]}
    row = connection.execute(DESIRED_RELEASE if software else DESIRED, params).first()
    return None if row is None else (row[0], row[1])
